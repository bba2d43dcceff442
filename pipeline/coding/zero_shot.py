"""Zero-shot coding: statements matched to a codebook's descriptions and examples, nothing learned.

`CodebookCoder` compares each statement with every code's description and its examples (the nearest
example counts; a code without examples uses its label, description sentences and include notes), and
adds a small bonus when one of the code's keywords appears. A statement takes every code that clears
its threshold and stands close to the best one; one that no code fits is uncoded, and still reports its
nearest code and score.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .. import text as T
from ..codebook import Code, Codebook
from ..defaults import CODE_MARGIN, CODE_THRESHOLD, DESCRIPTION_WEIGHT, KEYWORD_WEIGHT
from ..records import CodeAssignment
from .base import Assignment, Coder, CodeScores, LabelledItem


def keyword_hits(texts: Sequence[str], codes: Sequence[Code]) -> np.ndarray:
    """1 where a statement contains one of a code's keywords (lemma match, or phrase match)."""
    hits = np.zeros((len(texts), len(codes)), dtype=np.float32)
    if not any(c.keywords for c in codes):
        return hits
    words = [{t.lemma_.lower() for t in doc} | {t.lower_ for t in doc} for doc in T.nlp().pipe(t.lower() for t in texts)]
    lowered = [t.lower() for t in texts]
    for j, code in enumerate(codes):
        singles = {T.lemma(k) for k in code.keywords if " " not in k} | {k.lower() for k in code.keywords if " " not in k}
        phrases = [k.lower() for k in code.keywords if " " in k]
        for i in range(len(texts)):
            if words[i] & singles or any(p in lowered[i] for p in phrases):
                hits[i, j] = 1.0
    return hits



class CodebookCoder(Coder):
    """Zero-shot coder: fit on a codebook, then score and assign statements.

    Parameters are plain settings, as in scikit-learn; `fit` computes the
    code prototypes and keeps nothing else.
    """

    def __init__(self, embedder, threshold: float = CODE_THRESHOLD, margin: float = CODE_MARGIN,
                 keyword_weight: float = KEYWORD_WEIGHT, description_weight: float = DESCRIPTION_WEIGHT):
        self.embedder = embedder
        self.threshold = threshold
        self.margin = margin
        self.keyword_weight = keyword_weight
        self.description_weight = description_weight

    def fit(self, codebook: Codebook, train: Sequence[LabelledItem] = ()) -> "CodebookCoder":
        """Embed each code's description and examples; `train` is not used (nothing is learned)."""
        self.codebook_ = codebook
        self.codes_ = codebook.codable
        self.description_vectors_ = self.embedder.encode([f"{c.label}: {c.description}" for c in self.codes_])
        # codes without examples fall back on their label, description sentences and include notes
        self.example_vectors_ = [self.embedder.encode(c.examples or c.prototypes()) for c in self.codes_]
        return self

    def score(self, texts: Sequence[str], vectors: np.ndarray) -> CodeScores:
        desc = vectors @ self.description_vectors_.T
        nearest_example = np.stack([(vectors @ ex.T).max(axis=1) for ex in self.example_vectors_], axis=1)
        w = self.description_weight
        scores = w * desc + (1 - w) * nearest_example
        if self.keyword_weight:
            scores = scores + self.keyword_weight * keyword_hits(texts, self.codes_)
        return CodeScores([c.id for c in self.codes_], scores.astype(np.float32))

    def thresholds(self) -> np.ndarray:
        return np.array([c.threshold if c.threshold is not None else self.threshold for c in self.codes_],
                        dtype=np.float32)

    def similarity_thresholds(self) -> np.ndarray:
        return self.thresholds()  # here the score is the similarity

    def assign(self, scores: CodeScores) -> list[Assignment]:
        """Per statement: (assigned codes best first, nearest code)."""
        limits = self.thresholds()
        out = []
        for row in scores.scores:
            order = np.argsort(-row, kind="stable")
            best = float(row[order[0]])
            nearest = CodeAssignment(scores.codes[order[0]], round(best, 4))
            assigned = [CodeAssignment(scores.codes[j], round(float(row[j]), 4)) for j in order
                        if row[j] >= limits[j] and row[j] >= best - self.margin]
            out.append((assigned, nearest))
        return out
