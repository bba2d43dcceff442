"""Drafted headings read many parses: forked workers give what one process gives, in the same order."""
from __future__ import annotations

from pipeline import text as T
from pipeline.themes import codebook_draft


def test_terms_read_from_forked_workers_equal_those_read_here_in_order(monkeypatch):
    texts = [f"We need a {w} near the {p} for young people" for w in ("bus shelter", "youth club", "cafe")
             for p in ("park", "school", "station", "library")] + ["", "[PERSON] said the bins are full"]
    here = [codebook_draft._terms(doc) for doc in T.parse_all([codebook_draft._PLACEHOLDER_RE.sub(" ", t)
                                                              for t in texts])]
    monkeypatch.setattr(codebook_draft, "PARSE_PARALLEL_FROM", 2)
    monkeypatch.setattr(codebook_draft, "cores", lambda: 3)  # three pieces, from forked workers
    forked = codebook_draft._terms_all(texts)
    assert forked == here and len(here) == len(texts)
    assert "shelter" in forked[0] and "bin" in forked[-1]
