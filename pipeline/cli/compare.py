"""The compare command: themes across events."""
from __future__ import annotations

from pathlib import Path

import click


def _events(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def register(group: click.Group) -> None:
    """Add this module's commands to the `plenary` group."""

    @group.command()
    @click.argument("runs", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--out", "-o", type=click.Path(path_type=Path),
                  help="Output folder (default: outputs/compare-<run names>/). Replaced only when it succeeds.")
    @click.option("--from", "from_events", metavar="EVENTS",
                  help="Event(s) to compare from, comma-separated (default: the earliest event).")
    @click.option("--to", "to_events", metavar="EVENTS",
                  help="Event(s) to compare to, comma-separated (default: the latest event).")
    @click.option("--threshold", type=click.FloatRange(-1, 1), default=0.8, show_default=True,
                  help="Centroid cosine similarity at which themes of separate runs count as the same theme.")
    @click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.05,
                  show_default=True, help="Significance level, after Benjamini-Hochberg correction.")
    @click.option("--min-statements", type=click.IntRange(1), default=30, show_default=True,
                  help="Flag events with fewer statements than this.")
    @click.option("--present-min", type=click.IntRange(1), default=2, show_default=True,
                  help="Statements an event needs in a theme to count as raising it.")
    @click.option("--ids-from", type=click.Path(path_type=Path),
                  help="An earlier run: themes that match one of its themes keep that theme's id.")
    @click.option("--quiet", "-q", is_flag=True, help="Print only the output path.")
    def compare(runs, out, from_events, to_events, threshold, alpha, min_statements, present_min, ids_from, quiet):
        """Compare themes and codes across events: what rose, what fell, what is new.

        RUNS is one run folder holding two or more events (e.g. `plenary run`
        over several files: each file is an event), or two or more run folders.
        Themes of separate runs are matched by centroid similarity. Writes
        compare.html, compare.md and compare.json into the output folder.

        \b
        Examples:
          plenary compare outputs/bundled-corpora
          plenary compare outputs/2023 outputs/2024
          plenary compare outputs/bundled-corpora --from wm-bme-engagement-2005 --to vs6-assemblies-2020
        """
        from ..compare import CompareSettings, compare_runs
        from ..files import slug
        from ..render.compare_report import write_compare

        settings = CompareSettings(threshold=threshold, alpha=alpha, min_statements=min_statements,
                                   present_min=present_min, from_events=_events(from_events),
                                   to_events=_events(to_events), ids_from=str(ids_from) if ids_from else None)
        result = compare_runs(runs, settings)
        if out is None:
            out = Path("outputs") / ("compare-" + "-vs-".join(slug(r.name) for r in result.runs))
        write_compare(result, out)
        if not result.codes["comparable"]:
            click.echo(f"plenary: note: {result.codes['reason']}", err=True)
        for e in result.events:
            if e["flagged"]:
                click.echo(f"plenary: warning: event '{e['name']}' has only {e['statements']} statements "
                           f"(fewer than {min_statements})", err=True)
        if quiet:
            click.echo(str(out / "compare.html"))
            return
        summary = {}
        for t in result.themes:
            summary[t["status"]] = summary.get(t["status"], 0) + 1
        parts = ", ".join(f"{n} {s}" for s, n in summary.items())
        click.echo(f"{len(result.events)} events, {len(result.themes)} themes ({parts}); "
                   f"{result.from_label} → {result.to_label} → {out / 'compare.html'}")
