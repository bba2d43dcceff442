"""The pages: projects and events, upload, run, themes, action plan, codebook, compare.

Every form that changes something is a POST carrying the CSRF token
(security.checked_form) and answers with a redirect, so reloading a page
never repeats an action.
"""
from __future__ import annotations

import hmac
import importlib
import logging
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, PlainTextResponse, Response

from ..errors import InputError
from ..events import check_date
from ..ingest import read_text, slug
from . import codebooks, compare, export, plan, storage, views
from .app import WebState
from .config import format_mb
from .jobs import STAGE_NAMES, percent
from .models import Codebook, Document, Event, Override, Project, Recommendation, Run, Segment
from .security import AUTH_COOKIE, auth_cookie_value, checked_form

log = logging.getLogger("plenary.web")
router = APIRouter()
TEXT_VIEW_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".csv", ".jsonl", ".ndjson"}
MAX_NAME = 200


def web(request: Request) -> WebState:
    return request.app.state.web


def get_or_404(session, model, id_: int):
    row = session.get(model, id_)
    if row is None:
        raise HTTPException(404, f"There is no such {model.__name__.lower()}. It may have been deleted.")
    return row


def clean_name(value, what: str) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise InputError(what, "a name is needed")
    if len(name) > MAX_NAME:
        raise InputError(what, f"a name can be at most {MAX_NAME} characters long")
    return name


def safe_next(value, fallback: str) -> str:
    """Only same-site paths, so a form cannot bounce the browser to another site."""
    value = str(value or "")
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else fallback


# =========================================================================== projects and events
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


def _short(value, limit: int) -> str | None:
    text = " ".join(str(value or "").split())
    return text[:limit] or None


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


# =========================================================================== upload
@router.post("/events/{event_id}/upload")
async def upload(request: Request, event_id: int):
    w = web(request)
    form = await checked_form(request, max_files=w.config.max_files)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and (f.filename or f.size)]
    try:
        if not files:
            return w.redirect(f"/events/{event_id}", [("error", "Choose one or more files to upload first.")])
        if len(files) > w.config.max_files:
            return w.redirect(f"/events/{event_id}", [("error", f"At most {w.config.max_files} files can be "
                                                                 "uploaded at once.")])
        messages = await run_in_threadpool(_store_uploads, w, event_id, files)
    finally:
        await form.close()
    return w.redirect(f"/events/{event_id}", messages)


def _store_uploads(w: WebState, event_id: int, files: list[UploadFile]) -> list[tuple[str, str]]:
    config = w.config
    with w.db.session() as s:
        event = get_or_404(s, Event, event_id)
        project_id, event_name = event.project_id, event.name
    allowed = storage.supported_extensions()
    limit = config.max_upload_bytes
    messages: list[tuple[str, str]] = []
    for upload_file in files:
        name = storage.display_name(upload_file.filename)
        ext = storage.extension(name)
        if ext not in allowed:
            messages.append(("error", f"{name}: not uploaded: files of type '{ext or '(none)'}' cannot be read; "
                                      f"use one of {', '.join(allowed)}."))
            continue
        if upload_file.size == 0:
            messages.append(("error", f"{name}: not uploaded: the file is empty."))
            continue
        if upload_file.size is not None and upload_file.size > limit:
            messages.append(("error", f"{name}: not uploaded: the file is {format_mb(upload_file.size)}, over "
                                      f"the {format_mb(limit)} limit."))
            continue
        try:
            upload_file.file.seek(0)
            stored = storage.store(upload_file.file, config.uploads_dir, ext, limit)
        except storage.TooLarge:
            messages.append(("error", f"{name}: not uploaded: the file is over the {format_mb(limit)} limit."))
            continue
        if stored.size == 0:
            _forget(w, stored)
            messages.append(("error", f"{name}: not uploaded: the file is empty."))
            continue
        with w.db.session() as s:
            twin = _twin(s, project_id, stored, name)
        messages.append(twin or _add_document(w, project_id, event_id, event_name, name, ext, stored))
    return messages


def _twin(s, project_id: int, stored: storage.StoredFile, name: str) -> tuple[str, str] | None:
    """A message when the project already holds this very file (by content)."""
    twin = s.scalars(select(Document).where(Document.project_id == project_id,
                                            Document.sha256 == stored.sha256)).first()
    if twin is None:
        return None
    where = s.get(Event, twin.event_id)
    return "info", (f"{name}: already uploaded (as “{twin.original_name}” in “{where.name}”), "
                    "so it was not added twice.")


def _forget(w: WebState, stored: storage.StoredFile) -> None:
    """Remove a stored file that no document uses (files are shared by content)."""
    with w.db.session() as s:
        used = s.scalar(select(func.count()).select_from(Document).where(Document.sha256 == stored.sha256))
    if not used:
        stored.path.unlink(missing_ok=True)


def _add_document(w: WebState, project_id: int, event_id: int, event_name: str, name: str, ext: str,
                  stored: storage.StoredFile) -> tuple[str, str]:
    with w.db.session() as s:
        taken = set(s.scalars(select(Document.run_name).where(Document.project_id == project_id)))
    provisional = storage.run_name(name, ext, taken)
    try:
        report, count = storage.ingest_report(stored.path, provisional, name, event_name, w.config.max_upload_bytes)
        status, error = "ok", None
    except InputError as exc:
        report, count, status, error = None, 0, "error", str(exc)
    # choosing the final name and adding the row happen under one lock, so two uploads at once
    # cannot take the same name; the slow reading above runs outside it
    with w.upload_lock, w.db.session() as s:
        twin = _twin(s, project_id, stored, name)  # the same file sent twice at once
        if twin is not None:
            return twin
        taken = set(s.scalars(select(Document.run_name).where(Document.project_id == project_id)))
        final = storage.run_name(name, ext, taken)
        if report is not None and final != provisional:
            report["source"] = final
        s.add(Document(project_id=project_id, event_id=event_id, original_name=name, run_name=final,
                       stored_name=stored.stored_name, sha256=stored.sha256, size=stored.size, ext=ext,
                       status=status, error=error, report=report, segment_count=count))
    if status == "ok":
        return "ok", f"{name}: {count} statements read."
    return "error", f"{name}: uploaded, but it could not be read: {error}"


@router.post("/documents/{document_id}/delete")
async def delete_document(request: Request, document_id: int):
    w = web(request)
    await checked_form(request)

    def remove():
        with w.db.session() as s:
            doc = get_or_404(s, Document, document_id)
            event_id, name, sha, stored = doc.event_id, doc.original_name, doc.sha256, doc.stored_name
            s.delete(doc)
            s.flush()
            still_used = s.scalar(select(func.count()).select_from(Document).where(Document.sha256 == sha))
        if not still_used:
            # a run that already started holds its own hard link, so removing the file cannot disturb it
            (w.config.uploads_dir / stored).unlink(missing_ok=True)
        return event_id, name

    event_id, name = await run_in_threadpool(remove)
    return w.redirect(f"/events/{event_id}", [("ok", f"{name} removed. Earlier results keep their quotes.")])


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: int):
    w = web(request)
    with w.db.session() as s:
        doc = get_or_404(s, Document, document_id)
        event = s.get(Event, doc.event_id)
        project = s.get(Project, doc.project_id)
        run = views.latest_run(s, project.id)
        segs = list(s.execute(select(Segment.line_start, Segment.line_end, Segment.text, Segment.theme,
                                     Segment.primary_code, Segment.segment_id)
                              .where(Segment.run_id == run.id, Segment.document_id == doc.id)
                              .order_by(Segment.line_start))) if run else []
    lines = _source_lines(w.config.uploads_dir / doc.stored_name) if doc.ext in TEXT_VIEW_SUFFIXES else None
    cited = {}
    for line_start, line_end, _, theme, code, sid in segs:
        for n in range(line_start, line_end + 1):
            cited.setdefault(n, (theme, code, sid))
    return w.render(request, "document.html", project=project, event=event, doc=doc, lines=lines, segs=segs,
                    cited=cited, run=run, section="overview")


MAX_SHOWN_LINES = 20_000


def _source_lines(path: Path) -> list[str] | None:
    """A text upload's lines as ingest numbers them, with personal details hidden as the analysis hides them."""
    try:
        text, _ = read_text(path, max_bytes=path.stat().st_size + 1)
    except (InputError, OSError):
        return None
    lines = text.splitlines()[:MAX_SHOWN_LINES]
    try:
        from ..redact import Redactor
    except ImportError:  # a pipeline without redaction
        return lines
    redactor = Redactor().fit(lines)
    return [redactor.redact(line)[0] for line in lines]


# =========================================================================== runs
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
            event_ids = [int(e) for e in form.getlist("events") if str(e).isdigit()]
            q = select(Document.id).where(Document.project_id == project_id, Document.status == "ok")
            if event_ids:
                q = q.where(Document.event_id.in_(event_ids))
            doc_ids = list(s.scalars(q.order_by(Document.id)))
            if not doc_ids:
                return None, [("error", "There are no readable documents to analyse yet: upload notes first.")]
            book_id = int(form.get("codebook") or 0) or s.scalar(
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


# =========================================================================== themes
@router.get("/projects/{project_id}/themes")
def themes_page(request: Request, project_id: int, run: int | None = None, event: str = "", code: str = "",
                section: str = "", question: str = ""):
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
        page = views.themes_page(s, chosen, filters)
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
               code: str = "", section: str = "", question: str = ""):
    """Every statement of one theme (or of the unclustered group), with the same filters."""
    w = web(request)
    filters = views.Filters(event=event, code=code, section=section, question=question)
    with w.db.session() as s:
        project = get_or_404(s, Project, project_id)
        chosen = s.get(Run, run) if run else views.latest_run(s, project_id)
        if chosen is None or chosen.project_id != project_id or chosen.status != "done":
            raise HTTPException(404, "That analysis has no results.")
        try:
            view, labels, codes = views.theme_view(s, chosen, theme_id, filters)
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


# =========================================================================== action plan
@router.get("/projects/{project_id}/plan")
def plan_page(request: Request, project_id: int):
    w = web(request)
    with w.db.session() as s:
        project = get_or_404(s, Project, project_id)
        run = views.latest_run(s, project_id)
        headings = views.plan_headings(s, project_id, run)
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
    ids = [int(i) for i in form.getlist("ids") if str(i).isdigit()]
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
        summary = None
        if run is not None and run.counts:
            summary = (f"The analysis read {run.counts.get('segments', 0)} statements from "
                       f"{run.counts.get('documents', 0)} document(s).")
    return project, headings, summary


@router.get("/projects/{project_id}/plan.docx")
def plan_docx(request: Request, project_id: int, only: str = "all"):
    project, headings, summary = _export_inputs(web(request), project_id, only)
    data = export.to_docx(project.name, headings, summary)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f'attachment; filename="action-plan-{slug(project.name)}.docx"'})


@router.get("/projects/{project_id}/plan.md")
def plan_markdown(request: Request, project_id: int, only: str = "all"):
    project, headings, summary = _export_inputs(web(request), project_id, only)
    return Response(export.to_markdown(project.name, headings, summary), media_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="action-plan-{slug(project.name)}.md"'})


# =========================================================================== codebook
def refi_module():
    """pipeline.refi (REFI-QDA .qdc exchange) when this version has it; else None."""
    try:
        module = importlib.import_module("pipeline.refi")
    except ImportError:
        return None
    return module if hasattr(module, "codebook_xml") and hasattr(module, "read_qdc") else None


@router.get("/projects/{project_id}/codebook")
def codebook_page(request: Request, project_id: int, cb: int | None = None, edit: int | None = None):
    w = web(request)
    with w.db.session() as s:
        project = get_or_404(s, Project, project_id)
        books = list(s.scalars(select(Codebook).where(Codebook.project_id == project_id).order_by(Codebook.id)))
        book = next((b for b in books if b.id == cb), books[0] if books else None)
        codes = codebooks.codes_of(s, book.id) if book else []
        problem = None
        if book is not None:
            try:
                codebooks.to_pipeline(book, codes)
            except InputError as exc:
                problem = codebooks.field_message(exc)
        person = list(s.scalars(select(Override).where(Override.project_id == project_id)
                                .order_by(Override.created_at.desc())))
    return w.render(request, "codebook.html", project=project, books=books, book=book, codes=codes,
                    problem=problem, overrides=person, section="codebook", editing=edit,
                    list_fields=codebooks.LIST_FIELDS, refi=refi_module() is not None)


@router.post("/codebooks/{book_id}/codes/{code_row}")
async def save_code(request: Request, book_id: int, code_row: int):
    """Save one code (code_row 0 adds a new one); the whole codebook is checked before anything is stored."""
    w = web(request)
    form = await checked_form(request)
    with w.db.session() as s:
        book = get_or_404(s, Codebook, book_id)
        rows = codebooks.codes_of(s, book_id)
        back = f"/projects/{book.project_id}/codebook?cb={book_id}"
        base = next((r for r in rows if r.id == code_row), None)
        if code_row and base is None:
            raise HTTPException(404, "There is no such code.")
        try:
            new = codebooks.code_from_form(form, base)
            if base is None:
                new.codebook_id, new.position = book_id, len(rows)
                new_rows = rows + [new]
            else:
                new_rows = [new if r.id == code_row else r for r in rows]
            codebooks.replace_codes(s, book, new_rows)
        except InputError as exc:
            s.rollback()
            anchor = f"&edit={code_row}#code-{code_row}" if code_row else "#add-code"
            return w.redirect(back + anchor, [("error", f"Not saved: {codebooks.field_message(exc)}.")])
    return w.redirect(back + f"#code-{new.code}", [("ok", f"Code “{new.code}” saved. The next analysis uses it.")])


@router.post("/codebooks/{book_id}/codes/{code_row}/delete")
async def delete_code(request: Request, book_id: int, code_row: int):
    w = web(request)
    await checked_form(request)
    with w.db.session() as s:
        book = get_or_404(s, Codebook, book_id)
        rows = codebooks.codes_of(s, book_id)
        back = f"/projects/{book.project_id}/codebook?cb={book_id}"
        gone = next((r for r in rows if r.id == code_row), None)
        if gone is None:
            raise HTTPException(404, "There is no such code.")
        try:
            codebooks.replace_codes(s, book, [r for r in rows if r.id != code_row])
        except InputError as exc:
            s.rollback()
            return w.redirect(back, [("error", f"Not deleted: {codebooks.field_message(exc)}.")])
    return w.redirect(back, [("ok", f"Code “{gone.code}” deleted.")])


@router.post("/codebooks/{book_id}/meta")
async def codebook_meta(request: Request, book_id: int):
    w = web(request)
    form = await checked_form(request)
    with w.db.session() as s:
        book = get_or_404(s, Codebook, book_id)
        try:
            book.name = clean_name(form.get("name"), "codebook name")
        except InputError as exc:
            return w.redirect(f"/projects/{book.project_id}/codebook?cb={book_id}", [("error", exc.message)])
        book.version = _short(form.get("version"), 40)
        book.description = " ".join(str(form.get("description") or "").split()) or None
        project_id = book.project_id
    return w.redirect(f"/projects/{project_id}/codebook?cb={book_id}", [("ok", "Codebook details saved.")])


@router.post("/projects/{project_id}/codebooks/import")
async def import_codebook(request: Request, project_id: int):
    """A new codebook from a YAML file (or a REFI-QDA .qdc once pipeline.refi exists), or the default."""
    w = web(request)
    form = await checked_form(request, max_files=1)
    back = f"/projects/{project_id}/codebook"
    upload_file = form.get("file")
    try:
        with w.db.session() as s:
            get_or_404(s, Project, project_id)
            if form.get("default"):
                book = codebooks.create_default(s, project_id)
                return w.redirect(f"{back}?cb={book.id}", [("ok", "A fresh copy of the default codebook was added.")])
            if not isinstance(upload_file, UploadFile) or not upload_file.filename:
                return w.redirect(back, [("error", "Choose a codebook file (.yaml or .yml) to import.")])
            name = storage.display_name(upload_file.filename)
            raw = await upload_file.read(2 * 1024 * 1024 + 1)
            if len(raw) > 2 * 1024 * 1024:
                return w.redirect(back, [("error", f"{name}: a codebook file can be at most 2 MB.")])
            ext = storage.extension(name)
            try:
                if ext in (".yaml", ".yml"):
                    try:
                        text = raw.decode("utf-8-sig")
                    except UnicodeDecodeError:
                        raise InputError(name, "is not UTF-8 text; save it as UTF-8") from None
                    book = codebooks.import_yaml(s, project_id, text, name)
                elif ext == ".qdc" and refi_module() is not None:
                    imported, notes = _qdc_to_codebook(raw, name)
                    book = codebooks.create_from(s, project_id, imported)
                    return w.redirect(f"{back}?cb={book.id}", [("ok", f"Codebook “{book.name}” imported.")]
                                      + [("info", n) for n in notes])
                else:
                    kinds = ".yaml" + (" or .qdc" if refi_module() is not None else "")
                    raise InputError(name, f"cannot import a '{ext or '(none)'}' file; use {kinds}")
            except InputError as exc:
                s.rollback()
                return w.redirect(back, [("error", f"Not imported: {exc}")])
            return w.redirect(f"{back}?cb={book.id}", [("ok", f"Codebook “{book.name}” imported.")])
    finally:
        await form.close()


def _qdc_to_codebook(raw: bytes, name: str):
    """A .qdc upload read by pipeline.refi; errors name the client's file. Returns (codebook, notes)."""
    refi = refi_module()
    with tempfile.TemporaryDirectory(prefix="plenary-qdc-") as tmp:
        path = Path(tmp) / f"{slug(name)}.qdc"
        path.write_bytes(raw)
        notes = refi.ImportNotes() if hasattr(refi, "ImportNotes") else None
        try:
            book = refi.read_qdc(path, notes) if notes is not None else refi.read_qdc(path)
        except InputError as exc:
            raise InputError(name, exc.message, exc.line, exc.field) from None
    return book, list(getattr(notes, "messages", []) or [])


@router.get("/codebooks/{book_id}/export.{fmt}")
def export_codebook(request: Request, book_id: int, fmt: str):
    w = web(request)
    with w.db.session() as s:
        book = get_or_404(s, Codebook, book_id)
        rows = codebooks.codes_of(s, book_id)
    filename = slug(book.name)
    if fmt == "yaml":
        return Response(codebooks.to_yaml(book, rows), media_type="application/x-yaml; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}.yaml"'})
    if fmt == "qdc" and refi_module() is not None:
        try:
            pipeline_book, _ = codebooks.to_pipeline(book, rows)
        except InputError as exc:
            return w.redirect(f"/projects/{book.project_id}/codebook?cb={book_id}",
                              [("error", f"Fix the codebook first: {codebooks.field_message(exc)}")])
        data = refi_module().codebook_xml(pipeline_book)
        return Response(data, media_type="application/xml",
                        headers={"Content-Disposition": f'attachment; filename="{filename}.qdc"'})
    raise HTTPException(404, "That export format is not available.")


# =========================================================================== compare
@router.get("/projects/{project_id}/compare")
def compare_page(request: Request, project_id: int):
    return compare.compare_view(web(request), request, project_id)


@router.get("/projects/{project_id}/compare/report")
def compare_report(request: Request, project_id: int):
    return compare.compare_report_view(web(request), request, project_id)


# =========================================================================== access token
@router.get("/login")
def login_page(request: Request, next: str = "/"):
    w = web(request)
    return w.render(request, "login.html", next=safe_next(next, "/"), failed=False)


@router.post("/login")
async def login(request: Request):
    w = web(request)
    form = await checked_form(request)
    target = safe_next(form.get("next"), "/")
    token = w.config.token
    if not token:
        return w.redirect(target)
    if not hmac.compare_digest(str(form.get("token") or ""), token):
        log.warning("failed sign-in from %s", request.client.host if request.client else "?")
        return w.render(request, "login.html", status_code=401, next=target, failed=True)
    response = w.redirect(target)
    response.set_cookie(AUTH_COOKIE, auth_cookie_value(w.secret, token), httponly=True, samesite="strict", path="/")
    return response
