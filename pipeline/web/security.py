"""Small, explicit protections: access token, CSRF tokens, body size limit, security headers.

- Access token: when set, a request must carry it, as the cookie /login sets
  (an HMAC of the token, never the token itself) or as `Authorization: Bearer`.
- CSRF: a random per-browser token in a SameSite=Strict cookie, repeated in
  every form (double submit); a POST whose form field or X-CSRF-Token header
  does not match is refused, and so is one whose Origin is another site.
- Size: an upload request larger than the configured limit is cut off while
  it streams in, before it fills the disk.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import format_mb

CSRF_COOKIE = "plenary_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
AUTH_COOKIE = "plenary_auth"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
OPEN_PATHS = ("/static/", "/login", "/healthz")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff", "x-frame-options": "DENY",
                    "referrer-policy": "same-origin"}


def add_security_headers(response, path: str = "") -> None:
    """Set the security headers a response does not set itself (a page may widen its own CSP)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not path.startswith("/static/"):
        response.headers.setdefault("cache-control", "no-store")


class SecurityHeadersMiddleware:
    """Put the security headers on every answer, including those that middleware sends (400, 413, 429).

    The 500 page is sent outside all middleware, so its handler adds them itself (add_security_headers).
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def send_with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers") or [])
                have = {k.lower() for k, _ in headers}
                wanted = dict(SECURITY_HEADERS)
                if not path.startswith("/static/"):
                    wanted["cache-control"] = "no-store"
                headers += [(k.encode(), v.encode()) for k, v in wanted.items() if k.encode() not in have]
                msg = {**msg, "headers": headers}
            await send(msg)

        await self.app(scope, receive, send_with_headers)


def load_secret(data_dir: Path) -> bytes:
    """A per-installation secret, made once and readable only by its owner."""
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def auth_cookie_value(secret: bytes, token: str) -> str:
    return hmac.new(secret, token.encode("utf-8"), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The browser's CSRF token, made (and set as a cookie on the response) on its first visit."""
    token = getattr(request.state, "csrf", None)
    if token is None:
        token = request.cookies.get(CSRF_COOKIE) or ""
        if len(token) != 43:  # token_urlsafe(32) is 43 characters
            token = secrets.token_urlsafe(32)
            request.state.new_csrf = token
        request.state.csrf = token
    return token


def check_origin(request: Request) -> None:
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return  # older browsers and non-browser clients; the token still has to match
    if urlsplit(origin).netloc != request.headers.get("host", ""):
        raise HTTPException(403, "This form was sent from another site, so it was refused.")


async def checked_form(request: Request, max_files: int = 1000) -> FormData:
    """Parse a POST form and check its CSRF token; raise 403 if it does not match the cookie."""
    check_origin(request)
    form = await request.form(max_files=max_files, max_fields=2000)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = str(form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or "")
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        await form.close()
        raise HTTPException(403, "This form has expired or did not come from this app. "
                                 "Go back, reload the page and try again.")
    return form


def is_authorised(request: Request, secret: bytes, token: str) -> bool:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer ") and hmac.compare_digest(header[7:].strip(), token):
        return True
    cookie = request.cookies.get(AUTH_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie, auth_cookie_value(secret, token))


class BodyLimitMiddleware:
    """Refuse request bodies over `limit` bytes, by their declared length or while they stream in.

    The rest of the body is read and dropped (up to `drain` bytes) before the
    answer is sent, so the browser shows the friendly page rather than a reset
    connection.
    """

    def __init__(self, app: ASGIApp, limit: int, respond, drain: int = 512 * 1024 * 1024):
        self.app = app
        self.limit = limit
        self.respond = respond  # (message) -> Response
        self.drain = drain

    def message(self) -> str:
        return (f"That upload is too large: at most {format_mb(self.limit)} can be sent at once. "
                "Upload fewer or smaller files.")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send, 0, True)
            return
        seen = 0
        more = True
        started = False

        async def limited_receive() -> Message:
            nonlocal seen, more
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                more = msg.get("more_body", False)
                if seen > self.limit:
                    raise _TooLarge()
            return msg

        async def tracking_send(msg: Message) -> None:
            nonlocal started
            started = started or msg["type"] == "http.response.start"
            await send(msg)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send, seen, more)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, seen: int, more: bool) -> None:
        while more and seen <= self.drain:
            msg = await receive()
            if msg["type"] != "http.request":
                break
            seen += len(msg.get("body", b""))
            more = msg.get("more_body", False)
        response = self.respond(self.message())
        response.headers["connection"] = "close"
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass
