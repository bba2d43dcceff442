"""NHS Friends and Family Test benchmark: coding agreement with human analysts, and the learning curve.

Run from the repository root (needs the shared data beside the repo, and for the
BERTopic anchor `pip install -e ".[bench]"`):

    .venv/bin/python benchmarks/nhs_fft.py                 # the full table (about 10 minutes on 2 cores)
    .venv/bin/python benchmarks/nhs_fft.py --repeats 1 --no-bertopic   # quicker

Protocol (printed with the table):
- Items: the 7,394 human-coded comments less the 1,189 "Did not answer" /
  "Labelling not possible" ones, which are reported separately; the codebook
  is the other 49 codes (7 have no description: their name stands in).
- Test: a fixed sample of --test-size answerable items drawn with --seed.
  Training examples come only from the other items.
- k examples per code: for each code, k items whose gold labels include it,
  drawn with numpy's default_rng([seed, k, repeat]); each is labelled with the
  code it was drawn for (as a researcher writing k examples per code would).
  Every method at a given k and repeat sees exactly the same examples.
- Metrics: top-1 = the method's best code is among the item's gold labels;
  macro-F1 over codes with test support, on label sets; Krippendorff's alpha
  with MASI distance between the predicted and gold label sets; "uncoded" is
  the share the method left without a code (counted as wrong / empty set).
- Anchors on the same embeddings: nearest description (cosine to
  "name: description"), BERTopic's zero-shot topic modelling
  (zeroshot_topic_list with the same texts; a document not assigned to a
  zero-shot topic has no code), and a plain logistic regression on the
  examples (scikit-learn defaults), the method behind the reference figures.

This is a benchmark, not a test: it prints a table and asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate.agreement import f1_scores, krippendorff_alpha, masi_distance  # noqa: E402
from pipeline.codebook import Code, Codebook  # noqa: E402
from pipeline.coding import CodebookCoder, ExampleCoder, LabelledItem  # noqa: E402
from pipeline.embed import Embedder  # noqa: E402
from pipeline.files import slug  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "nhs-fft-v6"
NON_ANSWER = "Labelling not possible"


def load(data: Path):
    items = [json.loads(line) for line in (data / "items.jsonl").read_text(encoding="utf-8").splitlines() if line]
    spec = json.loads((data / "codebook.json").read_text(encoding="utf-8"))
    codes, no_description = [], []
    for entry in spec["codes"]:
        if entry["code"] == NON_ANSWER:
            continue
        description = (entry.get("description") or "").strip()
        if not description:
            no_description.append(entry["code"])
        codes.append(Code(id=slug(entry["code"]), label=entry["code"], description=description or entry["code"]))
    book = Codebook(codes=codes, name="nhs-fft-v6")
    return items, book, no_description


def scores_of(pred_sets, top, gold_sets, ids):
    """top-1 among gold, macro-F1 (codes with support), Krippendorff's alpha (MASI), uncoded share."""
    index = {c: j for j, c in enumerate(ids)}
    G = np.zeros((len(gold_sets), len(ids)), dtype=bool)
    P = np.zeros_like(G)
    for i, (g, p) in enumerate(zip(gold_sets, pred_sets)):
        for c in g:
            G[i, index[c]] = True
        for c in p:
            P[i, index[c]] = True
    top1 = float(np.mean([t in g for t, g in zip(top, gold_sets)]))
    macro = f1_scores(G, P)["macro_f1"]
    alpha = krippendorff_alpha([frozenset(g) for g in gold_sets], [frozenset(p) for p in pred_sets], masi_distance)
    uncoded = float(np.mean([not p for p in pred_sets]))
    return {"top1": top1, "macro_f1": macro, "alpha_masi": alpha, "uncoded": uncoded}


def draw_examples(pool, gold_sets, ids, k, seed, repeat):
    rng = np.random.default_rng([seed, k, repeat])
    chosen: dict[int, list[str]] = {}
    for code in ids:
        candidates = [i for i in pool if code in gold_sets[i]]
        if not candidates:
            continue
        for i in rng.choice(candidates, size=min(k, len(candidates)), replace=False):
            chosen.setdefault(int(i), []).append(code)
    return chosen


def bertopic_anchor(st_model, texts, vectors, topic_texts, ids, min_similarity, seed):
    from bertopic import BERTopic
    from umap import UMAP

    # UMAP is the only random part; seed it so the anchor is reproducible
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    model = BERTopic(embedding_model=st_model, umap_model=umap_model, zeroshot_topic_list=topic_texts,
                     zeroshot_min_similarity=min_similarity, calculate_probabilities=False, verbose=False)
    topics, _ = model.fit_transform(texts, embeddings=vectors)
    label_to_code = {t: c for t, c in zip(topic_texts, ids)}
    names = model.topic_labels_
    assigned = [label_to_code.get(names.get(t)) for t in topics]
    return [[c] if c else [] for c in assigned], [c or "none" for c in assigned]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--test-size", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shots", default="4,8,16,32")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.35)
    ap.add_argument("--no-bertopic", action="store_true")
    ap.add_argument("--json", type=Path, help="Also write the figures here.")
    args = ap.parse_args()

    items, book, no_description = load(args.data)
    ids = [c.id for c in book.codes]
    by_label = {c.label: c.id for c in book.codes}
    answerable = [i for i, it in enumerate(items) if NON_ANSWER not in it["labels"]]
    non_answers = [i for i, it in enumerate(items) if NON_ANSWER in it["labels"]]
    gold_sets = [[by_label[l] for l in it["labels"] if l in by_label] for it in items]
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(answerable)
    test, pool = [int(i) for i in order[: args.test_size]], [int(i) for i in order[args.test_size:]]

    embedder = Embedder()
    t0 = time.perf_counter()
    vectors = embedder.encode([it["text"] for it in items])
    embed_seconds = time.perf_counter() - t0
    texts = [items[i]["text"] for i in test]
    Xt = vectors[test]
    G = [gold_sets[i] for i in test]
    rows: list[dict] = []

    def add(method, k, repeat, result, seconds, non_answers_uncoded=None):
        rows.append({"method": method, "k": k, "repeat": repeat, **result, "seconds": round(seconds, 2),
                     "non_answers_uncoded": non_answers_uncoded})

    na_texts = [items[i]["text"] for i in non_answers]

    def na_uncoded(coder) -> float:
        """Share of the 'Did not answer' items the coder leaves uncoded (an honest coder: all)."""
        return float(np.mean([not a for a, _ in coder.assign(coder.score(na_texts, vectors[non_answers]))]))

    # anchors and the zero-shot coder: no examples
    t = time.perf_counter()
    desc = embedder.encode([f"{c.label}: {c.description}" if c.description != c.label else c.label for c in book.codes])
    nearest = (Xt @ desc.T).argmax(axis=1)
    add("nearest description (anchor)", 0, 0, scores_of([[ids[j]] for j in nearest], [ids[j] for j in nearest], G, ids),
        time.perf_counter() - t, 0.0)

    if not args.no_bertopic:
        st_model = embedder._load()
        topic_texts = [f"{c.label}: {c.description}" if c.description != c.label else c.label for c in book.codes]
        for ms in (0.7, 0.3):
            t = time.perf_counter()
            sets, top = bertopic_anchor(st_model, texts, Xt, topic_texts, ids, ms, args.seed)
            add(f"BERTopic zero-shot, min similarity {ms} (anchor)", 0, 0, scores_of(sets, top, G, ids),
                time.perf_counter() - t)

    t = time.perf_counter()
    zero = CodebookCoder(embedder, threshold=args.threshold).fit(book)
    zs = zero.score(texts, Xt)
    assigned = zero.assign(zs)
    add("Plenary zero-shot", 0, 0, scores_of([[c.code for c in a] for a, _ in assigned],
                                             [ids[j] for j in zs.scores.argmax(axis=1)], G, ids),
        time.perf_counter() - t, na_uncoded(zero))

    from sklearn.linear_model import LogisticRegression

    for k in [int(x) for x in args.shots.split(",") if x]:
        for repeat in range(args.repeats):
            chosen = draw_examples(pool, gold_sets, ids, k, args.seed, repeat)
            train = [LabelledItem(id=str(i), text=items[i]["text"], labels=labels) for i, labels in chosen.items()]

            t = time.perf_counter()
            rows_x = [i for i, labels in chosen.items() for _ in labels]
            rows_y = [c for _, labels in chosen.items() for c in labels]
            lr = LogisticRegression(max_iter=3000).fit(vectors[rows_x], rows_y)
            pred = lr.classes_[lr.predict_proba(Xt).argmax(axis=1)]
            add("logistic regression, plain (anchor)", k, repeat, scores_of([[p] for p in pred], list(pred), G, ids),
                time.perf_counter() - t, 0.0)

            # the same examples; then with one "Did not answer" statement a person marked as having no code
            none_example = [LabelledItem(id="non-answer", text=items[non_answers[0]]["text"], labels=[])]
            for extra, suffix in (([], ""), (none_example, " + 1 non-answer marked 'none'")):
                t = time.perf_counter()
                coder = ExampleCoder(embedder, threshold=args.threshold, seed=args.seed).fit(book, train + extra)
                fit_seconds = time.perf_counter() - t
                for prior in ("flat", "adapt"):
                    if extra and prior == "adapt":
                        continue
                    t = time.perf_counter()
                    coder.prior = prior  # the fit does not depend on it; only scoring does
                    sc = coder.score(texts, Xt)
                    assigned = coder.assign(sc)
                    name = "Plenary learned" + (", prior adapted to the batch" if prior == "adapt" else "") + suffix
                    add(name, k, repeat, scores_of([[c.code for c in a] for a, _ in assigned],
                                                   [ids[j] for j in sc.scores.argmax(axis=1)], G, ids),
                        fit_seconds + time.perf_counter() - t, na_uncoded(coder))
            print(f"  k={k} repeat={repeat} done", file=sys.stderr)

    # table: mean ± sd over repeats
    print(f"NHS FFT v6: {len(answerable)} answerable items ({len(non_answers)} 'Did not answer' left out), "
          f"{len(ids)} codes ({len(no_description)} without a description: name used); test sample "
          f"{len(test)} items, seed {args.seed}; {args.repeats} draws of examples per k; "
          f"model {embedder.model_id}; embedding all items took {embed_seconds:.1f} s "
          f"({embedder.stats['cached']} cached)")
    print()
    print("| method | examples per code | top-1 among gold | macro-F1 | Krippendorff's alpha (MASI) | uncoded "
          "| 'Did not answer' uncoded |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    groups: dict[tuple[str, int], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["method"], r["k"]), []).append(r)
    summary = []
    for (method, k), rs in groups.items():
        cell = {}
        for key in ("top1", "macro_f1", "alpha_masi", "uncoded"):
            vals = np.array([r[key] for r in rs], dtype=float)
            cell[key] = (float(vals.mean()), float(vals.std()) if len(vals) > 1 else None)
        summary.append({"method": method, "k": k, **{key: v[0] for key, v in cell.items()},
                        **{f"{key}_sd": v[1] for key, v in cell.items()}})
        fmt = lambda m, s: f"{m:.3f}" + (f" ± {s:.3f}" if s is not None else "")
        na = [r["non_answers_uncoded"] for r in rs if r["non_answers_uncoded"] is not None]
        print(f"| {method} | {k} | {fmt(*cell['top1'])} | {fmt(*cell['macro_f1'])} | {fmt(*cell['alpha_masi'])} "
              f"| {cell['uncoded'][0]:.1%} | {f'{np.mean(na):.0%}' if na else '—'} |")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "summary": summary}, indent=2) + "\n")


if __name__ == "__main__":
    main()
