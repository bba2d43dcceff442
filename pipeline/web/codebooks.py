"""Codebooks in the database, and their bridge to pipeline.codebook.

Codes live as rows so the codebook page can edit one at a time; before a run,
or after any edit, the rows are written out as YAML and checked by the same
parser the command line uses (parse_codebook), so the rules are in one place.
"""
from __future__ import annotations

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..codebook import LIST_KEYS, Codebook as PipelineCodebook, load_codebook, parse_codebook
from ..errors import InputError
from .models import Code, Codebook, utcnow

LIST_FIELDS = sorted(LIST_KEYS)  # counter_examples, examples, exclude, include, keywords
TEXT_FIELDS = ("label", "description", "heading", "parent", "color")


def codes_of(session: Session, codebook_id: int) -> list[Code]:
    return list(session.scalars(select(Code).where(Code.codebook_id == codebook_id).order_by(Code.position, Code.id)))


def code_dict(row: Code) -> dict:
    d: dict = {"id": row.code, "label": row.label, "description": row.description}
    for key in ("heading", "parent", "color", "threshold"):
        if getattr(row, key) not in (None, ""):
            d[key] = getattr(row, key)
    if not row.codable:
        d["codable"] = False
    for key in LIST_FIELDS:
        if getattr(row, key):
            d[key] = list(getattr(row, key))
    return d


def to_yaml(book: Codebook, rows: list[Code]) -> str:
    doc = PipelineCodebook(codes=[], name=book.name, version=book.version, description=book.description)
    data = doc.to_dict()
    data["codes"] = [code_dict(r) for r in rows]
    if book.sets:
        data["sets"] = list(book.sets)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def to_pipeline(book: Codebook, rows: list[Code]) -> tuple[PipelineCodebook, str]:
    """The rows as a checked pipeline Codebook, and the YAML it was parsed from."""
    text = to_yaml(book, rows)
    return parse_codebook(text, f"codebook '{book.name}'"), text


def field_message(exc: InputError) -> str:
    """An error about generated YAML: its line numbers mean nothing to the person, so name the field."""
    where = f"field '{exc.field}': " if exc.field else ""
    return f"{where}{exc.message}"


def _rows_from(book: PipelineCodebook, codebook_id: int) -> list[Code]:
    return [Code(codebook_id=codebook_id, position=i, code=c.id, label=c.label, description=c.description,
                 heading=c.heading if c.is_heading else "false", include=list(c.include), exclude=list(c.exclude), examples=list(c.examples),
                 counter_examples=list(c.counter_examples), keywords=list(c.keywords), parent=c.parent,
                 color=c.color, codable=c.codable, threshold=c.threshold)
            for i, c in enumerate(book.codes)]


def create_from(session: Session, project_id: int, book: PipelineCodebook, name: str | None = None) -> Codebook:
    row = Codebook(project_id=project_id, name=(name or book.name)[:200], version=book.version,
                   description=book.description, sets=[s.to_dict() for s in getattr(book, "sets", [])] or None)
    session.add(row)
    session.flush()
    session.add_all(_rows_from(book, row.id))
    session.flush()
    return row


def create_default(session: Session, project_id: int) -> Codebook:
    return create_from(session, project_id, load_codebook(None))


def import_yaml(session: Session, project_id: int, text: str, filename: str) -> Codebook:
    """A researcher's YAML codebook; errors name the file, line and field."""
    return create_from(session, project_id, parse_codebook(text, filename))


def replace_codes(session: Session, book: Codebook, new_rows: list[Code]) -> None:
    """Validate the whole codebook with `new_rows`, then store them (or raise InputError, storing nothing)."""
    to_pipeline(book, new_rows)
    for old in codes_of(session, book.id):
        session.delete(old)
    session.flush()
    for i, row in enumerate(new_rows):
        session.add(Code(codebook_id=book.id, position=i, **{k: getattr(row, k) for k in (
            "code", "label", "description", "heading", "include", "exclude", "examples", "counter_examples",
            "keywords", "parent", "color", "codable", "threshold")}))
    book.updated_at = utcnow()
    session.flush()


def code_from_form(form, base: Code | None = None) -> Code:
    """A detached Code row from the codebook page's form fields (lists one item per line)."""
    row = Code(codebook_id=base.codebook_id if base else 0, position=base.position if base else 0)

    def text(key: str) -> str | None:
        value = str(form.get(key) or "").strip()
        return value or None

    row.code = text("code") or ""
    row.label = text("label") or ""
    row.description = " ".join((text("description") or "").split())
    row.heading, row.parent, row.color = text("heading"), text("parent"), text("color")
    for key in LIST_FIELDS:
        raw = str(form.get(key) or "")
        items = [line.strip() for line in raw.splitlines() if line.strip()]
        if key == "keywords" and len(items) == 1 and "," in items[0]:
            items = [k.strip() for k in items[0].split(",") if k.strip()]
        setattr(row, key, items)
    row.codable = form.get("codable") in ("on", "true", "1", "yes")
    raw_threshold = text("threshold")
    if raw_threshold is None:
        row.threshold = None
    else:
        try:
            row.threshold = float(raw_threshold)
        except ValueError:
            raise InputError("codebook", f"must be a number, got '{raw_threshold}'", field="threshold") from None
    return row
