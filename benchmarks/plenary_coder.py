"""Adapter: the coder Plenary ships (pipeline.coding.CorpusCoder), as benchmarks/coding_zero_shot.py calls it.

The benchmark's sets hold codes as dicts and cache vectors itself; this wraps both into the library's
Codebook and embedder interface so the benchmark measures exactly the shipped class.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.codebook import Code, Codebook  # noqa: E402
from pipeline.coding import CorpusCoder, LabelledItem  # noqa: E402


class _Encoder:
    def __init__(self, encode):
        self.encode = encode


class Shipped:
    """make(encode).fit(codes, train).score(texts, vectors) -> {"scores", "far"} (benchmark shape)."""

    def __init__(self, encode):
        self.coder = CorpusCoder(_Encoder(encode))

    def fit(self, codes, train=()):
        book = Codebook([Code(id=c["id"], label=c["label"], description=c.get("description") or c["label"],
                              include=list(c.get("include") or []), examples=list(c.get("examples") or []))
                         for c in codes], name="benchmark")
        items = [LabelledItem(id=f"train:{n}", text=t, labels=list(labels)) for n, (t, labels) in enumerate(train)]
        self.coder.fit(book, items)
        return self

    def score(self, texts, vectors):
        out = self.coder.score(list(texts), np.asarray(vectors))
        return {"scores": out.scores, "far": out.uncoded}


def make(encode):
    return Shipped(encode)
