"""Picking a theme's quotes: central, whole statements that are not near-copies of each other.

A quote is a whole statement, never a join that ingest made across bullets, table cells or a page break
("guidances issued Developing outcome targets ... Providing or commissioning ..."), nor a fragment of a
list ("more informed BME engagement;"). `quotable` says which statements qualify.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .. import text as T
from ..defaults import N_QUOTES, QUOTE_DIVERSITY, QUOTE_NEAR_COPY


# a lower-case word followed by a capitalised gerund ("issued Developing"), or a bullet character inside:
# where ingest joined two bullets or cells into one statement
# (a capitalised -ing word before a capital is a name, "the Steering Group", "Eastfield Housing Options")
JOIN_RE = re.compile(r"(?<=[a-z,;:])\s+(?=(?:[•▪●]\s*)?[A-Z][a-z]+ing\s+[a-z]|[•▪●])")
BULLET_INSIDE_RE = re.compile(r"\s[•▪●]\s|\s[–—-]\s+[•▪●]")
FRAGMENT_END_RE = re.compile(r"[;:,–—\-•]\s*$")
MIN_QUOTE_WORDS = 3


def split_joins(text: str) -> list[str]:
    """The pieces of a statement that ingest joined across bullets or table cells (one piece if none)."""
    return [p.strip(" •▪●") for p in JOIN_RE.split(text) if p.strip(" •▪●")]


def quotable(text: str) -> bool:
    """Is `text` fit to quote whole: at least MIN_QUOTE_WORDS words, not ending mid-list (; : , dash), and
    not a join of two bullets or cells? (A lower-case start is allowed: notes are often typed that way.)"""
    t = re.sub(r"\s+", " ", text).strip()
    if T.word_count(t) < MIN_QUOTE_WORDS or FRAGMENT_END_RE.search(t):
        return False
    return len(split_joins(t)) == 1 and not BULLET_INSIDE_RE.search(t)


def diverse_quotes(ids: Sequence[str], vectors: np.ndarray, centre: np.ndarray, texts: Sequence[str],
                   n: int = N_QUOTES, diversity: float = QUOTE_DIVERSITY,
                   near_copy: float = QUOTE_NEAR_COPY) -> list[str]:
    """Maximal marginal relevance: central statements that are not near-copies of each other.

    Only `quotable` statements are quoted; a theme of fragments and joins may show fewer quotes, or none.
    """
    keep = [i for i, t in enumerate(texts) if quotable(t)]
    if len(keep) < len(ids):
        ids, vectors, texts = [ids[i] for i in keep], vectors[keep], [texts[i] for i in keep]
    if not len(ids):
        return []
    relevance = vectors @ centre
    # very short or very long statements make poor quotes
    words = np.array([T.word_count(t) for t in texts])
    relevance = relevance - 0.1 * (words < 5) - 0.05 * (words > 60)
    chosen: list[int] = []
    candidates = list(range(len(ids)))
    while candidates and len(chosen) < n:
        best, best_score = None, -np.inf
        for i in candidates:
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            if redundancy >= near_copy:
                continue
            score = (1 - diversity) * relevance[i] - diversity * redundancy
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
        candidates.remove(best)
    # a theme of near-copies still shows three quotes, but never the same words twice
    for i in sorted(candidates, key=lambda i: -relevance[i]):
        if len(chosen) >= min(3, n):
            break
        if all(texts[i].strip().lower() != texts[j].strip().lower() for j in chosen):
            chosen.append(i)
    return [ids[i] for i in chosen]
