"""Issue 10: the themes page offers "Draft a codebook from these themes", which adds a codebook drafted
from the latest analysis's themes (real run over the bundled corpora)."""
from __future__ import annotations

from sqlalchemy import select


def test_draft_a_codebook_from_the_themes_page(client, ui, results):
    page = client.get(f"/projects/{results.project_id}/themes").text
    assert f'action="/projects/{results.project_id}/codebooks/draft"' in page
    assert "Draft a codebook from these themes" in page
    done = ui.post(f"/projects/{results.project_id}/codebooks/draft")
    assert done.status_code == 200 and "drafted from the themes" in done.text
    from pipeline.web.models import Codebook

    with results.db.session() as s:
        names = s.scalars(select(Codebook.name).where(Codebook.project_id == results.project_id)).all()
    assert any(n.startswith("Draft codebook") for n in names)


def test_drafting_needs_the_csrf_token(client, results):
    r = client.post(f"/projects/{results.project_id}/codebooks/draft", data={}, follow_redirects=False)
    assert r.status_code == 403
