"""Picking a theme's quotes: central statements that are not near-copies of each other."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .. import text as T
from ..defaults import N_QUOTES, QUOTE_DIVERSITY, QUOTE_NEAR_COPY


def diverse_quotes(ids: Sequence[str], vectors: np.ndarray, centre: np.ndarray, texts: Sequence[str],
                   n: int = N_QUOTES, diversity: float = QUOTE_DIVERSITY,
                   near_copy: float = QUOTE_NEAR_COPY) -> list[str]:
    """Maximal marginal relevance: central statements that are not near-copies of each other."""
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
