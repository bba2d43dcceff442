"""The ONNX embedding backends against the torch reference (real model, real statements)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.embed import Embedder
from pipeline.errors import InputError

TEXTS = [
    "Funding should not be such a complicated process.",
    "More BAME people on boards and in senior roles",
    "The nurses were kind and explained everything to me, even though the ward was very busy that night.",
    "Waited 4 hours",
    "ok",
    "Transport to the hospital was late twice and nobody called to say why, which made me anxious about "
    "missing my appointment with the consultant." * 3,  # longer than most: long padding in a batch
]


@pytest.fixture(scope="module")
def torch_vectors(tmp_path_factory):
    return Embedder(backend="torch", use_cache=False).encode_uncached(TEXTS)


def test_onnx_gives_the_torch_vectors(torch_vectors):
    onnx = Embedder(backend="onnx", use_cache=False).encode_uncached(TEXTS)
    assert onnx.dtype == np.float32 and onnx.shape == torch_vectors.shape
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert np.abs(onnx - torch_vectors).max() < 1e-5


def test_int8_is_close_to_torch(torch_vectors):
    int8 = Embedder(backend="onnx-int8", use_cache=False).encode_uncached(TEXTS)
    cosine = (int8 * torch_vectors).sum(axis=1)
    assert cosine.min() > 0.95 and cosine.mean() > 0.98


@pytest.mark.parametrize("backend", ["onnx", "onnx-int8"])
def test_a_vector_does_not_depend_on_batch_mates_threads_or_order(backend):
    """Dynamic int8 quantises each input tensor with its own scale: batched, a statement's vector would
    change with its neighbours. Each backend must give a statement the same vector whatever comes with it."""
    alone = np.vstack([Embedder(backend=backend, use_cache=False, threads=1).encode_uncached([t]) for t in TEXTS])
    together = Embedder(backend=backend, use_cache=False, threads=2).encode_uncached(TEXTS[::-1])[::-1]
    assert np.abs(alone - together).max() <= 1e-6


def test_backends_keep_apart_in_the_cache(tmp_path):
    ids = {b: Embedder(backend=b, cache_dir=tmp_path).model_id for b in ("torch", "onnx", "onnx-int8")}
    assert len(set(ids.values())) == 3 and ids["torch"] == "all-MiniLM-L6-v2@53aa51172d14"
    first = Embedder(backend="onnx-int8", cache_dir=tmp_path)
    a = first.encode(TEXTS + TEXTS[:2])
    assert first.stats["embedded"] == len(TEXTS) and np.array_equal(a[:2], a[-2:])
    again = Embedder(backend="onnx-int8", cache_dir=tmp_path)
    assert np.array_equal(again.encode(TEXTS), a[: len(TEXTS)])
    assert again.stats["cached"] == len(TEXTS) and again.stats["embedded"] == 0


def test_an_exported_graph_that_fails_its_checksum_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PLENARY_CACHE", str(tmp_path))
    Embedder(backend="onnx-int8", use_cache=False).encode_uncached(["export me"])
    folder = next((tmp_path / "onnx").iterdir())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["files"]) == {"model.onnx", "model-int8.onnx"}
    assert manifest["weights_sha256"].startswith("53aa51172d14")
    with open(folder / "model-int8.onnx", "r+b") as fh:  # one byte changed
        fh.seek(1000)
        byte = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(InputError, match="fails its checksum"):
        Embedder(backend="onnx-int8", use_cache=False).encode_uncached(["x"])


def test_unknown_backend_is_refused():
    with pytest.raises(InputError, match="unknown embedding backend"):
        Embedder(backend="gpu")


def test_the_int8_graph_follows_its_recipe_and_an_older_recipe_is_exported_again(tmp_path, monkeypatch):
    import onnx

    from pipeline.embed import onnx as O

    monkeypatch.setenv("PLENARY_CACHE", str(tmp_path))
    Embedder(backend="onnx-int8", use_cache=False).encode_uncached(["export me"])
    folder = next((tmp_path / "onnx").iterdir())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["recipe"] == O.INT8_RECIPE
    graph = onnx.load(str(folder / "model-int8.onnx"))
    kept = [n.name for n in graph.graph.node if n.op_type == "MatMul"]  # unquantised MatMuls keep their op
    assert kept == O.kept_in_fp32(onnx.load(str(folder / "model.onnx"))) and len(kept) == 1
    assert "layer.0/output/dense" in kept[0]
    (folder / "manifest.json").write_text(json.dumps({**manifest, "recipe": "int8-every-layer"}))
    Embedder(backend="onnx-int8", use_cache=False).encode_uncached(["x"])
    assert json.loads((folder / "manifest.json").read_text())["recipe"] == O.INT8_RECIPE
    assert Embedder(backend="onnx-int8").model_id.endswith(O.INT8_RECIPE)


class _FakeModelEmbedder(Embedder):
    """A fake: the real cache and bookkeeping around a stand-in model (a vector from each text's letters)."""

    def __init__(self, cache_dir):
        super().__init__(cache_dir=cache_dir, backend="onnx", chunk_size=2)
        self.asked: list[str] = []

    def encode_uncached(self, texts):
        self.asked += list(texts)
        out = np.array([[t.count(c) + 0.5 for c in "abcdefgh"] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_fake_model_embedder_embeds_each_text_once_and_gives_repeats_the_same_row(tmp_path):
    texts = ["a cab", "bad", "a cab", "fed", "bad", "a cab", "head"]
    fake = _FakeModelEmbedder(tmp_path)
    first = fake.encode(texts)
    assert sorted(fake.asked) == sorted(set(texts))  # each distinct text embedded once
    np.testing.assert_array_equal(first, fake.encode_uncached(texts))  # every statement has its own text's row
    again = _FakeModelEmbedder(tmp_path)
    np.testing.assert_array_equal(again.encode(texts[::-1])[::-1], first)  # from the cache, in any order
    assert again.asked == [] and again.stats["cached"] == len(set(texts))
