"""A per-client limit on sign-in attempts, so the access token cannot be guessed at speed.

Counts are kept in this process's memory by the `limits` library (a moving window, no extra service):
a restart forgets them, which is fine for a server one team runs. Clients are told apart by their
address as the connection shows it (no proxy headers are trusted).
"""
from __future__ import annotations

import math
import time
from typing import Callable

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

LOGIN_PATH = "/login"
LOGIN_RATE = "10/minute"  # a person mistyping never meets it; a script guessing tokens gets 10 tries a minute


class LoginRateLimitMiddleware:
    """Answer 429 (with Retry-After) to a client's sign-in attempts beyond `rate` (e.g. "10/minute").

    `respond(message, status)` makes the answer, so it looks like the app's other bare error pages.
    """

    def __init__(self, app: ASGIApp, respond: Callable[[str, int], Response], rate: str = LOGIN_RATE):
        self.app = app
        self.respond = respond
        self.item = parse(rate)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path") != LOGIN_PATH:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        if self.limiter.hit(self.item, "login", client):
            await self.app(scope, receive, send)
            return
        reset = self.limiter.get_window_stats(self.item, "login", client).reset_time
        wait = max(1, math.ceil(reset - time.time()))
        response = self.respond(f"Too many sign-in attempts from this computer. Wait {wait} seconds, then try "
                                "again with the access token whoever runs this server gave you.", 429)
        response.headers["Retry-After"] = str(wait)
        await response(scope, receive, send)
