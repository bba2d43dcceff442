"""Issue 12's web cases: bad numbers, long file names, IPv6 hosts, sign-in rate limit, Markdown exports,
stale half-written output folders, and a survey's personal columns in the document view."""
from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import re

import httpx
import pytest
from sqlalchemy import select

from pipeline.web.models import Document

from conftest import ROOT, csrf_of, free_port

CASES = ROOT.parent / "shared" / "cases" / "reliability"
HUGE = "99999999999999999999999"
XSS = '<img src=x onerror="alert(1)"> [click](javascript:alert(2))'
LINK = re.compile(r"(?<!\\)\]\(")  # a Markdown link's "](" that is not escaped


def assert_secure(r):
    assert "default-src 'self'" in r.headers.get("content-security-policy", ""), r.headers
    assert r.headers.get("x-frame-options") == "DENY" and r.headers.get("x-content-type-options") == "nosniff"


# =========================================================================== numbers no row can have
@pytest.mark.parametrize("url", [f"/projects/{HUGE}", f"/events/{HUGE}", f"/documents/{HUGE}", f"/runs/{HUGE}",
                                 f"/runs/{HUGE}/status", f"/projects/{HUGE}/themes", f"/projects/{HUGE}/plan",
                                 f"/recommendations/{HUGE}/evidence", f"/codebooks/{HUGE}/export.yaml"])
def test_a_number_too_large_for_any_row_is_a_404_with_security_headers(client, url):
    r = client.get(url)
    assert r.status_code == 404 and "Not found" in r.text
    assert_secure(r)


def test_a_run_or_theme_query_number_too_large_is_a_404(ui, client):
    project_id, _ = ui.project()
    for url in (f"/projects/{project_id}/themes?run={HUGE}", f"/projects/{project_id}/codebook?cb={HUGE}"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert_secure(r)


@pytest.mark.parametrize("field, value", [("codebook", "abc"), ("codebook", HUGE), ("events", "abc"),
                                          ("events", HUGE)])
def test_a_run_request_with_a_bad_number_is_a_400(ui, client, field, value):
    project_id, event_id = ui.project()
    ui.upload(event_id, ("notes.txt", b"- We need longer-term funding for small groups\n"))
    r = ui.post(f"/projects/{project_id}/runs", {field: value}, follow=False)
    assert r.status_code == 400 and "not valid" in r.text and "Traceback" not in r.text
    assert_secure(r)


def test_the_500_page_and_the_413_page_carry_the_security_headers(client, web_config, ui):
    def boom():
        raise RuntimeError("unexpected")

    client.app.add_api_route("/boom", boom)
    r = client.get("/boom")
    assert r.status_code == 500
    assert_secure(r)
    _, event_id = ui.project()
    big = b"x" * (web_config.max_request_bytes + 10)
    r = ui.post(f"/events/{event_id}/upload", files=[("files", ("big.txt", big, "text/plain"))])
    assert r.status_code == 413
    assert_secure(r)


# =========================================================================== uploads
def test_a_long_file_name_keeps_its_extension_and_is_read(ui, client):
    _, event_id = ui.project()
    name = "Minutes of the spring assembly " * 12 + "final.txt"  # 370 characters
    r = ui.upload(event_id, (name, b"- We need longer-term funding for small groups\n"))
    assert "statements read" in r.text and "(none)" not in r.text
    with client.app.state.web.db.session() as s:
        doc = s.scalars(select(Document)).one()
    assert doc.status == "ok" and doc.ext == ".txt"
    assert doc.original_name.endswith(".txt")
    assert len(doc.original_name) <= 200 and doc.original_name.startswith("Minutes of the spring assembly")


# =========================================================================== IPv6
@pytest.mark.parametrize("given, bind, url", [("[::1]", "::1", "[::1]"), ("::1", "::1", "[::1]"),
                                              ("127.0.0.1", "127.0.0.1", "127.0.0.1"),
                                              ("localhost", "localhost", "localhost")])
def test_hosts_are_bracketed_once_and_bound_bare(given, bind, url):
    from pipeline.web.config import bind_host, url_host

    assert bind_host(given) == bind and url_host(given) == url


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="this machine has no IPv6 loopback")
def test_serve_on_an_ipv6_loopback_address(tmp_path):
    port = free_port()
    env = {**os.environ, "PLENARY_TOKEN": ""}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--host", "[::1]", "--port", str(port),
                             "--data-dir", str(tmp_path / "data")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline, ok = time.monotonic() + 60, False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                r = httpx.get(f"http://[::1]:{port}/", timeout=1)
                ok = r.status_code == 200 and "Plenary" in r.text
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert ok, "the server did not answer on [::1]"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)
    assert f"http://[::1]:{port}/" in out and "[[" not in out


# =========================================================================== sign-in rate limit
def test_sign_in_attempts_are_limited_per_client_with_a_clear_429(tmp_path, cache_dir):
    from fastapi.testclient import TestClient

    from pipeline.web.app import create_app
    from pipeline.web.config import WebConfig

    token = "correct-horse-battery"
    app = create_app(WebConfig(data_dir=tmp_path / "data", token=token, cache_dir=str(cache_dir),
                               login_rate="3/minute"))
    with TestClient(app) as c:
        csrf = csrf_of(c.get("/login").text)
        codes = [c.post("/login", data={"csrf_token": csrf, "token": "guess", "next": "/"}).status_code
                 for _ in range(3)]
        assert codes == [401, 401, 401]
        r = c.post("/login", data={"csrf_token": csrf, "token": token, "next": "/"}, follow_redirects=False)
        assert r.status_code == 429 and "Too many sign-in attempts" in r.text
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert_secure(r)
        assert c.get("/login").status_code == 200  # reading the page is not an attempt
    with TestClient(app, client=("10.0.0.2", 5000)) as other:  # another computer is not held back
        csrf = csrf_of(other.get("/login").text)
        r = other.post("/login", data={"csrf_token": csrf, "token": token, "next": "/"}, follow_redirects=False)
        assert r.status_code == 303


# =========================================================================== Markdown exports
def test_the_plan_markdown_export_shows_html_from_notes_as_text(ui, client):
    project_id, _ = ui.project()
    ui.post(f"/projects/{project_id}/plan/add", {"heading": "resources", "text": f"Fund youth clubs {XSS}"})
    md = client.get(f"/projects/{project_id}/plan.md").text
    assert "Fund youth clubs" in md
    assert "<img" not in md and not LINK.search(md)
    assert "&lt;img src=x onerror=\"alert(1)\"&gt;" in md


def test_recommendations_md_shows_html_from_notes_as_text(bundled_run):
    from pipeline.render.markdown import recommendations_markdown, summary_markdown
    from pipeline.exchange.rundir import run_record

    plan = next(p for p in bundled_run.plans if p.recommendations)
    rec = plan.recommendations[0]
    quoted = rec.evidence[0]
    segments = [dataclasses.replace(s, text=f"{s.text} {XSS}") if s.id == quoted else s for s in bundled_run.segments]
    plans = [dataclasses.replace(p, recommendations=[dataclasses.replace(rec, text=f"{rec.text} {XSS}")]
                                 + p.recommendations[1:]) if p is plan else p for p in bundled_run.plans]
    result = dataclasses.replace(bundled_run, segments=segments, plans=plans)
    for text in (recommendations_markdown(result, "<script>x</script>"),
                 summary_markdown(result, run_record(result, "t"))):
        assert "<img" not in text and "<script" not in text and not LINK.search(text)
    md = recommendations_markdown(result, "t")
    assert md.count("&lt;img src=x onerror=\"alert(1)\"&gt;") == 2  # the line and its quote, as text


# =========================================================================== stale partial output folders
def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_partial_folders_are_removed_and_live_ones_kept(tmp_path):
    from pipeline.files import STALE_UNKNOWN_SECONDS, staged_folder

    out = tmp_path / "run"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = [tmp_path / f".run.partial-{_dead_pid()}-ab12", tmp_path / f".run.old-{_dead_pid()}",
                 tmp_path / f".run.partial-{os.getpid()}-cd34", tmp_path / ".run.partial-zz99yy88"]
        kept = [tmp_path / f".run.partial-{live.pid}-ef56", tmp_path / ".run.partial-fresh123", tmp_path / "notes"]
        for folder in stale + kept:
            folder.mkdir()
            (folder / "segments.jsonl").write_text("{}\n")
        old = time.time() - STALE_UNKNOWN_SECONDS - 60
        os.utime(tmp_path / ".run.partial-zz99yy88", (old, old))
        with staged_folder(out) as tmp:
            (tmp / "run.json").write_text("{}")
            assert tmp.exists() and tmp.name.startswith(f".run.partial-{os.getpid()}-")
        assert (out / "run.json").exists()
        assert not [f for f in stale if f.exists()]
        assert all(f.exists() for f in kept)
    finally:
        live.kill()
        live.wait()


def test_the_web_app_removes_stale_partial_folders_at_start_up(web_config):
    from pipeline.web.app import create_app

    workdir = web_config.runs_dir / "run-7"
    stale, output = workdir / f".output.partial-{_dead_pid()}-ab12", workdir / "output"
    for folder in (stale, output):
        folder.mkdir(parents=True)
    create_app(web_config)
    assert not stale.exists() and output.exists()


# =========================================================================== personal columns in the document view
def test_the_document_view_never_shows_a_surveys_personal_columns(ui, client):
    """FAIL_web_docview_phone_leak.csv: Name, Email, Phone and Postcode columns, before and after a run."""
    path = CASES / "FAIL_web_docview_phone_leak.csv"
    personal = ["07700 900123", "+1 415 555 2671", "+447700900124", "sarah.jenkins@example.org",
                "KAREN.SMITH@EXAMPLE.COM", "p@example.net", "L1 8JQ", "B9 4AA", "SW1A 1AA", "Mohammed Ali",
                "Priya Patel", "0151 233 4000"]
    project_id, event_id = ui.project()
    ui.upload(event_id, (path.name, path.read_bytes()))
    w = client.app.state.web
    with w.db.session() as s:
        doc_id = s.scalar(select(Document.id))
    before = client.get(f"/documents/{doc_id}").text
    r = ui.post(f"/projects/{project_id}/runs", {})
    run_id = int(str(r.url).rsplit("/", 1)[1])
    w.runs.wait(run_id, timeout=600)
    assert client.get(f"/runs/{run_id}/status").json()["status"] == "done"
    after = client.get(f"/documents/{doc_id}").text
    assert "youth clubs open late at weekends" in after  # the answers are there
    for page in (before, after):
        leaked = [p for p in personal if p in page]
        assert not leaked, leaked
        assert "Phone" not in page and "Postcode" not in page
