"""Statement lists as JSON lines (.jsonl, .ndjson): one object per line, read like a survey table.

Each object's keys are columns: the text column (named "text", "response", ...
or given with --text-column) holds the statement; "id", "event", "section" and
"question" keep their meaning; other keys become attributes.
"""
from __future__ import annotations

from pathlib import Path

from ...files import jsonl_rows
from ...records import IngestReport
from ..sniff import read_text
from .registry import Read, register
from ...errors import InputError
from .tables import TEXT_COLUMN_NAMES, cell_text, table_segments


def jsonl_table(path: Path, text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header: every key seen, in order of first use; rows: (line number, key -> cell text))."""
    header: dict[str, None] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    for number, row in jsonl_rows(path, text):
        header.update(dict.fromkeys(map(str, row)))
        rows.append((number, {str(k): cell_text(v) for k, v in row.items()}))
    return list(header), rows


def check_text_values(path: Path, text: str, text_column) -> None:
    """A statement's text must be a string: a number, list or object in the text field is refused, naming
    the line (it used to be turned silently into text such as '[1, 2]')."""
    wanted = [text_column] if isinstance(text_column, str) else list(text_column or [])
    names = [n.lower() for n in wanted] or list(TEXT_COLUMN_NAMES)
    for number, row in jsonl_rows(path, text):
        keys = {str(k).lower(): k for k in row}
        field = next((keys[n] for n in names if n in keys), None)
        value = row.get(field) if field is not None else None
        if value is not None and not isinstance(value, str):
            kind = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
                type(value), type(value).__name__)
            raise InputError(path, f'"{field}" is {kind} ({str(value)[:40]}), not text; give each statement as '
                                   f'a string: {{"id": ..., "{field}": "..."}}', number, str(field))


def read_jsonl(path: Path, event: str, text_column, report: IngestReport) -> Read:
    text, report.encoding = read_text(path, max_bytes=1 << 62)
    check_text_values(path, text, text_column)
    header, rows = jsonl_table(path, text)
    return Read(table_segments(path, header, rows, event, text_column, report, "jsonl"))


register((".jsonl", ".ndjson"), read_jsonl, "jsonl", "text")
