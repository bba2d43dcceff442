"""Documents: upload, delete, and the document view."""
from __future__ import annotations

from pathlib import Path

from fastapi import Request
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ...errors import InputError
from ...exchange import rundir
from ...ingest import read_text
from ...ingest.redact import Redactor
from ...ingest.readers.text import TEXT_SUFFIXES
from .. import storage, views
from ..pages import LINES_PER_PAGE, Pager
from ..state import WebState
from ..config import format_mb
from ..models import Document, Event, Project, Segment
from ..security import checked_form

from .common import TEXT_VIEW_SUFFIXES, get_or_404, router, web

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
def document_page(request: Request, document_id: int, page: int = 1, line: int | None = None):
    """A document a page of lines at a time (page k: lines 500(k-1)+1 to 500k, so a link to a line names its
    page; `line` opens the page holding that line), showing only what
    the analysis kept: a text input's redacted text, any other format's statements at their lines (never
    a survey's other columns)."""
    w = web(request)
    with w.db.session() as s:
        doc = get_or_404(s, Document, document_id)
        event = s.get(Event, doc.event_id)
        project = s.get(Project, doc.project_id)
        run = views.latest_run(s, project.id)
        lines = _source_lines(run, doc.run_name, w.config.uploads_dir / doc.stored_name) \
            if doc.ext in TEXT_VIEW_SUFFIXES else None
        conn = s.connection()
        if lines is not None:  # a page of the text, and the statements on it
            if line:
                page = (max(1, min(line, len(lines))) - 1) // LINES_PER_PAGE + 1
            pager = Pager.of(page, LINES_PER_PAGE, len(lines))
            lines = lines[pager.offset:pager.offset + LINES_PER_PAGE]
            segs = conn.exec_driver_sql(
                f"SELECT {DOC_COLUMNS} FROM segments WHERE run_id = ? AND document_id = ? AND line_start <= ? "
                "AND line_end >= ? ORDER BY line_start", (run.id, doc.id, pager.last, pager.first)).fetchall() \
                if run else []
        else:  # the statements read from it, by line: the same line ranges per page as a text
            last_line = conn.exec_driver_sql("SELECT max(line_start) FROM segments WHERE run_id = ? AND "
                                             "document_id = ?", (run.id, doc.id)).scalar() if run else 0
            if line:
                page = (max(1, line) - 1) // LINES_PER_PAGE + 1
            pager = Pager.of(page, LINES_PER_PAGE, int(last_line or 0))
            segs = conn.exec_driver_sql(
                f"SELECT {DOC_COLUMNS} FROM segments WHERE run_id = ? AND document_id = ? AND line_start "
                "BETWEEN ? AND ? ORDER BY line_start, position", (run.id, doc.id, pager.first, pager.last)
            ).fetchall() if run else []
    cited = {}
    for line_start, line_end, _, theme, code, sid in segs:
        for n in range(line_start, line_end + 1):
            cited.setdefault(n, (theme, code, sid))
    return w.render(request, "document.html", project=project, event=event, doc=doc, lines=lines, segs=segs,
                    cited=cited, run=run, section="overview", pager=pager)


DOC_COLUMNS = "line_start, line_end, text, theme, primary_code, segment_id"
MAX_SHOWN_LINES = 1_000_000  # a text's lines kept for paging; past this the view stops (said on the page)


def _source_lines(run, run_name: str, upload: Path) -> list[str] | None:
    """The document's lines as ingest numbers them, showing only what the analysis kept; None for a
    format that is shown as its statements (a survey table, a Word file).

    After a run that read it: the run folder's redacted text of a text input (rundir.source_text). Other
    formats are never shown as their file: only as the statements the analysis kept, so a survey's personal
    columns cannot appear. Before any run: a text upload redacted on its own.
    """
    if run is not None and run.out_dir:
        text = rundir.source_text(run.out_dir, run_name)
        if text is not None:
            return text.splitlines()[:MAX_SHOWN_LINES]
    if upload.suffix.lower() not in TEXT_SUFFIXES:
        return None  # a table: only its statements, as the analysis read them
    try:
        text, _ = read_text(upload, max_bytes=upload.stat().st_size + 1)
    except (InputError, OSError):
        return None
    return Redactor().fit(text.splitlines()).redact_document(text).splitlines()[:MAX_SHOWN_LINES]
