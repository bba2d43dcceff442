"""A facilitator's session in a real browser (Debian's Chromium driven by Playwright).

`plenary serve` runs on 127.0.0.1 with a fresh data folder and the real model.
The scenario: create a project, upload the bundled assembly notes, run the
analysis, upload a note with a <script> in it while the analysis runs, read
the themes, mark a statement's code, edit and accept a recommendation, export
the Word file and read it back, try a too-large upload, re-run, and check that
the edit, the accepted state and the person's code all survived.

Screenshots of the main pages are saved under tests/web/artifacts/; with
PLENARY_UPDATE_SCREENSHOTS=1 they are also copied to docs/screenshots/.
"""
from __future__ import annotations

import os
import re

import httpx
import pytest
from docx import Document as WordDocument

from conftest import ROOT, copy_to_docs

pytestmark = pytest.mark.e2e

XSS_NOTE = ("Youth provision\n\n"
            "- <script>alert('xss')</script> Youth clubs need funding that lasts longer than a year\n"
            "- <img src=x onerror=alert(2)> Young people should sit on the panel that decides the grants\n")
EDITED = "Map the needs of BME communities across the whole City Region, together with them (edited)"


def wait_for_run(page, timeout_s: float = 300) -> str:
    """Wait on the run page until the analysis finishes; returns its final message."""
    page.wait_for_function("() => { const m = document.querySelector('[data-run-message]');"
                           " return m && /Finished|Failed/.test(m.textContent); }", timeout=timeout_s * 1000)
    return page.inner_text("[data-run-message]")


def run_state(base: str, run_id: int) -> str:
    return httpx.get(f"{base}/runs/{run_id}/status", headers={"Accept": "application/json"}).json()["status"]


def drop_files(page, files: list[tuple[str, str]]) -> None:
    """Drag and drop files onto the upload area, as a person would from their file manager."""
    transfer = page.evaluate_handle(
        "files => { const dt = new DataTransfer();"
        " for (const [name, text] of files) dt.items.add(new File([text], name, {type: 'text/plain'}));"
        " return dt; }", files)
    page.dispatch_event("[data-dropzone]", "dragenter", {"dataTransfer": transfer})
    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": transfer})


def test_facilitator_gets_an_edited_action_plan_as_word(live_server, browser, shots, tmp_path):
    base = live_server["url"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests_elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
            else requests_elsewhere.append(r.url))

    # ---- a project and its first event
    page.goto(base + "/")
    page.fill("input[name=name]", "City Region assemblies")
    page.fill("input[name=event]", "July 2020 assemblies")
    page.click("text=Create project")
    assert page.locator("h1").inner_text() == "July 2020 assemblies"
    event_url = page.url

    # ---- upload the bundled assembly notes
    page.set_input_files("#files", str(ROOT / "corpora" / "vs6-assemblies-2020.txt"))
    page.click("#upload-button")
    flash = page.locator(".flash.ok").first.inner_text()
    assert re.match(r"vs6-assemblies-2020\.txt: \d+ statements read\.", flash), flash
    statements = int(re.search(r"(\d+) statements", flash).group(1))
    assert "Ingest report" in page.inner_text("#documents")
    shots(page, "upload", full_page=False)

    # ---- start the analysis and watch it
    page.click("text=Next: start the analysis")
    page.click("text=Start the analysis")
    assert "/runs/" in page.url
    run_url = page.url
    first_run = int(run_url.rsplit("/", 1)[1])
    page.wait_for_selector("[data-run-message]")
    page.wait_for_function("() => document.querySelector('progress').value > 0", timeout=120_000)
    shots(page, "run", full_page=False)

    # ---- while it runs, upload a note with a script in it (drag and drop); the run must not change
    state_before = run_state(base, first_run)
    page.goto(event_url)
    drop_files(page, [("youth <script>.txt", XSS_NOTE)])
    assert "youth <script>.txt" in page.inner_text("[data-chosen]")
    page.click("#upload-button")
    assert "2 statements read" in page.locator(".flash.ok").first.inner_text()
    state_after = run_state(base, first_run)
    assert state_before in ("queued", "running") and state_after in ("queued", "running"), \
        f"the run finished before the upload could test it ({state_before}, {state_after})"

    # ---- come back to the run page; it shows the progress and then the result
    page.goto(run_url)
    assert wait_for_run(page) == "Finished", page.inner_text("main")
    page.wait_for_selector("[data-run-done]:not([hidden])")
    assert f"{statements} statements" in page.inner_text("main"), "an upload during the run changed the run"

    # ---- themes: ranked, with sizes, codes and quotes linked to their source lines
    page.click("text=See the themes")
    assert page.locator("section.theme h2 .rank").first.inner_text() == "1"
    assert page.locator(".chart svg rect").count() >= 3
    link = page.locator("section.theme a.source-link").first
    href = link.get_attribute("href")
    assert re.match(r"^/documents/\d+\?page=\d+#L\d+$", href)
    shots(page, "themes", full_page=False)

    # ---- mark the first quote with a different code (a human override)
    quote = page.locator("section.theme blockquote.quote").first
    segment_id = quote.locator("input[name=segment_id]").input_value()
    current = quote.locator("select[name=code]").input_value()
    options = quote.locator("select[name=code] option").evaluate_all("os => os.map(o => [o.value, o.text])")
    new_code, new_label = next((v, t) for v, t in options if v != current)
    quote.locator("select[name=code]").select_option(new_code)
    quote.locator("text=Mark").click()
    assert "Marked as" in page.locator(".flash.ok").first.inner_text()

    # ---- the source line a quote links to
    page.goto(base + href)
    line = href.split("#")[1]
    assert page.locator(f"li#{line}").count() == 1

    # ---- action plan: edit and accept the first recommendation
    page.click("nav >> text=Action plan")
    first = page.locator("li.rec").first
    rec_id = first.get_attribute("id")
    first.locator("textarea[name=text]").fill(EDITED)
    first.locator("text=Save and accept").click()
    assert page.locator(".flash.ok").first.inner_text() == "Saved."
    edited = page.locator(f"li#{rec_id}")
    assert edited.locator("textarea").input_value() == EDITED
    assert edited.locator(".badge.accepted").count() == 1
    first_evidence = edited.locator("details.evidence summary")
    assert first_evidence.inner_text().startswith("Supported by")
    first_evidence.click()  # the supporting quotes unfold
    assert edited.locator("details.evidence blockquote.quote").count() >= 1
    page.evaluate("window.scrollTo(0, 0)")
    shots(page, "plan", full_page=False)

    # ---- export to Word and read it back
    with page.expect_download() as download:
        page.click("#export-docx")
    path = tmp_path / "plan.docx"
    download.value.save_as(path)
    doc = WordDocument(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert f"1.\t{EDITED}" in texts
    assert "Evidence appendix" in texts and any(t.startswith("“") for t in texts)

    # ---- a too-large upload is refused with a clear message; nothing else changes
    big = tmp_path / "minutes.txt"
    big.write_text("- We need longer-term funding for small groups in every borough\n" * 25_000)
    assert big.stat().st_size > 1024 * 1024
    page.goto(event_url)
    page.set_input_files("#files", str(big))
    assert "over the size limit" in page.inner_text("[data-chosen]")  # warned before sending
    page.click("#upload-button")
    error = page.locator(".flash.error").first.inner_text()
    assert error == "minutes.txt: not uploaded: the file is over the 1 MB limit." or \
        error.startswith("minutes.txt: not uploaded: the file is") and "over the 1 MB limit" in error
    assert page.locator("article.doc").count() == 2

    # ---- the note with <script> shows as text and runs nothing
    page.click("text=youth <script>.txt")
    assert "<script>alert('xss')</script> Youth clubs" in page.inner_text("ol.source")
    assert "<script>alert" not in page.content()

    # ---- re-run (now with both documents): the edit, the acceptance and the person's code survive
    page.goto(base + "/projects/1")
    page.click("text=Start the analysis")
    assert wait_for_run(page) == "Finished", page.inner_text("main")
    assert f"{statements + 2} statements" in page.inner_text("main")
    page.click("text=Edit the action plan")
    kept = page.locator(f"li#{rec_id}")
    assert kept.locator("textarea").input_value() == EDITED
    assert kept.locator(".badge.accepted").count() == 1
    with page.expect_download() as download:
        page.click("#export-docx")
    download.value.save_as(tmp_path / "again.docx")
    assert f"1.\t{EDITED}" in [p.text for p in WordDocument(str(tmp_path / "again.docx")).paragraphs]

    page.click("nav >> text=Themes")
    assert "<script>alert" not in page.content()
    page.goto(f"{base}/projects/1/statement?id={segment_id}")
    person = page.locator("blockquote.quote .chip.person", has_text=new_label)
    assert person.count() >= 1, page.inner_text("blockquote.quote")  # the run itself coded it as the person did

    # ---- the other main pages, for the record
    page.click("nav >> text=Codebook")
    shots(page, "codebook", full_page=False)
    page.goto(base + "/")
    shots(page, "projects", full_page=False)

    assert dialogs == [], f"a script ran: {dialogs}"
    assert requests_elsewhere == [], f"the pages loaded something from elsewhere: {requests_elsewhere}"
    if os.environ.get("PLENARY_UPDATE_SCREENSHOTS") == "1":
        copy_to_docs(["projects", "upload", "run", "themes", "plan", "codebook"])
    context.close()
