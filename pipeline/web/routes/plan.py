"""The action plan: review, edit, merge, add; export as .docx and .md."""
from __future__ import annotations


from fastapi import Request
from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ...files import slug
from ...exchange import docx as export
from .. import plan, views
from ..state import WebState
from ..models import Project, Recommendation
from ..pages import PLAN_QUOTES
from ..security import checked_form

from .common import form_ids, get_or_404, router, web

@router.get("/projects/{project_id}/plan")
def plan_page(request: Request, project_id: int):
    w = web(request)
    with w.db.session() as s:
        project = get_or_404(s, Project, project_id)
        run = views.latest_run(s, project_id)
        headings = views.plan_headings(s, project_id, run, max_quotes=PLAN_QUOTES)
        latest = views.latest_run(s, project_id, status=None)
        code_labels = {c.code: c.label for c in views.run_codes(s, run, project_id)}
    if run is None and not any(h.items for h in headings):
        with w.db.session() as s:
            active = views.active_run(s, project_id)
        return w.render(request, "no_results.html", project=project, section="plan", active=active)
    first_plan_run = min((i.rec.first_run_id for h in headings for i in h.items if i.rec.first_run_id), default=None)
    return w.render(request, "plan.html", project=project, run=run, latest=latest, headings=headings,
                    counts=views.plan_counts(headings), section="plan", first_plan_run=first_plan_run,
                    code_labels=code_labels)


@router.get("/recommendations/{rec_id}/evidence")
def plan_evidence(request: Request, rec_id: int, page: int = 1):
    """Every statement behind one recommendation, a page at a time (the plan page quotes the first few)."""
    w = web(request)
    with w.db.session() as s:
        rec = get_or_404(s, Recommendation, rec_id)
        project = s.get(Project, rec.project_id)
        run = views.latest_run(s, rec.project_id)
        quotes, pager = views.evidence_page(s, rec, run, page)
        code_labels = {c.code: c.label for c in views.run_codes(s, run, rec.project_id)}
    return w.render(request, "evidence.html", project=project, rec=rec, quotes=quotes, pager=pager, section="plan",
                    code_labels=code_labels)


PLAN_ACTIONS = {"accept", "reopen", "delete", "restore", "up", "down", "edit", "use-proposal", "dismiss"}


@router.post("/recommendations/{rec_id}/{action}")
async def plan_action(request: Request, rec_id: int, action: str):
    w = web(request)
    form = await checked_form(request)
    if action not in PLAN_ACTIONS:
        raise HTTPException(404, "There is no such action.")
    with w.db.session() as s:
        rec = get_or_404(s, Recommendation, rec_id)
        project_id = rec.project_id
        back = f"/projects/{project_id}/plan#rec-{rec_id}"
        try:
            if action == "edit":
                plan.edit_text(s, rec, str(form.get("text") or ""))
                if form.get("and_accept") and rec.status == "proposed":
                    plan.set_status(s, rec, "accept")
            elif action in ("up", "down"):
                plan.move(s, rec, action)
            elif action == "use-proposal":
                plan.use_proposal(s, rec)
            elif action == "dismiss":
                plan.dismiss_proposal(s, rec)
            else:
                plan.set_status(s, rec, action)
        except plan.PlanError as exc:
            s.rollback()
            return w.redirect(back, [("error", str(exc))])
    done = {"edit": "Saved.", "accept": "Accepted.", "reopen": "Reopened for editing.", "delete": "Deleted.",
            "restore": "Restored.", "up": "Moved up.", "down": "Moved down.", "use-proposal": "New wording used.",
            "dismiss": "Proposal dismissed."}[action]
    return w.redirect(back, [("ok", done)])


@router.post("/projects/{project_id}/plan/merge")
async def plan_merge(request: Request, project_id: int):
    w = web(request)
    form = await checked_form(request)
    ids = form_ids(form.getlist("ids"), "recommendation")
    with w.db.session() as s:
        get_or_404(s, Project, project_id)
        recs = list(s.scalars(select(Recommendation).where(Recommendation.project_id == project_id,
                                                           Recommendation.id.in_(ids))))
        try:
            target = plan.merge(s, recs, views.sections_counter(s, views.latest_run(s, project_id)))
        except plan.PlanError as exc:
            s.rollback()
            return w.redirect(f"/projects/{project_id}/plan", [("error", str(exc))])
        target_id = target.id
    return w.redirect(f"/projects/{project_id}/plan#rec-{target_id}",
                      [("ok", f"Merged {len(recs)} recommendations; edit the wording if needed.")])


@router.post("/projects/{project_id}/plan/add")
async def plan_add(request: Request, project_id: int):
    w = web(request)
    form = await checked_form(request)
    with w.db.session() as s:
        get_or_404(s, Project, project_id)
        try:
            rec = plan.add(s, project_id, str(form.get("heading") or "").strip(), str(form.get("text") or ""))
        except plan.PlanError as exc:
            s.rollback()
            return w.redirect(f"/projects/{project_id}/plan", [("error", str(exc))])
        rec_id = rec.id
    return w.redirect(f"/projects/{project_id}/plan#rec-{rec_id}", [("ok", "Recommendation added.")])


def _export_inputs(w: WebState, project_id: int, only: str):
    with w.db.session() as s:
        project = get_or_404(s, Project, project_id)
        run = views.latest_run(s, project_id)
        headings = views.plan_headings(s, project_id, run, only_accepted=(only == "accepted"))
        summary = note = None
        if run is not None and run.counts:
            summary = (f"The analysis read {run.counts.get('segments', 0)} statements from "
                       f"{run.counts.get('documents', 0)} document(s).")
            note = run.counts.get("headings_note")  # headings drafted from the themes (poor codebook fit)
    return project, headings, summary, note


@router.get("/projects/{project_id}/plan.docx")
def plan_docx(request: Request, project_id: int, only: str = "all"):
    project, headings, summary, note = _export_inputs(web(request), project_id, only)
    data = export.to_docx(project.name, headings, summary, headings_note=note)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f'attachment; filename="action-plan-{slug(project.name)}.docx"'})


@router.get("/projects/{project_id}/plan.md")
def plan_markdown(request: Request, project_id: int, only: str = "all"):
    project, headings, summary, note = _export_inputs(web(request), project_id, only)
    return Response(export.to_markdown(project.name, headings, summary, headings_note=note), media_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="action-plan-{slug(project.name)}.md"'})
