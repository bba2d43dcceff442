"""Issue 11 point 5 in the web app: when a run's plan headings were drafted from the themes (the codebook
fits poorly), the plan page and its Word and Markdown exports say so; otherwise they say nothing of it."""
from __future__ import annotations

import io
from dataclasses import replace

from docx import Document as WordDocument
from sqlalchemy import select

from pipeline.exchange.rundir import run_record
from pipeline.themes.codebook_draft import DRAFTED_HEADINGS_NOTE
from pipeline.web.jobs import save_results
from pipeline.web.models import Codebook, Run


def _save_drafted(results, bundled_outputs):
    """Stores the session's bundled run again, as if its headings had been drafted (only the note matters)."""
    drafted = replace(results.result, fit={**results.result.fit, "drafted_headings": {
        "note": DRAFTED_HEADINGS_NOTE, "codes": [], "codebook": ""}})
    with results.db.session() as s:
        book_id = s.scalar(select(Codebook.id).where(Codebook.project_id == results.project_id))
        run = Run(project_id=results.project_id, codebook_id=book_id, status="running",
                  document_ids=list(results.doc_ids.values()), settings={})
        s.add(run)
        s.flush()
        save_results(s, run.id, drafted, run_record(drafted, "drafted"), results.doc_ids, str(bundled_outputs))


def test_plan_page_and_exports_say_when_headings_were_drafted(client, results, bundled_outputs):
    url = f"/projects/{results.project_id}/plan"
    assert 'id="drafted-headings"' not in client.get(url).text  # the bundled corpora fit the codebook
    _save_drafted(results, bundled_outputs)
    page = client.get(url).text
    assert 'id="drafted-headings"' in page and "Headings drafted from the themes" in page
    doc = WordDocument(io.BytesIO(client.get(url + ".docx").content))
    assert DRAFTED_HEADINGS_NOTE in [p.text for p in doc.paragraphs]
    assert "Headings drafted from the themes" in client.get(url + ".md").text
