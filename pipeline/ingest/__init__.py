"""Ingest: turn notes files into Segments, one statement each, and account for every line left out.

Readers are chosen by file extension (`readers.READERS`), after checking that
the content really is what the extension says (`sniff`). Every reader returns
the same records (Segment) and fills in an IngestReport:

- plain text and Markdown: the notes parser (`notes`), tuned on PDF-extracted reports;
- Word (.docx): heading styles and list paragraphs say what the text parser has to guess;
- PDF: lines and paragraphs rebuilt from the page layout, then the same parser;
- CSV, TSV, XLSX, JSONL: one statement per free-text cell.

`ingest()` then attaches event metadata (`events`), redacts personal details
(`redact`), once, for the whole run, and merges the same statement pasted into
two files of one event (`dedupe`) before anything is embedded or written. It
returns new records and prints nothing: the CLI and the web app report.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..errors import InputError
from ..files import slug
from ..records import Event, IngestReport, Segment
from .dedupe import merge_duplicates
from .events import resolve_event
from .language import mark_languages
from .nonanswer import mark_non_answers
from .split import split_long_segments
from .notes import outline, parse_notes
from .readers import READERS
from .readers.tables import TEXT_COLUMN_NAMES, csv_table
from .redact import Redactor
from .sniff import DEFAULT_MAX_BYTES, UNSUPPORTED, check_kind, check_size, read_text, sniff

__all__ = ["DEFAULT_MAX_BYTES", "READERS", "TEXT_COLUMN_NAMES", "IngestResult", "SourceFile", "check_size",
           "csv_table", "expand_paths", "ingest", "ingest_file", "outline", "parse_notes",
           "read_text", "sniff"]


@dataclass(frozen=True)
class SourceFile:
    """One input file as a run read it, so exports and views can find it and show it again.

    `text` is the file's whole text as analysed -- redacted exactly as its
    statements were when redaction is on -- for text and Markdown files, and
    None for formats whose statements are not lines of a text (Word, PDF, tables).
    """

    name: str  # as cited by Segment.source
    path: str  # absolute path when read
    sha256: str  # of the file's bytes
    format: str
    text: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "path": self.path, "sha256": self.sha256, "format": self.format}


@dataclass(frozen=True)
class IngestResult:
    segments: list[Segment]
    reports: list[IngestReport]
    failures: list[InputError]
    events: list[Event] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)  # one per file read, in input order
    warnings: list[str] = field(default_factory=list)  # run-wide, for the terminal and the report
    timings: dict[str, float] = field(default_factory=dict)  # seconds per sub-stage: read, redact, dedupe, language


def account(report: IngestReport, segments: Sequence[Segment]) -> None:
    """Say what became of every non-blank line: in a statement, structure (headings...), or dropped and why."""
    # a workbook read sheet by sheet numbers rows per sheet: a line is (sheet, number) there
    by_sheet = report.format == "xlsx" and any(d.sheet for d in report.dropped) or \
        report.format == "xlsx" and len({tuple(s.section[:1]) for s in segments}) > 1
    in_statements: set[tuple] = set()
    for seg in segments:
        sheet = seg.section[0] if by_sheet and seg.section else None
        in_statements.update((sheet, n) for n in range(seg.line_start, seg.line_end + 1))
    structure = {(None, n) for n in report.structure_lines} - in_statements
    dropped = {(d.sheet if by_sheet else None, d.line) for d in report.dropped} - in_statements - structure
    read = report.lines.get("read")
    report.lines.update({"in_statements": len(in_statements), "structure": len(structure), "dropped": len(dropped)})
    if read is not None:
        report.lines["unaccounted"] = max(0, read - len(in_statements) - len(structure) - len(dropped))


def read_file(path: str | Path, event: str | None = None, text_column: str | Sequence[str] | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES,
              header_row: int | None = None) -> tuple[list[Segment], IngestReport, SourceFile]:
    """Read one file, unredacted: (segments, ingest report, source file). Raises InputError with a one-line reason.
    `header_row` (1-based) says which row of a spreadsheet or CSV holds the column names."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise InputError(path, f"is {UNSUPPORTED[suffix]}")
    if suffix not in READERS:
        raise InputError(path, f"unsupported file type '{path.suffix or '(none)'}'; "
                               f"supported: {', '.join(sorted(READERS))}")
    reader = READERS[suffix]
    check_size(path, max_bytes)
    check_kind(path, reader.content)
    event = event or slug(path.name)
    report = IngestReport(source=path.name, event=event, format=reader.format)
    options = {"header_row": header_row} if header_row is not None and "header_row" in reader.options else {}
    read = reader.read(path, event, text_column, report, **options)
    segments = split_long_segments(list(read.segments), report)
    if report.encoding != "utf-8":
        report.notes.append(f"encoding: {report.encoding}")
    if not segments:
        raise InputError(path, "no statements found (every line was a heading, list or page furniture)")
    report.segments = len(segments)
    report.dropped.sort(key=lambda d: d.line)
    account(report, segments)
    source = SourceFile(name=path.name, path=str(path.resolve()), sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                        format=reader.format, text=read.text)
    return segments, report, source


def ingest_file(path: str | Path, event: str | None = None, text_column: str | Sequence[str] | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES, redact: bool = True,
                header_row: int | None = None) -> tuple[list[Segment], IngestReport]:
    """Read one file into segments and its ingest report. Raises InputError with a one-line reason.

    With `redact` (the default) personal details are replaced before the
    segments are returned, names learned from this file alone; `ingest()`
    redacts a whole run at once, so a name found in one file is hidden in all.
    """
    segments, report, _ = read_file(path, event, text_column, max_bytes, header_row)
    if redact:
        segments = Redactor().fit(texts_of(segments, [report])).apply(segments, [report])
    segments, _ = mark_languages(mark_non_answers(segments, [report]), [report])
    return segments, report


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the supported files inside any folder, in a stable order.

    Office lock files (~$notes.docx) and hidden files in a folder are skipped.
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in READERS
                           and not f.name.startswith(("~$", ".")))
            if not found:
                raise InputError(p, f"folder holds no supported notes files ({', '.join(sorted(READERS))})")
            out.extend(found)
        else:
            out.append(p)
    return out


def texts_of(segments: Sequence[Segment], reports: Sequence[IngestReport]) -> list[str]:
    """Every piece of text ingest will pass on, for learning the names to redact."""
    out = [s.text for s in segments] + [s.context or "" for s in segments]
    out += [r.text for rep in reports for r in rep.dropped]
    out += [h for rep in reports for h in rep.sections + rep.questions]
    return out


def ingest(paths: Iterable[str | Path], event: str | Event | None = None,
           text_column: str | Sequence[str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
           redact: bool = True, dedupe: bool = True, events: Mapping[str, Event] | None = None,
           progress=None, header_row: int | None = None) -> IngestResult:
    """Ingest every file; a bad file is recorded as a failure and the others still load.

    `event` names the event of every file (a name, or an Event whose date,
    place and type are given too); otherwise each file's event comes from
    `events` (file name as cited, e.g. "notes.txt" -> Event), then an
    `event.yaml` sidecar (see `events`), or is the file's name. Then personal
    details are redacted (`redact`: names learned from the whole run; each text
    file's whole text is redacted the same way, for exports and views) and the
    same statement pasted into two files of one event is kept once (`dedupe`; `progress(done, total)` is
    told as it goes). Non-answers are marked (`nonanswer`) and every statement gets its language
    (`language`); `warnings` says plainly when statements are not in English.
    """
    segments: list[Segment] = []
    reports: list[IngestReport] = []
    sources: list[SourceFile] = []
    failures: list[InputError] = []
    given = dict(events or {})
    events: dict[str, Event] = {}
    seen: dict[str, str] = {}
    override = Event(name=event) if isinstance(event, str) else event
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(timings.get(name, 0.0) + now - clock, 3)
        clock = now

    for path in expand_paths(paths):
        try:
            info = resolve_event(path, override, given.get(path.name))
            segs, report, source = read_file(path, event=info.name, text_column=text_column, max_bytes=max_bytes,
                                             header_row=header_row)
        except InputError as exc:
            failures.append(exc)
            continue
        except OSError as exc:
            failures.append(InputError(path, f"cannot be read ({exc.strerror or exc})"))
            continue
        if any(seg.id in seen for seg in segs):
            # the same respondent ids in two files are two respondents: qualify this file's ids by the file
            doc = slug(path.name)
            segs = [s if s.id.startswith(doc + ":") else replace(s, id=f"{doc}:{s.id}") for s in segs]
            report.notes.append(f"ids also used by an earlier file: this file's ids are written '{doc}:<id>'")
        clash = None
        for seg in segs:
            if seg.id in seen:
                clash = seg
                break
            seen[seg.id] = seg.source
        if clash is not None:
            failures.append(InputError(path, f"segment id '{clash.id}' is also used in {seen[clash.id]}; "
                                             "give the files distinct names", clash.line_start))
            continue
        for name in dict.fromkeys(s.event for s in segs):  # a JSONL row may name its own event
            warning = _merge_event(events, info if name == info.name else Event(name), path.name)
            if warning:
                report.notes.append(warning)
        segments.extend(_with_event_info(s, info) if s.event == info.name else s for s in segs)
        reports.append(report)
        sources.append(source)
    lap("read")
    if redact:
        redactor = Redactor().fit(texts_of(segments, reports))
        segments = redactor.apply(segments, reports)
        sources = [replace(s, text=redactor.redact_document(s.text)) if s.text is not None else s for s in sources]
    else:
        for report in reports:
            report.notes.append("redaction: off (--no-redact)")
    lap("redact")
    segments = mark_non_answers(segments, reports)
    lap("non_answers")
    if dedupe:
        segments = merge_duplicates(segments, reports, progress=progress)
        by_source: dict[str, list[Segment]] = {}
        for seg in segments:
            by_source.setdefault(seg.source, []).append(seg)
        for report in reports:  # merged copies moved from "in statements" to "dropped: duplicate"
            account(report, by_source.get(report.source, []))
        del by_source
    lap("dedupe")
    segments, warning = mark_languages(segments, reports)
    lap("language")
    return IngestResult(segments, reports, failures, list(events.values()), sources,
                        warnings=[warning] if warning else [], timings=timings)


def _with_event_info(seg: Segment, info: Event) -> Segment:
    """The segment with its event's date, place and type as attributes (its own values win)."""
    extra = {f"event_{k}": v for k in ("date", "place", "type")
             if (v := getattr(info, k)) and f"event_{k}" not in seg.attributes}
    return replace(seg, attributes={**seg.attributes, **extra}) if extra else seg


def _merge_event(events: dict[str, Event], info: Event, source: str) -> str | None:
    """Add a file to its event; files naming the same event should agree on date, place and type."""
    known = events.get(info.name)
    if known is None:
        events[info.name] = Event(info.name, info.date, info.place, info.type, [source])
        return None
    updates: dict = {"sources": known.sources if source in known.sources else [*known.sources, source]}
    clashes = []
    for key in ("date", "place", "type"):
        mine, theirs = getattr(info, key), getattr(known, key)
        if mine and not theirs:
            updates[key] = mine
        elif mine and theirs and mine != theirs:
            clashes.append(f"{key} '{mine}' (kept '{theirs}' from {known.sources[0]})")
    events[info.name] = replace(known, **updates)
    return f"event '{info.name}': sidecars disagree on " + ", ".join(clashes) if clashes else None

