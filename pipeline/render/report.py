"""The HTML report of an analysis (report.html), and the rendered files of a run folder.

`rendered_files` gives every human-readable file of a run (report.html, recommendations.md, summary.md);
the run folder itself is written by `pipeline.exchange.rundir`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from ..defaults import rank_formula
from ..exchange import rundir
from ..records import Analysis, support_of
from .charts import svg_bars
from .markdown import recommendations_markdown, summary_markdown


def report_html(result: Analysis, record: dict[str, Any]) -> str:
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
        support_of=support_of,
        codebook=result.codebook, colours=colours, formula=rank_formula(),
        theme_chart=svg_bars((f"{t.rank}. {t.label}", t.size, "#4c72b0") for t in ranked),
        code_chart=svg_bars([(result.codebook[c].label if c in result.codebook else c, n, colours.get(c, "#999"))
                             for c, n in counts.items()]),
        evidence=[by_id[s] for s in sorted(cited, key=lambda s: (by_id[s].source, by_id[s].line_start, s))],
    )


def rendered_files(result: Analysis, record: dict[str, Any], title: str) -> dict[str, str]:
    """The human-readable files of a run folder, by file name; `record` is run.json's content."""
    return {"recommendations.md": recommendations_markdown(result, title),
            "summary.md": summary_markdown(result, record),
            "report.html": report_html(result, record)}


def write_run(result: Analysis, out_dir: str | Path, name: str | None = None) -> Path:
    """Write the whole run folder (`exchange.rundir`) with its rendered files; returns the folder."""
    name = name or Path(out_dir).name
    record = rundir.run_record(result, name)
    return rundir.write_run(result, out_dir, name, rendered_files(result, record, name), record)
