"""What every page module shares: the router, the app state, lookups and form checks.

Every form that changes something is a POST carrying the CSRF token
(security.checked_form) and answers with a redirect, so reloading a page
never repeats an action.
"""
from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request
from starlette.exceptions import HTTPException

from ...errors import InputError
from ..state import WebState


log = logging.getLogger("plenary.web")
MAX_ID = 2 ** 63 - 1  # SQLite's largest integer: a bigger number cannot name a row
ID_QUERY = ("run", "cb", "edit", "page")  # query parameters that are row numbers or page numbers


def ids_in_range(request: Request) -> None:
    """Answer 404 for a path or query number no row can have, before SQLite overflows on it (a 500)."""
    values = [*request.path_params.values(), *(request.query_params.get(k) for k in ID_QUERY)]
    for value in values:
        text = str(value or "").strip()
        if text.isdigit() and int(text) > MAX_ID:
            raise HTTPException(404, "There is no such page. The number in the address is too large to be right.")


router = APIRouter(dependencies=[Depends(ids_in_range)])
TEXT_VIEW_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".csv", ".jsonl", ".ndjson"}
MAX_NAME = 200


def web(request: Request) -> WebState:
    return request.app.state.web


def form_id(value, what: str) -> int | None:
    """A row number sent in a form: None when empty; 400 when it is not a number a row can have."""
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) <= MAX_ID:
        raise HTTPException(400, f"The {what} sent with this form is not valid: expected the number of one, "
                                 f"got “{text[:40]}”.")
    return int(text)


def form_ids(values, what: str) -> list[int]:
    """Several row numbers from a form (ticked boxes); any that is not one is a 400."""
    return [i for i in (form_id(v, what) for v in values) if i is not None]


def get_or_404(session, model, id_: int):
    if not isinstance(id_, int) or not 0 < id_ <= MAX_ID:
        raise HTTPException(404, f"There is no such {model.__name__.lower()}. It may have been deleted.")
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
