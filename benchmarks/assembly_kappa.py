"""Agreement with a person's coding on the bundled assembly notes (tests/data/vs6-gold.jsonl).

    .venv/bin/python benchmarks/assembly_kappa.py

The gold set is 160 bullets from corpora/vs6-assemblies-2020.txt, hand-coded
against the default codebook (see tests/data/vs6-gold.README.md); none of them
is a codebook example. Each row codes the 160 gold texts and compares the main
code with the person's ('none' for uncoded): Cohen's kappa with a seeded
bootstrap 95% interval, Krippendorff's alpha (MASI) on the label sets, and
macro-F1.

Caveat, stated with the figures: the zero-shot defaults (threshold 0.35,
margin 0.08) were chosen looking at this same sample, so the zero-shot row is
an optimistic "before". The learned rows add no tuning on it: their settings
were chosen on the NHS benchmark, and the cross-fitted rows only ever code a
statement with a coder that did not see it.

This is a benchmark, not a test: it prints a table and asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.coding.labelled import read_labelled  # noqa: E402
from pipeline.evaluate.agreement import code_items, cross_fit, evaluate  # noqa: E402
from pipeline.codebook import load_codebook  # noqa: E402
from pipeline.coding import CodebookCoder, ExampleCoder  # noqa: E402
from pipeline.embed import Embedder  # noqa: E402

GOLD = ROOT / "tests" / "data" / "vs6-gold.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--codebook", type=Path, default=None, help="default: the bundled codebook")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--bootstrap", type=int, default=1000)
    args = ap.parse_args()

    book = load_codebook(args.codebook)
    items = read_labelled(args.gold, book, need_text=True)
    embedder = Embedder()
    rows = []

    def run(name, predictions, seconds):
        r = evaluate(items, predictions, book, bootstrap=args.bootstrap, seed=args.seed, gold_name=str(args.gold))
        ci = r.intervals["cohen_kappa"]
        rows.append((name, r.summary["cohen_kappa"], ci, r.summary["krippendorff_alpha_masi"], r.summary["macro_f1"],
                     r.summary["uncoded_tool"], seconds))

    t = time.perf_counter()
    run("zero-shot (the shipped coder; before and after: unchanged for codes with examples)",
        code_items(items, CodebookCoder(embedder).fit(book), embedder), time.perf_counter() - t)
    t = time.perf_counter()
    run("learned from the codebook's examples (--coder learned)",
        code_items(items, ExampleCoder(embedder, seed=args.seed).fit(book), embedder), time.perf_counter() - t)
    for k in (2, 5, 10):
        t = time.perf_counter()
        preds, _ = cross_fit(items, book, embedder, k, seed=args.seed)
        share = f"{(k - 1) / k:.0%}"
        run(f"learned from the codebook + your coding, {k}-fold cross-fitted (--cv {k}; trains on {share} of gold)",
            preds, time.perf_counter() - t)

    print(f"Gold: {args.gold.name}, {len(items)} statements ({sum(1 for i in items if not i.labels)} uncoded by the "
          f"person); codebook {book.path} (sha256 {book.sha256[:12]}); model {embedder.model_id}; "
          f"bootstrap {args.bootstrap} resamples, seed {args.seed}")
    print()
    print("| coder | Cohen's kappa | 95% interval | alpha (MASI) | macro-F1 | uncoded by tool | seconds |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for name, kappa, ci, alpha, f1, uncoded, seconds in rows:
        print(f"| {name} | {kappa:.3f} | [{ci[0]:.3f}, {ci[1]:.3f}] | {alpha:.3f} | {f1:.3f} | {uncoded} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
