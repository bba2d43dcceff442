"""Build Word, PDF and spreadsheet versions of a plain-text corpus, for ingest tests and benchmarks.

The structure each file carries (heading levels, bullets, questions) is what the
plain-text parser read in the source (`pipeline.ingest.outline`), written the way
a person would in that format: Word heading and list styles, a PDF set in larger
type for headings with bullet glyphs, running headers and page numbers, and a
survey export with one column per question.
"""
from __future__ import annotations

import csv
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.ingest import outline


def items_with_lines(text: str, source: str) -> list[dict]:
    """The parser's blocks, plus the single lines it dropped before making blocks, in document order."""
    items = outline(text, source)
    covered = {n for item in items for n in item["lines"]}
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if line.strip() and number not in covered:
            items.append({"role": "line", "kind": "line", "level": 0, "indent": 0, "marker": "",
                          "text": line.strip(), "lines": [number]})
    return sorted(items, key=lambda i: i["lines"][0])


def write_docx(text: str, path: Path, source: str = "notes.txt") -> Path:
    import docx

    document = docx.Document()
    for item in items_with_lines(text, source):
        role, kind = item["role"], item["kind"]
        if role.startswith("heading:"):
            document.add_heading(item["text"], level=min(int(role.split(":")[1]), 9))
        elif kind == "bullet":
            numbered = item["marker"][:1].isdigit()
            style = ("List Number" if numbered else "List Bullet") + (" 2" if item["indent"] > 0 else "")
            document.add_paragraph(item["text"], style=style)
        elif kind == "table":
            document.add_paragraph(item["text"].replace("\t", "  "))
        else:
            document.add_paragraph(item["text"])
    document.save(path)
    return path


def write_pdf(text: str, path: Path, source: str = "notes.txt", columns: int = 1,
              header: str = "Community assembly notes") -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, spaceBefore=7)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=18, bulletIndent=6, spaceBefore=4)
    sub_bullet = ParagraphStyle("sub", parent=bullet, leftIndent=36, bulletIndent=24)
    headings = {1: ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=16, leading=19,
                                  spaceBefore=14),
                2: ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=13, leading=16,
                                  spaceBefore=12),
                3: ParagraphStyle("h3", parent=body, fontName="Helvetica-Bold", fontSize=11.5, leading=14,
                                  spaceBefore=10)}

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(50, A4[1] - 30, header)
        canvas.drawCentredString(A4[0] / 2, 25, f"Page {doc.page}")
        canvas.restoreState()

    width = (A4[0] - 100 - 20 * (columns - 1)) / columns
    frames = [Frame(50 + k * (width + 20), 50, width, A4[1] - 110, id=f"c{k}") for k in range(columns)]
    doc = BaseDocTemplate(str(path), pagesize=A4, title="notes")
    doc.addPageTemplates([PageTemplate(frames=frames, onPage=furniture)])
    story = []
    for item in items_with_lines(text, source):
        role, kind, words = item["role"], item["kind"], escape(item["text"].replace("\t", "  "))
        if role.startswith("heading:"):
            story.append(Paragraph(words, headings[min(int(role.split(":")[1]), 3)]))
        elif kind == "bullet":
            style = sub_bullet if item["indent"] > 0 else bullet
            marker = item["marker"] if item["marker"][:1].isdigit() else "•"
            story.append(Paragraph(words, style, bulletText=marker))
        else:
            story.append(Paragraph(words, body))
    doc.build(story)
    return path


def survey_rows(text: str, source: str = "notes.txt") -> tuple[list[str], list[list[str]]]:
    """A survey export made from notes: one column per question, its bullets as answers down the rows."""
    answers: dict[str, list[str]] = {}
    question = None
    for item in items_with_lines(text, source):
        if item["role"] == "question" or item["role"].startswith("heading:") and item["text"].endswith("?"):
            question = item["text"]
            answers.setdefault(question, [])
        elif item["role"].startswith("heading:"):
            question = None
        elif item["kind"] == "bullet" and item["role"] == "statement" and question:
            answers[question].append(item["text"])
    questions = [q for q, a in answers.items() if a]
    depth = max(len(answers[q]) for q in questions)
    areas = ["Wirral", "Sefton", "Knowsley", "Halton", "St Helens", "Liverpool"]
    header = ["Respondent ID", "Area", "Age band"] + questions
    rows = [[f"R{r + 1:03d}", areas[r % len(areas)], ["18-24", "25-44", "45-64", "65+"][r % 4]]
            + [answers[q][r] if r < len(answers[q]) else "" for q in questions] for r in range(depth)]
    return header, rows


def write_csv(text: str, path: Path, source: str = "notes.txt") -> Path:
    header, rows = survey_rows(text, source)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header] + rows)
    return path


def write_xlsx(text: str, path: Path, source: str = "notes.txt") -> Path:
    import openpyxl

    header, rows = survey_rows(text, source)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
