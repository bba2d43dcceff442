"""Paged pages (issue 13): the themes list, a theme, a recommendation's evidence and a document, a page at a
time, on the session's real analysis of the bundled corpora; every statement is on exactly one page, in the
order the analysis gave, and SQL filters count what the Python filters count."""
from __future__ import annotations

import re

import pytest

from pipeline.web import pages, views
from pipeline.web.models import Recommendation, Run

from sqlalchemy import select


def ids_on(page_html: str) -> list[str]:
    return re.findall(r'name="segment_id" value="([^"]+)"', page_html)


def test_the_themes_list_is_paged_and_every_ranked_theme_is_on_one_page(client, results):
    ranked = [t for t in results.result.themes if t.rank]
    assert len(ranked) > pages.THEMES_PER_PAGE  # the bundled run has more themes than one page holds
    shown = []
    n_pages = -(-len(ranked) // pages.THEMES_PER_PAGE)
    for number in range(1, n_pages + 1):
        html = client.get(f"/projects/{results.project_id}/themes", params={"page": number}).text
        shown += re.findall(r'<section class="card theme" id="([^"]+)"', html)
        assert f"page {number} of {n_pages}" in html
    assert shown == [t.id for t in sorted(ranked, key=lambda t: t.rank)]
    past = client.get(f"/projects/{results.project_id}/themes", params={"page": 999}).text  # clamped
    assert f"page {n_pages} of {n_pages}" in past


def test_a_themes_statements_come_a_page_at_a_time_most_central_first(results):
    theme = max((t for t in results.result.themes if t.rank), key=lambda t: t.size)
    with results.db.session() as s:
        run = s.get(Run, results.run_id)
        got, number = [], 1
        while True:
            view, _, _ = views.theme_view(s, run, theme.id, views.Filters(), page=number, per_page=7)
            got += [st.id for st in view.members]
            if number >= view.pager.pages:
                break
            number += 1
    assert number == -(-theme.size // 7) > 1
    assert got == list(theme.segments)


@pytest.mark.parametrize("key", ["event", "code", "section", "question"])
def test_sql_filters_count_what_the_python_filters_count(results, key):
    segs = results.result.segments
    value = {"event": segs[0].event, "code": "funding",
             "section": next(s.section_path for s in segs if s.section_path).split(" > ")[0],
             "question": next((s.question for s in segs if s.question), None)}[key]
    if value is None:
        pytest.skip("the bundled run has no questions")
    filters = views.Filters(**{key: value})
    with results.db.session() as s:
        sts = views.statements(s, results.run_id)
        counts, matching = pages.theme_counts(s, results.run_id, filters)
        run = s.get(Run, results.run_id)
        page = views.themes_page(s, run, filters)
    expected: dict[str, int] = {}
    for st in sts:
        if filters.accepts(st):
            expected[st.theme] = expected.get(st.theme, 0) + 1
    assert counts == expected and matching == sum(expected.values()) > 0
    for v in page.themes:  # quotes match the filters, at most five, from the theme
        assert all(filters.accepts(q) and q.theme == v.theme.theme_id for q in v.quotes)
        assert len(v.quotes) == min(5, v.size)


def test_uncoded_filter_counts_statements_without_codes(results):
    with results.db.session() as s:
        sts = views.statements(s, results.run_id)
        _, matching = pages.theme_counts(s, results.run_id, views.Filters(code="uncoded"))
    assert matching == sum(1 for st in sts if not st.codes)


def test_the_plan_quotes_a_few_statements_and_pages_the_rest(client, results):
    with results.db.session() as s:
        rec = max(s.scalars(select(Recommendation).where(Recommendation.project_id == results.project_id)),
                  key=lambda r: len(r.evidence or []))
    assert len(rec.evidence) > pages.PLAN_QUOTES
    plan = client.get(f"/projects/{results.project_id}/plan").text
    item = plan[plan.index(f'id="rec-{rec.id}"'):]
    item = item[:item.index("</li>")]
    assert item.count('class="quote"') == pages.PLAN_QUOTES
    assert f"/recommendations/{rec.id}/evidence" in item
    with results.db.session() as s:
        run = s.get(Run, results.run_id)
        seen, number = [], 1
        while True:
            quotes, pager = views.evidence_page(s, s.get(Recommendation, rec.id), run, number, per_page=3)
            seen += [q.id for q in quotes]
            if number >= pager.pages:
                break
            number += 1
    assert seen == list(rec.evidence)
    html = client.get(f"/recommendations/{rec.id}/evidence").text
    assert "Supported by" in html and html.count('class="quote"') == min(len(rec.evidence), pages.STATEMENTS_PER_PAGE)


def test_a_document_is_paged_and_a_quote_link_opens_the_page_of_its_line(client, results, monkeypatch):
    from pipeline.web.routes import documents

    monkeypatch.setattr(documents, "LINES_PER_PAGE", 40)
    seg = max(results.result.segments, key=lambda s: s.line_start)
    assert seg.line_start > 40
    doc_id = results.doc_ids[seg.source]
    html = client.get(f"/documents/{doc_id}", params={"line": seg.line_start}).text
    page = (seg.line_start - 1) // 40 + 1
    assert f"page {page} of" in html and f'id="L{seg.line_start}"' in html
    assert f'<ol class="source" start="{(page - 1) * 40 + 1}">' in html
    assert html.count('<li id="L') <= 40
    first = client.get(f"/documents/{doc_id}").text
    assert 'id="L1"' in first and f'id="L{seg.line_start}"' not in first
    themes = client.get(f"/projects/{results.project_id}/themes").text
    links = re.findall(r'href="/documents/\d+\?page=(\d+)#L(\d+)"', themes)
    assert links and all(int(p) == (int(n) - 1) // pages.LINES_PER_PAGE + 1 for p, n in links)


def test_the_code_filter_finds_accented_codes_and_only_whole_codes(tmp_path):
    """A code id with letters beyond ASCII ("financementé") and one that is a prefix of another."""
    from pipeline.web.db import Database
    from pipeline.web.models import Project, Run, Segment

    db = Database(tmp_path / "db.sqlite")
    db.upgrade()
    codes = [[{"code": "financementé", "score": 0.5, "by": "tool"}], [{"code": "fund", "score": 0.5, "by": "tool"}],
             [{"code": "funding", "score": 0.5, "by": "person"}, {"code": "financementé", "score": 0.4, "by": "tool"}],
             []]
    with db.session() as s:
        project = Project(name="p")
        s.add(project)
        s.flush()
        run = Run(project_id=project.id, status="done")
        s.add(run)
        s.flush()
        s.add_all(Segment(run_id=run.id, position=i, segment_id=f"n:{i}", text="t", source="n.txt", line_start=i,
                          line_end=i, event="e", kind="bullet", theme="theme-01", theme_rank=i, codes=c)
                  for i, c in enumerate(codes))
        s.flush()
        for code, expected in [("financementé", 2), ("fund", 1), ("funding", 1), ("uncoded", 1)]:
            assert pages.theme_counts(s, run.id, views.Filters(code=code)) == ({"theme-01": expected}, expected)
