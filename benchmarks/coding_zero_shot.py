"""Zero-shot coding benchmark: Plenary's coder beside the nearest-description baseline, on four
human-coded sets (five rows: NHS FFT v6 with two codebooks), and (--curve) the few-shot learning curve on
NHS FFT v6 beside plain logistic regression.

Run from the repository root (the NHS set is read from ../shared/benchmarks/nhs-fft-v6):

    .venv/bin/python benchmarks/coding_zero_shot.py            # the table (about 1 minute once embedded)
    .venv/bin/python benchmarks/coding_zero_shot.py --curve    # + learning curve (a few more minutes)

Sets (loaders and provenance in benchmarks/coding_sets.py and benchmarks/data/*/README.md):
- nhs-fft-v6: 3,000 patient comments (seeded sample, "Did not answer" left out), 49 codes, names +
  descriptions only (7 codes have a name only);
- nhs-fft-v6-names: the same 3,000 comments with a names-only codebook (49 code names, no descriptions);
- vs6-assembly: tests/data/vs6-gold.jsonl, 160 bullets (62 left uncoded by the coder), with the minimal
  4-code codebook benchmarks/data/vs6-minimal-codebook.yaml written before any scoring;
- aibom-survey: expert survey answers, 3 questions, 20-23 codes each with one-line definitions;
- proctoring-educators: educators' survey answers, 3 questions, 13-20 codes each, names only.
Question-level sets are coded one question at a time, each with its own codebook; P@1 and macro-F1 are
averaged over questions.

Metrics: P@1 = the top code is one of the human's codes (uncoded counts as a miss; items the human left
uncoded are not counted); macro-F1 over codes with human support, on label sets (each method gives one
code, or none); Cohen's kappa on the primary code with "none" as a category (single-label set only);
uncoded = share of items the method leaves uncoded; time = coding seconds (embeddings are cached in
lab/coding/cache and not counted).
Baseline: cosine between the statement and "label: description" (the label alone when there is no
description), top code, never uncoded.
Learning curve: k examples per code drawn from the NHS items outside the test sample
(numpy default_rng([seed, k, repeat])); plain LR = scikit-learn LogisticRegression with default settings
on the same embeddings and examples; Plenary = the same coder given the examples as training items.
This is a benchmark, not a test: it prints tables and asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import coding_sets as sets  # noqa: E402


def kappa(a, b) -> float:
    cats = sorted(set(a) | set(b))
    idx = {c: i for i, c in enumerate(cats)}
    m = np.zeros((len(cats), len(cats)))
    for x, y in zip(a, b):
        m[idx[x], idx[y]] += 1
    n = m.sum()
    po, pe = np.trace(m) / n, (m.sum(0) * m.sum(1)).sum() / n ** 2
    return float((po - pe) / (1 - pe)) if pe < 1 else 1.0


def task_metrics(task, top):
    """top: per item a code id or None (uncoded)."""
    items, ids = task["items"], [c["id"] for c in task["codes"]]
    coded = [i for i, it in enumerate(items) if it["labels"]]
    p1 = float(np.mean([top[i] is not None and top[i] in items[i]["labels"] for i in coded]))
    f1s = []
    for c in ids:
        g = np.array([c in it["labels"] for it in items])
        p = np.array([t == c for t in top])
        if g.sum():
            f1s.append(2 * (g & p).sum() / (g.sum() + p.sum()))
    gold = [it.get("primary") or (it["labels"][0] if it["labels"] else "none") for it in items]
    return {"p1": p1, "f1": float(np.mean(f1s)), "uncoded": sum(t is None for t in top), "n": len(items),
            "kappa": kappa(gold, [t or "none" for t in top])}


def baseline(task, store):
    texts = [sets.baseline_text(c) for c in task["codes"]]
    X = store.encode([it["text"] for it in task["items"]])
    started = time.perf_counter()
    B = store.encode(texts)
    top = (X @ B.T).argmax(1)
    return [task["codes"][j]["id"] for j in top], time.perf_counter() - started


def plenary(task, store, train=()):
    from plenary_coder import make  # noqa: E402  (adapter: the coder Plenary ships)

    X = store.encode([it["text"] for it in task["items"]])
    started = time.perf_counter()
    coder = make(store.encode).fit(task["codes"], train)
    out = coder.score([it["text"] for it in task["items"]], X)
    ids = [c["id"] for c in task["codes"]]
    top = [None if far else ids[j] for j, far in zip(out["scores"].argmax(1), out["far"])]
    return top, time.perf_counter() - started


def run_table(args, store):
    rows = []
    for name, load in sets.SETS.items():
        tasks = load(sample=args.nhs_sample, seed=args.seed) if name.startswith("nhs-fft-v6") else load()
        res = {}
        for method, fn in (("baseline", baseline), ("plenary", plenary)):
            ms, secs = [], 0.0
            for task in tasks:
                top, dt = fn(task, store)
                ms.append(task_metrics(task, top))
                secs += dt
            res[method] = {"p1": np.mean([m["p1"] for m in ms]), "f1": np.mean([m["f1"] for m in ms]),
                           "uncoded": sum(m["uncoded"] for m in ms) / sum(m["n"] for m in ms),
                           "kappa": ms[0]["kappa"] if name == "vs6-assembly" else None, "time": secs}
        n = sum(len(t["items"]) for t in tasks)
        codes = "/".join(sorted({str(len(t["codes"])) for t in tasks}, key=int))
        rows.append((name, len(tasks), n, codes, res))
        store.save()
    print("| set | questions | items | codes | P@1 baseline | P@1 Plenary | gain | macro-F1 baseline | macro-F1 Plenary"
          " | κ baseline | κ Plenary | uncoded baseline | uncoded Plenary | s baseline | s Plenary |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    gains = []
    for name, q, n, codes, r in rows:
        b, p = r["baseline"], r["plenary"]
        gains.append(p["p1"] - b["p1"])
        k = (f"{b['kappa']:.3f} | {p['kappa']:.3f}" if b["kappa"] is not None else "– | –")
        print(f"| {name} | {q} | {n} | {codes} | {b['p1']:.3f} | {p['p1']:.3f} | {p['p1'] - b['p1']:+.3f} | "
              f"{b['f1']:.3f} | {p['f1']:.3f} | {k} | {b['uncoded']:.1%} | {p['uncoded']:.1%} | "
              f"{b['time']:.2f} | {p['time']:.2f} |")
    print(f"\nMean P@1 gain over the baseline: {np.mean(gains):+.3f} (smallest {min(gains):+.3f})")


def run_curve(args, store):
    from sklearn.linear_model import LogisticRegression

    task = sets.nhs(sample=args.nhs_sample, seed=args.seed, pool=True)[0]
    ids = [c["id"] for c in task["codes"]]
    X = store.encode([it["text"] for it in task["items"]])
    pool = task["pool"]
    P = store.encode([it["text"] for it in pool])
    print("\n| examples per code | plain LR P@1 | Plenary P@1 | gain | plain LR macro-F1 | Plenary macro-F1 |")
    print("|---:|---:|---:|---:|---:|---:|")
    for k in [int(s) for s in args.shots.split(",")]:
        lr_m, pl_m = [], []
        for rep in range(args.repeats):
            rng = np.random.default_rng([args.seed, k, rep])
            rows = []
            for c in ids:
                cand = [i for i, it in enumerate(pool) if c in it["labels"]]
                if cand and k:
                    rows += [(int(i), c) for i in rng.choice(cand, size=min(k, len(cand)), replace=False)]
            if rows:
                lr = LogisticRegression(max_iter=2000).fit(P[[i for i, _ in rows]], [c for _, c in rows])
                lr_top = list(lr.predict(X))
            else:  # no examples: plain LR has only the code texts to learn from
                B = store.encode([sets.baseline_text(c) for c in task["codes"]])
                lr = LogisticRegression(max_iter=2000).fit(B, ids)
                lr_top = list(lr.predict(X))
            lr_m.append(task_metrics(task, lr_top))
            top, _ = plenary(task, store, train=[(pool[i]["text"], [c]) for i, c in rows])
            pl_m.append(task_metrics(task, top))
        a = {m: np.mean([x[m] for x in lr_m]) for m in ("p1", "f1")}
        b = {m: np.mean([x[m] for x in pl_m]) for m in ("p1", "f1")}
        print(f"| {k} | {a['p1']:.3f} | {b['p1']:.3f} | {b['p1'] - a['p1']:+.3f} | {a['f1']:.3f} | {b['f1']:.3f} |",
              flush=True)
    store.save()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nhs-sample", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--curve", action="store_true", help="also the few-shot learning curve on NHS FFT v6")
    ap.add_argument("--curve-only", action="store_true")
    ap.add_argument("--shots", default="0,4,8,16,32")
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)
    store = sets.VectorStore()
    if not args.curve_only:
        run_table(args, store)
    if args.curve or args.curve_only:
        run_curve(args, store)


if __name__ == "__main__":
    main()
