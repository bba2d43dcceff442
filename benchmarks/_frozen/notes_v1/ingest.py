"""Ingest: turn notes files into Segments, one statement each.

Readers are chosen by file extension, after checking that the content really
is what the extension says. Every reader returns the same records (Segment)
and an IngestReport that accounts for every line it left out:

- plain text and Markdown: `parse_notes`, tuned on PDF-extracted reports;
- Word (.docx): `read_docx`, where heading styles and list paragraphs say
  what the text parser has to guess;
- PDF: `read_pdf`, which rebuilds lines and paragraphs from the page layout and
  then hands them to the same parser;
- CSV, TSV, XLSX, JSONL: `read_tables`, one statement per free-text cell.

`ingest()` then attaches event metadata (`events`), redacts personal details
(`redact`) and merges the same statement pasted into two files of one event
(`dedupe`) before anything is embedded or written.
"""
from __future__ import annotations

import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import text as T
from .errors import InputError
from .records import DroppedLine, Event, IngestReport, Segment

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".xlsx", ".xlsm"}
TEXT_COLUMN_NAMES = ("text", "response", "comment", "comments", "answer", "statement", "note", "notes")
# what people most often try instead, and what to do about it
UNSUPPORTED = {
    ".doc": "an old-style Word file: open it in Word or LibreOffice and save it as .docx",
    ".xls": "an old-style Excel file: save it as .xlsx or .csv",
    ".ppt": "a PowerPoint file: save it as PDF", ".pptx": "a PowerPoint file: save it as PDF",
    ".odt": "an OpenDocument text: save it as .docx", ".ods": "an OpenDocument sheet: save it as .xlsx",
    ".rtf": "a rich-text file: save it as .docx or .txt", ".pages": "a Pages file: export it as .docx",
    ".numbers": "a Numbers file: export it as .xlsx or .csv",
}


# --------------------------------------------------------------------------- reading bytes
def slug(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", Path(name).stem).strip("-").lower()
    return s or "notes"


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit in every other position, as UTF-16 English text has them."""
    head = raw[:4096]
    even, odd = head[0::2], head[1::2]
    if not odd:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.05:
        guess, low = "utf-16-le", even
    elif even_nul > 0.3 and odd_nul < 0.05:
        guess, low = "utf-16-be", odd
    else:
        return None
    # the other half must read as text: mostly printable characters, not control bytes
    printable = sum(1 for b in low if b >= 0x20 or b in (9, 10, 13))
    return guess if printable >= 0.9 * len(low) else None


def check_size(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """Refuse missing files, folders, 0-byte files and files over the size limit; returns the size."""
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a folder; pass the files inside it, or the folder to 'plenary run'")
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "file is empty (0 bytes)")
    if size > max_bytes:
        raise InputError(path, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                               "(raise it with --max-mb)")
    return size


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Read a text file, returning (text, encoding). Refuses what is not text.

    UTF-8 (with or without a BOM), UTF-16 (with or without a BOM) and
    Windows-1252 are recognised; the encoding used is returned so the ingest
    report can say so.
    """
    check_size(path, max_bytes)
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(path, "file starts with a UTF-16 mark but is not valid UTF-16") from None
    elif b"\x00" in raw[:8192]:
        guess = _utf16_without_bom(raw)
        try:
            text, encoding = raw.decode(guess), guess  # type: ignore[arg-type]
        except (TypeError, UnicodeDecodeError):
            raise InputError(path, "looks like a binary file, not text (it contains NUL bytes)") from None
    elif raw.startswith(b"%PDF") or raw.startswith(b"PK\x03\x04"):
        raise InputError(path, "looks like a PDF or Office file, not text; save it as .txt or use the "
                               "matching extension")
    else:
        try:
            text, encoding = raw.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as exc:
            bad_line = raw[: exc.start].count(b"\n") + 1
            try:
                text = raw.decode("cp1252")
                encoding = f"cp1252 (not valid UTF-8 from line {bad_line}; read as Windows-1252)"
            except UnicodeDecodeError:
                raise InputError(path, "is neither UTF-8 nor Windows-1252 text; save it as UTF-8", bad_line) from None
    if not text.strip():
        raise InputError(path, "file is empty")
    return text, encoding


# what a file's first bytes say it is
KIND_NAMES = {"pdf": "a PDF", "docx": "a Word document (.docx)", "xlsx": "an Excel workbook (.xlsx)",
              "pptx": "a PowerPoint file", "odf": "an OpenDocument file", "zip": "a zip archive",
              "ole": "an old-style or password-protected Office file", "text": "plain text",
              "binary": "binary data", "damaged-zip": "a damaged Office file (a truncated or corrupt zip)"}
KIND_SUFFIX = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "text": ".txt"}


def sniff(path: Path) -> str:
    """What the file holds, judged by its content: pdf | docx | xlsx | pptx | odf | zip | ole | text | binary."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # .doc/.xls, or a password-protected .docx/.xlsx (Office encrypts into this container)
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, EOFError):
            return "damaged-zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
        if "mimetype" in names and "content.xml" in names:
            return "odf"
        return "zip"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in head and _utf16_without_bom(head)):
        return "text"
    if b"\x00" in head:
        return "binary"
    return "text"


def _check_kind(path: Path, expected: str) -> None:
    """Refuse a file whose content is not what its extension says (a .docx that is really a PDF...)."""
    kind = sniff(path)
    if kind == expected:
        return
    named = f"is named '{path.suffix}' but holds {KIND_NAMES.get(kind, kind)}"
    if kind == "binary":
        raise InputError(path, "looks like a binary file, not text or a document (it contains NUL bytes)")
    if kind == "damaged-zip":
        raise InputError(path, "is damaged: it is not a complete Office file (the zip archive is truncated or "
                               "corrupt); open it and save it again")
    if kind == "ole" and expected in ("docx", "xlsx"):
        raise InputError(path, "is password-protected (or an old .doc/.xls renamed); remove the password or "
                               f"save it again as {KIND_SUFFIX[expected]}")
    if kind in KIND_SUFFIX:
        raise InputError(path, f"{named}; rename it to '{KIND_SUFFIX[kind]}'")
    raise InputError(path, f"{named}, which Plenary cannot read")


# --------------------------------------------------------------------------- notes (txt / md)
BULLET_RE = re.compile(r"^(?P<indent>\s*)(?:[-•*▪◦·‣–]|\d{1,2}[.)](?=\s)|\(?[a-h]\)(?=\s))\s+(?P<body>\S.*)$")
EMPTY_BULLET_RE = re.compile(r"^\s*(?:[-•*▪◦·‣–]|\d{1,2}[.)])\s*$")
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


def line_reason(stripped: str, line: str | None = None) -> str | None:
    """Why a single line is furniture rather than content (page number, footnote, contents entry), if it is."""
    if PAGE_NUMBER_RE.match(stripped):
        return "page_furniture"
    if FOOTNOTE_RE.match(stripped):
        return "footnote"
    if CONTENTS_RE.search(line if line is not None else stripped):
        return "contents"
    if EMPTY_BULLET_RE.match(stripped):
        return "empty_bullet"
    return None


@dataclass
class _Block:
    kind: str  # text | bullet | heading | table | row
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text piece)
    indent: int = 0
    level: int = 2
    marker: str = ""  # a bullet's list marker, e.g. "-" or "19."
    # a Word table row: its cells (each a list of paragraphs), the header row, and which columns hold prose
    cells: list[list[str]] | None = None
    header: list[str] | None = None
    prose: set[int] | None = None
    role: str = ""  # what the parser made of it (heading, question, prompt, statement, dropped:<why>)

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


def _split_blocks(lines: Iterable[tuple[int, str]]) -> tuple[list[_Block], list[DroppedLine]]:
    """Phase 1: split numbered lines into blocks at blank lines, bullets, headings and table rows."""
    blocks: list[_Block] = []
    dropped: list[DroppedLine] = []
    current: _Block | None = None
    for number, raw in lines:
        line = _clean(raw)
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        reason = line_reason(stripped, line)
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


def _segment_blocks(blocks: list[_Block], source: str, event: str, report: IngestReport,
                    doc: str | None = None) -> list[Segment]:
    """Phase 3: read structure (headings, questions, prompts, rosters) and turn content blocks into segments.

    Shared by every notes reader: text and Markdown, Word and PDF all arrive
    here as blocks, so a heading, a bullet or a question means the same in each.
    """
    doc = doc or slug(source)
    segments: list[Segment] = []
    section: list[tuple[int, str]] = []  # (level, heading)
    question: str | None = None
    prompt: str | None = None
    mode: str | None = None  # roster | contact while inside such a list
    parents: list[tuple[int, Segment]] = []  # open bullets by indent, for sub-bullets
    furniture_run: list[_Block] = []

    def drop(block: _Block, reason: str):
        block.role = f"dropped:{reason}"
        for number, piece in block.lines:
            report.dropped.append(DroppedLine(number, reason, piece.strip()))

    def structure(block: _Block, role: str):
        block.role = role
        report.structure_lines.extend(n for n, _ in block.lines)

    run_prev: _Block | None = None
    next_after_run: _Block | None = None

    def flush_run():
        # A run of short, unpunctuated lines (a cover page of logos, an address) is furniture.
        if len(furniture_run) >= 5:
            # the last short line, right before content, is usually that content's heading
            keep_last = next_after_run is not None and next_after_run.kind != "heading" and \
                _is_title_like(furniture_run[-1].text)
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
        # a heading that asks ("## What would help?") is the question its statements answer
        question, prompt = (heading if heading.endswith("?") else None), None
        parents.clear()
        if ROSTER_HEADING_RE.search(heading):
            mode = "roster"
        elif CONTACT_HEADING_RE.match(heading):
            mode = "contact"
        else:
            mode = None
        if heading not in report.sections and mode is None:
            report.sections.append(heading)
        if question and question not in report.questions:
            report.questions.append(question)

    def add(block: _Block, body: str, kind: str, line: int, end: int, sid: str, parent: Segment | None,
            context: str | None = None, attributes: dict | None = None):
        block.role = "statement"
        seg = Segment(
            id=sid, text=body, source=source, line_start=line, line_end=end, event=event,
            section=[h for _, h in section], question=question, kind=kind,
            parent=parent.id if parent else None,
            context=context if context is not None else parent.text if parent else prompt,
            attributes=dict(attributes or {}),
        )
        segments.append(seg)
        return seg

    def handle_row(block: _Block):
        # A Word table row: each prose cell is a statement, with its column header as context; the
        # row's short cells (an area, a date, a rating) become the statement's attributes.
        cells, header, prose = block.cells or [], block.header or [], block.prose or set()
        if mode is not None:
            drop(block, mode)
            return
        names = [(header[j] if j < len(header) and header[j] else f"column {j + 1}") for j in range(len(cells))]
        attrs = {names[j]: " ".join(c) for j, c in enumerate(cells) if j not in prose and " ".join(c).strip()}
        kept = 0
        for j in sorted(prose):
            paragraphs = [p for p in cells[j] if p.strip()] if j < len(cells) else []
            for k, para in enumerate(paragraphs, start=1):
                if T.word_count(para) < 2:
                    report.dropped.append(DroppedLine(block.first, "fragment", para))
                    continue
                sid = f"{doc}:{block.first}.{j + 1}" + (f".{k}" if len(paragraphs) > 1 else "")
                add(block, T.normalise_space(para), "response", block.first, block.first, sid, None,
                    context=names[j], attributes=attrs)
                kept += 1
        if not kept:
            drop(block, "table")

    def handle(block: _Block, prev_block: _Block | None = None, next_block: _Block | None = None):
        nonlocal question, prompt, mode
        if block.kind == "row":
            handle_row(block)
            return
        body = block.text
        if block.kind == "heading":
            structure(block, f"heading:{block.level}")
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
                structure(block, "prompt")
                return
            next_is_bullet = next_block is not None and next_block.kind == "bullet"
            if body[-1:] in ":–-" and next_is_bullet and T.word_count(body) <= 25:
                prompt = body  # a lead-in ("The purpose was to:") is context for the bullets under it
                structure(block, "prompt")
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
                structure(block, f"heading:{level}")
                set_heading(level, body)
                return
            if body.endswith("?") and T.word_count(body) <= 30 and mode is None and not WORKSHOP_RE.match(body):
                question = body
                prompt = None
                parents.clear()
                structure(block, "question")
                if body not in report.questions:
                    report.questions.append(body)
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
            if not block.role:
                block.role = "dropped:fragment"
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
    return segments


def parse_lines(lines: Iterable[tuple[int, str]], source: str, event: str,
                merge_continuations: bool = True) -> tuple[list[Segment], IngestReport, list[_Block]]:
    """Parse numbered lines (plain text, Markdown, or text rebuilt from a PDF); also returns the blocks."""
    report = IngestReport(source=source, event=event)
    raw_blocks, report.dropped = _split_blocks(lines)
    blocks = _merge_continuations(raw_blocks) if merge_continuations else raw_blocks
    segments = _segment_blocks(blocks, source, event, report)
    report.segments = len(segments)
    report.dropped.sort(key=lambda d: d.line)
    return segments, report, blocks


def parse_notes(text: str, source: str, event: str) -> tuple[list[Segment], IngestReport]:
    """Parse plain-text or Markdown notes into segments."""
    segments, report, _ = parse_lines(enumerate(text.splitlines(), start=1), source, event)
    return segments, report


def outline(text: str, source: str = "notes.txt") -> list[dict]:
    """What the parser made of each block of `text`: role, kind, level, indent, text and lines.

    For checking why a heading was or was not taken as one, and for building
    Word and PDF versions of a text file that carry the same structure.
    """
    _, _, blocks = parse_lines(enumerate(text.splitlines(), start=1), source, slug(source))
    return [{"role": b.role or "dropped", "kind": b.kind, "level": b.level, "indent": b.indent,
             "marker": b.marker, "text": b.text, "lines": [n for n, _ in b.lines]} for b in blocks]


# --------------------------------------------------------------------------- readers
Reader = Callable[[Path, str, "str | Sequence[str] | None", IngestReport], list[Segment]]


def _read_notes(path: Path, event: str, text_column, report: IngestReport) -> list[Segment]:
    text, report.encoding = read_text(path, max_bytes=sys.maxsize)  # ingest_file checked the size
    segments, parsed = parse_notes(text, path.name, event)
    report.dropped, report.sections, report.questions = parsed.dropped, parsed.sections, parsed.questions
    report.structure_lines = parsed.structure_lines
    report.lines["read"] = sum(1 for line in text.splitlines() if line.strip())
    return segments


def _read_jsonl(path: Path, event: str, text_column, report: IngestReport) -> list[Segment]:
    from .read_tables import read_jsonl
    return read_jsonl(path, event, text_column, report)


def _read_csv(path: Path, event: str, text_column, report: IngestReport) -> list[Segment]:
    from .read_tables import read_csv
    return read_csv(path, event, text_column, report)


def _read_xlsx(path: Path, event: str, text_column, report: IngestReport) -> list[Segment]:
    from .read_tables import read_xlsx
    return read_xlsx(path, event, text_column, report)


def _read_docx(path: Path, event: str, text_column, report: IngestReport) -> list[Segment]:
    from .read_docx import read_docx
    return read_docx(path, event, report)


def _read_pdf(path: Path, event: str, text_column, report: IngestReport) -> list[Segment]:
    from .read_pdf import read_pdf
    return read_pdf(path, event, report)


# suffix -> (reader, format name, what the content must be)
READERS: dict[str, tuple[Reader, str, str]] = {
    ".txt": (_read_notes, "text", "text"), ".text": (_read_notes, "text", "text"),
    ".md": (_read_notes, "markdown", "text"), ".markdown": (_read_notes, "markdown", "text"),
    ".jsonl": (_read_jsonl, "jsonl", "text"), ".ndjson": (_read_jsonl, "jsonl", "text"),
    ".csv": (_read_csv, "csv", "text"), ".tsv": (_read_csv, "csv", "text"),
    ".xlsx": (_read_xlsx, "xlsx", "xlsx"), ".xlsm": (_read_xlsx, "xlsx", "xlsx"),
    ".docx": (_read_docx, "docx", "docx"),
    ".pdf": (_read_pdf, "pdf", "pdf"),
}


def _account(report: IngestReport, segments: list[Segment]) -> None:
    """Say what became of every non-blank line: in a statement, structure (headings...), or dropped and why."""
    in_statements: set[int] = set()
    for seg in segments:
        in_statements.update(range(seg.line_start, seg.line_end + 1))
    structure = set(report.structure_lines) - in_statements
    dropped = {d.line for d in report.dropped} - in_statements - structure
    read = report.lines.get("read")
    report.lines.update({"in_statements": len(in_statements), "structure": len(structure), "dropped": len(dropped)})
    if read is not None:
        report.lines["unaccounted"] = max(0, read - len(in_statements) - len(structure) - len(dropped))


def ingest_file(path: str | Path, event: str | None = None, text_column: str | Sequence[str] | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES, redact: bool = True) -> tuple[list[Segment], IngestReport]:
    """Read one file into segments and its ingest report. Raises InputError with a one-line reason.

    With `redact` (the default) personal details are replaced before the
    segments are returned; `ingest()` turns this off and redacts the whole run
    at once, so a name found in one file is also hidden in the others.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise InputError(path, f"is {UNSUPPORTED[suffix]}")
    if suffix not in READERS:
        raise InputError(path, f"unsupported file type '{path.suffix or '(none)'}'; "
                               f"supported: {', '.join(sorted(READERS))}")
    reader, fmt, expected = READERS[suffix]
    check_size(path, max_bytes)
    _check_kind(path, expected)
    event = event or slug(path.name)
    report = IngestReport(source=path.name, event=event, format=fmt)
    segments = reader(path, event, text_column, report)
    if report.encoding != "utf-8":
        report.notes.append(f"encoding: {report.encoding}")
    if not segments:
        raise InputError(path, "no statements found (every line was a heading, list or page furniture)")
    report.segments = len(segments)
    report.dropped.sort(key=lambda d: d.line)
    _account(report, segments)
    if redact:
        from .redact import Redactor
        Redactor().fit(_texts_of(segments, [report])).apply(segments, [report])
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


@dataclass
class IngestResult:
    segments: list[Segment]
    reports: list[IngestReport]
    failures: list[InputError]
    events: list[Event] = field(default_factory=list)


def _texts_of(segments: Sequence[Segment], reports: Sequence[IngestReport]) -> list[str]:
    """Every piece of text ingest will pass on, for learning the names to redact."""
    out = [s.text for s in segments] + [s.context or "" for s in segments]
    out += [r.text for rep in reports for r in rep.dropped]
    out += [h for rep in reports for h in rep.sections + rep.questions]
    return out


def ingest(paths: Iterable[str | Path], event: str | Event | None = None,
           text_column: str | Sequence[str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
           redact: bool = True, dedupe: bool = True) -> IngestResult:
    """Ingest every file; a bad file is recorded as a failure and the others still load.

    `event` names the event of every file (a name, or an Event whose date,
    place and type are given too); otherwise each file's event comes from an
    `event.yaml` sidecar (see `events`), or is the file's name. Then personal
    details are redacted (`redact`) and the same statement pasted into two
    files of one event is kept once (`dedupe`).
    """
    from .events import resolve_event

    segments: list[Segment] = []
    reports: list[IngestReport] = []
    failures: list[InputError] = []
    events: dict[str, Event] = {}
    seen: dict[str, str] = {}
    override = Event(name=event) if isinstance(event, str) else event
    for path in expand_paths(paths):
        try:
            info = resolve_event(path, override)
            segs, report = ingest_file(path, event=info.name, text_column=text_column, max_bytes=max_bytes,
                                       redact=False)
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
            for name in dict.fromkeys(s.event for s in segs):  # a JSONL row may name its own event
                warning = _merge_event(events, info if name == info.name else Event(name), path.name)
                if warning:
                    report.notes.append(warning)
            for seg in (s for s in segs if s.event == info.name):
                seg.attributes.update({f"event_{k}": v for k in ("date", "place", "type")
                                       if (v := getattr(info, k)) and f"event_{k}" not in seg.attributes})
            segments.extend(segs)
            reports.append(report)
    if redact:
        from .redact import Redactor
        Redactor().fit(_texts_of(segments, reports)).apply(segments, reports)
    else:
        for report in reports:
            report.notes.append("redaction: off (--no-redact)")
    if dedupe:
        from .dedupe import merge_duplicates
        segments = merge_duplicates(segments, reports)
        for report in reports:  # merged copies moved from "in statements" to "dropped: duplicate"
            _account(report, [s for s in segments if s.source == report.source])
    return IngestResult(segments, reports, failures, list(events.values()))


def _merge_event(events: dict[str, Event], info: Event, source: str) -> str | None:
    """Add a file to its event; files naming the same event should agree on date, place and type."""
    known = events.get(info.name)
    if known is None:
        events[info.name] = Event(info.name, info.date, info.place, info.type, [source])
        return None
    if source not in known.sources:
        known.sources.append(source)
    clashes = []
    for key in ("date", "place", "type"):
        mine, theirs = getattr(info, key), getattr(known, key)
        if mine and not theirs:
            setattr(known, key, mine)
        elif mine and theirs and mine != theirs:
            clashes.append(f"{key} '{mine}' (kept '{theirs}' from {known.sources[0]})")
    return f"event '{info.name}': sidecars disagree on " + ", ".join(clashes) if clashes else None


def format_report(report: IngestReport) -> str:
    """The ingest report of one file, in two or three short lines for the terminal."""
    dropped = report.dropped_by_reason()
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"
    parts = [n(report.segments, "statement")]
    if report.sections:
        parts.append(n(len(report.sections), "section"))
    if report.questions:
        parts.append(n(len(report.questions), "question"))
    head = f"{report.source} ({report.format}, event '{report.event}'): " + ", ".join(parts)
    lines = [head]
    if report.lines.get("read") is not None:
        acc = report.lines
        lines.append(f"  {acc['read']} lines read: {acc.get('in_statements', 0)} in statements, "
                     f"{acc.get('structure', 0)} headings/questions/prompts, {acc.get('dropped', 0)} dropped"
                     + (f", {acc['unaccounted']} unaccounted" if acc.get("unaccounted") else ""))
    if dropped:
        lines.append("  dropped " + ", ".join(f"{n} {why}" for why, n in dropped.items()))
    if report.redactions:
        lines.append("  redacted " + ", ".join(f"{n} {kind}" for kind, n in sorted(report.redactions.items())))
    lines += [f"  {note}" for note in report.notes]
    return "\n".join(lines)
