"""How well a codebook fits the notes: statements far from every code, and coverage per code.

`codebook_fit(coder, segments, vectors) -> dict` is written to run.json ("codebook_fit"), shown in the
report and printed by `plenary run`. A statement is far from every code when its best cosine similarity to
any code text (label, description, include lines, examples) is below `defaults.FIT_FAR_SIMILARITY`; the fit
is poor when at least `defaults.FIT_POOR_SHARE` of the statements are, and the run then says so and points
to `plenary codebook draft`. Non-answers ("No", "N/A") are counted apart and left out of the shares.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import text as T
from ..defaults import CORPUS_BLOCK_ROWS, FIT_FAR_SIMILARITY, FIT_POOR_SHARE
from ..records import Segment


def code_vectors(coder) -> list[np.ndarray] | None:
    """Per codable code, the vectors of its texts, from a fitted coder of either kind (None if unknown)."""
    views = getattr(coder, "view_vectors_", None)
    if views is not None:
        return [np.asarray(v, dtype=np.float32) for v in views]
    zero = getattr(coder, "zero_shot_", coder)
    described = getattr(zero, "description_vectors_", None)
    examples = getattr(zero, "example_vectors_", None)
    if described is None or examples is None:
        return None
    return [np.vstack([d[None, :], e]).astype(np.float32) for d, e in zip(described, examples)]


def codebook_fit(coder, segments: Sequence[Segment], vectors: np.ndarray,
                 far_similarity: float = FIT_FAR_SIMILARITY, poor_share: float = FIT_POOR_SHARE) -> dict[str, Any]:
    """Fit diagnostics of a fitted coder's codebook on coded `segments` ((n, d) `vectors`, same order)."""
    codes = list(coder.codes_)
    answers = [i for i, s in enumerate(segments) if not T.is_non_answer(s.text)]
    out: dict[str, Any] = {"statements": len(answers), "non_answers": len(segments) - len(answers),
                           "far_similarity": far_similarity, "poor_share": poor_share}
    views = code_vectors(coder)
    if not answers or views is None:
        return {**out, "far": 0, "far_share": 0.0, "poor_fit": False, "coverage": {}, "codes_without_statements": []}
    x, rows = np.asarray(vectors, dtype=np.float32), np.asarray(answers)
    # each statement's best similarity, a block of rows at a time (no copy of every row)
    best = np.concatenate([np.stack([(x[at] @ v.T).max(1) for v in views], 1).max(1)
                           for at in (rows[s:s + CORPUS_BLOCK_ROWS] for s in range(0, len(rows), CORPUS_BLOCK_ROWS))])
    far = int((best < far_similarity).sum())
    share = far / len(answers)
    coverage = {}
    for code in codes:
        coded = sum(1 for i in answers if any(c.code == code.id for c in segments[i].codes))
        coverage[code.id] = {"label": code.label, "statements": coded, "share": round(coded / len(answers), 4)}
    empty = [cid for cid, c in coverage.items() if c["statements"] == 0]
    out.update({"far": far, "far_share": round(share, 4), "median_best_similarity": round(float(np.median(best)), 4),
                "coverage": coverage, "codes_without_statements": empty, "poor_fit": share >= poor_share})
    out["message"] = fit_message(out)
    return out


def fit_message(fit: dict[str, Any]) -> str:
    """One plain paragraph on the fit (empty when there is nothing to say)."""
    if not fit.get("statements"):
        return ""
    far = f"{fit['far_share']:.0%} of statements ({fit['far']} of {fit['statements']}) are far from every code"
    empty = fit.get("codes_without_statements") or []
    unused = f"; {len(empty)} code{'s' if len(empty) != 1 else ''} took no statement ({', '.join(empty)})" if empty else ""
    if fit.get("poor_fit"):
        return (f"The codebook fits these notes poorly: {far} (similarity below {fit['far_similarity']:.2f}){unused}. "
                "Its headings may not suit this topic: draft a codebook from the notes' own themes with "
                "`plenary codebook draft <notes or run folder> --out my-codebook.yaml`, edit it, then run with "
                "--codebook my-codebook.yaml.")
    return f"Codebook fit: {far}{unused}."
