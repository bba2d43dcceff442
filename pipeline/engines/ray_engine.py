"""The Ray engine: embedding and per-statement coding as Ray Data `map_batches` over partitions.

Needs `pip install 'plenary[cluster]'` (ray[data]). Every worker must have Plenary and its model package
installed (the same image or virtualenv as the driver; docs/scale.md). Each worker process holds one actor
(`EmbedWorker` / `ScoreWorker`) that loads the model once and then takes batch after batch; rows carry their
index, so results come back in input order whatever order the partitions finish in.

Results equal the local engine's: the ONNX backends give a statement the same vector whatever batch or
thread count it is embedded with (embed.onnx), and only coders whose scores are per statement are scored
in partitions (engines.per_statement).
"""
from __future__ import annotations

import dataclasses
import os
from typing import Sequence

import numpy as np

from ..errors import InputError

BATCH = 256  # statements per map_batches call: big enough to hide Ray's per-call cost, small enough to spread


class EmbedWorker:
    """One per Ray worker process: the embedder (a pickled copy, model not loaded) loads its model once."""

    def __init__(self, embedder, threads: int):
        embedder.threads = threads
        embedder.use_cache = False
        self.embedder = embedder

    def __call__(self, batch: dict) -> dict:
        texts = [str(t) for t in batch["text"]]
        return {"i": batch["i"], "vector": self.embedder.encode_uncached(texts)}


class ScoreWorker:
    """One per Ray worker process: a fitted per-statement coder scores its partitions."""

    def __init__(self, coder):
        self.coder = coder

    def __call__(self, batch: dict) -> dict:
        scores = self.coder.score([str(t) for t in batch["text"]], np.asarray(batch["vector"], dtype=np.float32))
        out = {"i": batch["i"]}
        for field in dataclasses.fields(scores):
            value = getattr(scores, field.name)
            if isinstance(value, np.ndarray):
                out[field.name] = value
        return out


class RayEngine:
    """Connects to the Ray cluster at `address` (host:port; None: RAY_ADDRESS, else a Ray started here)."""

    name = "ray"

    def __init__(self, address: str | None = None, batch_size: int = BATCH):
        # nothing may leave the machine: no usage reports, and Ray Data's own telemetry off (before Ray loads)
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        os.environ.setdefault("RAY_DATA_USAGE_DISABLED", "1")
        try:
            import ray
        except ImportError:
            raise InputError("--engine ray", "Ray is not installed; run: pip install 'plenary[cluster]'") from None
        self.address = address or os.environ.get("RAY_ADDRESS")
        self.batch_size = batch_size
        if not ray.is_initialized():
            try:
                ray.init(address=self.address, log_to_driver=False, logging_level="ERROR",
                         include_dashboard=False if self.address is None else None)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise InputError(self.address or "ray", f"cannot connect to the Ray cluster: {exc}") from None
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        self._ray = ray

    def workers(self) -> int:
        """Worker processes to use: one per CPU the cluster offers (at least one)."""
        return max(1, int(self._ray.cluster_resources().get("CPU", 1)))

    def _dataset(self, columns: dict):
        import pyarrow as pa
        from ray.data.extensions import ArrowTensorArray

        n = len(columns["i"])
        step = self.batch_size * 4
        tables = []
        for start in range(0, n, step):
            part = {}
            for key, value in columns.items():
                chunk = value[start:start + step]
                part[key] = ArrowTensorArray.from_numpy(chunk) if isinstance(chunk, np.ndarray) and chunk.ndim > 1 \
                    else pa.array(chunk)
            tables.append(pa.table(part))
        return self._ray.data.from_arrow(tables)

    def _gather(self, dataset, n: int) -> dict:
        out: dict[str, np.ndarray] = {}
        for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            index = np.asarray(batch["i"], dtype=np.int64)
            for key, value in batch.items():
                if key == "i":
                    continue
                value = np.asarray(value)
                if key not in out:
                    out[key] = np.zeros((n, *value.shape[1:]), dtype=value.dtype)
                out[key][index] = value
        return out

    def embed(self, embedder, texts: Sequence[str]) -> np.ndarray:
        """Vectors for `texts` (input order), computed by one EmbedWorker actor per worker process."""
        n = len(texts)
        if not n:
            return embedder.encode_uncached([])
        workers = min(self.workers(), max(1, -(-n // self.batch_size)))
        data = self._dataset({"i": np.arange(n, dtype=np.int64), "text": list(texts)})
        mapped = data.map_batches(EmbedWorker, fn_constructor_kwargs={"embedder": embedder, "threads": 1},
                                  batch_size=self.batch_size, concurrency=workers, num_cpus=1, batch_format="numpy")
        return self._gather(mapped, n)["vector"].astype(np.float32)

    def score(self, coder, texts: Sequence[str], vectors: np.ndarray):
        """The coder's CodeScores for `texts`, scored in partitions by ScoreWorker actors (per-statement coders only)."""
        from .base import per_statement

        n = len(texts)
        if not per_statement(coder) or n < self.batch_size:
            return coder.score(texts, vectors)
        workers = min(self.workers(), -(-n // self.batch_size))
        data = self._dataset({"i": np.arange(n, dtype=np.int64), "text": list(texts),
                              "vector": np.asarray(vectors, dtype=np.float32)})
        mapped = data.map_batches(ScoreWorker, fn_constructor_kwargs={"coder": coder}, batch_size=self.batch_size,
                                  concurrency=workers, num_cpus=1, batch_format="numpy")
        arrays = self._gather(mapped, n)
        template = coder.score(texts[:1], np.asarray(vectors[:1], dtype=np.float32))  # the column order and type
        return dataclasses.replace(template, **arrays)

    def close(self) -> None:
        if self._ray.is_initialized():
            self._ray.shutdown()
