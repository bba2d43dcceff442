"""Human-coded sets for benchmarks/coding_zero_shot.py: loaders and an embedding cache.

A task is one codebook with the items coded against it:
  {"set": name, "task": name, "codes": [{"id","label","description","include","examples"}],
   "items": [{"id","text","labels": [code ids]}]}
A set is a list of tasks (question-level sets have one task per question).
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
NHS = ROOT.parent / "shared" / "benchmarks" / "nhs-fft-v6"
DATA = ROOT / "benchmarks" / "data"
CACHE = ROOT / "lab" / "coding" / "cache"  # git-ignored; vectors are embedded once


def humanise(name: str) -> str:
    """'monitor_students' -> 'monitor students', 'BetterDocumentation' -> 'better documentation'."""
    s = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ").replace("->", " ")
    s = re.sub(r"\s+", " ", s).strip()
    return s[:1].upper() + s[1:].lower() if s else name


def baseline_text(code) -> str:
    d = (code.get("description") or "").strip()
    return f"{code['label']}: {d}" if d else code["label"]


def nhs(sample: int = 3000, seed: int = 0, pool: bool = False):
    """NHS FFT v6: answerable items (no 'Did not answer'), fixed seeded sample; codebook of names +
    descriptions (a code without a description keeps its name only). With pool=True, also the other
    answerable items (few-shot training pool)."""
    items = [json.loads(l) for l in (NHS / "items.jsonl").read_text(encoding="utf-8").splitlines() if l]
    spec = json.loads((NHS / "codebook.json").read_text(encoding="utf-8"))
    codes = [{"id": c["code"], "label": c["code"], "description": (c.get("description") or "").strip()}
             for c in spec["codes"] if c["code"] != "Labelling not possible"]
    ids = {c["id"] for c in codes}
    answerable = [it for it in items if it["text"].strip() != "Did not answer"]
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(answerable))
    take = sorted(order[:sample])
    rest = sorted(order[sample:])
    def conv(it):
        return {"id": it["id"], "text": it["text"], "labels": [l for l in it["labels"] if l in ids]}
    task = {"set": "nhs-fft-v6", "task": "all", "codes": codes, "items": [conv(answerable[i]) for i in take]}
    if pool:
        task["pool"] = [conv(answerable[i]) for i in rest]
    return [task]


def nhs_names(sample: int = 3000, seed: int = 0):
    """The same NHS FFT v6 sample with a names-only codebook (each code's name, no description): the kind of
    codebook the issue's held-out patient-comment set uses."""
    task = dict(nhs(sample=sample, seed=seed)[0], set="nhs-fft-v6-names")
    task["codes"] = [{"id": c["id"], "label": c["label"], "description": ""} for c in task["codes"]]
    return [task]


def vs6(codebook: Path = DATA / "vs6-minimal-codebook.yaml"):
    import yaml
    book = yaml.safe_load(codebook.read_text(encoding="utf-8"))
    codes = [{"id": c["id"], "label": c["label"], "description": c["description"],
              "include": c.get("include", []), "examples": c.get("examples", [])} for c in book["codes"]]
    items = [json.loads(l) for l in (ROOT / "tests" / "data" / "vs6-gold.jsonl").read_text().splitlines() if l]
    its = [{"id": it["id"], "text": it["text"], "labels": it["labels"], "primary": it.get("primary")} for it in items]
    return [{"set": "vs6-assembly", "task": "all", "codes": codes, "items": its}]


def aibom():
    rows = list(csv.DictReader((DATA / "aibom-survey" / "codebook.csv").open(encoding="utf-8")))
    items = [json.loads(l) for l in (DATA / "aibom-survey" / "items.jsonl").read_text().splitlines() if l]
    tasks = []
    for q in dict.fromkeys(r["question"] for r in rows):
        codes = [{"id": r["code"], "label": humanise(r["code"]), "description": r["definition"].strip()}
                 for r in rows if r["question"] == q]
        ids = {c["id"] for c in codes}
        its = [{"id": it["id"], "text": it["text"], "labels": [l for l in it["labels"] if l in ids]}
               for it in items if it["question"] == q]
        tasks.append({"set": "aibom-survey", "task": q, "codes": codes, "items": its})
    return tasks


NO_CODE = {"NA", "no_answer"}


def proctoring():
    """Educators' free-text survey answers (3 questions); codebook = the coder's top-level codes, names
    only ('a->b' sub-codes count as their top-level code 'a'); NA / no_answer = left uncoded."""
    items = [json.loads(l) for l in (DATA / "proctoring-educators" / "items.jsonl").read_text().splitlines() if l]
    tasks = []
    for q in dict.fromkeys(it["question"] for it in items):
        its = []
        for it in items:
            if it["question"] != q:
                continue
            top = list(dict.fromkeys(c.split("->")[0] for c in it["codes"] if c.split("->")[0] not in NO_CODE))
            its.append({"id": it["id"], "text": it["text"], "labels": top})
        names = sorted({l for it in its for l in it["labels"]})
        codes = [{"id": n, "label": humanise(n), "description": ""} for n in names]
        tasks.append({"set": "proctoring-educators", "task": q, "codes": codes, "items": its})
    return tasks


SETS = {"nhs-fft-v6": nhs, "nhs-fft-v6-names": nhs_names, "vs6-assembly": vs6, "aibom-survey": aibom,
        "proctoring-educators": proctoring}

# ---------------------------------------------------------------- embeddings
_embedder = None


def _key(t: str) -> str:
    return hashlib.sha256(t.encode("utf-8")).hexdigest()


class VectorStore:
    """text -> MiniLM vector, kept in lab/coding/cache/vectors.npz (embed each text once)."""

    def __init__(self, path: Path = CACHE / "vectors.npz"):
        self.path = path
        self.vecs: dict[str, np.ndarray] = {}
        if path.exists():
            z = np.load(path)
            self.vecs = dict(zip(z["keys"].tolist(), z["vecs"]))
        self.dirty = False

    def encode(self, texts):
        keys = [_key(t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in self.vecs))
        if missing:
            global _embedder
            if _embedder is None:
                sys.path.insert(0, str(ROOT))
                from pipeline.embed import Embedder
                _embedder = Embedder(cache_dir=CACHE)
            out = _embedder.encode(missing)
            for t, v in zip(missing, out):
                self.vecs[_key(t)] = v
            self.dirty = True
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack([self.vecs[k] for k in keys]).astype(np.float32)

    def save(self):
        if self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = list(self.vecs)
            np.savez(self.path, keys=np.array(keys), vecs=np.vstack([self.vecs[k] for k in keys]))
            self.dirty = False
