"""Themes and statements: the themes page, one theme, one statement, a person's codes."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from sqlalchemy import select
from starlette.exceptions import HTTPException

from .. import views
from ..models import Override, Project, Run
from ..security import checked_form

from .common import get_or_404, router, safe_next, web

@router.get("/projects/{project_id}/themes")
def themes_page(request: Request, project_id: int, run: int | None = None, event: str = "", code: str = "",
                section: str = "", question: str = "", page: int = 1):
    w = web(request)
    with w.db.session() as s:
        project = get_or_404(s, Project, project_id)
        chosen = s.get(Run, run) if run else views.latest_run(s, project_id)
        if chosen is not None and (chosen.project_id != project_id or chosen.status != "done"):
            raise HTTPException(404, "That analysis has no results.")
        if chosen is None:
            return w.render(request, "no_results.html", project=project, section="themes",
                            active=views.active_run(s, project_id))
        filters = views.Filters(event=event, code=code, section=section, question=question)
        page = views.themes_page(s, chosen, filters, page)
        latest = views.latest_run(s, project_id, status=None)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return w.render(request, "themes.html", project=project, page=page, filters=filters, section="themes",
                    latest=latest, here=here, code_labels=page.code_labels, query=_filter_query(filters, run))


def _filter_query(filters: views.Filters, run: int | None) -> str:
    values = {"run": run or "", "event": filters.event, "code": filters.code, "section": filters.section,
              "question": filters.question}
    return urlencode({k: v for k, v in values.items() if v})


@router.get("/projects/{project_id}/themes/{theme_id}")
def theme_page(request: Request, project_id: int, theme_id: str, run: int | None = None, event: str = "",
               code: str = "", section: str = "", question: str = "", page: int = 1):
    """The statements of one theme (or of the unclustered group), a page at a time, with the same filters."""
    w = web(request)
    filters = views.Filters(event=event, code=code, section=section, question=question)
    with w.db.session() as s:
        project = get_or_404(s, Project, project_id)
        chosen = s.get(Run, run) if run else views.latest_run(s, project_id)
        if chosen is None or chosen.project_id != project_id or chosen.status != "done":
            raise HTTPException(404, "That analysis has no results.")
        try:
            view, labels, codes = views.theme_view(s, chosen, theme_id, filters, page)
        except LookupError:
            raise HTTPException(404, "There is no such theme in this analysis.") from None
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return w.render(request, "theme.html", project=project, v=view, filters=filters, section="themes", here=here,
                    code_labels=labels, codes=codes, query=_filter_query(filters, run))


@router.get("/projects/{project_id}/statement")
def statement_page(request: Request, project_id: int, id: str, run: int | None = None):
    w = web(request)
    with w.db.session() as s:
        project = get_or_404(s, Project, project_id)
        chosen = s.get(Run, run) if run else views.latest_run(s, project_id)
        found = views.statements(s, chosen.id, [id]) if chosen is not None and chosen.project_id == project_id else []
        if not found:
            raise HTTPException(404, "That statement is not in the latest results.")
        st = found[0]
        st.override = views.overrides(s, project_id).get(st.id)
        codes = views.run_codes(s, chosen, project_id)
    return w.render(request, "statement.html", project=project, st=st, codes=codes, section="themes",
                    code_labels={c.code: c.label for c in codes},
                    here=f"/projects/{project_id}/statement?{urlencode({'id': id})}")


@router.post("/projects/{project_id}/overrides")
async def set_override(request: Request, project_id: int):
    w = web(request)
    form = await checked_form(request)
    back = safe_next(form.get("next"), f"/projects/{project_id}/themes")
    segment_id, code = str(form.get("segment_id") or ""), str(form.get("code") or "")
    with w.db.session() as s:
        get_or_404(s, Project, project_id)
        run = views.latest_run(s, project_id)
        found = views.statements(s, run.id, [segment_id]) if run else []
        valid = {c.code for c in views.run_codes(s, run, project_id) if c.codable}
        if not found:
            return w.redirect(back, [("error", "That statement is not in the latest results.")])
        if code not in valid:
            return w.redirect(back, [("error", "Choose one of the codebook's codes.")])
        row = s.scalars(select(Override).where(Override.project_id == project_id,
                                               Override.segment_id == segment_id)).first()
        if row is None:
            s.add(Override(project_id=project_id, segment_id=segment_id, code=code, text=found[0].text))
        else:
            row.code = code
    return w.redirect(back, [("ok", f"Marked as “{code}”. The next analysis will use your code for this "
                                    "statement.")])


@router.post("/projects/{project_id}/overrides/delete")
async def delete_override(request: Request, project_id: int):
    w = web(request)
    form = await checked_form(request)
    back = safe_next(form.get("next"), f"/projects/{project_id}/codebook")
    with w.db.session() as s:
        row = s.scalars(select(Override).where(Override.project_id == project_id,
                                               Override.segment_id == str(form.get("segment_id") or ""))).first()
        if row is not None:
            s.delete(row)
    return w.redirect(back, [("ok", "Your code for that statement was removed; the tool's coding applies again.")])
