"""What every page module shares: the router, the app state, lookups and form checks.

Every form that changes something is a POST carrying the CSRF token
(security.checked_form) and answers with a redirect, so reloading a page
never repeats an action.
"""
from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException

from ...errors import InputError
from ..state import WebState


log = logging.getLogger("plenary.web")
router = APIRouter()
TEXT_VIEW_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".csv", ".jsonl", ".ndjson"}
MAX_NAME = 200


def web(request: Request) -> WebState:
    return request.app.state.web


def get_or_404(session, model, id_: int):
    row = session.get(model, id_)
    if row is None:
        raise HTTPException(404, f"There is no such {model.__name__.lower()}. It may have been deleted.")
    return row


def clean_name(value, what: str) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise InputError(what, "a name is needed")
    if len(name) > MAX_NAME:
        raise InputError(what, f"a name can be at most {MAX_NAME} characters long")
    return name


def safe_next(value, fallback: str) -> str:
    """Only same-site paths, so a form cannot bounce the browser to another site."""
    value = str(value or "")
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else fallback


def _short(value, limit: int) -> str | None:
    """A form value with its white space collapsed, cut to `limit` characters; None when empty."""
    text = " ".join(str(value or "").split())
    return text[:limit] or None
