"""The FastAPI application: app factory, middleware, error pages and shared helpers.

Pages are rendered on the server with Jinja2 (autoescaping on, so any text a
person typed or uploaded is shown as text). The pages live in routes/, one module per page.
"""
from __future__ import annotations

import logging
import secrets
import time
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .. import __version__
from .config import WebConfig
from .state import PACKAGE, WebState
from .routes import router
from .ratelimit import LoginRateLimitMiddleware
from .security import (CSRF_COOKIE, OPEN_PATHS, SAFE_METHODS, BodyLimitMiddleware, SecurityHeadersMiddleware,
                       add_security_headers, is_authorised)

log = logging.getLogger("plenary.web")


def create_app(config: WebConfig, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web app for one data folder. `allowed_hosts` guards a loopback server against DNS rebinding."""
    state = WebState(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        state.runs.shutdown()
        state.db.dispose()

    app = FastAPI(title="Plenary", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.web = state

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=PACKAGE / "static"), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next):
        started = time.perf_counter()
        path = request.url.path
        if config.token and not path.startswith(OPEN_PATHS) and not is_authorised(request, state.secret, config.token):
            if request.method in SAFE_METHODS and "application/json" not in request.headers.get("accept", ""):
                response: Response = RedirectResponse(f"/login?next={quote(str(request.url.path), safe='/')}", 303)
            else:
                response = state.error_page(request, 401, "This Plenary server needs its access token.")
        else:
            response = await call_next(request)
        new_csrf = getattr(request.state, "new_csrf", None)
        if new_csrf:
            response.set_cookie(CSRF_COOKIE, new_csrf, httponly=True, samesite="strict", path="/")
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        messages = {404: "There is no such page. It may have been deleted, or the link is wrong.",
                    405: "That address does not take that kind of request."}
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail not in ("Not Found", "Method Not Allowed") \
            else messages.get(exc.status_code, "The request could not be completed.")
        return state.error_page(request, exc.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        fields = ", ".join(sorted({str(e.get("loc", ["?"])[-1]) for e in exc.errors()}))
        return state.error_page(request, 422, f"Some values were missing or not valid: {fields}.")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        reference = secrets.token_hex(4)
        log.error("error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
        response = state.error_page(request, 500, "The server hit a problem it did not expect. Nothing you entered "
                                    "was half-saved: try again, and if it happens again, tell whoever runs this "
                                    "server the reference below.", reference)
        add_security_headers(response, request.url.path)  # this answer leaves outside every middleware
        return response

    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(BodyLimitMiddleware, limit=config.max_request_bytes,
                       respond=lambda message: HTMLResponse(
                           state.env.get_template("bare_error.html").render(message=message), status_code=413))
    app.add_middleware(LoginRateLimitMiddleware, respond=lambda message, status: HTMLResponse(
        state.env.get_template("bare_error.html").render(message=message, title="Too many attempts"),
        status_code=status), rate=config.login_rate)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: also on what the middleware above sends
    return app
