"""The codebook: view and edit codes, import and export (.yaml, .qdc)."""
from __future__ import annotations

from fastapi import Request
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ...errors import InputError
from ...files import slug
from .. import codebooks, storage
from ..models import Codebook, Override, Project
from ..security import checked_form

from ...exchange import refi
from .common import _short, clean_name, get_or_404, router, web

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
                    list_fields=codebooks.LIST_FIELDS, refi=True)


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
                elif ext == ".qdc":
                    imported, notes = _qdc_to_codebook(raw, name)
                    book = codebooks.create_from(s, project_id, imported)
                    return w.redirect(f"{back}?cb={book.id}", [("ok", f"Codebook “{book.name}” imported.")]
                                      + [("info", n) for n in notes])
                else:
                    kinds = ".yaml or .qdc"
                    raise InputError(name, f"cannot import a '{ext or '(none)'}' file; use {kinds}")
            except InputError as exc:
                s.rollback()
                return w.redirect(back, [("error", f"Not imported: {exc}")])
            return w.redirect(f"{back}?cb={book.id}", [("ok", f"Codebook “{book.name}” imported.")])
    finally:
        await form.close()


@router.post("/projects/{project_id}/codebooks/draft")
async def draft_codebook(request: Request, project_id: int):
    """A new codebook drafted from the themes of the project's latest finished analysis (issue 10)."""
    from ...evaluate.draft import draft_from
    from .. import views

    w = web(request)
    form = await checked_form(request, max_files=0)
    back = f"/projects/{project_id}/codebook"
    try:
        with w.db.session() as s:
            project = get_or_404(s, Project, project_id)
            run = views.latest_run(s, project_id)
            if run is None or not run.out_dir:
                return w.redirect(back, [("error", "Run an analysis first: the draft is made from its themes.")])
            try:
                text, _ = draft_from([run.out_dir], name=project.name)
                book = codebooks.import_yaml(s, project_id, text, "drafted codebook")
            except (InputError, ValueError) as exc:
                s.rollback()
                return w.redirect(back, [("error", f"No codebook drafted: {exc}")])
            return w.redirect(f"{back}?cb={book.id}", [("ok", f"Codebook “{book.name}” drafted from the themes of "
                                                             f"analysis {run.id}: rename, rewrite and merge its codes, "
                                                             "then run a new analysis with it.")])
    finally:
        await form.close()


def _qdc_to_codebook(raw: bytes, name: str):
    """A .qdc upload read by pipeline.refi from its bytes (errors name the client's file); (codebook, notes)."""
    notes = refi.ImportNotes()
    book = refi.read_qdc_bytes(raw, name, notes)
    return book, list(notes.messages)


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
    if fmt == "qdc":
        try:
            pipeline_book, _ = codebooks.to_pipeline(book, rows)
        except InputError as exc:
            return w.redirect(f"/projects/{book.project_id}/codebook?cb={book_id}",
                              [("error", f"Fix the codebook first: {codebooks.field_message(exc)}")])
        data = refi.codebook_xml(pipeline_book)
        return Response(data, media_type="application/xml",
                        headers={"Content-Disposition": f'attachment; filename="{filename}.qdc"'})
    raise HTTPException(404, "That export format is not available.")
