"""Projects and events: the project list, a project's page, an event's page."""
from __future__ import annotations


from fastapi import Request
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse

from ...errors import InputError
from ...ingest.events import check_date
from .. import codebooks, storage, views
from ..config import format_mb
from ..models import Codebook, Document, Event, Project, Run
from ..security import checked_form

from .common import _short, MAX_NAME, clean_name, get_or_404, router, web

@router.get("/healthz")
def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok")


@router.get("/")
def projects(request: Request):
    w = web(request)
    with w.db.session() as s:
        rows = s.execute(select(Project, func.count(Event.id)).outerjoin(Event, Event.project_id == Project.id)
                         .group_by(Project.id).order_by(Project.id.desc())).all()
        latest = {p.id: views.latest_run(s, p.id, status=None) for p, _ in rows}
    return w.render(request, "projects.html", rows=rows, latest=latest)


@router.post("/projects")
async def create_project(request: Request):
    w = web(request)
    form = await checked_form(request)
    try:
        name = clean_name(form.get("name"), "project name")
        event_name = " ".join(str(form.get("event") or "").split())[:MAX_NAME]
    except InputError as exc:
        return w.redirect("/", [("error", f"Could not create the project: {exc.message}.")])

    def create():
        with w.db.session() as s:
            project = Project(name=name)
            s.add(project)
            s.flush()
            codebooks.create_default(s, project.id)
            event = Event(project_id=project.id, name=event_name) if event_name else None
            if event is not None:
                s.add(event)
                s.flush()
            return project.id, event.id if event is not None else None

    project_id, event_id = await run_in_threadpool(create)
    if event_id is not None:
        return w.redirect(f"/events/{event_id}", [("ok", f"Project “{name}” created. Now upload the notes.")])
    return w.redirect(f"/projects/{project_id}", [("ok", f"Project “{name}” created.")])


@router.post("/projects/{project_id}/rename")
async def rename_project(request: Request, project_id: int):
    w = web(request)
    form = await checked_form(request)
    with w.db.session() as s:
        project = get_or_404(s, Project, project_id)
        try:
            project.name = clean_name(form.get("name"), "project name")
        except InputError as exc:
            return w.redirect(f"/projects/{project_id}", [("error", f"Not renamed: {exc.message}.")])
    return w.redirect(f"/projects/{project_id}", [("ok", "Project renamed.")])


@router.get("/projects/{project_id}")
def project_page(request: Request, project_id: int):
    w = web(request)
    with w.db.session() as s:
        project = get_or_404(s, Project, project_id)
        summary = views.project_summary(s, project_id)
        runs = list(s.scalars(select(Run).where(Run.project_id == project_id).order_by(Run.id.desc()).limit(20)))
        books = list(s.scalars(select(Codebook).where(Codebook.project_id == project_id).order_by(Codebook.id)))
        active = views.active_run(s, project_id)
        done = views.latest_run(s, project_id)
    return w.render(request, "project.html", project=project, section="overview", runs=runs, books=books,
                    active=active, done=done, **summary)


@router.post("/projects/{project_id}/events")
async def create_event(request: Request, project_id: int):
    w = web(request)
    form = await checked_form(request)
    with w.db.session() as s:
        get_or_404(s, Project, project_id)
        try:
            event = Event(project_id=project_id, name=clean_name(form.get("name"), "event name"),
                          date=_date(form.get("date")), place=_short(form.get("place"), 200),
                          type=_short(form.get("type"), 60))
        except InputError as exc:
            return w.redirect(f"/projects/{project_id}", [("error", f"Event not added: {exc.message}.")])
        s.add(event)
        s.flush()
        event_id = event.id
    return w.redirect(f"/events/{event_id}", [("ok", "Event added. Upload its notes below.")])


def _date(value) -> str | None:
    """An event date as the pipeline takes it (YYYY, YYYY-MM or YYYY-MM-DD), or None."""
    text = _short(value, 40)
    return check_date(text, "event date") if text else None


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: int):
    w = web(request)
    with w.db.session() as s:
        event = get_or_404(s, Event, event_id)
        project = s.get(Project, event.project_id)
        docs = list(s.scalars(select(Document).where(Document.event_id == event_id).order_by(Document.id)))
        active = views.active_run(s, project.id)
    return w.render(request, "event.html", project=project, event=event, docs=docs, active=active,
                    section="overview", extensions=storage.supported_extensions(),
                    max_bytes=w.config.max_upload_bytes, max_size=format_mb(w.config.max_upload_bytes),
                    max_files=w.config.max_files)


@router.post("/events/{event_id}/edit")
async def edit_event(request: Request, event_id: int):
    w = web(request)
    form = await checked_form(request)
    with w.db.session() as s:
        event = get_or_404(s, Event, event_id)
        try:
            event.name = clean_name(form.get("name"), "event name")
            event.date = _date(form.get("date"))
        except InputError as exc:
            return w.redirect(f"/events/{event_id}", [("error", f"Not saved: {exc.message}.")])
        event.place, event.type = _short(form.get("place"), 200), _short(form.get("type"), 60)
    return w.redirect(f"/events/{event_id}", [("ok", "Event saved. A new analysis will use the new name.")])
