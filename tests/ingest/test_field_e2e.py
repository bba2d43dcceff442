"""Issue 12 end to end (real model): the same statements in another row order give the same themes and
codes, and non-answers join no theme."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.api import Settings, analyse, read_corpus

FIELD = Path(__file__).resolve().parent.parent / "data" / "cases" / "field"
pytestmark = pytest.mark.e2e


def _themes(result):
    by_theme = {}
    for s in result.segments:
        by_theme.setdefault(s.theme, set()).add(s.id)
    return {t: frozenset(ids) for t, ids in by_theme.items()}


def test_row_order_does_not_change_themes_or_codes(cache_dir):
    settings = Settings(cache_dir=str(cache_dir))
    forward = analyse(read_corpus([FIELD / "order-forward.csv"], settings), settings=settings)
    reverse = analyse(read_corpus([FIELD / "order-reversed.csv"], settings), settings=settings)
    assert set(_themes(forward).values()) == set(_themes(reverse).values())
    assert {t.label for t in forward.themes} == {t.label for t in reverse.themes}
    codes = lambda r: {s.id: [c.code for c in s.codes] for s in r.segments}  # noqa: E731
    assert codes(forward) == codes(reverse)


def test_non_answers_join_no_theme(cache_dir):
    settings = Settings(cache_dir=str(cache_dir))
    result = analyse(read_corpus([FIELD / "survey-nonanswers.csv"], settings), settings=settings)
    marked = [s for s in result.segments if s.attributes.get("non_answer")]
    assert len(marked) == 12 and all(s.theme in (None, "unclustered") and not s.codes for s in marked)
    assert not any(set(t.segments) & {s.id for s in marked} for t in result.themes)


def test_campaign_texts_show_distinct_and_total_support(cache_dir, tmp_path):
    """survey-duplicates.csv: template answers given by several respondents are counted twice over, in full
    and once per wording, in themes.json, recommendations.json and report.html."""
    from pipeline.exchange import rundir
    from pipeline.render.report import rendered_files

    settings = Settings(cache_dir=str(cache_dir))
    result = analyse(read_corpus([FIELD / "survey-duplicates.csv"], settings), settings=settings)
    record = rundir.run_record(result, "dups")
    out = rundir.write_run(result, tmp_path / "dups", "dups", rendered_files(result, record, "dups"), record)
    themes = rundir.read_themes_json(out)["themes"]
    by_text = {s.id: s.text for s in result.segments}
    for theme in themes:
        wordings = {by_text[i].casefold() for i in theme["segments"]}
        assert theme["support"]["total"] == len(theme["segments"])
        assert theme["support"]["distinct"] == len(wordings)
    # the 4 and 3 identical answers are campaign texts: some theme holds repeated wordings
    assert any(t["support"]["distinct"] < t["support"]["total"] for t in themes)
    assert sum(t["support"]["campaign"] for t in themes) == 7
    plans = rundir.read_recommendations_json(out)["headings"]
    recs = [r for p in plans for r in p["recommendations"] + p["more"]]
    assert recs and all(r["support_counts"]["total"] == len(r["evidence"]) for r in recs)
    assert "distinct" in (out / "report.html").read_text(encoding="utf-8")
