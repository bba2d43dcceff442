"""Code: match statements to a researcher's codebook.

Two coders share one interface (fit / score / assign / transform):

- `CodebookCoder`, zero-shot: compares each statement with every code's
  description and its examples (the nearest example counts; a code without
  examples uses its label, description sentences and include notes), and adds a
  small bonus when one of the code's keywords appears. A statement takes every
  code that clears its threshold and stands close to the best one.
- `ExampleCoder`, learning from examples in the spirit of SetFit: a logistic
  regression on the sentence vectors (the encoder itself is not fine-tuned),
  trained on the codebook's examples and on a researcher's labelled statements,
  combined with the zero-shot scores, with per-code thresholds calibrated by
  cross-validation.

In both, a statement that no code fits is uncoded, and still reports its
nearest code and score.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from . import text as T
from .codebook import Code, Codebook
from .records import CodeAssignment, Segment, Theme

COLLAPSE = "none"  # the class for statements a person left uncoded


@dataclass
class CodeScores:
    codes: list[str]  # column order
    scores: np.ndarray  # (n_statements, n_codes)
    similarity: np.ndarray | None = None  # zero-shot similarity, when `scores` are learned probabilities
    none: np.ndarray | None = None  # probability of "no code", when the coder learned it


@dataclass
class LabelledItem:
    """A statement a person coded: `labels` empty means they left it uncoded on purpose."""

    id: str
    text: str
    labels: list[str] = field(default_factory=list)
    primary: str | None = None
    line: int | None = None  # where it sits in its file, for error messages


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


class CodebookCoder:
    """Zero-shot coder: fit on a codebook, then score and assign statements.

    Parameters are plain settings, as in scikit-learn; `fit` computes the
    code prototypes and keeps nothing else.
    """

    def __init__(self, embedder, threshold: float = 0.35, margin: float = 0.08, keyword_weight: float = 0.1,
                 description_weight: float = 0.5):
        self.embedder = embedder
        self.threshold = threshold
        self.margin = margin
        self.keyword_weight = keyword_weight
        self.description_weight = description_weight

    def fit(self, codebook: Codebook) -> "CodebookCoder":
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

    def assign(self, scores: CodeScores) -> list[tuple[list[CodeAssignment], CodeAssignment]]:
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

    def transform(self, segments: Sequence[Segment], vectors: np.ndarray) -> list[Segment]:
        """Set codes and nearest code on each segment (in place) and return them."""
        if not len(segments):
            return list(segments)
        results = self.assign(self.score([s.text for s in segments], vectors))
        for seg, (assigned, nearest) in zip(segments, results):
            person = [c for c in seg.codes if c.by == "person"]
            seg.codes = person or assigned  # a researcher's own coding always wins
            seg.nearest = nearest
        return list(segments)


def theme_codes(theme: Theme, segments_by_id: dict[str, Segment], min_share: float = 0.2) -> list[CodeAssignment]:
    """A theme's codes: those carried by at least `min_share` of its statements.

    The score is the share of statements carrying the code, so a reader sees how
    strongly the theme leans to each heading.
    """
    counts: dict[str, int] = {}
    for sid in theme.segments:
        for code in segments_by_id[sid].codes:
            counts[code.code] = counts.get(code.code, 0) + 1
    size = max(theme.size, 1)
    shares = sorted(((c, n / size) for c, n in counts.items()), key=lambda cn: (-cn[1], cn[0]))
    return [CodeAssignment(c, round(share, 4)) for c, share in shares if share >= min_share]
