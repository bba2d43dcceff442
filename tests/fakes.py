"""Small fakes for unit tests only. End-to-end tests use the real model."""
from __future__ import annotations

import hashlib
import re

import numpy as np


class FakeEmbedder:
    """A fake embedder: bag-of-words hashed into 64 dimensions, L2-normalised.

    Statements that share words get similar vectors, which is all the unit
    tests of coding, themes and recommendations need. Never used end to end.
    """

    model_id = "fake-bag-of-words"

    def __init__(self, dimensions: int = 64):
        self.dimensions = dimensions
        self.stats = {"cached": 0, "embedded": 0}

    def encode(self, texts, progress=None):
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                out[i, h % self.dimensions] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
        if progress:
            progress(len(texts))
        return out
