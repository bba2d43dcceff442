"""PDF reader: rebuild lines and paragraphs from the page layout, then parse them like text.

pypdf gives positioned runs of text. From them this reader

- groups runs into visual lines, and splits a line at a wide gap (a column gutter);
- drops running headers and footers (the same line at the top or bottom of many
  pages, page numbers) and counts them as page furniture;
- reads two-column pages column by column, with full-width lines between;
- starts a new paragraph at a wider line gap, a change of font size, an indent
  or a bullet glyph; text set larger than the body is a heading, its level by size;
- joins words hyphenated across a line break ("commu-" / "nity"), keeping the
  hyphen where the document itself writes the word with one ("co-production").

The rebuilt text goes to the same parser as plain text, so a bullet, a question
or a heading means the same in a PDF as in the notes it was made from. Line
numbers count the visual lines of the whole document in reading order; each
statement's page is in `attributes["page"]`. A PDF with no text layer (a scan)
is refused with a clear message: OCR is out of scope.
"""
from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from ...errors import InputError
from ...records import DroppedLine, IngestReport
from ..notes import BULLET_RE, MD_HEADING_RE, PAGE_NUMBER_RE, parse_lines
from .registry import Read, register

BULLET_GLYPHS = set("•●▪■◦○‣⁃∙·➢➤►▶✓✔\x7f\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf0e0\uf06e\uf0be")
DASH_GLYPHS = set("-–—*o")  # bullets only when drawn apart from the text
KEEP_HYPHEN_PREFIXES = {"co", "non", "self", "well", "long", "short", "multi", "anti", "pre", "post", "cross",
                        "inter", "sub", "ex", "full", "part", "pan", "semi", "vice", "cross", "grass", "decision",
                        "under", "over", "front", "high", "low", "mid", "one", "two", "three", "young", "older"}
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’]*")
NUMBERED_RE = re.compile(r"^\(?\d{1,3}[.)]\s")  # "12. Wirral CVS": a numbered list item


@dataclass
class _Item:
    """A run of text on one visual line (one column of it)."""

    page: int
    x0: float
    x1: float
    y: float
    size: float
    text: str
    bullet: bool = False
    text_x0: float = 0.0  # where the words start, after a bullet glyph
    number: int = 0
    geometry: bool = True
    offset: float = 0.0  # distance from the left edge of its column, for nesting bullets


def _page_runs(page, reader) -> list[tuple[float, float, float, float, str]] | None:
    """(x0, x1, y, font size, text) for each text run on the page, or None when positions are unavailable."""
    try:
        from pypdf._text_extraction import _layout_mode as layout
        from pypdf.generic import ArrayObject, ContentStream, StreamObject
    except ImportError:  # a pypdf without layout mode: fall back to plain extraction
        return None
    try:
        contents = page.get("/Contents")
        if contents is None:
            return []
        contents = contents.get_object()
        if not isinstance(contents, (ArrayObject, StreamObject)):
            return []
        fonts = page._layout_mode_fonts()
        ops = iter(ContentStream(contents, reader, "bytes").operations)
        groups = layout.text_show_operations(ops, fonts, True, None)
    except Exception:  # an odd page: let plain extraction try
        return None
    out = []
    for g in groups:
        text = str(g["text"]).replace("\n", " ")
        if text.strip():
            out.append((float(g["tx"]), float(g["displaced_tx"]), float(g["ty"]), float(g["font_size"]), text))
    return out


def _rows(runs, page: int) -> list[_Item]:
    """Group runs into visual lines, and split a line at a gap wider than a column gutter."""
    items: list[_Item] = []
    runs = sorted(runs, key=lambda r: (-r[2], r[0]))
    rows: list[list[tuple]] = []
    for run in runs:
        if rows and abs(rows[-1][0][2] - run[2]) <= 0.4 * min(run[3], rows[-1][0][3]):
            rows[-1].append(run)
        else:
            rows.append([run])
    for row in rows:
        row.sort(key=lambda r: r[0])
        current: list[tuple] = []
        for run in row:
            if current and run[0] - current[-1][1] > max(1.5 * run[3], 8.0):
                items.append(_item(current, page))
                current = []
            current.append(run)
        if current:
            items.append(_item(current, page))
    return items


def _item(runs: list[tuple], page: int) -> _Item:
    text = ""
    bullet = False
    text_x0 = runs[0][0]
    for k, (x0, x1, y, size, piece) in enumerate(runs):
        glyph = piece.strip()
        if k == 0 and len(runs) > 1 and len(glyph) == 1 and (glyph in BULLET_GLYPHS or glyph in DASH_GLYPHS):
            bullet = True
            text_x0 = runs[1][0]
            continue
        if text and not text.endswith(" ") and not piece.startswith(" ") and x0 - runs[k - 1][1] > 0.15 * size:
            text += " "
        text += piece
    # a bullet drawn inside a line can come out as DEL; other control characters are noise
    text = " ".join(re.sub(r"[\x00-\x08\x0b-\x1f]", "", text.replace("\x7f", "•")).split())
    if not bullet and text[:1] in BULLET_GLYPHS and text[1:2] == " ":
        bullet, text = True, text[2:]
    sizes = Counter()
    for r in runs:
        sizes[round(r[3], 1)] += len(r[4])
    ys = [r[2] for r in runs]
    return _Item(page, runs[0][0], runs[-1][1], max(ys), sizes.most_common(1)[0][0], text, bullet, text_x0)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _find_furniture(pages: list[list[_Item]], heights: list[float], body: float) -> set[int]:
    """ids of items that are running headers, footers or page numbers.

    A header or footer repeats at the top or bottom of several pages; on a short document, a short
    line set smaller than the body text in the outer margin counts as one too.
    """
    candidates: dict[str, list[_Item]] = {}
    out: set[int] = set()
    for items, height in zip(pages, heights):
        ys = sorted({round(i.y, 1) for i in items}, reverse=True)
        edge_rows = set(ys[:2]) | set(ys[-2:]) if len(ys) > 3 else set(ys)
        for item in items:
            near_edge = item.y > 0.85 * height or item.y < 0.15 * height
            if round(item.y, 1) not in edge_rows or not near_edge:
                continue
            if PAGE_NUMBER_RE.match(item.text) or re.fullmatch(r"[-–—|\s]*\d{1,3}[-–—|\s]*", item.text):
                out.add(id(item))
            margin = item.y > 0.92 * height or item.y < 0.08 * height
            if margin and item.size < body - 0.5 and len(WORD_RE.findall(item.text)) <= 12:
                out.add(id(item))
            candidates.setdefault(_furniture_key(item.text), []).append(item)
    needed = max(2, round(0.3 * len(pages)))
    for same in candidates.values():
        if len({i.page for i in same}) >= needed:
            out.update(id(i) for i in same)
    return out


def _reading_order(items: list[_Item]) -> list[list[_Item]]:
    """Flows of items in reading order: a two-column page gives its columns one after the other."""
    if not items:
        return []
    left, right = min(i.x0 for i in items), max(i.x1 for i in items)
    width = right - left
    narrow = [i for i in items if i.x1 - i.x0 < 0.6 * width]
    gutter = None
    if len(narrow) >= 6 and width > 0:
        covered = [0] * (int(width) + 2)
        for i in narrow:
            for x in range(int(i.x0 - left), int(i.x1 - left) + 1):
                covered[x] += 1
        best, start = (0, 0), None
        lo, hi = int(0.2 * width), int(0.8 * width)
        for x in range(lo, hi + 1):
            if covered[x] == 0 and start is None:
                start = x
            if (covered[x] != 0 or x == hi) and start is not None:
                if x - start > best[1] - best[0]:
                    best = (start, x)
                start = None
        if best[1] - best[0] >= 8:
            g = left + (best[0] + best[1]) / 2
            n_left = sum(1 for i in narrow if i.x1 <= g)
            n_right = sum(1 for i in narrow if i.x0 >= g)
            if n_left >= 3 and n_right >= 3:
                gutter = g
    ordered = sorted(items, key=lambda i: (-i.y, i.x0))
    if gutter is None:
        return [ordered]
    flows: list[list[_Item]] = []
    band_left: list[_Item] = []
    band_right: list[_Item] = []

    def flush():
        if band_left:
            flows.append(list(band_left))
        if band_right:
            flows.append(list(band_right))
        band_left.clear()
        band_right.clear()
    for item in ordered:
        if item.x0 < gutter < item.x1:  # a full-width line (title, table) separates the bands
            flush()
            flows.append([item])
        elif item.x1 <= gutter:
            band_left.append(item)
        else:
            band_right.append(item)
    flush()
    return flows


def _paragraphs(flows: list[list[_Item]], pitch: dict[float, float]) -> list[list[_Item]]:
    """Split flows into paragraphs; a bullet broken by a column or page break is carried over."""
    paras: list[list[_Item]] = []
    head_left: dict[int, float] = {}  # id of a paragraph's first item -> left edge of its flow
    # a column's left edge: a page whose lines are all indented (all bullets) shares its margin with the others
    lefts = sorted({round(min(i.x0 for i in flow)) for flow in flows})
    for flow in flows:
        own = round(min(i.x0 for i in flow))
        left = next(x for x in lefts if own - 20 <= x <= own)
        for k, item in enumerate(flow):
            prev = paras[-1][-1] if paras else None
            new = prev is None or item.bullet or not item.geometry or not prev.geometry or \
                (NUMBERED_RE.match(item.text) is not None and item.x0 <= paras[-1][0].x0 + 1)
            if not new and k == 0:
                # the top of a new column or page continues a bullet when it sits at the bullet's text indent
                head = paras[-1][0]
                indent = item.x0 - left
                new = not (head.bullet and item.size == prev.size and indent > 0.5 * item.size
                           and abs(indent - (head.text_x0 - head_left[id(head)])) < 0.5 * item.size)
            elif not new:
                gap = prev.y - item.y
                step = pitch.get(item.size, 1.2 * item.size)
                new = (gap > 1.35 * step + 0.5 or gap < -0.5 * item.size or abs(item.size - prev.size) > 0.6
                       or (not paras[-1][0].bullet and item.x0 > prev.x0 + 1.2 * item.size)
                       or (paras[-1][0].bullet and item.x0 < paras[-1][0].text_x0 - 0.5 * item.size))
            if new:
                paras.append([item])
                head_left[id(item)] = left
                item.offset = item.x0 - left
            else:
                paras[-1].append(item)
    return paras


def _line_pitch(flows: list[list[_Item]]) -> dict[float, float]:
    """The usual distance between lines of each font size, from consecutive lines in the same flow."""
    gaps: dict[float, list[float]] = {}
    for flow in flows:
        for a, b in zip(flow, flow[1:]):
            if a.size == b.size and 0 < a.y - b.y < 3 * a.size:
                gaps.setdefault(a.size, []).append(a.y - b.y)
    # the leading is the smallest common gap; paragraphs of one line each would make the median a paragraph gap
    return {size: min(sorted(g)[len(g) // 10], 1.25 * size) for size, g in gaps.items()}


def _dehyphenate(lines: list[list], vocabulary: set[str], hyphenated: set[str]) -> None:
    """Join a word split across lines with a hyphen; `lines` are [number, text] pairs of one paragraph."""
    for a, b in zip(lines, lines[1:]):
        m = re.search(r"(?<![\s-])([A-Za-z]+)-$", a[1])
        first = b[1].split(" ", 1)
        if not m or not first[0][:1].islower():
            continue
        left, right = m.group(1), re.match(r"[A-Za-z'’]*", first[0]).group(0)
        whole = (left + right).lower()
        keep = (f"{left}-{right}".lower() in hyphenated or left.lower() in KEEP_HYPHEN_PREFIXES) \
            and whole not in vocabulary
        word = f"{left}-{first[0]}" if keep else left + first[0]
        a[1] = a[1][: m.start(1)] + word
        b[1] = first[1] if len(first) > 1 else ""


def pdf_lines(path: Path, report: IngestReport) -> tuple[list[tuple[int, str]], dict[int, int]]:
    """The document as numbered, Markdown-like lines (headings '#', bullets '- ', blank between paragraphs)."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged-but-readable files warn at length
    try:
        reader = pypdf.PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise InputError(path, "is encrypted (AES) and Plenary cannot decrypt it here; save an unencrypted "
                                       "copy (print to PDF) and try again") from None
            if not opened:
                raise InputError(path, "is password-protected; save a copy without the password (or print it to "
                                       "PDF) and try again")
            report.notes.append("PDF has an owner password (no password needed to read it)")
        pages = list(reader.pages)
    except InputError:
        raise
    except (PdfReadError, FileNotDecryptedError, ValueError, KeyError, OSError, EOFError) as exc:
        raise InputError(path, f"is damaged and cannot be read as a PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:
        raise InputError(path, f"is not a readable PDF ({type(exc).__name__})") from None
    if not pages:
        raise InputError(path, "PDF has no pages")

    per_page: list[list[_Item]] = []
    heights: list[float] = []
    no_text: list[int] = []
    for n, page in enumerate(pages, start=1):
        try:
            heights.append(float(page.mediabox.height))
        except Exception:
            heights.append(842.0)
        runs = _page_runs(page, reader)
        if runs is None:  # no positions: one plain line per paragraph, the parser rejoins broken sentences
            try:
                plain = page.extract_text() or ""
            except Exception:
                plain = ""
            items = [_Item(n, 0, 0, -k, 10.0, " ".join(t.split()), geometry=False)
                     for k, t in enumerate(plain.splitlines()) if t.strip()]
        else:
            items = _rows(runs, n)
        if not items:
            no_text.append(n)
        per_page.append(items)
    if len(no_text) == len(pages):
        raise InputError(path, "has no text layer (it looks like a scan or pictures of text); OCR is not "
                               "supported: export the text from the original document, or run OCR on it first")
    if no_text:
        report.notes.append(f"pages with no text layer (scanned?), skipped: {', '.join(map(str, no_text))}")
    report.notes.append(f"pages: {len(pages)}")

    body_sizes = Counter()
    vocabulary: set[str] = set()
    hyphenated: set[str] = set()
    for items in per_page:
        for i in items:
            body_sizes[i.size] += len(i.text)
            for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", i.text):
                (hyphenated if "-" in w else vocabulary).add(w.lower())
    body = body_sizes.most_common(1)[0][0] if body_sizes else 10.0
    furniture = _find_furniture(per_page, heights, body)
    heading_sizes = sorted({s for s in body_sizes if s >= body * 1.15 + 0.5}, reverse=True)
    level_of = {s: min(k + 1, 6) for k, s in enumerate(heading_sizes)}

    lines: list[tuple[int, str]] = []
    page_of: dict[int, int] = {}
    number = 0
    all_flows = []
    for items in per_page:
        top = [i for i in items if id(i) in furniture and i.y >= statistics.median([j.y for j in items])]
        bottom = [i for i in items if id(i) in furniture and i not in top]
        flows = _reading_order([i for i in items if id(i) not in furniture])
        for i in sorted(top, key=lambda i: -i.y) + [i for f in flows for i in f] + sorted(bottom, key=lambda i: -i.y):
            number += 1
            i.number = number
            page_of[number] = i.page
        for i in top + bottom:
            report.dropped.append(DroppedLine(i.number, "page_furniture", i.text))
        all_flows.extend(flows)
    pitch = _line_pitch(all_flows)
    paragraphs = _paragraphs(all_flows, pitch)
    # bullet nesting: each distinct indent of a bullet glyph (to the nearest 3 points) is one level deeper
    indents = sorted({round(p[0].offset / 3) for p in paragraphs if p[0].bullet})
    for para in paragraphs:
        if True:
            level = level_of.get(para[0].size)
            words = sum(len(WORD_RE.findall(i.text)) for i in para)
            if level is not None and words <= 40 and para[0].geometry:
                lines.append((para[0].number, "#" * level + " " + " ".join(i.text for i in para)))
                report.structure_lines.extend(i.number for i in para[1:])
            else:
                texts = [[i.number, i.text] for i in para]
                _dehyphenate(texts, vocabulary, hyphenated)
                if para[0].bullet:
                    texts[0][1] = "  " * indents.index(round(para[0].offset / 3)) + "- " + texts[0][1]
                for k, (num, text) in enumerate(texts):
                    if k and lines and (BULLET_RE.match(text) or MD_HEADING_RE.match(text)):
                        # a wrapped line that happens to start with "– " or "1." is not a new bullet
                        lines[-1] = (lines[-1][0], lines[-1][1] + " " + text)
                        report.structure_lines.append(num)
                    elif text.strip():
                        lines.append((num, text))
                    else:
                        report.structure_lines.append(num)  # its only word moved up to the line before
            lines.append((para[-1].number, ""))
    report.lines["read"] = number
    return lines, page_of


def read_pdf(path: Path, event: str, text_column, report: IngestReport) -> Read:
    """A PDF's statements; each one's page number is in attributes["page"]."""
    lines, page_of = pdf_lines(path, report)
    segments, parsed, _ = parse_lines(lines, path.name, event)
    report.dropped = sorted(report.dropped + parsed.dropped, key=lambda d: d.line)
    report.sections, report.questions = parsed.sections, parsed.questions
    report.structure_lines += parsed.structure_lines
    return Read([replace(seg, attributes={**seg.attributes, "page": page_of.get(seg.line_start)})
                 for seg in segments])


register((".pdf",), read_pdf, "pdf", "pdf")
