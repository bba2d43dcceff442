"""Fixtures for the web app tests: an app on a real SQLite file, a live server, and Chromium."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from types import SimpleNamespace

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # git-ignored: screenshots of the last test run
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no form with a CSRF token"
    return match.group(1)


@pytest.fixture
def web_config(tmp_path, cache_dir):
    from pipeline.web.config import WebConfig

    return WebConfig(data_dir=tmp_path / "data", cache_dir=str(cache_dir), max_upload_bytes=256 * 1024, max_files=5)


@pytest.fixture
def app(web_config):
    from pipeline.web.app import create_app

    return create_app(web_config)


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def results(client, ui, bundled_run, bundled_outputs, corpora_dir):
    """A project whose latest analysis is the session's real run over the bundled corpora."""
    from sqlalchemy import select

    from pipeline.exchange.rundir import run_record
    from pipeline.web import storage
    from pipeline.web.jobs import save_results
    from pipeline.web.models import Codebook, Document, Run

    w = client.app.state.web
    project_id, event_id = ui.project("Bundled corpora", "Five reports")
    doc_ids = {}
    with w.db.session() as s:
        for path in sorted(corpora_dir.glob("*.txt")):
            with open(path, "rb") as fh:
                stored = storage.store(fh, w.config.uploads_dir, ".txt", 10 ** 8)
            doc = Document(project_id=project_id, event_id=event_id, original_name=path.name, run_name=path.name,
                           stored_name=stored.stored_name, sha256=stored.sha256, size=stored.size, ext=".txt",
                           status="ok", report={}, segment_count=0)
            s.add(doc)
            s.flush()
            doc_ids[path.name] = doc.id
        book_id = s.scalar(select(Codebook.id).where(Codebook.project_id == project_id))
        run = Run(project_id=project_id, codebook_id=book_id, status="running", document_ids=list(doc_ids.values()),
                  settings={})
        s.add(run)
        s.flush()
        save_results(s, run.id, bundled_run, run_record(bundled_run, "bundled"), doc_ids, str(bundled_outputs))
        run_id = run.id
    return SimpleNamespace(project_id=project_id, event_id=event_id, run_id=run_id, doc_ids=doc_ids,
                           result=bundled_run, db=w.db)


class Browserless:
    """Helpers that drive the app through its forms, as a browser would (CSRF token included)."""

    def __init__(self, client):
        self.client = client

    def token(self) -> str:
        return csrf_of(self.client.get("/").text)

    def post(self, url: str, data: dict | None = None, files=None, follow: bool = True):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token())
        return self.client.post(url, data=data, files=files, follow_redirects=follow)

    def project(self, name: str = "Assemblies", event: str = "Spring assembly") -> tuple[int, int]:
        r = self.post("/projects", {"name": name, "event": event})
        event_id = int(str(r.url).rstrip("/").rsplit("/", 1)[1])
        from pipeline.web.models import Event

        with self.client.app.state.web.db.session() as s:
            return s.get(Event, event_id).project_id, event_id

    def upload(self, event_id: int, *files: tuple[str, bytes]):
        return self.post(f"/events/{event_id}/upload",
                         files=[("files", (name, data, "application/octet-stream")) for name, data in files])


@pytest.fixture
def ui(client):
    return Browserless(client)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """`plenary serve` itself, on 127.0.0.1 and a free port, with a fresh data folder and a 1 MB upload limit.

    Its embedding cache starts empty, so the first analysis is a cold one: it
    takes long enough for the test to upload a file while it runs.
    """
    data = tmp_path_factory.mktemp("web-data")
    cache_dir = tmp_path_factory.mktemp("web-embedding-cache")
    port = free_port()
    log = open(data / "server.log", "w")
    env = {**os.environ, "PLENARY_CACHE": str(cache_dir), "PLENARY_TOKEN": ""}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--data-dir", str(data), "--max-mb", "1"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"server did not start: {(data / 'server.log').read_text()}")
        time.sleep(0.2)
    yield {"url": base, "data": data, "process": proc}
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(request):
    """Save a screenshot under tests/web/artifacts/ (and name it after the test)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


def copy_to_docs(names: list[str]) -> None:
    target = ROOT / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(ARTIFACTS / f"{name}.png", target / f"{name}.png")
