"""Word (.docx) reader: styles say what the text parser would otherwise have to guess.

- Heading styles (Heading 1-9, Title, or any style with an outline level) become
  the section path.
- List paragraphs (Word numbering, or a List style) become bullets, nested by
  list level.
- Tables are read row by row: each prose cell is a statement with its column
  header as context, and the row's short cells (area, date) become attributes.
  A table of one row or one column is page layout, and its cells are read as
  ordinary paragraphs.
- Comments, footnotes, headers and footers are not read; tracked changes are
  read as the document now stands (insertions in, deletions out); text boxes
  are skipped.

"Line" numbers in a Word document count body paragraphs, with a table row
counting as one, so `notes.docx:12` is the twelfth paragraph.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ... import text as T
from ...errors import InputError
from ...records import DroppedLine, IngestReport
from ..layout import MIN_PROSE_WORDS
from ..notes import BULLET_RE, SUB_MARKER_RE, Block, line_reason, segment_blocks
from ..transcripts import transcript_segments
from .registry import Read, register

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT, T_, TAB, BR, CR = map(_w, ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "t",
                                                           "tab", "br", "cr"))
PPR, PSTYLE, NUMPR, ILVL, NUMID, OUTLINE = map(_w, ("pPr", "pStyle", "numPr", "ilvl", "numId", "outlineLvl"))
NO_BREAK_HYPHEN = _w("noBreakHyphen")
# subtrees whose text is not part of the paragraph as it now reads
SKIP = {_w("del"), _w("moveFrom"), _w("txbxContent"), _w("rPr"), PPR, f"{{{MC_NS}}}Fallback",
        _w("commentRangeStart"), _w("commentReference"), _w("footnoteReference"), _w("endnoteReference")}
HEADING_NAME_RE = re.compile(r"^heading\s*(\d)$", re.I)


def _val(el) -> str | None:
    return el.get(_w("val")) if el is not None else None


def paragraph_text(p) -> str:
    """A paragraph's visible text, tracked deletions and text boxes left out."""
    out: list[str] = []

    def walk(el):
        for child in el:
            tag = child.tag
            if tag in SKIP:
                continue
            if tag == T_:
                out.append(child.text or "")
            elif tag in (TAB, BR, CR):
                out.append(" ")
            elif tag == NO_BREAK_HYPHEN:
                out.append("-")
            else:
                walk(child)
    walk(p)
    return T.normalise_space("".join(out).replace("\u00ad", ""))


class _Styles:
    """What each paragraph style means here: heading level, list, or table-of-contents entry."""

    def __init__(self, document):
        self.by_id: dict[str, tuple[int | None, bool, bool, int]] = {}
        for style in document.styles:
            if getattr(style, "type", None) != 1:  # WD_STYLE_TYPE.PARAGRAPH
                continue
            self.by_id[style.style_id] = self._meaning(style)

    @staticmethod
    def _meaning(style) -> tuple[int | None, bool, bool, int]:
        level: int | None = None
        is_list = is_toc = False
        ilvl: int | None = None  # list level the style sets ("List Bullet 2" is the second level)
        seen = 0
        while style is not None and seen < 10:  # follow "based on" to the style that says it
            name = (style.name or "").strip()
            lower = name.lower()
            m = HEADING_NAME_RE.match(name)
            ppr = style.element.find(PPR)
            outline = _val(ppr.find(OUTLINE)) if ppr is not None else None
            if level is None:
                if m:
                    level = int(m.group(1))
                elif lower == "title":
                    level = 1
                elif lower == "subtitle":
                    level = 2
                elif outline is not None and outline.isdigit() and int(outline) < 9:
                    level = int(outline) + 1
            numpr = ppr.find(NUMPR) if ppr is not None else None
            is_list = is_list or lower.startswith("list") or numpr is not None
            if ilvl is None and numpr is not None and (_val(numpr.find(ILVL)) or "").isdigit():
                ilvl = int(_val(numpr.find(ILVL)))
            if ilvl is None and lower.startswith("list") and lower[-1:].isdigit():
                ilvl = int(lower[-1]) - 1
            is_toc = is_toc or lower.startswith("toc") or lower == "table of figures"
            style = style.base_style
            seen += 1
        return level, is_list, is_toc, ilvl or 0

    def of(self, p) -> tuple[int | None, bool, bool, int]:
        """(heading level, is a list paragraph, is a contents entry, list level) for a paragraph."""
        ppr = p.find(PPR)
        style_id = _val(ppr.find(PSTYLE)) if ppr is not None else None
        level, is_list, is_toc, ilvl = self.by_id.get(style_id or "Normal", (None, False, False, 0))
        if ppr is not None:
            outline = _val(ppr.find(OUTLINE))
            if outline is not None and outline.isdigit() and int(outline) < 9:
                level = int(outline) + 1
            numpr = ppr.find(NUMPR)
            if numpr is not None:
                num_id = _val(numpr.find(NUMID))
                is_list = num_id not in (None, "0")
                ilvl_val = _val(numpr.find(ILVL))
                ilvl = int(ilvl_val) if ilvl_val and ilvl_val.isdigit() else ilvl
        return level, is_list, is_toc, ilvl


def _cell_paragraphs(tc) -> list[str]:
    out = []
    for el in tc.iter(P):
        text = paragraph_text(el)
        if text:
            out.append(text)
    return out


def _block_children(el):
    """Body-level paragraphs and tables in order, looking inside content controls."""
    for child in el:
        if child.tag in (P, TBL):
            yield child
        elif child.tag == SDT or child.tag == SDT_CONTENT or child.tag.endswith("}customXml"):
            yield from _block_children(child)


def _open(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, EOFError) as exc:
        raise InputError(path, f"is damaged and cannot be opened as a Word document ({type(exc).__name__}); "
                               "open it in Word and save it again") from None
    except Exception as exc:  # malformed XML inside the package
        raise InputError(path, f"is not a readable Word document ({type(exc).__name__}: {exc})") from None


def docx_blocks(path: Path, report: IngestReport) -> list[Block]:
    """The document's paragraphs and table rows as parser blocks, numbered in reading order."""
    document = _open(path)
    styles = _Styles(document)
    blocks: list[Block] = []
    number = 0
    read = 0

    def paragraph(p):
        nonlocal number, read
        number += 1
        text = paragraph_text(p)
        level, is_list, is_toc, ilvl = styles.of(p)
        if not text:
            if is_list:
                read += 1
                report.dropped.append(DroppedLine(number, "empty_bullet", ""))
            return
        read += 1
        if is_toc:
            report.dropped.append(DroppedLine(number, "contents", text))
            return
        if level is not None:
            blocks.append(Block("heading", [(number, text)], level=level))
            return
        if is_list:
            blocks.append(Block("bullet", [(number, SUB_MARKER_RE.sub("", text))], indent=2 * ilvl, marker="-"))
            return
        reason = line_reason(text)
        if reason:
            report.dropped.append(DroppedLine(number, reason, text))
            return
        typed = BULLET_RE.match(text)  # a bullet typed as "- " or "• " rather than made with Word's list button
        if typed:
            blocks.append(Block("bullet", [(number, SUB_MARKER_RE.sub("", typed.group("body")))], marker="-"))
        else:
            blocks.append(Block("text", [(number, text)]))

    def table(tbl):
        nonlocal number, read
        rows = [[_cell_paragraphs(tc) for tc in tr.findall(TC)] for tr in tbl.findall(TR)]
        rows = [r for r in rows if any(r)]
        width = max((len(r) for r in rows), default=0)
        if len(rows) < 2 or width < 2:  # a layout table: read its text as paragraphs
            for p in tbl.iter(P):
                paragraph(p)
            return
        header = [" ".join(c) for c in rows[0]]
        number += 1
        read += 1
        report.structure_lines.append(number)
        body = rows[1:]
        prose = set()
        for j in range(width):
            words = [T.word_count(" ".join(r[j])) for r in body if j < len(r) and r[j]]
            if words and sum(words) / len(words) >= MIN_PROSE_WORDS:
                prose.add(j)
        for row in body:
            number += 1
            read += 1
            summary = " | ".join(" ".join(c) for c in row)
            blocks.append(Block("row", [(number, summary)], cells=row, header=header, prose=prose))

    for el in _block_children(document.element.body):
        if el.tag == P:
            paragraph(el)
        else:
            table(el)
    report.lines["read"] = read
    return blocks


def read_docx(path: Path, event: str, text_column, report: IngestReport) -> Read:
    """A Word document's statements (text_column is ignored)."""
    blocks = docx_blocks(path, report)
    if not blocks and not report.dropped:
        raise InputError(path, "Word document has no text")
    lines = [line for b in blocks if b.kind != "row" for line in b.lines]
    turns = transcript_segments(lines, path.name, event, report) if lines else None
    if turns is not None:  # a Word transcript: its paragraphs are speaker turns
        return Read(turns)
    return Read(segment_blocks(blocks, path.name, event, report))


register((".docx",), read_docx, "docx", "docx")
