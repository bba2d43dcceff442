"""Coding: match statements to a researcher's codebook.

Two coders share one interface (`base.Coder`: fit / score / assign / transform):

- `zero_shot.CorpusCoder` (the default) codes a batch as a corpus from the codebook's words, and learns
  from a person's examples when given (few-shot);
- `zero_shot.CodebookCoder` compares statements with each code's description and examples (the coder
  before issue 10; the learned coder builds on it);
- `learned.ExampleCoder` learns from examples (a logistic regression on the sentence vectors, combined
  with the zero-shot scores, per-code thresholds calibrated by cross-validation).

`labelled` reads a person's coding (gold, training and overrides files); `overrides` applies a person's
own codes, which always win.
"""
from __future__ import annotations

from typing import Sequence

from ..codebook import Codebook
from ..defaults import CODE_THRESHOLD, SEED
from .base import NO_CODE, Coder, CodeScores, LabelledItem, apply_assignments, theme_codes
from .learned import ExampleCoder, adapt_prior, best_f1_threshold
from .zero_shot import CodebookCoder, CorpusCoder, code_views, keyword_hits

CODERS = ("auto", "zero-shot", "learned")

__all__ = ["CODERS", "NO_CODE", "Coder", "CodeScores", "CodebookCoder", "CorpusCoder", "ExampleCoder", "LabelledItem",
           "code_views",
           "adapt_prior", "apply_assignments", "best_f1_threshold", "coder_for", "keyword_hits", "make_coder", "theme_codes"]


def coder_for(kind: str, embedder, train: Sequence[LabelledItem] = (), threshold: float = CODE_THRESHOLD,
              prior: str = "flat", seed: int = SEED) -> Coder:
    """An unfitted coder of `kind`. "auto" and "zero-shot": the corpus-aware coder (`CorpusCoder`), which
    also learns from a person's labelled statements when given; "learned": the example-trained classifier
    (`ExampleCoder`, with per-code calibrated thresholds). Unknown `kind`: ValueError."""
    if kind not in CODERS:
        raise ValueError(f"unknown coder '{kind}' (choose from {', '.join(CODERS)})")
    if kind == "learned":
        return ExampleCoder(embedder, threshold=threshold, prior=prior, seed=seed)
    return CorpusCoder(embedder, threshold=threshold)


def make_coder(embedder, codebook: Codebook, kind: str = "auto", train: Sequence[LabelledItem] = (),
               threshold: float = CODE_THRESHOLD, prior: str = "flat", seed: int = SEED) -> Coder:
    """A coder of `kind` (see `coder_for`), fitted on `codebook` and `train`."""
    return coder_for(kind, embedder, train, threshold, prior, seed).fit(codebook, train)
