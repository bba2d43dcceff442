"""Drafted heading names: a pro-form ("ones") stands for a noun said elsewhere and names no topic."""
from __future__ import annotations

from pipeline import text as T
from pipeline.themes.codebook_draft import _phrases, _terms


def test_ones_is_no_heading_term_or_phrase_but_the_nouns_beside_it_are():
    doc = T.parse("We want new ones by the park and a bigger bus shelter")
    terms = _terms(doc)
    assert "one" not in terms and not any(t.endswith(" one") for t in terms)
    assert "shelter" in terms and "park" in terms
    keys = [key for key, _ in _phrases(doc)]
    assert all(key[-1] != "one" for key in keys) and any(key[-1] == "shelter" for key in keys)
