"""Survey exports: CSV, TSV and XLSX (JSONL in `jsonl`), one statement per free-text cell.

A survey export has one row per respondent and one column per question. Each
chosen free-text column is a question and each non-empty cell in it a
statement; the other columns (respondent id, area, age band, organisation)
become the statement's attributes, for comparing groups later. Columns are
chosen with --text-column, or automatically: the columns whose answers are
free text (several words on average, and mostly different from each other,
unlike a tick-box answer). Columns that hold personal details (name, email,
phone, address) are never kept as attributes while redaction is on.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import statistics
from pathlib import Path
from typing import Iterable, Sequence

from ... import text as T
from ...errors import InputError
from ...files import slug
from ...records import DroppedLine, IngestReport, Segment
from ..sniff import read_text
from .registry import Read, register

TEXT_COLUMN_NAMES = ("text", "response", "comment", "comments", "answer", "statement", "note", "notes")

RESERVED = {"id", "event", "section", "question"}  # metadata columns with a meaning of their own
PERSONAL_COLUMN_RE = re.compile(
    r"\b(names?|first ?name|surname|full ?name|e-?mail( address)?|phone|telephone|mobile|tel|address|post ?code|"
    r"ip address|date of birth|dob|ni number|national insurance)\b", re.I)
NOT_PERSONAL_RE = re.compile(r"organi[sz]ation|group|company|charity|team|event|project|area|ward|school|service|"
                             r"venue|street|place|site", re.I)
NO_ANSWER_RE = re.compile(r"^\s*(n/?a|none|nothing|no comment|no comments|nil|-+|\.+|\?+|no|yes|ok|x)\s*\.?\s*$", re.I)
MIN_FREE_TEXT_WORDS = 4.0  # a column's mean words per answer, to count as free text


def personal_column(name: str) -> bool:
    """A column whose values identify a person (kept out of attributes while redaction is on)."""
    return bool(PERSONAL_COLUMN_RE.search(name)) and not NOT_PERSONAL_RE.search(name)


def cell_text(value) -> str:
    """A spreadsheet value as the text a person would read in the cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("\r\n", "\n").strip()


def _unique_header(path: Path, header: Sequence[object], report: IngestReport) -> list[str]:
    out: list[str] = []
    for j, raw in enumerate(header, start=1):
        name = T.normalise_space(cell_text(raw)) or f"column {j}"
        if name in out:
            report.notes.append(f"column {j} repeats the header '{name}'; called it '{name} ({j})'")
            name = f"{name} ({j})"
        out.append(name)
    return out


def column_profile(values: Iterable[str]) -> dict[str, float]:
    """How much a column looks like free text: answers filled, mean words, share of distinct answers."""
    filled = [v for v in values if v.strip() and not NO_ANSWER_RE.match(v)]
    if not filled:
        return {"filled": 0, "mean_words": 0.0, "distinct": 0.0}
    words = [T.word_count(v) for v in filled]
    return {"filled": len(filled), "mean_words": round(statistics.fmean(words), 1),
            "distinct": round(len(set(filled)) / len(filled), 2)}


def is_free_text(profile: dict[str, float]) -> bool:
    # a tick-box answer ("Neither agree nor disagree") is long but repeats; free text rarely does
    return profile["filled"] > 0 and profile["mean_words"] >= MIN_FREE_TEXT_WORDS and \
        (profile["distinct"] >= 0.6 or profile["filled"] < 4)


def pick_columns(path: Path, header: list[str], rows: list[tuple[int, dict[str, str]]],
                 text_column: str | Sequence[str] | None, fmt: str) -> tuple[list[str], str]:
    """The free-text columns to read, and a sentence saying how they were chosen."""
    if text_column:
        wanted = [text_column] if isinstance(text_column, str) else list(text_column)
        lowered = {h.lower().strip(): h for h in header}
        chosen = []
        for name in wanted:
            match = name if name in header else lowered.get(name.lower().strip())
            if match is None:
                raise InputError(path, f"no column named '{name}' (columns: {', '.join(header)})", 1, name)
            chosen.append(match)
        return chosen, "as given with --text-column"
    lowered = {h.lower().strip(): h for h in header}
    named = next((lowered[n] for n in TEXT_COLUMN_NAMES if n in lowered), None)
    if named is not None and (fmt == "jsonl" or named.lower() == "text"):
        return [named], f"the column named '{named}'"
    profiles = {h: column_profile(row.get(h, "") for _, row in rows) for h in header}
    candidates = [h for h in header if h.lower() not in RESERVED and not personal_column(h)]
    chosen = [h for h in candidates if is_free_text(profiles[h])]
    if chosen:
        words = ", ".join(f"{profiles[h]['mean_words']:g}" for h in chosen)
        return chosen, f"picked automatically as free text ({words} words per answer on average)"
    if named is not None:
        return [named], f"the column named '{named}'"
    raise InputError(path, f"no text column: no column holds free-text answers ({MIN_FREE_TEXT_WORDS:g}+ words "
                           f"that differ from row to row); columns: {', '.join(header) or '(none)'}; "
                           "name the one to read with --text-column", 1, "text")


def table_segments(path: Path, header: list[str], rows: list[tuple[int, dict[str, str]]], event: str,
                   text_column: str | Sequence[str] | None, report: IngestReport, fmt: str,
                   doc: str | None = None, section: list[str] | None = None) -> list[Segment]:
    """Segments from rows of one table: one per non-empty cell of each chosen column."""
    doc = doc or slug(path.name)
    if not rows:
        raise InputError(path, "has a header but no rows" if header else "has no rows")
    columns, how = pick_columns(path, header, rows, text_column, fmt)
    single = len(columns) == 1
    withheld = [h for h in header if h not in columns and personal_column(h)]
    attr_columns = [h for h in header if h not in columns and h not in withheld and
                    not (single and h == "id")]
    where = f"{section[0]}: " if section else ""
    report.notes.append(f"{where}text column{'s' if not single else ''} "
                        f"{', '.join(repr(c) for c in columns)} ({how})")
    if attr_columns:
        report.notes.append(f"{where}other columns kept as attributes: {', '.join(attr_columns)}")
    if withheld:
        report.notes.append(f"{where}columns left out as personal data: {', '.join(withheld)}")
    for c in columns:
        if c.lower() not in TEXT_COLUMN_NAMES and c not in report.questions:
            report.questions.append(c)
    segments: list[Segment] = []
    seen_ids: dict[str, int] = {}
    for line, row in rows:
        attrs = {h: row[h] for h in attr_columns if row.get(h, "").strip()}
        row_event = attrs.pop("event", None) or event
        row_section = list(section or []) + ([attrs.pop("section")] if attrs.get("section") else [])
        row_question = attrs.pop("question", None)
        for c in columns:
            body = T.normalise_space(row.get(c, ""))
            if not body:
                report.dropped.append(DroppedLine(line, "empty", f"{c}: (no answer)"))
                continue
            if NO_ANSWER_RE.match(body):
                report.dropped.append(DroppedLine(line, "no_answer", f"{c}: {body}"))
                continue
            if single and row.get("id", "").strip():
                sid = row["id"].strip()
            else:
                sid = f"{doc}:{line}" if single else f"{doc}:{line}.{header.index(c) + 1}"
            if sid in seen_ids:
                raise InputError(path, f"id '{sid}' also used on line {seen_ids[sid]}", line, "id")
            seen_ids[sid] = line
            question = row_question or (c if c.lower() not in TEXT_COLUMN_NAMES else None)
            segments.append(Segment(id=sid, text=body, source=path.name, line_start=line, line_end=line,
                                    event=row_event, section=row_section, question=question, kind="response",
                                    attributes=dict(attrs)))
    report.lines["read"] = report.lines.get("read", 0) + len(rows)
    return segments


# --------------------------------------------------------------------------- row sources
def _delimiter(path: Path, first_line: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_table(path: Path, text: str, report: IngestReport) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    delimiter = _delimiter(path, text.split("\n", 1)[0])
    if delimiter != ",":
        report.notes.append(f"delimiter: {'tab' if delimiter == chr(9) else repr(delimiter)}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _unique_header(path, [h.strip() for h in next(reader)], report)
    except StopIteration:
        raise InputError(path, "file is empty") from None
    except csv.Error as exc:
        raise InputError(path, f"is not valid CSV ({exc})", 1) from None
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            number, start = start, reader.line_num + 1  # a quoted cell may span lines: cite the first
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
                raise InputError(path, f"row has {len(row)} cells but the header has {len(header)} "
                                       "(a ragged row: is a comma missing its quotes?)", number)
            rows.append((number, dict(zip(header, [c.strip() for c in row] + [""] * (len(header) - len(row))))))
    except csv.Error as exc:
        raise InputError(path, f"is not valid CSV ({exc})", reader.line_num) from None
    return header, rows


def xlsx_tables(path: Path, report: IngestReport):
    """(sheet name, header, rows) for each visible sheet with data; rows are numbered as in the sheet."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, EOFError) as exc:
        raise InputError(path, f"is not a readable Excel workbook ({type(exc).__name__}: {exc}); "
                               "open it and save it again as .xlsx") from None
    except Exception as exc:  # zipfile.BadZipFile and parser errors from a damaged workbook
        raise InputError(path, f"is damaged and cannot be read ({type(exc).__name__}); "
                               "open it and save it again as .xlsx") from None
    try:
        for ws in book.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                report.notes.append(f"sheet '{ws.title}' is hidden: skipped")
                continue
            header: list[str] | None = None
            rows: list[tuple[int, dict[str, str]]] = []
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                if not any(cells):
                    continue
                if header is None:
                    header = _unique_header(path, cells, report)
                    continue
                if len(cells) > len(header) and any(cells[len(header):]):
                    header += [f"column {j}" for j in range(len(header) + 1, len(cells) + 1)]
                rows.append((number, dict(zip(header, cells + [""] * (len(header) - len(cells))))))
            if header is not None:
                yield ws.title, header, rows
    finally:
        book.close()


# --------------------------------------------------------------------------- readers
def read_csv(path: Path, event: str, text_column, report: IngestReport) -> Read:
    text, report.encoding = read_text(path, max_bytes=1 << 62)
    header, rows = csv_table(path, text, report)
    return Read(table_segments(path, header, rows, event, text_column, report, "csv"))


def read_xlsx(path: Path, event: str, text_column, report: IngestReport) -> Read:
    sheets = list(xlsx_tables(path, report))
    if not sheets:
        raise InputError(path, "workbook has no sheet with data")
    doc = slug(path.name)
    segments: list[Segment] = []
    errors: list[InputError] = []
    for title, header, rows in sheets:
        several = len(sheets) > 1
        try:
            segments += table_segments(path, header, rows, event, text_column, report, "xlsx",
                                       doc=f"{doc}-{slug(title)}" if several else doc,
                                       section=[title] if several else None)
        except InputError as exc:
            if not several:
                raise
            errors.append(exc)
            report.notes.append(f"sheet '{title}' skipped: {exc.message}")
    if not segments and errors:
        raise InputError(path, f"no sheet has a free-text column ({'; '.join(e.message for e in errors)})")
    return Read(segments)


register((".csv", ".tsv"), read_csv, "csv", "text")
register((".xlsx", ".xlsm"), read_xlsx, "xlsx", "xlsx")
