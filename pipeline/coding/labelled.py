"""Reading a person's coding: gold, training and overrides files (JSONL or CSV).

Each row is {"id", "text", "labels": [...], "primary"?}; in a CSV the labels are separated by ";" (or "|").
Every error names the file, line and field.
"""
from __future__ import annotations

import json
import unicodedata
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
    """Labels as a list of code ids or labels: ["a", "b"], "a;b", or Plenary's own [{"code": "a"}, ...]."""
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

    Every label must name a codable code in `codebook`, by its id or its label; "none" or an empty list
    means the person left the statement uncoded on purpose. Labels that name no code are listed together
    in one InputError (with the line of each).
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
    unknown: dict[str, int] = {}  # label -> first line, so one message lists every unknown code
    unknown_key = None
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
            before = len(unknown)
            labels = list(dict.fromkeys(_resolve(codebook, l, unknown, line) for l in labels))
            if len(unknown) > before and unknown_key is None:
                unknown_key = key
            primary = _resolve(codebook, primary, unknown, line) if primary else None
            for label in labels:
                if label in codebook and not codebook[label].codable:
                    raise InputError(path, f"label '{label}' is a category, not a codable code", line, key)
        if primary is not None and primary not in labels and not unknown:
            raise InputError(path, f"primary '{primary}' is not among the row's labels", line, "primary")
        items.append(LabelledItem(id=item_id, text=body, labels=labels, primary=primary or
                                  (labels[0] if labels else None), line=line))
    if unknown:
        raise InputError(path, unknown_message(codebook, unknown, "line"), next(iter(unknown.values())),
                         unknown_key or "labels")
    if not items:
        raise InputError(path, f"{what} file has no rows")
    return items


def unknown_message(codebook: Codebook, unknown: dict[str, int], where: str = "line") -> str:
    """"label 'x' is not a code in the codebook (...)", or every unknown label with its line when several."""
    codes = ", ".join(c.id for c in codebook.codable)
    book = codebook.path or codebook.name
    if len(unknown) == 1:
        label = next(iter(unknown))
        return f"label '{label}' is not a code in the codebook ({book}; codes: {codes}; a label may name a code by id or label)"
    names = ", ".join(f"'{u}' ({where} {n})" for u, n in unknown.items())
    return f"{len(unknown)} labels are not codes in the codebook ({book}): {names}; codes: {codes}"


def _resolve(codebook: Codebook, label: str, unknown: dict[str, int], line: int) -> str:
    """The code id a label names: an id, or a code's label (case and accents as typed, NFC-normalised).
    An unknown label is noted in `unknown` and returned as given."""
    if label in codebook:
        return label
    by_label = _labels_index(codebook)
    key = unicodedata.normalize("NFC", label).strip().casefold()
    if key in by_label:
        return by_label[key]
    unknown.setdefault(label, line)
    return label


def _labels_index(codebook: Codebook) -> dict[str, str]:
    out: dict[str, str] = {}
    for code in codebook.codes:
        out.setdefault(unicodedata.normalize("NFC", code.id).casefold(), code.id)
    for code in codebook.codes:
        out.setdefault(unicodedata.normalize("NFC", code.label).strip().casefold(), code.id)
    return out




def resolve_labels(path: Path, codebook: Codebook, rows: list[tuple[int, list[str]]],
                   where: str = "line") -> list[list[str]]:
    """Each row's labels as code ids (a label may name a code by id or label); labels naming no code are
    listed together in one InputError ("'x' (selection 3)"). `rows`: (position, labels)."""
    unknown: dict[str, int] = {}
    out = [list(dict.fromkeys(_resolve(codebook, label, unknown, n) for label in labels)) for n, labels in rows]
    if unknown:
        raise InputError(path, unknown_message(codebook, unknown, where), field="labels")
    return out
