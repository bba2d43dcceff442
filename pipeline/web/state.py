"""The app's shared state: settings, database, background runs, templates, flash messages.

The page modules (`routes`) and the app factory (`app`) both import this; it imports neither.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .. import __version__
from .config import WebConfig
from .db import Database
from .jobs import STAGE_NAMES, RunManager, percent
from .pages import line_page
from .security import CSRF_FIELD, csrf_token, load_secret

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
                                csrf_field=CSRF_FIELD, static=self.static_url, line_page=line_page)
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
