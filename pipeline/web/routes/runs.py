"""Runs: start an analysis and follow its progress."""
from __future__ import annotations


from fastapi import Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from ...errors import InputError
from .. import codebooks, views
from ..jobs import STAGE_NAMES, percent
from ..models import Codebook, Document, Project, Run
from ..security import checked_form

from .common import form_id, form_ids, get_or_404, router, web

@router.post("/projects/{project_id}/runs")
async def start_run(request: Request, project_id: int):
    w = web(request)
    form = await checked_form(request)

    def start():
        with w.db.session() as s:
            get_or_404(s, Project, project_id)
            active = views.active_run(s, project_id)
            if active is not None:
                return active.id, [("info", "An analysis is already running for this project; here it is.")]
            event_ids = form_ids(form.getlist("events"), "event")
            q = select(Document.id).where(Document.project_id == project_id, Document.status == "ok")
            if event_ids:
                q = q.where(Document.event_id.in_(event_ids))
            doc_ids = list(s.scalars(q.order_by(Document.id)))
            if not doc_ids:
                return None, [("error", "There are no readable documents to analyse yet: upload notes first.")]
            book_id = form_id(form.get("codebook"), "codebook") or s.scalar(
                select(Codebook.id).where(Codebook.project_id == project_id).order_by(Codebook.id).limit(1))
            book = s.get(Codebook, book_id) if book_id else None
            if book is None or book.project_id != project_id:
                return None, [("error", "Choose a codebook for the analysis.")]
            try:
                codebooks.to_pipeline(book, codebooks.codes_of(s, book.id))
            except InputError as exc:
                return None, [("error", f"The codebook has a problem, fix it first: {codebooks.field_message(exc)}")]
            options = {"seed": w.config.seed}
            n_themes = str(form.get("n_themes") or "").strip()
            if n_themes:
                if not n_themes.isdigit() or not 2 <= int(n_themes) <= 200:
                    return None, [("error", "The number of themes must be a whole number from 2 to 200, "
                                            "or empty to let Plenary choose.")]
                options["n_themes"] = int(n_themes)
            run = Run(project_id=project_id, codebook_id=book.id, status="queued", stage="queued",
                      document_ids=doc_ids, settings=options)
            s.add(run)
            s.flush()
            return run.id, []

    run_id, messages = await run_in_threadpool(start)
    if run_id is None:
        return w.redirect(f"/projects/{project_id}", messages)
    if not messages:
        w.runs.submit(run_id)
    return w.redirect(f"/runs/{run_id}", messages)


def _run_status(run: Run) -> dict:
    return {"id": run.id, "status": run.status, "stage": run.stage, "done": run.done, "total": run.total,
            "percent": percent(run), "error": run.error,
            "message": web_stage_name(run)}


def web_stage_name(run: Run) -> str:
    if run.status == "done":
        return "Finished"
    if run.status == "failed":
        return "Failed"
    text = STAGE_NAMES.get(run.stage or "queued", run.stage or "")
    if run.total and run.stage == "embed":
        text += f" ({run.done} of {run.total})"
    return text


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: int):
    w = web(request)
    with w.db.session() as s:
        run = get_or_404(s, Run, run_id)
        project = s.get(Project, run.project_id)
        book = s.get(Codebook, run.codebook_id) if run.codebook_id else None
        previous = views.latest_run(s, project.id)
        docs = list(s.scalars(select(Document).where(Document.id.in_(run.document_ids or []))))
    return w.render(request, "run.html", project=project, run=run, book=book, previous=previous, docs=docs,
                    section="overview", status=_run_status(run))


@router.get("/runs/{run_id}/status")
def run_status(request: Request, run_id: int):
    w = web(request)
    with w.db.session() as s:
        run = get_or_404(s, Run, run_id)
        return JSONResponse(_run_status(run))
