"""Redaction once (issue 9, item 5): a name and a phone number redacted at ingest never reach any later view.

A notes file and a survey export each carry a person's name and phone number
(in the survey: in an answer, and in Name and Phone columns). After `plenary
run` (real model), neither may appear in any file of the run folder, in the
.qdpx export, in the web app's pages (the document views included), in its
exports or in its database. The uploaded originals keep them, and so does the
web app's copy of its inputs: those are the person's own files, not views.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

NOTES = """# Getting about

- Tracey Gore said the evening buses stop far too early for shift workers.
- Call Tracey Gore on 0151 496 0123 to join the community transport group that drives older residents to hospital.
- Young people need cheaper fares to reach college and apprenticeships.
- The bus shelters on the estate have no lighting after dark.
- Older residents cannot reach the health centre without a lift from family.

# Green spaces

- The park needs more benches and working toilets for families.
- Volunteers want a tool store so they can keep the allotments tidy.
- Litter along the canal path puts people off walking there.
"""
SURVEY = """Respondent,Name,Phone,What would make the area better?
1,Ahmed Khan,07700 900456,Please ring Ahmed Khan on 07700 900456 about the food bank opening hours.
2,Jo Smith,07700 900789,More youth clubs open in the evenings and at weekends for teenagers.
3,,,Safer crossings near the primary school gates at drop-off time.
4,,,Cheaper bus fares for young people travelling to college each day.
5,,,A community café where isolated older people can meet their neighbours.
6,,,Better lighting in the underpass so people feel safe walking home.
"""
# each secret in the forms a view could show it in
SECRETS = ["Tracey Gore", "Gore", "0151 496 0123", "01514960123", "496 0123",
           "Ahmed Khan", "07700 900456", "07700900456", "900456", "07700 900789", "900789"]


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def files_with_leaks(folder: Path) -> dict[str, list[str]]:
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        found = leaks(path.read_bytes().decode("utf-8", errors="replace"))
        if found:
            out[str(path.relative_to(folder))] = found
    return out


def zip_leaks(data_or_path) -> dict[str, list[str]]:
    with zipfile.ZipFile(data_or_path) as z:
        return {n: found for n in z.namelist()
                if (found := leaks(z.read(n).decode("utf-8", errors="replace")))}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("private-inputs")
    notes, survey = folder / "transport-notes.txt", folder / "area-survey.csv"
    notes.write_text(NOTES, encoding="utf-8")
    survey.write_text(SURVEY, encoding="utf-8")
    # the test can fail: the secrets are really there to find
    assert leaks(NOTES) and leaks(SURVEY)
    return [notes, survey]


@pytest.mark.e2e
def test_cli_run_folder_and_qdpx_export_show_only_redacted_text(inputs, tmp_path, cache_dir, monkeypatch):
    from pipeline.cli import main

    monkeypatch.setenv("PLENARY_CACHE", str(cache_dir))
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["run", *map(str, inputs), "--out", str(out), "--themes", "2"])
    assert result.exit_code == 0, result.output
    assert not leaks(result.output)  # the terminal is a view too
    # the run did read the statements that held the secrets, and hid them
    segments = (out / "segments.jsonl").read_text(encoding="utf-8")
    assert "[PERSON]" in segments and "[PHONE]" in segments
    assert "food bank opening hours" in segments and "community transport group" in segments
    assert files_with_leaks(out) == {}
    # the notes file's whole text is kept, redacted as its statements are
    kept = (out / "sources" / "transport-notes.txt").read_text(encoding="utf-8")
    assert "Call [PERSON] on [PHONE] to join" in kept

    qdpx = tmp_path / "run.qdpx"
    result = CliRunner().invoke(main, ["export", "qdpx", str(out), "--out", str(qdpx)])
    assert result.exit_code == 0, result.output
    assert zip_leaks(qdpx) == {}
    with zipfile.ZipFile(qdpx) as z:
        sources = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("sources/")]
    # the notes file is exported as the transcript (not rebuilt from statements), redacted
    assert any("Call [PERSON] on [PHONE] to join" in s and "# Getting about" in s for s in sources)


@pytest.mark.e2e
def test_web_pages_exports_and_database_show_only_redacted_text(inputs, client, ui, web_config):
    w = client.app.state.web
    project_id, event_id = ui.project("Area", "Spring assembly")
    r = ui.upload(event_id, *[(p.name, p.read_bytes()) for p in inputs])
    assert r.status_code == 200
    assert not leaks(r.text)  # the upload report (its ingest) is redacted too
    r = ui.post(f"/projects/{project_id}/runs", {"events": str(event_id)})
    run_id = int(str(r.url).rsplit("/", 1)[1])
    w.runs.wait(run_id, timeout=600)
    status = client.get(f"/runs/{run_id}/status").json()
    assert status["status"] == "done", status

    # every page reachable from the project, followed link by link (GET only)
    seen: set[str] = set()
    queue = [f"/projects/{project_id}", f"/events/{event_id}", f"/runs/{run_id}", f"/projects/{project_id}/themes",
             f"/projects/{project_id}/plan", f"/projects/{project_id}/plan.docx", f"/projects/{project_id}/plan.md"]
    pages: dict[str, str] = {}
    while queue and len(seen) < 400:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        resp = client.get(url)
        if resp.status_code != 200:
            continue
        body = resp.content
        if url.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                pages[url] = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
            continue
        text = resp.text
        pages[url] = text
        for href in re.findall(r'href="(/[^"#]*)"', text):
            href = href.replace("&amp;", "&")
            if not href.startswith(("/static", "/logout", "/login")) and href not in seen:
                queue.append(href)
    documents = [u for u in pages if u.startswith("/documents/")]
    assert len(documents) == 2, sorted(pages)
    assert f"/projects/{project_id}/plan.docx" in pages and f"/projects/{project_id}/plan.md" in pages
    assert any(u.startswith(f"/projects/{project_id}/themes/") for u in pages)  # the crawl reached each theme
    # the document views show the analysed text: the notes' lines, and the survey's answers only
    notes_view = next(pages[u] for u in documents if "Call [PERSON] on [PHONE]" in pages[u])
    assert "community transport group" in notes_view
    assert any("food bank opening hours" in pages[u] for u in documents)
    assert {u: found for u, text in pages.items() if (found := leaks(text))} == {}

    # the database holds no secret either (its statements, reports and plan are all redacted)
    database = [p for p in web_config.data_dir.rglob("*") if p.is_file() and p.suffix in (".sqlite", ".db")
                or p.name.endswith((".sqlite-wal", ".sqlite-shm"))]
    assert database
    for path in database:
        assert not leaks(path.read_bytes().decode("utf-8", errors="replace")), path
    # nor does the run folder the app wrote; its copies of the uploads are the originals, not views
    run_folders = [p for p in web_config.data_dir.rglob("run.json")]
    assert run_folders
    for record in run_folders:
        assert files_with_leaks(record.parent) == {}
    assert os.path.exists(web_config.uploads_dir)
