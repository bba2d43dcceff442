"""What every coder shares: the Coder interface, scores, a person's labelled statements, theme codes.

A coder is a stage component with parameters in `__init__`, learned state in attributes ending in `_`:

    coder.fit(codebook, train=())      -> the coder itself (train: a person's LabelledItems; zero-shot ignores it)
    coder.score(texts, vectors)        -> CodeScores, one row per statement, one column per codable code
    coder.assign(scores)               -> per statement (codes assigned best first, nearest code)
    coder.transform(segments, vectors) -> new Segments carrying codes and nearest code
    coder.thresholds()                 -> per-code cut on `score` (for a second code, in a learned coder)
    coder.similarity_thresholds()      -> per-code zero-shot similarity a statement needs to take the code

`transform` is written once, here, so every coder keeps a person's own codes the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from ..defaults import THEME_CODE_MIN_SHARE
from ..records import CodeAssignment, Segment, Theme

NO_CODE = "none"  # the class for statements a person left uncoded on purpose
PERSON = "person"  # `by` of a code a person gave


@dataclass
class CodeScores:
    """A coder's scores: `scores` is (n_statements, n_codes) float32, columns in `codes` order."""

    codes: list[str]  # column order
    scores: np.ndarray  # (n_statements, n_codes)
    similarity: np.ndarray | None = None  # zero-shot similarity, when `scores` are learned probabilities
    none: np.ndarray | None = None  # probability of "no code", when the coder learned it
    uncoded: np.ndarray | None = None  # (n_statements,) bool: far from every code or a non-answer (CorpusCoder)


@dataclass(frozen=True)
class LabelledItem:
    """A statement a person coded: `labels` empty means they left it uncoded on purpose."""

    id: str
    text: str
    labels: list[str] = field(default_factory=list)
    primary: str | None = None
    line: int | None = None  # where it sits in its file, for error messages


Assignment = tuple[list[CodeAssignment], CodeAssignment]  # (codes assigned best first, nearest code)


class Coder:
    """The interface every coder implements (see the module docstring)."""

    def fit(self, codebook, train: Sequence[LabelledItem] = ()) -> "Coder":
        raise NotImplementedError

    def score(self, texts: Sequence[str], vectors: np.ndarray) -> CodeScores:
        raise NotImplementedError

    def assign(self, scores: CodeScores) -> list[Assignment]:
        raise NotImplementedError

    def thresholds(self) -> np.ndarray:
        raise NotImplementedError

    def similarity_thresholds(self) -> np.ndarray:
        raise NotImplementedError

    def transform(self, segments: Sequence[Segment], vectors: np.ndarray) -> list[Segment]:
        """New segments with this coder's codes and nearest code; a person's own codes always win.

        `vectors` is (len(segments), dimensions), in the same order. The segments given are not changed.
        """
        if not len(segments):
            return list(segments)
        return apply_assignments(segments, self.assign(self.score([s.text for s in segments], vectors)))


def apply_assignments(segments: Sequence[Segment], assigned: Sequence[Assignment],
                      keep: dict[str, list[CodeAssignment]] | None = None) -> list[Segment]:
    """Segments with the coder's (codes, nearest) set: a person's codes on a segment (or in `keep`, by id) win."""
    out = []
    for seg, (codes, nearest) in zip(segments, assigned):
        person = (keep or {}).get(seg.id) or [c for c in seg.codes if c.by == PERSON]
        out.append(replace(seg, codes=person or codes, nearest=nearest))
    return out


def theme_codes(theme: Theme, segments_by_id: dict[str, Segment], min_share: float = THEME_CODE_MIN_SHARE) -> list[CodeAssignment]:
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

