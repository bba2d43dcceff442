"""Engines: where the per-statement work of a run happens.

An engine does two things for the stages, each returning results in the order given:

    engine.embed(embedder, texts)          -> (len(texts), dimensions) float32 unit rows, never cached here
                                              (the embedder keeps its disk cache and asks only for what it lacks)
    engine.score(coder, texts, vectors)    -> coding.CodeScores, for a coder whose scores are per statement

`LocalEngine` (the default) runs both in this process. `RayEngine` (`engines.ray_engine`, `plenary[cluster]`) runs
them as Ray Data `map_batches` over partitions on a Ray cluster, with the model loaded once per worker (an
actor); global stages (coding with the corpus-aware coder, themes, ranking, drafting) stay on the gathered
vectors in the driver. Ray is imported only when a Ray engine is made, so the local engine needs no Ray.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .base import per_statement

__all__ = ["ENGINES", "LocalEngine", "make_engine", "per_statement"]

ENGINES = ("local", "ray")


class LocalEngine:
    """This process: the embedder's own backend (ONNX or torch, all cores), the coder's own score."""

    name = "local"

    def embed(self, embedder, texts: Sequence[str]) -> np.ndarray:
        return embedder.encode_uncached(texts)

    def score(self, coder, texts: Sequence[str], vectors: np.ndarray):
        return coder.score(texts, vectors)

    def close(self) -> None:
        pass


def make_engine(name: str = "local", address: str | None = None):
    """The engine called `name` (local | ray); `address` is the Ray cluster's host:port for "ray"."""
    if name == "local":
        return LocalEngine()
    if name == "ray":
        from .ray_engine import RayEngine

        return RayEngine(address)
    from ..errors import InputError

    raise InputError("engine", f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")
