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
from .tables import cell_text, table_segments


def jsonl_table(path: Path, text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header: every key seen, in order of first use; rows: (line number, key -> cell text))."""
    header: dict[str, None] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    for number, row in jsonl_rows(path, text):
        header.update(dict.fromkeys(map(str, row)))
        rows.append((number, {str(k): cell_text(v) for k, v in row.items()}))
    return list(header), rows


def read_jsonl(path: Path, event: str, text_column, report: IngestReport) -> Read:
    text, report.encoding = read_text(path, max_bytes=1 << 62)
    header, rows = jsonl_table(path, text)
    return Read(table_segments(path, header, rows, event, text_column, report, "jsonl"))


register((".jsonl", ".ndjson"), read_jsonl, "jsonl", "text")
