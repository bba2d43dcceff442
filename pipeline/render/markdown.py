"""Markdown views of an analysis: the draft action plan (recommendations.md) and the run summary (summary.md)."""
from __future__ import annotations

from typing import Any

from ..defaults import rank_formula
from ..recommend.drafting import NOT_DRAFTED
from ..records import Analysis, Segment
from ..text import markdown_text as md


def _where(seg: Segment) -> str:
    return f"{md(seg.source)}:{seg.line_start}"


def recommendations_markdown(result: Analysis, title: str) -> str:
    by_id = {s.id: s for s in result.segments}
    lines = [f"# Draft action plan: {md(title)}", "",
             "Drafted by Plenary from the statements in the notes. Each recommendation lists how many "
             "statements support it and cites them by source file and line; edit freely before publishing. "
             "_(check heading)_ marks a draft whose heading the coder barely preferred to another; "
             "_(check wording)_ one kept in its source's own words, which no rule could shape into an action."
             + (" _(not drafted)_ marks a less supported ask left in a participant's own words: a run this large "
                "has only its plan and the first part of each list below it worded."
                if any(NOT_DRAFTED in r.flags for p in result.plans for r in p.more) else ""), ""]
    note = headings_note(result)
    if note:
        lines += [f"> **{note}** The statements keep their codes under {md(result.codebook.name)}; only the "
                  "plan's headings are drafted (run with --keep-headings to use the codebook's).", ""]
    for plan in result.plans:
        lines += [f"## {md(plan.heading)}", ""]
        if plan.note:
            lines += [f"> {md(plan.note)}", ""]
        for i, rec in enumerate(plan.recommendations, start=1):
            lines.append(f"{i}. **{md(rec.text)}**{marks(rec)} ({support_text(rec)})")
            for sid in rec.evidence[:5]:
                lines.append(f"   - “{md(by_id[sid].text)}” ({_where(by_id[sid])})")
            if len(rec.evidence) > 5:
                lines.append(f"   - … and {len(rec.evidence) - 5} more: {md(', '.join(rec.evidence[5:]))}")
        if plan.more:
            lines += ["", f"Also proposed under this heading ({len(plan.more)}, with less support):", ""]
            lines += [f"- {md(rec.text)}{marks(rec)} ({support_text(rec)}; {md(', '.join(rec.evidence[:3]))}"
                      f"{'…' if len(rec.evidence) > 3 else ''})" for rec in plan.more]
        lines.append("")
    return "\n".join(lines)


def headings_note(result: Analysis) -> str | None:
    """The note that the plan's headings were drafted from the themes (the codebook fits poorly), or None."""
    drafted = (result.fit or {}).get("drafted_headings")
    return drafted.get("note") if drafted else None


def marks(rec) -> str:
    """A draft's marks for the facilitator (" _(check heading)_ _(check wording)_"), or ""."""
    return "".join(f" _({md(flag)})_" for flag in rec.flags)


def support_text(rec) -> str:
    """"3 statements, 2 sections" and ", 2 events" when more than one event stands behind it."""
    parts = [f"{rec.support} statement{'s' if rec.support != 1 else ''}",
             f"{rec.sections} section{'s' if rec.sections != 1 else ''}"]
    if rec.events > 1:
        parts.append(f"{rec.events} events")
    return ", ".join(parts)


def summary_markdown(result: Analysis, record: dict[str, Any]) -> str:
    by_id = {s.id: s for s in result.segments}
    counts = record["counts"]
    lines = [f"# Plenary summary: {record['name']}", "",
             f"{counts['segments']} statements from {counts['documents']} document(s); "
             f"{counts['themes']} themes; {counts['unclustered']} statements unclustered; "
             f"{counts['dropped_lines']} lines left out (lists, page furniture; see ingest.json).", "",
             f"Codebook: {result.codebook.name} (sha256 {str(result.codebook.sha256)[:12]}…). "
             f"Model: {result.model_id}.", "", "## Ranked themes", "",
             f"Ranking: {rank_formula()}.", "",
             "| rank | theme | statements | sections | documents | events | codes | score |",
             "|---:|---|---:|---:|---:|---:|---|---:|"]
    for t in result.themes:
        if t.is_unclustered:
            continue
        c = t.components
        codes = ", ".join(f"{x.code} {x.score:.0%}" for x in t.codes) or "—"
        lines.append(f"| {t.rank} | {md(t.label)} | {t.size} | {c['sections']:.0f} | {c['documents']:.0f} | "
                     f"{c['events']:.0f} | {codes} | {t.score:.3f} |")
    lines += ["", "## Top themes with quotes", ""]
    for t in [t for t in result.themes if not t.is_unclustered][:10]:
        lines += [f"### {t.rank}. {md(t.label)}", "", f"Keywords: {md(', '.join(t.keywords))}", ""]
        lines += [f"- “{md(by_id[q].text)}” ({_where(by_id[q])})" for q in t.quotes]
        lines.append("")
    lines += ["## Codes", "", "| code | statements |", "|---|---:|"]
    lines += [f"| {code} | {n} |" for code, n in counts["codes"].items()]
    lines.append("")
    return "\n".join(lines)
