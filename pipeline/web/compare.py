"""The Compare page: two or more events of the latest analysis, side by side.

It uses pipeline.compare (theme shares per event, tests, labels) and
pipeline.compare_report (charts, the full report) when they are installed;
without them the page says that comparison is not available in this version.
The comparison reads the run folder the analysis wrote, so nothing is re-run.
"""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..errors import InputError
from ..exchange import rundir
from . import views
from ..compare import CompareSettings, compare_runs
from ..render import compare_report as report
from .models import Project
from .security import CSP

# matplotlib's SVG charts carry their own <style>; scripts stay forbidden
COMPARE_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def _run_events(out_dir: str | None) -> list[dict]:
    """The events run.json lists (exchange.rundir reads it); none when the folder is gone or unreadable."""
    if not out_dir:
        return []
    try:
        events = rundir.read_run_json(out_dir).get("events") or []
    except InputError:
        return []
    return [e for e in events if isinstance(e, dict) and "name" in e]


def _comparison(w, request: Request, project_id: int):
    """(project, run, events, chosen sides, comparison or None, error or None)."""
    with w.db.session() as s:
        project = s.get(Project, project_id)
        if project is None:
            raise HTTPException(404, "There is no such project.")
        run = views.latest_run(s, project_id)
    events = _run_events(run.out_dir) if run is not None else []
    names = [e["name"] for e in events]
    side_from = [n for n in request.query_params.getlist("from") if n in names]
    side_to = [n for n in request.query_params.getlist("to") if n in names]
    cmp, error = None, None
    if run is not None and len(names) >= 2:
        if set(side_from) & set(side_to):
            error = "An event can be on one side only."
        else:
            try:
                settings = CompareSettings(from_events=side_from or None, to_events=side_to or None)
                cmp = compare_runs([run.out_dir], settings)
            except InputError as exc:
                error = exc.message
    return project, run, events, side_from, side_to, cmp, error


def compare_view(w, request: Request, project_id: int) -> HTMLResponse:
    project, run, events, side_from, side_to, cmp, error = _comparison(w, request, project_id)
    context = dict(project=project, run=run, events=events, side_from=side_from, side_to=side_to, error=error,
                   available=True, section="compare", cmp=None)
    if cmp is not None:
        record = report.compare_record(cmp)
        context.update(cmp=cmp, record=record, headline=lambda t: report.headline(cmp, t),
                       heatmap=report.heatmap(cmp), change_chart=report.change_chart(cmp),
                       headings_chart=report.headings_chart(cmp), colour=report.STATUS_COLOUR,
                       status_order=report.STATUS_ORDER, pct=report.pct, query=request.url.query)
    response = w.render(request, "compare.html", **context)
    response.headers["Content-Security-Policy"] = COMPARE_CSP
    return response


def compare_report_view(w, request: Request, project_id: int) -> HTMLResponse:
    """The full, self-contained compare.html for the chosen events."""
    _, _, _, _, _, cmp, error = _comparison(w, request, project_id)
    if cmp is None:
        raise HTTPException(404, error or "There is no comparison to show: it needs two or more events.")
    response = HTMLResponse(report.compare_html(cmp, report.compare_record(cmp)))
    response.headers["Content-Security-Policy"] = COMPARE_CSP
    return response
