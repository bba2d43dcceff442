"""Reading a person's coding: gold, training and overrides files (JSONL or CSV).

Each row is {"id", "text", "labels": [...], "primary"?}; in a CSV the labels are separated by ";" (or "|").
Every error names the file, line and field.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..codebook import Codebook
from ..errors import InputError
from ..files import jsonl_rows
from ..ingest import csv_table, read_text
from ..records import IngestReport
from .base import NO_CODE, LabelledItem

LABEL_SEPARATORS = (";", "|")


# --------------------------------------------------------------------------- reading labelled files
def jsonl_objects(path: Path, text: str):
    """(line number, object) for each non-blank line, values kept as JSON gave them (lists stay lists)."""
    return jsonl_rows(path, text, shape='{"id": ..., "labels": [...]}')


def _csv_objects(path: Path, text: str):
    _, rows = csv_table(path, text, IngestReport(source=path.name, event=""))
    return rows


def _labels_of(path: Path, line: int, value: Any, key: str) -> list[str]:
    """Labels as a list of code ids: ["a", "b"], "a;b", or Plenary's own [{"code": "a"}, ...]."""
    if value is None:
        # an unfilled template row (see suggest's to-code.jsonl), not a decision that nothing applies
        raise InputError(path, f"'{key}' is empty (null): fill in the codes, or [] if none applies", line, key)
    if isinstance(value, str):
        for sep in LABEL_SEPARATORS:
            if sep in value:
                return [v.strip() for v in value.split(sep) if v.strip()]
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, dict) and "code" in v:
                v = v["code"]
            if not isinstance(v, str):
                raise InputError(path, f"each label must be a code id (a string), got {json.dumps(v)}", line, key)
            if v.strip():
                out.append(v.strip())
        return out
    raise InputError(path, f"'{key}' must be a list of code ids, got {json.dumps(value)}", line, key)


def read_labelled(path: str | Path, codebook: Codebook | None = None, what: str = "gold",
                  need_text: bool = False) -> list[LabelledItem]:
    """A person's coding: JSONL or CSV rows with id, text and labels (or codes).

    Every label must be a codable code in `codebook`; "none" or an empty list
    means the person left the statement uncoded on purpose.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, f"{what} file not found")
    if path.is_dir():
        raise InputError(path, f"expected a {what} file, got a folder")
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".ndjson", ".csv"):
        raise InputError(path, f"{what} file must be .jsonl or .csv, not '{suffix or '(none)'}'")
    if not path.read_bytes().strip():
        raise InputError(path, f"{what} file is empty")
    text, _ = read_text(path)
    rows = jsonl_objects(path, text) if suffix != ".csv" else _csv_objects(path, text)
    items: list[LabelledItem] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        key = "labels" if "labels" in row else "codes" if "codes" in row else None
        if row.get("id") in (None, ""):
            raise InputError(path, "row has no 'id'", line, "id")
        item_id = str(row["id"]).strip()
        if item_id in seen:
            raise InputError(path, f"id '{item_id}' also used on line {seen[item_id]}", line, "id")
        seen[item_id] = line
        if key is None:
            raise InputError(path, "row has no 'labels' (use [] for a statement you left uncoded)", line, "labels")
        labels = [l for l in _labels_of(path, line, row[key], key) if l.lower() != NO_CODE]
        labels = list(dict.fromkeys(labels))
        primary = row.get("primary")
        primary = str(primary).strip() if primary not in (None, "") else None
        if primary is not None and primary.lower() == NO_CODE:
            primary = None
        text_value = row.get("text")
        body = str(text_value).strip() if text_value not in (None, "") else ""
        if need_text and not body:
            raise InputError(path, f"row '{item_id}' has no text to code", line, "text")
        if codebook is not None:
            for label in labels + ([primary] if primary else []):
                if label not in codebook:
                    near = ", ".join(c.id for c in codebook.codable)
                    raise InputError(path, f"label '{label}' is not a code in the codebook "
                                           f"({codebook.path or codebook.name}; codes: {near})", line, key)
                if not codebook[label].codable:
                    raise InputError(path, f"label '{label}' is a category, not a codable code", line, key)
        if primary is not None and primary not in labels:
            raise InputError(path, f"primary '{primary}' is not among the row's labels", line, "primary")
        items.append(LabelledItem(id=item_id, text=body, labels=labels, primary=primary or
                                  (labels[0] if labels else None), line=line))
    if not items:
        raise InputError(path, f"{what} file has no rows")
    return items


