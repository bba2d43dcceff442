"""The access token: sign in."""
from __future__ import annotations

import hmac

from fastapi import Request

from ..security import AUTH_COOKIE, auth_cookie_value, checked_form

from .common import log, router, safe_next, web

@router.get("/login")
def login_page(request: Request, next: str = "/"):
    w = web(request)
    return w.render(request, "login.html", next=safe_next(next, "/"), failed=False)


@router.post("/login")
async def login(request: Request):
    w = web(request)
    form = await checked_form(request)
    target = safe_next(form.get("next"), "/")
    token = w.config.token
    if not token:
        return w.redirect(target)
    if not hmac.compare_digest(str(form.get("token") or ""), token):
        log.warning("failed sign-in from %s", request.client.host if request.client else "?")
        return w.render(request, "login.html", status_code=401, next=target, failed=True)
    response = w.redirect(target)
    response.set_cookie(AUTH_COOKIE, auth_cookie_value(w.secret, token), httponly=True, samesite="strict", path="/")
    return response
