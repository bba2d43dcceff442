"""Embedding paths against the torch reference: speed, vectors, and the analysis built on them.

    .venv/bin/python benchmarks/embedding_paths.py [--sample 3000] [--seed 0]

On a seeded sample of NHS FFT v6 patient comments (../shared/benchmarks/nhs-fft-v6, human-coded), each path
embeds the same texts in one process, one after another:
- torch: sentence-transformers on the packaged weights (the reference);
- onnx: the exported fp32 graph (Plenary's default);
- onnx-int8 (every layer): dynamic int8 on every MatMul, the recipe before `INT8_RECIPE` (the baseline);
- onnx-int8: Plenary's int8 graph (`pipeline.embed.onnx.INT8_RECIPE`).
Columns: statements per second of wall time and per CPU second (robust to a shared machine); cosine to the
torch vector (mean, minimum); share of each statement's 10 nearest neighbours (among 500 statements) kept;
codes: the shipped coder (CorpusCoder, the codebook's names and descriptions) gives the same top code as on
the torch vectors, and its P@1 against the human codes; themes: adjusted Rand index of k-means (k=40,
seed 0) against torch's, beside torch against itself with seed 1 (how much a new seed alone moves themes).
A benchmark, not a test: it prints a table and asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import coding_sets as sets  # noqa: E402
from plenary_coder import make  # noqa: E402

from pipeline.embed import Embedder, default_cache_dir  # noqa: E402
from pipeline.embed import onnx as O  # noqa: E402


def timed(encode, texts):
    cpu, wall = time.process_time(), time.perf_counter()
    vectors = np.asarray(encode(texts), dtype=np.float32)
    return vectors, len(texts) / (time.perf_counter() - wall), len(texts) / (time.process_time() - cpu)


def every_layer_int8(tmp: Path):
    """The baseline graph: Plenary's fp32 export quantised on every MatMul; an encoder on it."""
    onnx_embedder = Embedder(backend="onnx", use_cache=False)
    onnx_embedder.encode_uncached(["export"])  # exports the graphs if this machine has none yet
    source, name, sha = onnx_embedder._source()
    folder = O.folder_for(default_cache_dir(), name, sha)  # where every Embedder keeps the exported graphs
    O.quantise(folder / O.FILES["onnx"], tmp / "every-layer.onnx")
    return O.OnnxEncoder(tmp / "every-layer.onnx", source, O._check_pooling(source), per_statement=True)


def neighbours_kept(ref: np.ndarray, other: np.ndarray, n: int = 500, k: int = 10) -> float:
    top = lambda v: np.argsort(-(v[:n] @ v.T), axis=1)[:, 1:k + 1]  # noqa: E731
    return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(top(ref), top(other))]))


def coded(task, vectors, encode):
    coder = make(encode).fit(task["codes"])
    out = coder.score([it["text"] for it in task["items"]], vectors)
    ids = [c["id"] for c in task["codes"]]
    top = [ids[j] for j in out["scores"].argmax(1)]
    p1 = np.mean([t in it["labels"] for t, it in zip(top, task["items"]) if it["labels"]])
    return top, float(p1)


def themes(vectors, seed):
    from sklearn.cluster import KMeans

    return KMeans(40, n_init=1, random_state=seed).fit_predict(vectors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from sklearn.metrics import adjusted_rand_score

    task = sets.nhs(sample=args.sample, seed=args.seed)[0]
    texts = [it["text"] for it in task["items"]]
    with tempfile.TemporaryDirectory() as tmp:
        paths = {"torch": Embedder(backend="torch", use_cache=False), "onnx": Embedder(backend="onnx", use_cache=False),
                 "onnx-int8 (every layer)": every_layer_int8(Path(tmp)),
                 "onnx-int8": Embedder(backend="onnx-int8", use_cache=False)}
        for p in paths.values():  # load and warm every model before timing
            (p.encode_uncached if isinstance(p, Embedder) else p.encode)(texts[:8])
        rows = {}
        for name, p in paths.items():
            encode = p.encode_uncached if isinstance(p, Embedder) else p.encode
            vectors, wall, cpu = timed(encode, texts)
            rows[name] = {"vectors": vectors, "wall": wall, "cpu": cpu, "encode": encode}
            print(f"{name}: {wall:.0f} statements/s", file=sys.stderr, flush=True)
    ref = rows["torch"]["vectors"]
    ref_codes, _ = coded(task, ref, rows["torch"]["encode"])
    ref_themes = themes(ref, 0)
    print(f"{len(texts):,} NHS FFT v6 comments (seed {args.seed}); 2 CPUs, load {os.getloadavg()[0]:.1f}; "
          f"int8 recipe {O.INT8_RECIPE}; torch k-means seed 1 vs seed 0: ARI "
          f"{adjusted_rand_score(ref_themes, themes(ref, 1)):.3f}\n")
    print("| path | statements/s (wall) | per CPU s | cosine to torch, mean | minimum | top-10 neighbours kept | "
          "same top code | P@1 | theme ARI vs torch |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        cos = (r["vectors"] * ref).sum(1)
        top, p1 = coded(task, r["vectors"], r["encode"])
        same = np.mean([a == b for a, b in zip(top, ref_codes)])
        ari = adjusted_rand_score(ref_themes, themes(r["vectors"], 0))
        print(f"| {name} | {r['wall']:.0f} | {r['cpu']:.0f} | {cos.mean():.4f} | {cos.min():.4f} | "
              f"{neighbours_kept(ref, r['vectors']):.3f} | {same:.1%} | {p1:.3f} | {ari:.3f} |")


if __name__ == "__main__":
    main()
