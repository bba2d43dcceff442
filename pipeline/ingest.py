"""Ingest: turn notes files into Segments, one statement each.

Readers are chosen by file extension. Every reader returns the same records
(Segment) and an IngestReport that accounts for every line it left out.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import text as T
from .errors import InputError
from .records import DroppedLine, IngestReport, Segment

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
TABLE_SUFFIXES = {".csv", ".jsonl", ".ndjson"}
TEXT_COLUMN_NAMES = ("text", "response", "comment", "comments", "answer", "statement", "note", "notes")


# --------------------------------------------------------------------------- reading bytes
def slug(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", Path(name).stem).strip("-").lower()
    return s or "notes"


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Read a text file, returning (text, encoding). Refuses what is not text."""
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a folder; pass the files inside it, or the folder to 'plenary run'")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(path, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                               "(raise it with --max-mb)")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(path, "file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(path, "file starts with a UTF-16 mark but is not valid UTF-16") from None
    if b"\x00" in raw[:8192]:
        raise InputError(path, "looks like a binary file, not text (it contains NUL bytes)")
    if raw.startswith(b"%PDF") or raw.startswith(b"PK\x03\x04"):
        raise InputError(path, "looks like a PDF or Office file, not text; save it as .txt or use the "
                               "matching extension")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        try:
            return raw.decode("cp1252"), f"cp1252 (not valid UTF-8 from line {bad_line}; read as Windows-1252)"
        except UnicodeDecodeError:
            raise InputError(path, "is neither UTF-8 nor Windows-1252 text; save it as UTF-8", bad_line) from None


# --------------------------------------------------------------------------- notes (txt / md)
BULLET_RE = re.compile(r"^(?P<indent>\s*)(?:[-•*▪◦·‣–]|\d{1,2}[.)](?=\s)|\(?[a-h]\)(?=\s))\s+(?P<body>\S.*)$")
MD_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<body>.+?)\s*#*\s*$")
WORKSHOP_RE = re.compile(r"^(workshop|session|breakout|part|day|table|group|theme|round|panel)\s+[\w.]{1,4}\s*[:–—-]\s*\S",
                         re.I)
PROMPT_RE = re.compile(r"^(prompts?|prompted by|facilitator prompts?)\s*[:–-]\s*(?P<body>.*)$", re.I)
CONTENTS_RE = re.compile(r"(\.{4,}\s*\d*\s*$)|(\t\s*\d{1,3}\s*$)")
PAGE_NUMBER_RE = re.compile(r"^\s*(page\s+)?\d{1,3}(\s+of\s+\d{1,3})?\s*$", re.I)
FOOTNOTE_RE = re.compile(r"^\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,2}\s+\S*\.(gov|com|org|uk|net)\b)")
CAPTION_RE = re.compile(r"^(table|figure|fig\.|chart)\s+\d+\b", re.I)
CONTACT_RE = re.compile(r"(^\s*(e|t|w|tel|email|e-mail|web|phone)\s*:\s*\S)|(^\s*tel\b)|(\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b)|(@[\w-]+\.[\w.]+)|(\bwww\.)|"
                        r"(\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b)", re.I)
ROSTER_HEADING_RE = re.compile(
    r"(list of (organi[sz]ations|individuals|attendees|participants|contributors)|organi[sz]ations represented|"
    r"^attendees|^participants$|^contributors|^panel members|^contents$|^acknowledg|^members$|"
    r"^appendix\b.*\b(list|organi[sz]ations|interviewed))", re.I)
CONTACT_HEADING_RE = re.compile(r"^(contact( us| details)?|further information|for more information)$", re.I)
HTML_TAG_RE = re.compile(r"<[^>]+>")
SUB_MARKER_RE = re.compile(r"^(?:[ivx]{1,4}|[a-h])[.)]?\s+(?=[A-Z])")  # "- iv Embedding ..." -> "Embedding ..."
MD_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
EMPHASIS_RE = re.compile(r"(\*{1,3}|_{2,3})")
END_PUNCT = ".?!:;…\"”’)"


def _clean(line: str) -> str:
    line = MD_LINK_RE.sub(r"\1", line)
    line = HTML_TAG_RE.sub(" ", line)
    line = EMPHASIS_RE.sub("", line)
    return line.replace("\u00a0", " ").rstrip()


@dataclass
class _Block:
    kind: str  # text | bullet | heading | table
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text piece)
    indent: int = 0
    level: int = 2
    marker: str = ""  # a bullet's list marker, e.g. "-" or "19."

    @property
    def first(self) -> int:
        return self.lines[0][0]

    @property
    def last(self) -> int:
        return self.lines[-1][0]

    @property
    def text(self) -> str:
        out = ""
        for _, piece in self.lines:
            piece = piece.strip()
            if not out:
                out = piece
            elif out.endswith("-") and not out.endswith(" -") and piece[:1].isalnum():
                out += piece  # a word or number broken across a line ("C-" / "19")
            else:
                out += " " + piece
        return T.normalise_space(out)

    def line_at(self, offset: int) -> int:
        """Line number holding character `offset` of self.text (approximate across joins)."""
        pos = 0
        for number, piece in self.lines:
            pos += len(T.normalise_space(piece)) + 1
            if offset < pos:
                return number
        return self.last


def _is_title_like(text: str) -> bool:
    words = T.WORD_RE.findall(text)
    if not words or len(words) > 12:
        return False
    content = [w for w in words if not T.is_stop(w)] or words
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.75


def _is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and T.word_count(text) <= 10


def _heading_level(text: str, next_is_bullet: bool, next_is_prose: bool = False) -> int | None:
    """Return a heading level for a standalone short line, or None if it is content."""
    if WORKSHOP_RE.match(text) or _is_all_caps(text):
        return 1
    if text.endswith("?"):
        return None  # questions are handled separately
    short = T.word_count(text) <= 12 and len(text) <= 100 and text[-1:] not in ".;!,"
    if not short or not text[:1].isupper() and not text[:1].isdigit():
        return None
    if _is_title_like(text) or (next_is_bullet and T.word_count(text) <= 8) or \
            (next_is_prose and T.word_count(text) <= 5):  # a sentence-case heading ("Cultural change")
        return 2
    return None


def _split_blocks(lines: list[str]) -> tuple[list[_Block], list[DroppedLine]]:
    """Phase 1: split lines into blocks at blank lines, bullets, headings and table rows."""
    blocks: list[_Block] = []
    dropped: list[DroppedLine] = []
    current: _Block | None = None
    for number, raw in enumerate(lines, start=1):
        line = _clean(raw)
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        reason = ("page_furniture" if PAGE_NUMBER_RE.match(stripped) else
                  "footnote" if FOOTNOTE_RE.match(stripped) else
                  "contents" if CONTENTS_RE.search(line) else None)
        if reason:
            dropped.append(DroppedLine(number, reason, stripped))
            current = None
            continue
        md = MD_HEADING_RE.match(stripped)
        bullet = BULLET_RE.match(line)
        if "\t" in line:
            blocks.append(_Block("table", [(number, line)]))
            current = None
        elif md:
            blocks.append(_Block("heading", [(number, md.group("body"))], level=len(md.group("hashes"))))
            current = None
        elif bullet:
            current = _Block("bullet", [(number, SUB_MARKER_RE.sub("", bullet.group("body")))],
                             indent=len(bullet.group("indent").expandtabs(4)),
                             marker=line.strip()[: len(line.strip()) - len(bullet.group("body"))].strip())
            blocks.append(current)
        elif current is not None:
            current.lines.append((number, stripped))  # a wrapped line
        else:
            current = _Block("text", [(number, stripped)])
            blocks.append(current)
    return blocks, dropped


def _merge_continuations(blocks: list[_Block]) -> list[_Block]:
    """Phase 2: rejoin paragraphs and bullets that PDF extraction broke across blank lines.

    A block continues the previous statement when that one is unfinished (no
    closing punctuation) and this one starts in lower case, or the previous
    ends in a broken word such as "C-".
    """
    out: list[_Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and prev.kind in ("text", "bullet") and block.kind in ("text", "bullet"):
            first = block.lines[0][1].strip()
            broken_word = re.search(r"\w-$", prev.text) is not None
            lower_start = block.kind == "text" and first[:1].islower()
            numbered_tail = block.kind == "bullet" and broken_word and first[:1].isdigit()
            if prev.text[-1:] not in ".?!" and (lower_start or (broken_word and (block.kind == "text" or numbered_tail))):
                if numbered_tail:  # "C-" then "19. Unconscious bias": the number was never a list marker
                    block.lines[0] = (block.lines[0][0], f"{block.marker} {first}")
                prev.lines.extend(block.lines)
                continue
        out.append(block)
    return out


def parse_notes(text: str, source: str, event: str) -> tuple[list[Segment], IngestReport]:
    """Parse plain-text or Markdown notes into segments."""
    report = IngestReport(source=source, event=event)
    doc = slug(source)
    raw_blocks, report.dropped = _split_blocks(text.splitlines())
    blocks = _merge_continuations(raw_blocks)

    segments: list[Segment] = []
    section: list[tuple[int, str]] = []  # (level, heading)
    question: str | None = None
    prompt: str | None = None
    mode: str | None = None  # roster | contact while inside such a list
    parents: list[tuple[int, Segment]] = []  # open bullets by indent, for sub-bullets
    furniture_run: list[_Block] = []

    def drop(block: _Block, reason: str):
        for number, piece in block.lines:
            report.dropped.append(DroppedLine(number, reason, piece.strip()))

    run_prev: _Block | None = None
    next_after_run: _Block | None = None

    def flush_run():
        # A run of short, unpunctuated lines (a cover page of logos, an address) is furniture.
        if len(furniture_run) >= 5:
            # the last short line, right before content, is usually that content's heading
            keep_last = next_after_run is not None and _is_title_like(furniture_run[-1].text)
            for b in furniture_run[:-1] if keep_last else furniture_run:
                drop(b, "page_furniture")
            if keep_last:
                handle(furniture_run[-1], prev_block=None, next_block=next_after_run)
        else:
            for j, b in enumerate(furniture_run):
                after = furniture_run[j + 1] if j + 1 < len(furniture_run) else next_after_run
                handle(b, prev_block=run_prev, next_block=after)
        furniture_run.clear()

    def set_heading(level: int, heading: str):
        nonlocal question, prompt, mode
        while section and section[-1][0] >= level:
            section.pop()
        section.append((level, heading))
        question, prompt = None, None
        parents.clear()
        if ROSTER_HEADING_RE.search(heading):
            mode = "roster"
        elif CONTACT_HEADING_RE.match(heading):
            mode = "contact"
        else:
            mode = None
        if heading not in report.sections and mode is None:
            report.sections.append(heading)

    def set_question(text: str):
        nonlocal question, prompt
        question, prompt = text, None
        parents.clear()
        if text not in report.questions:
            report.questions.append(text)

    def add(block: _Block, body: str, kind: str, line: int, end: int, sid: str, parent: Segment | None):
        seg = Segment(
            id=sid, text=body, source=source, line_start=line, line_end=end, event=event,
            section=[h for _, h in section], question=question, kind=kind,
            parent=parent.id if parent else None,
            context=parent.text if parent else prompt,
        )
        segments.append(seg)
        return seg

    def handle(block: _Block, prev_block: _Block | None = None, next_block: _Block | None = None):
        nonlocal question, prompt, mode
        body = block.text
        if block.kind == "heading":
            if body.endswith("?") and not WORKSHOP_RE.match(body):
                set_question(body)  # "## What would help?" is a prompt the bullets answer
            else:
                set_heading(block.level, body)
            return
        if block.kind == "table":
            cells = [T.normalise_space(c) for c in block.lines[0][1].split("\t")]
            prose = [c for c in cells if T.word_count(c) >= 12]
            if mode is not None or not prose:
                drop(block, mode or "table")
                return
            for k, cell in enumerate(prose, start=1):
                for j, (off, sent) in enumerate(T.sentences(cell), start=1):
                    if T.word_count(sent) >= 3:
                        add(block, sent, "sentence", block.first, block.first,
                            f"{doc}:{block.first}.{k}.{j}", None)
            return
        if mode == "contact" or CONTACT_RE.search(body) and T.word_count(body) <= 12:
            drop(block, "contact")
            return
        if block.kind == "text":
            prompt_match = PROMPT_RE.match(body)
            if prompt_match:
                prompt = prompt_match.group("body").strip() or None
                return
            next_is_bullet = next_block is not None and next_block.kind == "bullet"
            if body[-1:] in ":–-" and next_is_bullet and T.word_count(body) <= 25:
                prompt = body  # a lead-in ("The purpose was to:") is context for the bullets under it
                return
            if CAPTION_RE.match(body):
                drop(block, "page_furniture")
                return
            if prev_block is not None and prev_block.text[-1:] in "-–—\"”’'" and T.word_count(body) <= 10 \
                    and body[-1:] not in ".?!":
                drop(block, "attribution")  # the name under a quoted contribution
                return
            next_is_prose = next_block is not None and next_block.kind == "text" and T.word_count(next_block.text) >= 20
            level = _heading_level(body, next_is_bullet, next_is_prose)
            if level == 1 and WORKSHOP_RE.match(body) and T.word_count(body) > 12 and not (
                    next_block is not None and (next_block.kind == "bullet" or next_block.text.endswith("?")
                                           and not WORKSHOP_RE.match(next_block.text))):
                level = None  # a long "Workshop A: ..." line in running prose describes the format
            if level is not None:
                set_heading(level, body)
                return
            if body.endswith("?") and T.word_count(body) <= 30 and mode is None and not WORKSHOP_RE.match(body):
                set_question(body)
                return
            if mode == "roster" and T.word_count(body) < 15:
                drop(block, "roster")
                return
            mode = None if mode == "roster" else mode
            parents.clear()
            pieces = T.sentences(body)
            multi = len(pieces) > 1
            for k, (offset, sent) in enumerate(pieces, start=1):
                if T.word_count(sent) < 3:
                    report.dropped.append(DroppedLine(block.line_at(offset), "fragment", sent))
                    continue
                line = block.line_at(offset)
                end = block.line_at(offset + len(sent) - 1)
                add(block, sent, "sentence", line, end, f"{doc}:{block.first}.{k}" if multi else f"{doc}:{block.first}",
                    None)
            return
        # bullet
        if mode == "roster":
            drop(block, "roster")
            return
        if T.word_count(body) < 2:
            drop(block, "fragment")
            return
        while parents and parents[-1][0] >= block.indent:
            parents.pop()
        parent = parents[-1][1] if parents else None
        if parent is None and block.indent > 0 and segments and segments[-1].kind == "bullet" and \
                segments[-1].text.endswith(":"):
            parent = segments[-1]
        seg = add(block, body, "bullet", block.first, block.last, f"{doc}:{block.first}", parent)
        parents.append((block.indent, seg))

    for i, block in enumerate(blocks):
        prev = blocks[i - 1] if i else None
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind == "text" and T.word_count(block.text) <= 7 and block.text[-1:] not in END_PUNCT \
                and not block.text.endswith("?") and not PROMPT_RE.match(block.text) \
                and not WORKSHOP_RE.match(block.text):
            if not furniture_run:
                run_prev = prev
            furniture_run.append(block)
            continue
        if furniture_run:
            next_after_run = block
            flush_run()
        handle(block, prev_block=prev, next_block=nxt)
    next_after_run = None
    flush_run()

    report.segments = len(segments)
    report.dropped.sort(key=lambda d: d.line)
    return segments, report


# --------------------------------------------------------------------------- tables (csv / jsonl)
def _pick_text_column(path: Path, columns: list[str], text_column: str | None) -> str:
    if text_column is not None:
        if text_column not in columns:
            raise InputError(path, f"no column named '{text_column}' (columns: {', '.join(columns)})",
                             field=text_column)
        return text_column
    lowered = {c.lower().strip(): c for c in columns}
    for name in TEXT_COLUMN_NAMES:
        if name in lowered:
            return lowered[name]
    raise InputError(path, f"no text column: expected one named 'text' (or pass --text-column); "
                           f"columns are: {', '.join(columns) or '(none)'}", line=1, field="text")


def _response_segments(path: Path, rows: Iterable[tuple[int, dict]], event: str, text_column: str | None,
                       report: IngestReport) -> list[Segment]:
    doc = slug(path.name)
    segments: list[Segment] = []
    seen_ids: dict[str, int] = {}
    column: str | None = None
    for line, row in rows:
        if column is None:
            column = _pick_text_column(path, list(row.keys()), text_column)
            report.notes.append(f"text column: {column}")
        value = row.get(column)
        body = T.normalise_space(str(value)) if value is not None else ""
        if not body:
            report.dropped.append(DroppedLine(line, "empty", ""))
            continue
        sid = str(row.get("id")).strip() if row.get("id") not in (None, "") else f"{doc}:{line}"
        if sid in seen_ids:
            raise InputError(path, f"id '{sid}' also used on line {seen_ids[sid]}", line, "id")
        seen_ids[sid] = line
        attrs = {k: v for k, v in row.items() if k not in (column, "id") and v not in (None, "")}
        row_event = str(attrs.pop("event")) if "event" in attrs else event
        segments.append(Segment(
            id=sid, text=body, source=path.name, line_start=line, line_end=line, event=row_event,
            section=[str(attrs["section"])] if attrs.get("section") else [],
            question=str(attrs["question"]) if attrs.get("question") else None,
            kind="response", attributes=attrs,
        ))
    if column is None:
        raise InputError(path, "has no rows")
    return segments


def _jsonl_rows(path: Path, text: str) -> Iterable[tuple[int, dict]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON ({exc.msg})", number) from None
        if not isinstance(row, dict):
            raise InputError(path, "each line must be a JSON object like {\"id\": ..., \"text\": ...}", number)
        yield number, row


def _csv_rows(path: Path, text: str) -> Iterable[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, "file is empty") from None
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise InputError(path, f"column '{dup}' appears twice in the header", 1, dup)
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InputError(path, f"row has {len(row)} cells but the header has {len(header)}", number)
        yield number, dict(zip(header, row + [""] * (len(header) - len(row))))


# --------------------------------------------------------------------------- entry points
Reader = Callable[[Path, str, str, "str | None", IngestReport], list[Segment]]


def _read_notes(path: Path, text: str, event: str, text_column: str | None, report: IngestReport) -> list[Segment]:
    segments, parsed = parse_notes(text, path.name, event)
    report.dropped, report.sections, report.questions = parsed.dropped, parsed.sections, parsed.questions
    return segments


def _read_jsonl(path: Path, text: str, event: str, text_column: str | None, report: IngestReport) -> list[Segment]:
    return _response_segments(path, _jsonl_rows(path, text), event, text_column, report)


def _read_csv(path: Path, text: str, event: str, text_column: str | None, report: IngestReport) -> list[Segment]:
    return _response_segments(path, _csv_rows(path, text), event, text_column, report)


READERS: dict[str, Reader] = {
    **{s: _read_notes for s in TEXT_SUFFIXES},
    ".jsonl": _read_jsonl, ".ndjson": _read_jsonl, ".csv": _read_csv,
}


def ingest_file(path: str | Path, event: str | None = None, text_column: str | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Segment], IngestReport]:
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(path, f"unsupported file type '{path.suffix or '(none)'}'; "
                               f"supported: {', '.join(sorted(READERS))}")
    text, encoding = read_text(path, max_bytes)
    event = event or slug(path.name)
    report = IngestReport(source=path.name, event=event, encoding=encoding)
    if encoding != "utf-8":
        report.notes.append(f"encoding: {encoding}")
    segments = reader(path, text, event, text_column, report)
    if not segments:
        raise InputError(path, "no statements found (every line was a heading, list or page furniture)")
    report.segments = len(segments)
    return segments, report


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the supported files inside any folder, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in READERS)
            if not found:
                raise InputError(p, f"folder holds no supported notes files ({', '.join(sorted(READERS))})")
            out.extend(found)
        else:
            out.append(p)
    return out


@dataclass
class IngestResult:
    segments: list[Segment]
    reports: list[IngestReport]
    failures: list[InputError]


def ingest(paths: Iterable[str | Path], event: str | None = None, text_column: str | None = None,
           max_bytes: int = DEFAULT_MAX_BYTES) -> IngestResult:
    """Ingest every file; a bad file is recorded as a failure and the others still load."""
    segments: list[Segment] = []
    reports: list[IngestReport] = []
    failures: list[InputError] = []
    seen: dict[str, str] = {}
    for path in expand_paths(paths):
        try:
            segs, report = ingest_file(path, event=event, text_column=text_column, max_bytes=max_bytes)
        except InputError as exc:
            failures.append(exc)
            continue
        except OSError as exc:
            failures.append(InputError(path, f"cannot be read ({exc.strerror or exc})"))
            continue
        for seg in segs:
            if seg.id in seen:
                failures.append(InputError(path, f"segment id '{seg.id}' is also used in {seen[seg.id]}; "
                                                 "give the files distinct names", seg.line_start))
                break
            seen[seg.id] = seg.source
        else:
            segments.extend(segs)
            reports.append(report)
    return IngestResult(segments, reports, failures)
