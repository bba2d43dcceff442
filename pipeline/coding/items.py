"""Items to code, one per input row: what `plenary code` reads, so that every item gets one output line.

Ingest reads notes for analysis and leaves out empty cells and placeholders; coding a list of answers must
not: a survey export of 3,000 answers comes back as 3,000 lines, in input order, each placeholder ("No",
"N/A", "-", "", "👍") kept and marked as a non-answer (`text.is_non_answer`).

`read_items(path, text_column=None, redact=True) -> list[Segment]`:
- JSONL (.jsonl, .ndjson): one item per line (blank lines are not items); the text column is "text" (or
  another usual name, or `text_column`); a missing or null text is an empty item;
- CSV/TSV/XLSX: one item per row of the text column (per row and column when several are named);
- any other file (notes, .docx, .pdf): the statements ingest finds.
Item ids: the row's "id" when there is one, else "<file>:<line>". A repeated id is an InputError naming both
lines. Personal details are replaced as ingest does (names learned from the whole file).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Sequence

from .. import text as T
from ..errors import InputError
from ..files import jsonl_rows, slug
from ..ingest import ingest_file
from ..ingest.readers.tables import TEXT_COLUMN_NAMES, cell_text, csv_table, xlsx_tables
from ..ingest.redact import Redactor
from ..ingest.sniff import check_size, read_text
from ..records import IngestReport, Segment

TABLE_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".tsv", ".xlsx"}


def _text_columns(path: Path, header: Sequence[str], text_column: str | Sequence[str] | None) -> list[str]:
    lowered = {h.lower().strip(): h for h in header}
    if text_column:
        wanted = [text_column] if isinstance(text_column, str) else list(text_column)
        missing = [w for w in wanted if w not in header and w.lower().strip() not in lowered]
        if missing:
            raise InputError(path, f"no column named '{missing[0]}' (columns: {', '.join(header)})", 1, missing[0])
        return [w if w in header else lowered[w.lower().strip()] for w in wanted]
    named = next((lowered[n] for n in TEXT_COLUMN_NAMES if n in lowered), None)
    if named is None:
        raise InputError(path, f"no text column (columns: {', '.join(header) or '(none)'}); "
                               "name it with --text-column", 1, "text")
    return [named]


def _rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    suffix = path.suffix.lower()
    report = IngestReport(source=path.name, event=slug(path.name))
    if suffix == ".xlsx":
        tables = list(xlsx_tables(path, report))
        if not tables:
            raise InputError(path, "has no sheet with data")
        _, header, rows = tables[0]
        return header, rows
    text, _ = read_text(path)
    if suffix in (".jsonl", ".ndjson"):
        header: dict[str, None] = {}
        rows = []
        for number, row in jsonl_rows(path, text):
            header.update(dict.fromkeys(map(str, row)))
            rows.append((number, {str(k): cell_text(v) if v is not None else "" for k, v in row.items()}))
        return list(header), rows
    return csv_table(path, text, report)


def read_items(path: str | Path, text_column: str | Sequence[str] | None = None, redact: bool = True) -> list[Segment]:
    """Every item of `path` as a Segment (kind "response"), in input order; see the module docstring.
    Raises InputError (file, line, field) for an unreadable file, a missing text column or a repeated id."""
    path = Path(path)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        return ingest_file(path, text_column=text_column, redact=redact)[0]
    check_size(path)
    header, rows = _rows(path)
    if not rows:
        raise InputError(path, "has no items")
    columns = _text_columns(path, header, text_column)
    doc = slug(path.name)
    seen: dict[str, int] = {}
    items: list[Segment] = []
    for line, row in rows:
        for c in columns:
            given = row.get("id", "").strip() if len(columns) == 1 else ""
            sid = given or (f"{doc}:{line}" if len(columns) == 1 else f"{doc}:{line}.{header.index(c) + 1}")
            if sid in seen:
                raise InputError(path, f"id '{sid}' also used on line {seen[sid]}", line, "id")
            seen[sid] = line
            items.append(Segment(id=sid, text=row.get(c, ""), source=path.name, line_start=line, line_end=line,
                                 event=doc, question=c if c.lower() not in TEXT_COLUMN_NAMES else None,
                                 kind="response"))
    if redact:
        redactor = Redactor().fit([s.text for s in items])
        items = [replace(s, text=redactor.redact(s.text)[0]) for s in items]
    return items


def non_answers(segments: Sequence[Segment]) -> list[bool]:
    """Per segment, whether it is a non-answer (`text.is_non_answer`)."""
    return [T.is_non_answer(s.text) for s in segments]
