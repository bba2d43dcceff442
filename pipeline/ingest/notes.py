"""The notes parser: numbered lines -> blocks -> statements, shared by every notes reader.

Plain text and Markdown come here as lines; PDF text is rebuilt into lines first; Word documents arrive as
ready-made blocks (headings and lists come from styles). The parser works in three phases:

1. `split_blocks`: split lines into blocks at blank lines, bullets, headings (numbered section headings too),
   tabbed lines, pipe tables' rows and a chat export's messages, dropping page furniture line by line (page
   numbers, footnotes, chat about the call); a speaker's turn starts a new block, and lines typed without markers
   are split by layout (`layout`: board items one a line, a heading typed straight above its text);
2. `merge_continuations`: rejoin what PDF extraction broke across blank lines;
3. `BlockParser`: read structure (headings, questions, prompts, rosters, contact lists) and turn content blocks
   into Segments, accounting for every line it leaves out in the IngestReport.

Tuned on PDF-extracted community reports; see docs/ingest.md for the rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable

from .. import text as T
from ..files import slug
from ..records import DroppedLine, IngestReport, Segment
from .layout import CAPTION_RE, CONTENTS_RE, FOOTNOTE_RE, PAGE_NUMBER_RE  # noqa: F401  (readers.pdf reads PAGE_NUMBER_RE)
from .layout import (ANSWER_KEY_RE, CHAT_LINE_RE, ONE_WORD_ASK_RE, PARTICIPANT_TURN_RE, QUESTION_KEY_RE, TALLY_RE, TURN_RE,
                     WRAPS_ON_RE, asks, caps_lead, chatter, hard_breaks, heading_like, is_all_caps, is_title_like, key, line_cuts,
                     outdented, pipe_tables, ruled_heading, sentences)
from .feedback import event_marks, note_event_feedback
from .nonview import entry_head, non_view_lines
from .records_layout import read_records

NON_VIEW_REASON = {"attendees": "roster"}  # ingest.json has always called attendee and organisation lists "roster"

# a list marker: -, •, *..., "1." or "1)", "(a)", or Word-style decimal numbering ("1.1 The Chair ...")
BULLET_RE = re.compile(r"^(?P<indent>\s*)(?:[-•*▪◦·‣–+]|\d{1,2}[.)](?=\s)|\d{1,2}(?:\.\d{1,2})+\.?(?=\s+[\"“‘'(A-Z])|"
                       r"\(?[a-h]\)(?=\s)|[A-PR-Z]\d{1,2}[.)](?=\s+[\"“A-Z]))\s+(?P<body>\S.*)$")  # "R1. Introduce ..."
EMPTY_BULLET_RE = re.compile(r"^\s*(?:[-•*▪◦·‣–]|\d{1,2}[.)])\s*$")
# "3. What residents value" over "3.1 ...", and "Item 4. Anti-social behaviour": numbered section headings
NUMBERED_HEADING_RE = re.compile(r"^\s*(?P<num>\d{1,2})\.?\s+(?P<body>[A-Z][^.!?]{1,80}\??)$")
SUB_NUMBER_RE = re.compile(r"^\s*(?P<num>\d{1,2})\.\d{1,2}\.?\s")
ITEM_HEADING_RE = re.compile(r"^\s*(item|section|topic|sheet)\s+\d{1,2}\.?(\s*[:–—-])?\s+[^.!?]{1,80}$", re.I)
LEADING_STAR_RE = re.compile(r"^(\s*)\*(\s+)(?=\S)")
MD_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<body>.+?)\s*#*\s*$")
WORKSHOP_RE = re.compile(r"^(workshop|session|breakout( room)?|part|day|table|group|theme|round|panel|board|wall|station|"
                         r"flipchart|stop|visit|site)\s+[\w.]{1,4}\s*[:–—-]\s*\S", re.I)  # "Stop 2: ..." on a walkabout
PROMPT_RE = re.compile(r"^(prompts?|prompted by|facilitator prompts?)\s*[:–-]\s*(?P<body>.*)$", re.I)
CONTACT_RE = re.compile(r"(^\s*(e|t|w|tel|email|e-mail|web|phone)\s*:\s*\S)|(^\s*tel\b)|(\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b)|(@[\w-]+\.[\w.]+)|(\bwww\.)|"
                        r"(\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b)", re.I)
ROSTER_HEADING_RE = re.compile(
    r"(list of (organi[sz]ations|individuals|attendees|participants|contributors)|organi[sz]ations represented|"
    r"^attendees|^participants$|^contributors|^panel members|^contents$|^acknowledg|^members$|"
    r"^appendix\b.*\b(list|organi[sz]ations|interviewed))", re.I)
CONTACT_HEADING_RE = re.compile(r"^(contact( us| details)?|further information|for more information)$", re.I)
HTML_TAG_RE = re.compile(r"<[^>]+>")
SUB_MARKER_RE = re.compile(r"^(?:(?:[ivx]{1,4}|[a-h])[.)]|(?:[ivx]{2,4}|[b-h]))\s+(?=[A-Z])")  # "- iv X"; "- a PCSO" keeps a
QUOTED_RE = re.compile(r"^(\s*)>+\s+(?=\D)")
MD_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
EMPHASIS_RE = re.compile(r"(\*{1,3}|_{2,3})")
END_PUNCT = ".?!:;…\"”’)"


def clean_line(line: str) -> str:
    line = CHAT_LINE_RE.sub(r"- \g<msg>", line)  # a chat message is one item; who sent it and when stay in the source
    star = LEADING_STAR_RE.match(line)
    if star:  # "* point" is a bullet: keep its marker, strip emphasis from the rest only
        return star.group(1) + "*" + star.group(2) + clean_line(line[star.end():])
    line = QUOTED_RE.sub(r"\1", line)  # "> Agree, ..." (a reply quoted in an export or an e-mail)
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
class Block:
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
    item: bool = False  # one line of a typed-up list without markers (a board's items): read as a bullet
    entry: bool = False  # typed straight under an entry's header line (user, time, likes): that person's words
    attrs: dict = field(default_factory=dict)  # a record's short fields ("Ref", "From"): its statements' attributes

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


def heading_level(text: str, next_is_bullet: bool, next_is_prose: bool = False) -> int | None:
    """Return a heading level for a standalone short line, or None if it is content."""
    if WORKSHOP_RE.match(text) or is_all_caps(text) or caps_lead(text):
        return 1
    if asks(text):
        return None  # questions are handled separately
    short = T.word_count(text) <= 12 and len(text) <= 100 and text[-1:] not in ".;!,"
    if not short or not text[:1].isupper() and not text[:1].isdigit():
        return None
    if is_title_like(text) or (next_is_bullet and T.word_count(text) <= 8) or \
            (next_is_prose and T.word_count(text) <= 5):  # a sentence-case heading ("Cultural change")
        return 2
    return None


def split_blocks(lines: Iterable[tuple[int, str]]) -> tuple[list[Block], list[DroppedLine]]:
    """Phase 1: split numbered lines into blocks at blank lines, bullets, headings and table rows."""
    blocks: list[Block] = []
    dropped: list[DroppedLine] = []
    current: Block | None = None
    lines = list(lines)
    table = pipe_tables([raw for _, raw in lines])
    for k, (number, raw) in enumerate(lines):
        line = clean_line(raw)
        stripped = line.strip()
        if k in table or not stripped:  # a pipe table: each row's cells under its header's names (`handle_row`)
            blocks += [Block("row", [(number, stripped)], **table[k])] if table.get(k) else []
            dropped += [DroppedLine(number, "table", stripped)] if k in table and not table[k] else []  # its header
            current = None
            continue
        reason = line_reason(stripped, line) or ("welcome" if chatter(raw) else None)
        if reason:
            dropped.append(DroppedLine(number, reason, stripped))
            current = None
            continue
        md = MD_HEADING_RE.match(stripped) or _numbered_heading(stripped, lines, k) or \
            MD_HEADING_RE.match("# " + (ruled_heading(stripped) or ""))  # "=== Discussion 1 ===" as "# Discussion 1"
        bullet = BULLET_RE.match(line)
        if "\t" in line:
            blocks.append(Block("table", [(number, line)]))
            current = None
        elif md:
            blocks.append(Block("heading", [(number, md.group("body"))], level=len(md.group("hashes"))))
            current = None
        elif bullet:
            current = Block("bullet", [(number, SUB_MARKER_RE.sub("", bullet.group("body")))],
                             indent=len(bullet.group("indent").expandtabs(4)),
                             marker=line.strip()[: len(line.strip()) - len(bullet.group("body"))].strip())
            blocks.append(current)
        elif current is not None and not (current.kind == "text" and TURN_RE.match(stripped) and (
                current.lines[-1][1].rstrip()[-1:] in ".?!)\"”" or len(current.lines) == 1 and (  # "Q2: ..." under "Q1: 4"
                    heading_like(current.lines[0][1]) or TURN_RE.match(current.lines[0][1])))) \
                and not outdented(current, line, stripped):
            current.lines.append((number, stripped))  # a wrapped line
        else:
            current = Block("text", [(number, stripped)])
            blocks.append(current)
    return [piece for block in blocks for piece in split_items(block)], dropped


def _label_heading(block: Block | None) -> bool:
    """A one-line "Label (who): topic" line with no end punctuation: "Group A (Ollie): safer routes to school"."""
    return block is not None and block.kind == "text" and len(block.lines) == 1 and not block.item and \
        bool(TURN_RE.match(block.text)) and T.word_count(block.text) <= 10 and block.text[-1:] not in END_PUNCT


def split_items(block: Block) -> list[Block]:
    """A text block typed without markers: a board's items one a line, or a heading typed straight above its
    paragraph (`layout.line_cuts`) -> one block per item (`item=True`) or the heading and its text apart; a bullet
    over short lines ended by hand (sticky notes typed one a line after it, `hard_breaks`) -> the bullet, then each."""
    if block.kind == "bullet" and hard_breaks(ps := [p for _, p in block.lines]) and sum(map(len, ps)) <= 75 * len(ps):
        return [replace(block, lines=block.lines[:1])] + [Block("text", [ln], block.indent, item=True) for ln in block.lines[1:]]
    found = line_cuts([piece for _, piece in block.lines]) if block.kind == "text" else None
    if found is None:
        return [block]
    cuts, items = found
    bounds = [0] + cuts + [len(block.lines)]
    return [Block("text", block.lines[a:b], indent=block.indent, item=item)
            for a, b, item in zip(bounds, bounds[1:], items)]


def _numbered_heading(stripped: str, lines: list[tuple[int, str]], k: int) -> re.Match | None:
    """'3. What residents value' with '3.1 ...' under it, or 'Item 4. Play area': a heading, as if '## ...'."""
    nxt = next((line for _, line in lines[k + 1:] if line.strip()), "")
    numbered = NUMBERED_HEADING_RE.match(stripped)
    if numbered and (sub := SUB_NUMBER_RE.match(nxt)) and sub.group("num") == numbered.group("num"):
        return MD_HEADING_RE.match("## " + numbered.group("body").strip())
    if ITEM_HEADING_RE.match(stripped):
        return MD_HEADING_RE.match("## " + stripped)
    if numbered and _numbered_section(stripped, numbered.group("body"), lines, k):
        return MD_HEADING_RE.match("## " + numbered.group("body").strip())
    return None


def _numbered_section(stripped: str, body: str, lines: list[tuple[int, str]], k: int) -> bool:
    """'1. Background' over prose, or '3. Concerns raised' over '-' bullets: a numbered section heading, not a
    list item. It is short, stands apart (a blank line or the file start above it), is not inside a numbered
    list (no numbered line just before or after it), and what follows is prose or another kind of bullet at
    its own indent (a list item's sub-points are indented under it)."""
    if T.word_count(body) > 8 or WRAPS_ON_RE.search(body) or body.rstrip()[-1:] in ",;:":
        return False
    if k and lines[k - 1][1].strip():
        return False
    prev = next((line for _, line in reversed(lines[:k]) if line.strip()), "")
    nxt = next((line for _, line in lines[k + 1:] if line.strip()), "")
    numbered = re.compile(r"^\s*\d{1,2}[.)]\s")
    if not nxt or numbered.match(prev) or numbered.match(nxt):
        return False
    raw = lines[k][1].expandtabs(4)
    indent = len(raw) - len(raw.lstrip())
    nxt_indent = len(nxt.expandtabs(4)) - len(nxt.expandtabs(4).lstrip())
    if BULLET_RE.match(nxt):
        return nxt_indent <= indent
    return nxt_indent <= indent and (nxt.strip()[:1].isupper() or nxt.strip()[:1] in "\"“")


def merge_continuations(blocks: list[Block]) -> list[Block]:
    """Phase 2: rejoin paragraphs and bullets that PDF extraction broke across blank lines: a block continues the
    previous one when that is unfinished (no closing punctuation) and this starts in lower case, or the previous
    ends in a broken word such as "C-"."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and prev.kind in ("text", "bullet") and block.kind in ("text", "bullet") and not block.item:
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


def is_furniture_candidate(block: Block) -> bool:
    """A short, unpunctuated text line: on its own maybe a heading, in a run of five or more page furniture."""
    return block.kind == "text" and not block.item and T.word_count(block.text) <= 7 and block.text[-1:] not in END_PUNCT \
        and not block.text.endswith("?") and not PROMPT_RE.match(block.text) and not WORKSHOP_RE.match(block.text)


class BlockParser:
    """Phase 3: read structure (headings, questions, prompts, rosters) and turn content blocks into segments.

    Shared by every notes reader: text and Markdown, Word and PDF all arrive
    here as blocks, so a heading, a bullet or a question means the same in each.
    One parser reads one document: `BlockParser(source, event, report).parse(blocks)`.
    Lines left out are added to `report.dropped`, structure lines to
    `report.structure_lines`, headings and questions to `report.sections` / `report.questions`,
    and each block's `role` says what was made of it.
    """

    def __init__(self, source: str, event: str, report: IngestReport, doc: str | None = None):
        self.source, self.event, self.report = source, event, report
        self.doc = doc or slug(source)  # the id prefix: "<doc>:<line>"
        self.segments: list[Segment] = []
        self.section: list[tuple[int, str]] = []  # (level, heading), outermost first
        self._shape: list[list[bool]] = []  # per open heading: [has statements of its own, has sub-headings]
        self._flat: dict[int, bool] = {}  # level -> the last closed heading there had statements, no sub-headings
        self.question: str | None = None
        self.prompt: str | None = None
        self.mode: str | None = None  # roster | contact while inside such a list
        self.parents: list[tuple[int, Segment]] = []  # open bullets by indent, for sub-bullets
        self._run: list[Block] = []  # short unpunctuated lines waiting to be judged
        self._run_prev: Block | None = None  # the block before that run
        self._after_run: Block | None = None  # the block after it

    def parse(self, blocks: list[Block]) -> list[Segment]:
        blocks = read_records(blocks, self.report, self.drop_non_views)  # labelled-field records, then non-views
        for i, block in enumerate(blocks):
            prev = blocks[i - 1] if i else None
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if is_furniture_candidate(block):
                if not self._run:
                    self._run_prev = prev
                self._run.append(block)
                continue
            if self._run:
                self._after_run = block
                self._flush_run()
            self.handle(block, prev_block=prev, next_block=nxt)
        self._after_run = None
        self._flush_run()
        return self.segments

    # ------------------------------------------------------------------ bookkeeping
    def drop_non_views(self, blocks: list[Block]) -> list[Block]:
        """Leave out the lines that are not participants' views (title block, attendee lists, welcome,
        ground rules, agenda, next steps, contact lines: `nonview`), each with its kind as the reason.
        A heading the document marks as its title stays a heading; other blocks lose their marked lines."""
        by_block: dict[int, dict[int, str]] = {}
        for (i, j), kind in (marks := non_view_lines(blocks)).items():
            by_block.setdefault(i, {})[j] = kind
        kept: list[Block] = []
        heads = {blocks[i].lines[j][0] for (i, j), kind in marks.items() if kind == "byline" and entry_head(
            blocks[i].lines[j][1].strip())}
        for i, block in enumerate(blocks):
            hits = by_block.get(i, {})
            first = next((n for j, (n, _) in enumerate(block.lines) if j not in hits), None)
            block.entry = first is not None and first - 1 in heads  # the words under "#1041 Tess | 02/06 19:47"
            if not hits or (block.kind == "heading" and set(hits.values()) == {"title"}):
                kept.append(block)
                continue
            for j, kind in sorted(hits.items()):
                self.report.dropped.append(DroppedLine(block.lines[j][0], NON_VIEW_REASON.get(kind, kind),
                                                       block.lines[j][1].strip()))
            if len(hits) == len(block.lines):
                kind = hits[min(hits)]
                block.role = f"dropped:{NON_VIEW_REASON.get(kind, kind)}"
                continue
            block.lines = [line for j, line in enumerate(block.lines) if j not in hits]  # "Next steps: ..." under a list
            kept.append(block)
        return kept

    def drop(self, block: Block, reason: str) -> None:
        block.role = f"dropped:{reason}"
        for number, piece in block.lines:
            self.report.dropped.append(DroppedLine(number, reason, piece.strip()))

    def structure(self, block: Block, role: str) -> None:
        block.role = role
        self.report.structure_lines.extend(n for n, _ in block.lines)

    def _flush_run(self) -> None:
        # A run of short, unpunctuated lines (a cover page of logos, an address) is furniture.
        run, after = self._run, self._after_run
        if len(run) >= 5:
            # the last short line, right before content, is usually that content's heading
            keep_last = after is not None and after.kind != "heading" and is_title_like(run[-1].text)
            for b in run[:-1] if keep_last else run:
                self.drop(b, "page_furniture")
            if keep_last:
                self.handle(run[-1], prev_block=None, next_block=after)
        else:
            for j, b in enumerate(run):
                self.handle(b, prev_block=self._run_prev, next_block=run[j + 1] if j + 1 < len(run) else after)
        run.clear()

    def set_heading(self, level: int, heading: str) -> None:
        while self.section and self.section[-1][0] >= level:
            closed_level, _ = self.section.pop()
            direct, children = self._shape.pop()
            self._flat[closed_level] = direct and not children
        if self._shape:
            self._shape[-1][1] = True
        self.section.append((level, heading))
        self._shape.append([False, False])
        # a heading that asks ("## What would help?") is the question its statements answer
        self.question, self.prompt = (heading if heading.endswith("?") else None), None
        self.parents.clear()
        if ROSTER_HEADING_RE.search(heading):
            self.mode = "roster"
        elif CONTACT_HEADING_RE.match(heading):
            self.mode = "contact"
        else:
            self.mode = None
        if heading not in self.report.sections and self.mode is None:
            self.report.sections.append(heading)
        if self.question and self.question not in self.report.questions:
            self.report.questions.append(self.question)

    def add(self, block: Block, body: str, kind: str, line: int, end: int, sid: str, parent: Segment | None,
            context: str | None = None, attributes: dict | None = None) -> Segment:
        block.role = "statement"
        if self._shape:
            self._shape[-1][0] = True
        seg = Segment(
            id=sid, text=body, source=self.source, line_start=line, line_end=end, event=self.event,
            section=[h for _, h in self.section], question=self.question, kind=kind,
            parent=parent.id if parent else None,
            context=context if context is not None else parent.text if parent else self.prompt,
            attributes={**block.attrs, **(attributes or {}), **event_marks(self.question, self.prompt, self.section and self.section[-1][1])},
        )
        self.segments.append(seg)
        return seg

    # ------------------------------------------------------------------ blocks
    def handle(self, block: Block, prev_block: Block | None = None, next_block: Block | None = None) -> None:
        if block.kind == "row":
            self.handle_row(block)
        elif block.kind == "heading":
            self.structure(block, f"heading:{block.level}")
            self.set_heading(block.level, block.text)
        elif block.kind == "table":
            self.handle_table(block)
        elif self.mode == "contact" or CONTACT_RE.search(block.text) and T.word_count(block.text) <= 12:
            self.drop(block, "contact")
        elif block.kind == "text" and not block.item:
            self.handle_text(block, prev_block, next_block)
        else:
            self.handle_bullet(block)

    def handle_row(self, block: Block) -> None:
        # A Word table row: each prose cell is a statement, with its column header as context; the
        # row's short cells (an area, a date, a rating) become the statement's attributes.
        cells, header, prose = block.cells or [], block.header or [], block.prose or set()
        if self.mode is not None:
            self.drop(block, self.mode)
            return
        names = [(header[j] if j < len(header) and header[j] else f"column {j + 1}") for j in range(len(cells))]
        attrs = {names[j]: " ".join(c) for j, c in enumerate(cells) if j not in prose and " ".join(c).strip()}
        kept = 0
        for j in sorted(prose):
            paragraphs = [p for p in cells[j] if p.strip()] if j < len(cells) else []
            for k, para in enumerate(paragraphs, start=1):
                if T.word_count(para) < 2:
                    self.report.dropped.append(DroppedLine(block.first, "fragment", para))
                    continue
                sid = f"{self.doc}:{block.first}.{j + 1}" + (f".{k}" if len(paragraphs) > 1 else "")
                self.add(block, T.normalise_space(para), "response", block.first, block.first, sid, None,
                         context=names[j], attributes=attrs)
                kept += 1
        if not kept:
            self.drop(block, "table")

    def handle_table(self, block: Block) -> None:
        # a tab-separated line: its long cells are prose, read sentence by sentence
        cells = [T.normalise_space(c) for c in block.lines[0][1].split("\t")]
        prose = [c for c in cells if T.word_count(c) >= 12]
        if self.mode is not None or not prose:
            self.drop(block, self.mode or "table")
            return
        for k, cell in enumerate(prose, start=1):
            for j, (off, sent) in enumerate(T.sentences(cell), start=1):
                if T.word_count(sent) >= 3:
                    self.add(block, sent, "sentence", block.first, block.first, f"{self.doc}:{block.first}.{k}.{j}",
                             None)

    def handle_text(self, block: Block, prev_block: Block | None, next_block: Block | None) -> None:
        body = block.text
        answer = ANSWER_KEY_RE.match(body)  # "Q3: more food": the answer to a question listed as "Q3 What could ...?"
        listed = answer and not block.entry and next((q for q in reversed(self.report.questions) if (
            m := QUESTION_KEY_RE.match(q)) and key(m.group("key")) == key(answer.group("key"))), None)
        if block.entry or listed:  # an export's comment under its header line, or a form's keyed answer
            self.statements(block, listed or None, "response")
            return
        prompt_match = PROMPT_RE.match(body)
        if prompt_match:
            self.prompt = prompt_match.group("body").strip() or None
            self.structure(block, "prompt")
            return
        next_is_bullet = next_block is not None and (next_block.kind == "bullet" or next_block.item or (
            next_block.kind == "text" and TURN_RE.match(next_block.text) is not None and not asks(body)))
        next_asks = next_block is not None and next_block.kind == "text" and asks(next_block.text)
        if body[-1:] in ":–-" and (next_is_bullet or next_asks) and T.word_count(body) <= 25:
            self.prompt = body  # a lead-in ("The purpose was to:") is context for the bullets under it
            self.structure(block, "prompt")
            return
        # over a list, a prompt or a lead-in ("What's working?", "Working:") a line heads it: no caption, no name
        next_prompts = next_block is not None and next_block.kind == "text" and next_block.text[-1:] in ":?"
        if CAPTION_RE.match(body) and not (next_is_bullet or next_prompts):  # "Table 2 - ..." over a workshop's lists
            self.drop(block, "page_furniture")
            return
        if prev_block is not None and prev_block.text[-1:] in "-–—\"”’'" and T.word_count(body) <= 10 and body[-1:] not in \
                ".?!" and not next_prompts and not (next_is_bullet and (_label_heading(block) or WORKSHOP_RE.match(body))):
            self.drop(block, "attribution")  # the name under a quoted contribution
            return
        next_is_prose = next_block is not None and next_block.kind == "text" and T.word_count(next_block.text) >= 20
        level = heading_level(body, next_is_bullet or next_prompts, next_is_prose)
        if level == 1 and WORKSHOP_RE.match(body) and T.word_count(body) > 12 and not (
                next_block is not None and (next_block.kind == "bullet" or next_block.text.endswith("?")
                                            and not WORKSHOP_RE.match(next_block.text))):
            level = None  # a long "Workshop A: ..." line in running prose describes the format
        if level == 2 and _label_heading(next_block) and not _label_heading(block):
            level = 1  # "Small group work" over "Group A (Ollie): ..." over its bullets: the outer heading
        if level is not None and self.section and level > self.section[-1][0] and self._shape[-1][0] \
                and self._flat.get(self.section[-1][0]):
            # after flat sections (a heading and its items, repeated), a plain heading that follows one's items
            # is their sibling, not a sub-heading: "STOP / START / CONTINUE" then "Open discussion"
            level = self.section[-1][0]
        if level is not None:
            self.structure(block, f"heading:{level}")
            self.set_heading(level, body)
            return
        if asks(body) and T.word_count(body) <= 30 and self.mode is None and not WORKSHOP_RE.match(body) \
                and not PARTICIPANT_TURN_RE.match(body):  # a participant's question at a meeting is a view
            self.question = body
            self.prompt = None
            self.parents.clear()
            self.structure(block, "question")
            if body not in self.report.questions:
                self.report.questions.append(body)
            return
        if self.mode == "roster" and T.word_count(body) < 15:
            self.drop(block, "roster")
            return
        self.mode = None if self.mode == "roster" else self.mode
        self.statements(block)

    def statements(self, block: Block, question: str | None = None, kind: str = "sentence") -> None:
        """A text block's sentences as statements of `kind` ("response": a form's answer, an export's comment);
        `question` (a form's listed question) is what a keyed answer ("Q3: ...") answers, its key read off."""
        self.parents.clear()
        body, asked = block.text, self.question
        if question:
            body, self.question = ANSWER_KEY_RE.match(body).group("text"), question
        pieces = sentences(body)
        multi = len(pieces) > 1
        for k, (offset, sent) in enumerate(pieces, start=1):
            if T.word_count(sent) < 3:
                self.report.dropped.append(DroppedLine(block.line_at(offset), "fragment", sent))
                continue
            line = block.line_at(offset)
            end = block.line_at(offset + len(sent) - 1)
            self.add(block, sent, kind, line, end,
                     f"{self.doc}:{block.first}.{k}" if multi else f"{self.doc}:{block.first}", None)
        self.question = asked
        if not block.role:
            block.role = "dropped:fragment"

    def handle_bullet(self, block: Block) -> None:
        body = block.text
        if self.mode == "roster":
            self.drop(block, "roster")
            return
        if T.word_count(body) < 2 and not (ONE_WORD_ASK_RE.match(body) and (self.question or TALLY_RE.search(body)
                                                                             or body.rstrip().endswith("!"))):
            self.drop(block, "fragment")  # a one-word answer to a question ("Wifi", "Toilets!"), or voted for, is kept
            return
        parents = self.parents
        while parents and parents[-1][0] >= block.indent:
            parents.pop()
        parent = parents[-1][1] if parents else None
        if parent is None and block.indent > 0 and self.segments and self.segments[-1].kind == "bullet" and \
                self.segments[-1].text.endswith(":"):
            parent = self.segments[-1]
        seg = self.add(block, body, "bullet", block.first, block.last, f"{self.doc}:{block.first}", parent)
        parents.append((block.indent, seg))


def segment_blocks(blocks: list[Block], source: str, event: str, report: IngestReport,
                   doc: str | None = None) -> list[Segment]:
    """Phase 3 for one document (see BlockParser)."""
    return BlockParser(source, event, report, doc).parse(blocks)


def parse_lines(lines: Iterable[tuple[int, str]], source: str, event: str,
                merge: bool = True) -> tuple[list[Segment], IngestReport, list[Block]]:
    """Parse numbered lines (plain text, Markdown, or text rebuilt from a PDF); also returns the blocks."""
    report = IngestReport(source=source, event=event)
    raw_blocks, report.dropped = split_blocks(lines)
    blocks = merge_continuations(raw_blocks) if merge else raw_blocks
    segments = segment_blocks(blocks, source, event, report)
    report.segments = len(segments)
    note_event_feedback(segments, report)
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
