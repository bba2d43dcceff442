"""Export the edited action plan: a Word document to publish, or Markdown (used by the web app).

Both list the recommendations under their headings, numbered, with how many
statements support each; an evidence appendix quotes those statements with
their source file and line, so every line of the plan can be traced back.

`headings` are plan headings as the web app shows them: each has `heading`,
`note` and `items`; an item has `number`, `rec` (text, evidence, support,
sections, flags) and `quotes` (statements with text, source, line, event). The
statement texts are the run's, redacted at ingest.

As on the plan page and in report.html, a drafted line nobody has touched yet
carries its marks ("check heading", "check wording"), and `headings_note` (set
when the headings were drafted from the themes because the codebook fits
poorly) is said at the top.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any, Sequence

from docx import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.shared import Pt, RGBColor

from ..text import markdown_text as md


MAX_QUOTES = 12  # per recommendation in the appendix; the rest are counted
MARK_COLOUR = RGBColor(0x8A, 0x1C, 0x14)  # the report's "check" colour


def marks(rec) -> list[str]:
    """A line's marks ("check heading", "check wording") while it is the tool's draft; once a person has
    edited or accepted it (`person_owned`), the marks are theirs to have settled, as on the plan page."""
    if getattr(rec, "person_owned", False):
        return []
    return [str(f) for f in (getattr(rec, "flags", None) or [])]


def _support(item) -> str:
    rec = item.rec
    if not rec.evidence:
        return "Added by the facilitators."
    s = "s" if rec.support != 1 else ""
    sec = f" from {rec.sections} section{'s' if rec.sections != 1 else ''}" if rec.sections else ""
    return f"Supported by {rec.support} statement{s}{sec}."


def _intro(project: str, run_summary: str | None) -> str:
    text = (f"Action plan for {project}, drafted with Plenary from the notes of the event(s) and edited by the "
            f"facilitators ({date.today().isoformat()}). Each recommendation says how many statements support it; "
            "the evidence appendix quotes them with the document and line they came from.")
    return f"{text} {run_summary}" if run_summary else text


def to_docx(project: str, headings: Sequence[Any], run_summary: str | None = None,
            headings_note: str | None = None) -> bytes:
    doc = WordDocument()
    doc.core_properties.title = f"Action plan: {project}"
    doc.core_properties.author = "Plenary"
    doc.add_heading(f"Action plan: {project}", 0)
    doc.add_paragraph(_intro(project, run_summary))
    if headings_note:
        run = doc.add_paragraph().add_run(headings_note)
        run.bold, run.font.color.rgb = True, MARK_COLOUR
    shown = [h for h in headings if h.items]
    if not shown:
        doc.add_paragraph("No recommendations yet.")
    for h_number, heading in enumerate(shown, start=1):
        doc.add_heading(heading.heading, 1)
        if heading.note:
            doc.add_paragraph().add_run(heading.note).italic = True
        for item in heading.items:
            p = doc.add_paragraph()
            p.paragraph_format.left_indent = Pt(18)
            p.paragraph_format.first_line_indent = Pt(-18)
            p.add_run(f"{item.number}.\t").bold = True
            p.add_run(item.rec.text)
            for flag in marks(item.rec):
                mark = p.add_run(f" [{flag}]")
                mark.italic, mark.font.size, mark.font.color.rgb = True, Pt(9), MARK_COLOUR
            note = doc.add_paragraph()
            note.paragraph_format.left_indent = Pt(18)
            run = note.add_run(f"{_support(item)} Evidence: appendix {h_number}.{item.number}.")
            run.italic, run.font.size, run.font.color.rgb = True, Pt(9), RGBColor(0x55, 0x5B, 0x66)
    if shown:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading("Evidence appendix", 1)
        doc.add_paragraph("The statements behind each recommendation, as written in the notes.")
        for h_number, heading in enumerate(shown, start=1):
            doc.add_heading(heading.heading, 2)
            for item in heading.items:
                doc.add_heading(f"{h_number}.{item.number} {item.rec.text}", 3)
                if not item.quotes:
                    doc.add_paragraph("No statements are linked to this recommendation.")
                for st in item.quotes[:MAX_QUOTES]:
                    doc.add_paragraph(f"“{st.text}” ({st.source}, line {st.line}; {st.event})", style="List Bullet")
                if len(item.quotes) > MAX_QUOTES:
                    doc.add_paragraph(f"… and {len(item.quotes) - MAX_QUOTES} more statements.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_markdown(project: str, headings: Sequence[Any], run_summary: str | None = None,
                headings_note: str | None = None) -> str:
    """The plan as Markdown; every text from notes or a person goes through `md`, so it stays text."""
    lines = [f"# Action plan: {md(project)}", "", md(_intro(project, run_summary)), ""]
    if headings_note:
        lines += [f"> **{md(headings_note)}**", ""]
    shown = [h for h in headings if h.items]
    for heading in shown:
        lines += [f"## {md(heading.heading)}", ""]
        if heading.note:
            lines += [f"> {md(heading.note)}", ""]
        for item in heading.items:
            flags = "".join(f" _({md(f)})_" for f in marks(item.rec))
            lines.append(f"{item.number}. {md(item.rec.text)}{flags} — *{_support(item)}*")
        lines.append("")
    if shown:
        lines += ["## Evidence appendix", ""]
        for h_number, heading in enumerate(shown, start=1):
            lines += [f"### {md(heading.heading)}", ""]
            for item in heading.items:
                lines += [f"**{h_number}.{item.number} {md(item.rec.text)}**", ""]
                lines += [f"- “{md(st.text)}” ({md(st.source)}, line {st.line}; {md(st.event)})"
                          for st in item.quotes[:MAX_QUOTES]]
                if len(item.quotes) > MAX_QUOTES:
                    lines.append(f"- … and {len(item.quotes) - MAX_QUOTES} more statements")
                if not item.quotes:
                    lines.append("- No statements are linked to this recommendation.")
                lines.append("")
    return "\n".join(lines)
