"""The FastAPI application: app factory, middleware, error pages and shared helpers.

Pages are rendered on the server with Jinja2 (autoescaping on, so any text a
person typed or uploaded is shown as text). The routes live in routes.py.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .. import __version__
from .config import WebConfig
from .db import Database
from .jobs import STAGE_NAMES, RunManager, percent
from .security import (CSP, CSRF_COOKIE, CSRF_FIELD, OPEN_PATHS, SAFE_METHODS, BodyLimitMiddleware,
                       csrf_token, is_authorised, load_secret)

log = logging.getLogger("plenary.web")
PACKAGE = Path(__file__).resolve().parent
FLASH_COOKIE = "plenary_flash"


class WebState:
    """Everything the routes share: settings, database, background runs, templates."""

    def __init__(self, config: WebConfig):
        self.config = config
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(config.database_path)
        self.db.upgrade()  # an older database is brought up to date before anything reads it
        self.secret = load_secret(config.data_dir)
        self.upload_lock = threading.Lock()  # naming and adding an uploaded document is one step
        self.runs = RunManager(self.db, config)
        self.runs.recover()
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(PACKAGE / "templates"), autoescape=True,
                                      trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        self.env.globals.update(version=__version__, stage_names=STAGE_NAMES, percent=percent,
                                csrf_field=CSRF_FIELD, static=self.static_url)
        self.env.filters["when"] = lambda d: d.strftime("%d %b %Y, %H:%M") if d else ""
        self.env.filters["q"] = lambda s: quote(str(s), safe="")
        self._static_versions: dict[str, str] = {}

    def static_url(self, name: str) -> str:
        """A static file's URL with a content hash, so browsers never use a stale copy."""
        if name not in self._static_versions:
            data = (PACKAGE / "static" / name).read_bytes()
            self._static_versions[name] = hashlib.sha256(data).hexdigest()[:10]
        return f"/static/{name}?v={self._static_versions[name]}"

    # ------------------------------------------------------------------ rendering
    def render(self, request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("project", None)
        context.setdefault("section", "")
        context.update(request=request, csrf=csrf_token(request), flashes=self.read_flash(request),
                       token_required=bool(self.config.token))
        response = HTMLResponse(self.env.get_template(template).render(**context), status_code=status_code)
        if context["flashes"]:
            response.delete_cookie(FLASH_COOKIE, path="/")
        return response

    def error_page(self, request: Request, status_code: int, message: str, reference: str | None = None) -> HTMLResponse:
        titles = {400: "Something in that request was not right", 401: "Please sign in",
                  403: "That was refused", 404: "Not found", 405: "Not allowed", 413: "Too large",
                  422: "Something in that form was not right", 500: "Something went wrong"}
        try:
            return self.render(request, "error.html", status_code=status_code, title=titles.get(status_code, "Error"),
                               message=message, reference=reference, code=status_code)
        except Exception:  # noqa: BLE001 - the error page itself must never fail
            log.exception("error page failed")
            return HTMLResponse("<h1>Something went wrong</h1>", status_code=status_code)

    # ------------------------------------------------------------------ flash messages (signed cookie)
    def _sign(self, payload: bytes) -> str:
        return hmac.new(self.secret, payload, hashlib.sha256).hexdigest()[:32]

    def flash(self, response: Response, messages: list[tuple[str, str]]) -> Response:
        """Show messages on the next page: a list of (kind, text), kind ok | error | info."""
        kept: list[tuple[str, str]] = []
        for kind, text in messages:
            kept.append((kind, text[:400]))
            if len(json.dumps(kept)) > 2500:  # a cookie holds about 4 KB
                kept[-1] = ("info", f"… and {len(messages) - len(kept) + 1} more messages.")
                break
        payload = base64.urlsafe_b64encode(json.dumps(kept).encode()).decode()
        response.set_cookie(FLASH_COOKIE, f"{payload}.{self._sign(payload.encode())}", httponly=True,
                            samesite="strict", path="/")
        return response

    def read_flash(self, request: Request) -> list[tuple[str, str]]:
        raw = request.cookies.get(FLASH_COOKIE, "")
        payload, _, sig = raw.rpartition(".")
        if not payload or not hmac.compare_digest(sig, self._sign(payload.encode())):
            return []
        try:
            return [(str(k), str(t)) for k, t in json.loads(base64.urlsafe_b64decode(payload))]
        except (ValueError, TypeError):
            return []

    def redirect(self, url: str, messages: list[tuple[str, str]] | None = None) -> RedirectResponse:
        response = RedirectResponse(url, status_code=303)
        if messages:
            self.flash(response, messages)
        return response


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

    from .routes import router

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
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
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
        return state.error_page(request, 500, "The server hit a problem it did not expect. Nothing you entered "
                                "was half-saved: try again, and if it happens again, tell whoever runs this "
                                "server the reference below.", reference)

    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(BodyLimitMiddleware, limit=config.max_request_bytes,
                       respond=lambda message: HTMLResponse(
                           state.env.get_template("bare_error.html").render(message=message), status_code=413))
    return app
