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
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Sequence

from ... import text as T
from ...errors import InputError
from ...files import slug
from ...records import DroppedLine, IngestReport, Segment
from ...text import is_non_answer
from ..sniff import read_text
from .registry import Read, register
from .surveys import Layout, literal_formula_value, personal_header, survey_layout, table_end

TEXT_COLUMN_NAMES = ("text", "response", "comment", "comments", "answer", "statement", "note", "notes")

RESERVED = {"id", "event", "section", "question"}  # metadata columns with a meaning of their own
PERSONAL_COLUMN_RE = re.compile(
    r"\b(names?|first ?name|surname|full ?name|e-?mail( address)?|phone|telephone|mobile|tel|address|post ?code|"
    r"ip address|date of birth|dob|ni number|national insurance)\b", re.I)
NOT_PERSONAL_RE = re.compile(r"organi[sz]ation|group|company|charity|team|event|project|area|ward|school|service|"
                             r"venue|street|place|site", re.I)
MIN_FREE_TEXT_WORDS = 4.0  # a column's mean words per answer, to count as free text
# answers this long on average are free text even when most repeat (a campaign's template text): tick-box
# options rarely run to eight words
LONG_ANSWER_WORDS = 8.0
CAMPAIGN_MIN_COPIES = 3  # the same answer from this many respondents is flagged as a campaign (template) text


def personal_column(name: str) -> bool:
    """A column whose values identify a person: never copied into outputs (`surveys.personal_header`)."""
    return personal_header(name) or bool(PERSONAL_COLUMN_RE.search(name)) and not NOT_PERSONAL_RE.search(name)


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
    answers = [v for v in values if v.strip() and not is_non_answer(v)]  # real answers only
    if not answers:
        return {"filled": 0, "mean_words": 0.0, "distinct": 0.0}
    words = [T.word_count(v) for v in answers]
    return {"filled": len(answers), "mean_words": round(statistics.fmean(words), 1),
            "distinct": round(len(set(answers)) / len(answers), 2)}


def is_free_text(profile: dict[str, float]) -> bool:
    # a tick-box answer ("Neither agree nor disagree") is long but repeats; free text rarely does, unless it is
    # a campaign's template text, which is long
    return profile["filled"] > 0 and profile["mean_words"] >= MIN_FREE_TEXT_WORDS and \
        (profile["distinct"] >= 0.6 or profile["filled"] < 4 or profile["mean_words"] >= LONG_ANSWER_WORDS)


def pick_columns(path: Path, header: list[str], rows: list[tuple[int, dict[str, str]]],
                 text_column: str | Sequence[str] | None, fmt: str,
                 skip: Sequence[str] = ()) -> tuple[list[str], str, list[str]]:
    """The free-text columns to read, a sentence saying how they were chosen, and a note for each column with
    real answers that was not read (so no question is left out silently). `skip`: metadata/personal columns."""
    if text_column:
        wanted = [text_column] if isinstance(text_column, str) else list(text_column)
        lowered = {h.lower().strip(): h for h in header}
        chosen = []
        for name in wanted:
            match = name if name in header else lowered.get(name.lower().strip())
            if match is None:
                raise InputError(path, f"no column named '{name}' (columns: {', '.join(header)})", 1, name)
            chosen.append(match)
        return chosen, "as given with --text-column", _skipped(header, rows, chosen, skip)
    lowered = {h.lower().strip(): h for h in header}
    named = next((lowered[n] for n in TEXT_COLUMN_NAMES if n in lowered), None)
    if named is not None and (fmt == "jsonl" or named.lower() == "text"):
        return [named], f"the column named '{named}'", _skipped(header, rows, [named], skip)
    profiles = {h: column_profile(row.get(h, "") for _, row in rows) for h in header}
    candidates = [h for h in header if h.lower() not in RESERVED and not personal_column(h) and h not in skip]
    chosen = [h for h in candidates if is_free_text(profiles[h])]
    if chosen:
        words = ", ".join(f"{profiles[h]['mean_words']:g}" for h in chosen)
        return chosen, f"picked automatically as free text ({words} words per answer on average)", \
            _skipped(header, rows, chosen, skip)
    if named is not None:
        return [named], f"the column named '{named}'", _skipped(header, rows, [named], skip)
    raise InputError(path, f"no text column: no column holds free-text answers ({MIN_FREE_TEXT_WORDS:g}+ words "
                           f"that differ from row to row); columns: {', '.join(header) or '(none)'}; "
                           "name the one to read with --text-column", 1, "text")


def _skipped(header, rows, chosen, skip) -> list[str]:
    """Notes for the columns not read that hold answers of several words (a question someone may want)."""
    out = []
    for h in header:
        if h in chosen or h in skip or personal_column(h) or h.lower() in RESERVED:
            continue
        p = column_profile(row.get(h, "") for _, row in rows)
        if p["filled"] and p["mean_words"] >= 3:
            out.append(f"column '{h}' not analysed: {p['filled']:g} answers ({p['mean_words']:g} words on average, "
                       f"{p['distinct']:.0%} different); read it with --text-column \"{h}\"")
    return out


def table_segments(path: Path, header: list[str], rows: list[tuple[int, dict[str, str]]], event: str,
                   text_column: str | Sequence[str] | None, report: IngestReport, fmt: str,
                   doc: str | None = None, section: list[str] | None = None,
                   layout: Layout | None = None) -> list[Segment]:
    """Segments from rows of one table: one per non-empty cell of each chosen column. Non-answers ("N/A",
    "Don't know") are kept (ingest marks them); tool metadata and personal columns are never copied."""
    doc = doc or slug(path.name)
    if not rows:
        raise InputError(path, "has a header but no rows" if header else "has no rows")
    metadata = [header[i] for i in (layout.metadata if layout else []) if i < len(header)]
    personal = {header[i] for i in (layout.personal if layout else []) if i < len(header)}
    id_name = header[layout.id_column] if layout and layout.id_column is not None else None
    columns, how, skipped = pick_columns(path, header, rows, text_column, fmt, skip=metadata + sorted(personal))
    single = len(columns) == 1
    withheld = [h for h in header if h not in columns and (personal_column(h) or h in personal)]
    attr_columns = [h for h in header if h not in columns and h not in withheld and h not in metadata and
                    not (single and h in ("id", id_name))]
    where = f"{section[0]}: " if section else ""
    if layout is not None and layout.tool != "table":
        report.notes.append(f"{where}{layout.label}: questions from its header rows; tool columns left out"
                            + (f" ({', '.join(metadata)})" if metadata else ""))
    report.notes.append(f"{where}text column{'s' if not single else ''} "
                        f"{', '.join(repr(c) for c in columns)} ({how})")
    report.notes += [f"{where}{note}" for note in skipped]
    if attr_columns:
        report.notes.append(f"{where}other columns kept as attributes: {', '.join(attr_columns)}")
    if withheld:
        report.notes.append(f"{where}columns left out as personal data: {', '.join(withheld)}")
    for c in columns:
        if c.lower() not in TEXT_COLUMN_NAMES and c not in report.questions:
            report.questions.append(c)
    sheet = section[0] if section else None
    segments: list[Segment] = []
    seen_ids: dict[str, int] = {}
    for line, row in rows:
        attrs = {h: row[h] for h in attr_columns if row.get(h, "").strip()}
        row_event = attrs.pop("event", None) or event
        row_section = list(section or []) + ([attrs.pop("section")] if attrs.get("section") else [])
        row_question = attrs.pop("question", None)
        row_id = (row.get(id_name or "id") or "").strip()
        for c in columns:
            body = T.normalise_space(row.get(c, ""))
            if not body:
                report.dropped.append(DroppedLine(line, "empty", f"{c}: (no answer)", sheet=sheet))
                continue
            if single and row_id:
                sid = row_id
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
    return flag_campaigns(segments, report, where)


def flag_campaigns(segments: list[Segment], report: IngestReport, where: str = "") -> list[Segment]:
    """Answers given word for word by CAMPAIGN_MIN_COPIES or more respondents to one question (a campaign's
    template text) get `attributes["campaign"]` = how many gave it; all are kept, so support counts both ways."""
    groups: dict[tuple, list[int]] = {}
    for i, seg in enumerate(segments):
        if not is_non_answer(seg.text) and T.word_count(seg.text) >= 4:
            groups.setdefault((seg.question, " ".join(seg.text.lower().split())), []).append(i)
    big = {k: v for k, v in groups.items() if len(v) >= CAMPAIGN_MIN_COPIES}
    if not big:
        return segments
    out = list(segments)
    for members in big.values():
        for i in members:
            out[i] = replace(out[i], attributes={**out[i].attributes, "campaign": len(members)})
    sizes = sorted((len(v) for v in big.values()), reverse=True)
    report.notes.append(f"{where}identical answers (campaign or template texts): {len(big)} group"
                        f"{'s' if len(big) > 1 else ''} of {', '.join(map(str, sizes))}; {len(segments)} answers, "
                        f"{len(segments) - sum(sizes) + len(big)} distinct")
    return out


# --------------------------------------------------------------------------- row sources
def _delimiter(path: Path, first_line: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_table(path: Path, text: str, report: IngestReport,
              header_row: int | None = None) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header, rows as (line, column -> text)) of a CSV/TSV export, laid out as `csv_layout` finds it."""
    header, rows, _ = csv_layout(path, text, report, header_row)
    return header, rows


def csv_layout(path: Path, text: str, report: IngestReport, header_row: int | None = None):
    """(header, rows, Layout): the header row found (or `header_row`, 1-based), tool header rows skipped."""
    delimiter = _delimiter(path, text.split("\n", 1)[0])
    if delimiter != ",":
        report.notes.append(f"delimiter: {'tab' if delimiter == chr(9) else repr(delimiter)}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    raw: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            number, start = start, reader.line_num + 1  # a quoted cell may span lines: cite the first
            raw.append((number, [c.strip() for c in row]))
    except csv.Error as exc:
        raise InputError(path, f"is not valid CSV ({exc})", reader.line_num) from None
    if not raw:
        raise InputError(path, "file is empty")
    grid = [cells for _, cells in raw]
    layout = survey_layout(grid, None if header_row is None else _header_index(path, header_row, len(grid)))
    header = _unique_header(path, layout.headers or grid[layout.header_row], report)
    if layout.header_row:
        report.notes.append(f"header on line {raw[layout.header_row][0]}; lines above it are a title or notes")
        report.structure_lines += [n for n, cells in raw[:layout.header_row] if any(cells)]
    report.structure_lines += [n for n, cells in raw[layout.header_row:layout.first_data_row] if any(cells)]
    rows: list[tuple[int, dict[str, str]]] = []
    for number, row in raw[layout.first_data_row:]:
        if not any(row):
            continue
        if len(row) > len(header) and any(cell for cell in row[len(header):]):
            raise InputError(path, f"row has {len(row)} cells but the header has {len(header)} "
                                   "(a ragged row: is a comma missing its quotes?)", number)
        rows.append((number, dict(zip(header, row + [""] * (len(header) - len(row))))))
    return header, rows, layout


def _header_index(path: Path, header_row: int, available: int) -> int:
    if not 1 <= header_row <= available:
        raise InputError(path, f"--header-row {header_row} is outside the table (it has {available} rows)")
    return header_row - 1


def xlsx_tables(path: Path, report: IngestReport, header_row: int | None = None):
    """(sheet name, header, rows, Layout) for each visible sheet with data; rows are numbered as in the sheet.

    Only the response table is read: the header row is found (a title above it is skipped) or given
    (`header_row`, 1-based), and the table ends at its first empty row (a summary table below is not
    responses). A formula cell gives the value Excel saved with it; a formula of text literals only is
    worked out; any other formula with no saved value is named cell by cell in the report."""
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, KeyError, ValueError, OSError, EOFError) as exc:
        raise InputError(path, f"is not a readable Excel workbook ({type(exc).__name__}: {exc}); "
                               "open it and save it again as .xlsx") from None
    except Exception as exc:  # zipfile.BadZipFile and parser errors from a damaged workbook
        raise InputError(path, f"is damaged and cannot be read ({type(exc).__name__}); "
                               "open it and save it again as .xlsx") from None
    try:
        for ws, wf in zip(book.worksheets, formulas.worksheets):
            if getattr(ws, "sheet_state", "visible") != "visible":
                report.notes.append(f"sheet '{ws.title}' is hidden: skipped")
                continue
            grid: list[list[str]] = []
            for number, (values, raw) in enumerate(zip(ws.iter_rows(values_only=True),
                                                        wf.iter_rows(values_only=True)), start=1):
                cells = []
                for j, (v, f) in enumerate(zip(list(values) + [None] * (len(raw) - len(values)), raw), start=1):
                    if v is None and isinstance(f, str) and f.startswith("="):
                        v = literal_formula_value(f)
                        if v is None:
                            report.notes.append(f"sheet '{ws.title}', cell {get_column_letter(j)}{number}: a formula "
                                                f"with no saved value ({f[:60]}); open the file in Excel and save "
                                                "it to store the values")
                            report.dropped.append(DroppedLine(number, "formula_no_value", f"{get_column_letter(j)}"
                                                              f"{number}: {f[:80]}", sheet=ws.title))
                    cells.append(cell_text(v))
                grid.append(cells)
            if not any(any(r) for r in grid):
                continue
            sheet_header = None if header_row is None else _header_index(path, header_row, len(grid))
            layout = survey_layout(grid, sheet_header)
            if not any(layout.headers):
                continue
            header = _unique_header(path, layout.headers, report)
            end = table_end(grid, layout.first_data_row)
            if layout.header_row:
                report.notes.append(f"sheet '{ws.title}': header on row {layout.header_row + 1}; rows above it are a "
                                    "title or notes")
            below = [i + 1 for i in range(end, len(grid)) if any(grid[i])]
            if below:
                report.notes.append(f"sheet '{ws.title}': rows {below[0]}-{below[-1]} below the response table left "
                                    "out (not responses)")
            rows: list[tuple[int, dict[str, str]]] = []
            for i in range(layout.first_data_row, end):
                cells = grid[i]
                if not any(cells):
                    continue
                if len(cells) > len(header) and any(cells[len(header):]):
                    header += [f"column {j}" for j in range(len(header) + 1, len(cells) + 1)]
                rows.append((i + 1, dict(zip(header, cells + [""] * (len(header) - len(cells))))))
            structure = [i + 1 for i in range(0, layout.first_data_row) if any(grid[i])] + below
            yield ws.title, header, rows, layout, structure
    finally:
        book.close()
        formulas.close()


# --------------------------------------------------------------------------- readers
def read_csv(path: Path, event: str, text_column, report: IngestReport, header_row: int | None = None) -> Read:
    text, report.encoding = read_text(path, max_bytes=1 << 62)
    header, rows, layout = csv_layout(path, text, report, header_row)
    return Read(table_segments(path, header, rows, event, text_column, report, "csv", layout=layout))


def read_xlsx(path: Path, event: str, text_column, report: IngestReport, header_row: int | None = None) -> Read:
    sheets = [s for s in xlsx_tables(path, report, header_row) if s[2]]
    if not sheets:
        raise InputError(path, "workbook has no sheet with data")
    doc = slug(path.name)
    segments: list[Segment] = []
    errors: list[InputError] = []
    several = len(sheets) > 1
    for title, header, rows, layout, structure in sheets:
        before = len(report.structure_lines)
        report.structure_lines += structure if not several else []
        try:
            segments += table_segments(path, header, rows, event, text_column, report, "xlsx",
                                       doc=f"{doc}-{slug(title)}" if several else doc,
                                       section=[title] if several else None, layout=layout)
        except InputError as exc:
            if not several:
                raise
            del report.structure_lines[before:]
            errors.append(exc)
            report.notes.append(f"sheet '{title}' skipped: {exc.message}")
            report.lines["read"] = report.lines.get("read", 0) + len(rows)  # every row of it is accounted for
            report.dropped += [DroppedLine(n, "sheet_skipped", f"{title}: row {n}", sheet=title) for n, _ in rows]
    if not segments and errors:
        raise InputError(path, f"no sheet has a free-text column ({'; '.join(e.message for e in errors)})")
    return Read(namespace_ids(segments, doc) if several else segments)


def namespace_ids(segments: list[Segment], doc: str) -> list[Segment]:
    """The same respondent ids on two sheets (or in two files) are two respondents: when ids repeat, every
    id taken from an id column is qualified by its sheet ("<file>-<sheet>:<id>")."""
    seen: set[str] = set()
    clash = False
    for seg in segments:
        clash = clash or seg.id in seen
        seen.add(seg.id)
    if not clash:
        return segments
    out = []
    for seg in segments:
        qualified = ":" in seg.id
        sheet = slug(seg.section[0]) if seg.section else ""
        out.append(seg if qualified else replace(seg, id=f"{doc}-{sheet}:{seg.id}" if sheet else f"{doc}:{seg.id}"))
    return out


register((".csv", ".tsv"), read_csv, "csv", "text", options=("header_row",))
register((".xlsx", ".xlsm"), read_xlsx, "xlsx", "xlsx", options=("header_row",))
