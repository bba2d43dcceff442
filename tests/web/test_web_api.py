"""The web app through HTTP (FastAPI's TestClient) on a real SQLite file database.

Results come from the session's real pipeline run over the bundled corpora
(`bundled_run`), saved through the app's own save_results, so these tests add
no model runs of their own. The browser tests run the real analysis end to end.
"""
from __future__ import annotations

import dataclasses
import html
import io
import logging
import re
import threading
from types import SimpleNamespace

import markupsafe
import pytest
from click.testing import CliRunner
from docx import Document as WordDocument
from sqlalchemy import func, select

from pipeline.web import storage
from pipeline.web.models import Codebook, Document, Edit, Override, Recommendation, Run, Theme

from conftest import csrf_of


def esc(text: str) -> str:
    """Text as the pages escape it (Jinja2's autoescape)."""
    return str(markupsafe.escape(text))


def flashes(page_html: str) -> list[tuple[str, str]]:
    return [(k, html.unescape(t)) for k, t in re.findall(r'class="flash (\w+)">([^<]*)<', page_html)]


# =========================================================================== projects, events, CSRF, escaping
def test_create_and_rename_project_and_event(ui, client):
    project_id, event_id = ui.project("Assemblies 2024", "Spring")
    assert "Upload notes" in client.get(f"/events/{event_id}").text
    ui.post(f"/projects/{project_id}/rename", {"name": "City assemblies"})
    ui.post(f"/events/{event_id}/edit", {"name": "Spring assembly", "date": "2024-03", "place": "Kirkby"})
    page = client.get(f"/projects/{project_id}").text
    assert "City assemblies" in page and "Spring assembly" in page and "2024-03" in page
    bad = ui.post(f"/events/{event_id}/edit", {"name": "Spring assembly", "date": "March"})
    assert any(k == "error" and "YYYY" in t for k, t in flashes(bad.text))


def test_every_form_that_changes_something_needs_the_csrf_token(ui, client):
    project_id, event_id = ui.project()
    from pipeline.web.routes import router

    posts = [r.path for r in router.routes if "POST" in getattr(r, "methods", set())]
    assert len(posts) >= 15
    for path in posts:
        url = re.sub(r"\{(\w+)\}", lambda m: "accept" if m.group(1) == "action" else "1", path)
        for data in ({}, {"csrf_token": "forged-" + "x" * 36}):
            r = client.post(url, data=data, follow_redirects=False)
            assert r.status_code == 403, (url, data, r.status_code)
            assert "did not come from this app" in r.text
    # a valid token from another site's page is refused too
    token = ui.token()
    r = client.post("/projects", data={"csrf_token": token, "name": "x"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403


def test_notes_and_names_with_html_are_shown_as_text(ui, client):
    project_id, event_id = ui.project("<script>alert('p')</script>", "<img src=x onerror=alert(1)>")
    note = b"Funding\n\n- <script>alert('xss')</script> We need longer-term funding for small groups\n" \
           b"- Councils should <b>listen</b> to young people before deciding\n"
    r = ui.upload(event_id, ("<b>notes</b>.txt", note))
    assert any(k == "ok" for k, _ in flashes(r.text))
    doc_id = client.app.state.web.db.sessions().scalar(select(Document.id))
    for page in (client.get(f"/events/{event_id}").text, client.get(f"/documents/{doc_id}").text,
                 client.get("/").text, client.get(f"/projects/{project_id}").text):
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>notes" not in page
    doc_page = client.get(f"/documents/{doc_id}").text
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in doc_page
    assert "Content-Security-Policy" in client.get("/").headers and "script-src 'self'" in \
        client.get("/").headers["Content-Security-Policy"]


# =========================================================================== uploads
def test_the_source_view_hides_personal_details(ui, client):
    _, event_id = ui.project()
    ui.upload(event_id, ("notes.txt", b"Youth provision\n\n- Email jo.bloggs@example.org about the youth club bid\n"
                                      b"- We need longer-term funding for small groups\n"))
    with client.app.state.web.db.session() as s:
        doc_id = s.scalar(select(Document.id))
    page = client.get(f"/documents/{doc_id}").text
    assert "jo.bloggs@example.org" not in page and "[EMAIL]" in page
    assert "We need longer-term funding for small groups" in page


def test_each_file_gets_its_ingest_report_errors_included(ui, client):
    _, event_id = ui.project()
    r = ui.upload(event_id, ("notes.md", b"# Funding\n\n- We need longer-term funding for small groups\n"
                                         b"- Grants should be simpler to apply for\n"),
                  ("survey.csv", b"name,age\nAnn,34\n"))
    got = flashes(r.text)
    assert ("ok", "notes.md: 2 statements read.") in got
    assert any(k == "error" and t.startswith("survey.csv: uploaded, but it could not be read") for k, t in got)
    page = client.get(f"/events/{event_id}").text
    assert "Could not be read" in page and "2 statements" in page
    with client.app.state.web.db.session() as s:
        statuses = dict(s.execute(select(Document.original_name, Document.status)).all())
    assert statuses == {"notes.md": "ok", "survey.csv": "error"}


def test_wrong_type_too_large_and_empty_files_are_refused(ui, client, web_config):
    _, event_id = ui.project()
    big = b"- a statement that is long enough to count\n" * 7000  # over the 256 kB limit of web_config
    assert len(big) > web_config.max_upload_bytes
    r = ui.upload(event_id, ("tool.exe", b"MZ..."), ("big.txt", big), ("empty.txt", b""))
    got = dict((t.split(":")[0], (k, t)) for k, t in flashes(r.text))
    assert got["tool.exe"][0] == "error" and "cannot be read" in got["tool.exe"][1] and ".txt" in got["tool.exe"][1]
    assert got["big.txt"][0] == "error" and "over the 256 kB limit" not in got["big.txt"][1] \
        and "over the 0.25 MB limit" in got["big.txt"][1]
    assert got["empty.txt"][0] == "error" and "empty" in got["empty.txt"][1]
    with client.app.state.web.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
    assert not web_config.uploads_dir.exists() or list(web_config.uploads_dir.iterdir()) == []


def test_a_request_over_the_limit_gets_a_friendly_413(ui, client, web_config):
    _, event_id = ui.project()
    payload = b"x" * (web_config.max_request_bytes + 10)
    r = ui.upload(event_id, ("huge.txt", payload))
    assert r.status_code == 413
    assert "too large" in r.text and "Traceback" not in r.text
    assert not web_config.uploads_dir.exists() or list(web_config.uploads_dir.iterdir()) == []


def test_client_file_names_never_become_paths(ui, client, web_config, tmp_path):
    _, event_id = ui.project()
    ui.upload(event_id, ("../../../escape.txt", b"- We need more youth workers in every ward\n"))
    with client.app.state.web.db.session() as s:
        doc = s.scalars(select(Document)).one()
    assert doc.run_name == "escape.txt" and doc.original_name == "escape.txt"
    assert doc.stored_name == f"{doc.sha256}.txt"
    assert (web_config.uploads_dir / doc.stored_name).exists()
    assert not list(tmp_path.rglob("escape.txt"))


def test_the_same_file_is_not_added_twice(ui, client):
    _, event_id = ui.project()
    data = b"- We need more youth workers in every ward\n"
    ui.upload(event_id, ("a.txt", data))
    r = ui.upload(event_id, ("copy.txt", data))
    assert any(k == "info" and "already uploaded" in t for k, t in flashes(r.text))
    with client.app.state.web.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1


def test_uploads_at_the_same_time_corrupt_nothing(ui, client, web_config):
    _, event_id = ui.project()
    token = ui.token()
    errors: list[str] = []

    def send(i: int) -> None:
        data = f"- Statement {i}: we need a youth centre open on Sundays in ward {i}\n".encode()
        r = client.post(f"/events/{event_id}/upload", data={"csrf_token": token},
                        files=[("files", ("notes.txt", data, "text/plain"))])
        if r.status_code != 200:
            errors.append(f"{i}: {r.status_code}")

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with client.app.state.web.db.session() as s:
        docs = list(s.scalars(select(Document)))
    assert len(docs) == 8 and all(d.status == "ok" for d in docs)
    assert len({d.run_name for d in docs}) == 8  # notes.txt, notes-2.txt, ... never the same name twice
    for d in docs:
        storage.verify(web_config.uploads_dir / d.stored_name, d.sha256)
    assert not [p for p in web_config.uploads_dir.iterdir() if p.name.startswith(".upload-")]


# =========================================================================== errors and access
def test_error_pages_are_friendly_and_errors_are_logged(client, caplog):
    r = client.get("/projects/9999")
    assert r.status_code == 404 and "Not found" in r.text and "Traceback" not in r.text

    def boom():
        raise RuntimeError("secret internal detail")

    client.app.add_api_route("/boom", boom)
    with caplog.at_level(logging.ERROR, logger="plenary.web"):
        r = client.get("/boom")
    assert r.status_code == 500
    assert "Something went wrong" in r.text and "Reference" in r.text
    assert "secret internal detail" not in r.text and "Traceback" not in r.text
    assert any("secret internal detail" in (rec.exc_text or "") or rec.exc_info for rec in caplog.records)


def test_access_token_is_required_when_set(tmp_path, cache_dir):
    from fastapi.testclient import TestClient

    from pipeline.web.app import create_app
    from pipeline.web.config import WebConfig

    token = "correct-horse-battery"
    app = create_app(WebConfig(data_dir=tmp_path / "data", token=token, cache_dir=str(cache_dir)))
    with TestClient(app) as c:
        r = c.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert c.get("/healthz").status_code == 200 and c.get("/static/app.css").status_code == 200
        assert c.post("/projects", data={"name": "x"}, follow_redirects=False).status_code == 401
        login = c.get("/login").text
        r = c.post("/login", data={"csrf_token": csrf_of(login), "token": "wrong", "next": "/"})
        assert r.status_code == 401 and "not right" in r.text
        r = c.post("/login", data={"csrf_token": csrf_of(login), "token": token, "next": "/"}, follow_redirects=False)
        assert r.status_code == 303 and token not in r.headers.get("set-cookie", "")
        assert c.get("/").status_code == 200
    with TestClient(app) as other:
        assert other.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert other.get("/", headers={"Authorization": "Bearer nope"}, follow_redirects=False).status_code == 303


@pytest.mark.parametrize("args, message", [
    (["--host", "0.0.0.0"], "without an access token"),
    (["--host", "192.168.1.20"], "without an access token"),
    (["--host", "0.0.0.0", "--token", "short"], "at least 12 characters"),
])
def test_serve_refuses_a_public_address_without_a_token(tmp_path, args, message):
    from pipeline.cli import main

    result = CliRunner().invoke(main, ["serve", "--data-dir", str(tmp_path), *args], env={"PLENARY_TOKEN": ""})
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "plenary.sqlite").exists()


# =========================================================================== with real results
def test_run_status_is_reported(client, results):
    status = client.get(f"/runs/{results.run_id}/status").json()
    assert status["status"] == "done" and status["percent"] == 100
    page = client.get(f"/runs/{results.run_id}").text
    assert f"{len(results.result.segments)} statements" in page


def test_themes_page_ranks_themes_with_quotes_linked_to_their_lines(client, results):
    page = client.get(f"/projects/{results.project_id}/themes").text
    ranked = [t for t in results.result.themes if not t.is_unclustered]
    by_id = {s.id: s for s in results.result.segments}
    positions = [page.index(esc(t.label)) for t in ranked[:5]]
    assert positions == sorted(positions)  # shown in rank order
    quote = by_id[ranked[0].quotes[0]]
    assert esc(quote.text) in page
    page_of = (quote.line_start - 1) // 500 + 1  # documents are shown 500 lines a page
    assert (f'href="/documents/{results.doc_ids[quote.source]}?page={page_of}#L{quote.line_start}"'
            in page)
    assert "<svg" in page  # the bar chart of sizes
    line_page = client.get(f"/documents/{results.doc_ids[quote.source]}").text
    assert f'id="L{quote.line_start}"' in line_page

    # every statement of a theme, most central first, on its own page
    theme = ranked[1]
    detail = client.get(f"/projects/{results.project_id}/themes/{theme.id}").text
    assert detail.count('<blockquote class="quote">') == theme.size
    texts = [esc(by_id[s].text) for s in theme.segments[:3]]
    assert detail.index(texts[0]) < detail.index(texts[1]) < detail.index(texts[2])
    assert client.get(f"/projects/{results.project_id}/themes/no-such-theme").status_code == 404


@pytest.mark.parametrize("key", ["event", "code", "section", "question"])
def test_theme_filters_count_the_matching_statements(client, results, key):
    segs = results.result.segments
    if key == "event":
        value = segs[0].event
        expected = sum(s.event == value for s in segs)
    elif key == "code":
        value = "funding"
        expected = sum(any(c.code == value for c in s.codes) for s in segs)
    elif key == "section":
        value = next(s.section_path for s in segs if s.section_path)
        expected = sum(s.section_path == value or s.section_path.startswith(value + " > ") for s in segs)
    else:
        value = next(s.question for s in segs if s.question)
        expected = sum(s.question == value for s in segs)
    assert 0 < expected < len(segs)
    page = client.get(f"/projects/{results.project_id}/themes", params={key: value}).text
    assert f"{expected} of {len(segs)} statements match" in page


def _recs(db, project_id):
    with db.session() as s:
        return list(s.scalars(select(Recommendation).where(Recommendation.project_id == project_id)
                              .order_by(Recommendation.heading_code, Recommendation.position)))


def test_plan_edits_are_kept_and_exported(client, ui, results):
    pid = results.project_id
    recs = [r for r in _recs(results.db, pid) if r.heading_code == "funding"]
    assert len(recs) >= 3 and "Supported by" in client.get(f"/projects/{pid}/plan").text
    first, second, third = recs[:3]

    edited = "Fund BAME-led groups for at least three years, not one"
    ui.post(f"/recommendations/{first.id}/edit", {"text": edited, "and_accept": "1"})
    ui.post(f"/recommendations/{third.id}/up")  # third moves above second
    ui.post(f"/recommendations/{second.id}/delete")
    ui.post(f"/projects/{pid}/plan/add", {"heading": "funding", "text": "Publish the funding plan <in full>"})

    now = {r.id: r for r in _recs(results.db, pid)}
    assert now[first.id].text == edited and now[first.id].status == "accepted" and now[first.id].edited
    assert now[third.id].position < now[first.id].position or now[third.id].position < now[second.id].position
    assert now[second.id].status == "deleted"
    with results.db.session() as s:
        actions = [e.action for e in s.scalars(select(Edit).where(Edit.project_id == pid).order_by(Edit.id))]
    assert actions == ["edit", "accept", "move", "delete", "add"]

    page = client.get(f"/projects/{pid}/plan").text
    assert esc(edited) in page and "Publish the funding plan &lt;in full&gt;" in page

    doc = WordDocument(io.BytesIO(client.get(f"/projects/{pid}/plan.docx").content))
    texts = [p.text for p in doc.paragraphs]
    assert any(t.endswith(edited) and re.match(r"^\d+\.\t", t) for t in texts)
    assert not any(t.endswith(second.text) and re.match(r"^\d+\.\t", t) for t in texts)  # deleted: left out
    assert "Evidence appendix" in texts
    only = WordDocument(io.BytesIO(client.get(f"/projects/{pid}/plan.docx", params={"only": "accepted"}).content))
    numbered = [p.text for p in only.paragraphs if re.match(r"^\d+\.\t", p.text)]
    assert numbered == [f"1.\t{edited}"]
    md = client.get(f"/projects/{pid}/plan.md").text
    assert edited in md and "## Evidence appendix" in md

    ui.post(f"/recommendations/{second.id}/restore")
    assert {r.id: r for r in _recs(results.db, pid)}[second.id].status == "proposed"


def test_merge_keeps_all_evidence(ui, results):
    pid = results.project_id
    a, b = [r for r in _recs(results.db, pid) if r.heading_code == "funding"][:2]
    ui.post(f"/projects/{pid}/plan/merge", {"ids": [str(a.id), str(b.id)]})
    now = {r.id: r for r in _recs(results.db, pid)}
    assert now[b.id].status == "merged" and now[b.id].merged_into == a.id
    assert set(now[a.id].evidence) == set(a.evidence) | set(b.evidence)
    assert now[a.id].support == len(set(a.evidence) | set(b.evidence))
    r = ui.post(f"/projects/{pid}/plan/merge", {"ids": [str(a.id)]})
    assert any(k == "error" and "at least two" in t for k, t in flashes(r.text))


def test_a_rerun_proposes_and_never_overwrites_accepted_text(client, ui, results):
    from pipeline.exchange.rundir import run_record
    from pipeline.web.jobs import save_results

    pid = results.project_id
    target = next(r for r in _recs(results.db, pid) if r.heading_code == "funding")
    untouched = next(r for r in _recs(results.db, pid) if r.heading_code == "representation")
    mine = "Ring-fence three-year grants for small community groups"
    ui.post(f"/recommendations/{target.id}/edit", {"text": mine, "and_accept": "1"})

    # the next analysis drafts new wording for both lines
    def reworded(r):
        if r.evidence == target.evidence or r.evidence == untouched.evidence:
            return dataclasses.replace(r, text="Reworded by the new analysis: " + r.text)
        return r

    result = dataclasses.replace(results.result, plans=[
        dataclasses.replace(p, recommendations=[reworded(r) for r in p.recommendations])
        for p in results.result.plans])
    with results.db.session() as s:
        run = Run(project_id=pid, codebook_id=None, status="running", document_ids=[], settings={})
        s.add(run)
        s.flush()
        save_results(s, run.id, result, run_record(result, "again"), results.doc_ids, "")

    now = {r.id: r for r in _recs(results.db, pid)}
    assert now[target.id].text == mine and now[target.id].status == "accepted"
    assert now[target.id].proposal.startswith("Reworded by the new analysis: ")
    assert now[untouched.id].text.startswith("Reworded by the new analysis: ")  # untouched drafts follow the run
    page = client.get(f"/projects/{pid}/plan").text
    assert "The latest analysis suggests" in page and esc(mine) in page
    ui.post(f"/recommendations/{target.id}/use-proposal")
    assert {r.id: r for r in _recs(results.db, pid)}[target.id].text.startswith("Reworded by the new analysis")


def test_marking_a_statement_stores_an_override_for_the_next_run(client, ui, results, tmp_path):
    from pipeline.web.services import override_items

    pid = results.project_id
    seg = next(s for s in results.result.segments if s.primary != "funding" and s.theme != "unclustered")
    r = ui.post(f"/projects/{pid}/overrides", {"segment_id": seg.id, "code": "funding",
                                               "next": f"/projects/{pid}/themes"})
    assert any(k == "ok" and "Marked" in t for k, t in flashes(r.text))
    label = results.result.codebook["funding"].label
    assert f"you: {esc(label)}" in client.get(f"/projects/{pid}/statement", params={"id": seg.id}).text
    bad = ui.post(f"/projects/{pid}/overrides", {"segment_id": seg.id, "code": "no-such-code"})
    assert any(k == "error" for k, _ in flashes(bad.text))
    with results.db.session() as s:
        stored = {o.segment_id: o.code for o in s.scalars(select(Override))}
    assert stored == {seg.id: "funding"}

    # what the next run is given: the person's codes as objects, no file in between
    items = override_items(stored, results.result.codebook)
    assert [(i.id, i.labels) for i in items] == [(seg.id, ["funding"])]


def test_a_failed_run_keeps_the_previous_results(client, ui, results):
    pid = results.project_id
    w = client.app.state.web
    before = [(r.id, r.text) for r in _recs(results.db, pid)]
    with results.db.session() as s:
        doc = s.get(Document, results.doc_ids["vs6-assemblies-2020.txt"])
        (w.config.uploads_dir / doc.stored_name).write_bytes(b"- tampered with on disk\n")
    r = ui.post(f"/projects/{pid}/runs", {"events": str(results.event_id)})
    failed_id = int(str(r.url).rsplit("/", 1)[1])
    w.runs.wait(failed_id, timeout=120)
    with results.db.session() as s:
        failed = s.get(Run, failed_id)
        assert failed.status == "failed"
        assert "vs6-assemblies-2020.txt" in failed.error and "changed on disk" in failed.error
        assert s.scalar(select(func.count()).select_from(Theme).where(Theme.run_id == failed_id)) == 0
    page = client.get(f"/runs/{failed_id}").text
    assert "did not finish" in page and "changed on disk" in page
    themes = client.get(f"/projects/{pid}/themes").text
    assert f"Analysis {results.run_id} of" in themes and "The latest analysis" in themes
    assert [(r.id, r.text) for r in _recs(results.db, pid)] == before


def test_codebook_edits_are_checked_and_exported(client, ui, results):
    import yaml

    from pipeline.codebook import parse_codebook
    from pipeline.web.models import Code

    pid = results.project_id
    with results.db.session() as s:
        book = s.scalars(select(Codebook).where(Codebook.project_id == pid)).first()
        code = s.scalars(select(Code).where(Code.codebook_id == book.id, Code.code == "funding")).one()
    form = {"code": "funding", "label": code.label, "description": "", "heading": code.heading, "codable": "on"}
    r = ui.post(f"/codebooks/{book.id}/codes/{code.id}", form)
    assert any(k == "error" and "'description'" in t for k, t in flashes(r.text))
    form["description"] = "Money, grants and practical support <for groups>."
    form["examples"] = "We need longer-term funding\nGrants are too short"
    r = ui.post(f"/codebooks/{book.id}/codes/{code.id}", form)
    assert any(k == "ok" for k, _ in flashes(r.text))
    exported = client.get(f"/codebooks/{book.id}/export.yaml").text
    parsed = parse_codebook(exported, "export.yaml")
    assert parsed["funding"].description == "Money, grants and practical support <for groups>."
    assert parsed["funding"].examples == ["We need longer-term funding", "Grants are too short"]

    broken = yaml.safe_dump({"name": "x", "codes": [{"id": "a", "label": "A"}]})
    r = ui.post(f"/projects/{pid}/codebooks/import", files=[("file", ("mine.yaml", broken.encode(), "text/yaml"))])
    assert any(k == "error" and "mine.yaml" in t and "line" in t and "description" in t for k, t in flashes(r.text))
    r = ui.post(f"/projects/{pid}/codebooks/import", files=[("file", ("mine.yaml", exported.encode(), "text/yaml"))])
    assert any(k == "ok" and "imported" in t for k, t in flashes(r.text))


def test_compare_page_shows_events_side_by_side(client, results):
    page = client.get(f"/projects/{results.project_id}/compare").text
    events = [e.name for e in results.result.events]
    assert all(esc(e) in page for e in events)
    chosen = client.get(f"/projects/{results.project_id}/compare", params={"from": events[0], "to": events[-1]})
    assert chosen.status_code == 200
    assert f"{esc(events[0])} → {esc(events[-1])}" in chosen.text
    full = client.get(f"/projects/{results.project_id}/compare/report", params={"from": events[0], "to": events[-1]})
    assert full.status_code == 200 and "<html" in full.text.lower()


def test_codebook_travels_as_refi_qda_qdc(client, ui, results):
    pid = results.project_id
    page = client.get(f"/projects/{pid}/codebook").text
    assert "export.qdc" in page  # REFI-QDA exchange is part of the package, always offered
    with results.db.session() as s:
        book = s.scalars(select(Codebook).where(Codebook.project_id == pid)).first()
    qdc = client.get(f"/codebooks/{book.id}/export.qdc")
    assert qdc.status_code == 200 and b"<CodeBook" in qdc.content
    r = ui.post(f"/projects/{pid}/codebooks/import", files=[("file", ("from-nvivo.qdc", qdc.content, "text/xml"))])
    assert any(k == "ok" and "imported" in t for k, t in flashes(r.text))
    with results.db.session() as s:
        books = list(s.scalars(select(Codebook).where(Codebook.project_id == pid).order_by(Codebook.id)))
        from pipeline.web import codebooks

        first = [(c.code, c.label, c.heading) for c in codebooks.codes_of(s, books[0].id)]
        again = [(c.code, c.label, c.heading) for c in codebooks.codes_of(s, books[-1].id)]
    assert len(books) == 2 and again == first
    broken = ui.post(f"/projects/{pid}/codebooks/import", files=[("file", ("broken.qdc", b"<CodeBook", "text/xml"))])
    assert any(k == "error" and "broken.qdc" in t for k, t in flashes(broken.text))
