"""Benchmark: `plenary compare` on the five bundled corpora, and how stable theme ids are.

1. Runs the real pipeline over the five bundled corpora (five events) and
   compares them: earliest against latest event, and the 2000s (2005, 2007)
   against the 2020s (2020, 2021). Prints each label's themes with their
   numbers and one quote a side, for a reader to check against the documents.
2. Theme identity:
   - re-running the same corpus: how many themes keep their id and statements;
   - adding an event: for each of the five events, a run without it against
     the run with all five. How many earlier themes keep their id as the
     pipeline numbers them, and how many are recognised (matched one-to-one at
     the threshold) and keep their id with `plenary compare --ids-from`; and
     for those, how many of the earlier theme's statements the matched theme
     holds (so "recognised" means the same statements, not just a similar label).
3. Separate runs, one per corpus: how many themes match across them.

Prints tables; no assertions. Run:

    .venv/bin/python benchmarks/compare_bundled.py [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.compare import CompareSettings, compare_runs  # noqa: E402
from pipeline.render.compare_report import headline, write_compare  # noqa: E402
from pipeline.render.report import write_run  # noqa: E402
from pipeline.api import Settings, default_inputs, run_pipeline  # noqa: E402


def run(paths: list[Path], out: Path) -> Path:
    return write_run(run_pipeline(paths, Settings()), out)


def themes_of(run_dir: Path) -> dict[str, set[str]]:
    return {t["id"]: set(t["segments"]) for t in json.loads((run_dir / "themes.json").read_text())["themes"]
            if t["id"] != "unclustered"}


def show(cmp, title: str) -> None:
    print(f"\n## {title}: {cmp.from_label} → {cmp.to_label}")
    counts = {}
    for t in cmp.themes:
        counts[t["status"]] = counts.get(t["status"], 0) + 1
    print(", ".join(f"{n} {s}" for s, n in counts.items()))
    for status in ("emerging", "fading", "unique", "persistent"):
        rows = [t for t in cmp.themes if t["status"] == status]
        if status == "persistent":
            rows = sorted(rows, key=lambda t: -t["size"])[:4]
        for t in rows:
            print(f"- {status}: {t['label']} ({t['id']}): {headline(cmp, t)}")
            for side, quotes in t["quotes"].items():
                for q in quotes[:1]:
                    print(f"    {side}: “{q['text'][:150]}” ({q['source']}:{q['line']})")
    heads = cmp.codes.get("headings") or []
    if heads:
        print("\nAction headings, share of each event's statements:")
        names = [e["name"] for e in cmp.events]
        print("| heading | " + " | ".join(names) + " | change | q |")
        print("|---|" + "---:|" * len(names) + "---:|---:|")
        for h in heads:
            c = h["change"]
            print(f"| {h['heading']} | " + " | ".join(f"{100 * h['shares'][e]:.0f}%" for e in names)
                  + f" | {100 * c['delta']:+.1f} pp | {c['q']:.2g} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="Keep the runs and reports in this folder (default: a temp folder).")
    ap.add_argument("--threshold", type=float, default=CompareSettings.threshold)
    args = ap.parse_args()
    inputs = default_inputs()

    with tempfile.TemporaryDirectory(prefix="plenary-compare-bundled-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        all_dir = run(inputs, work / "bundled")
        t_run = time.perf_counter() - t0

        # 1. the comparison a facilitator would read
        t0 = time.perf_counter()
        cmp = compare_runs([all_dir])
        write_compare(cmp, work / "compare")
        t_cmp = time.perf_counter() - t0
        show(cmp, "Earliest against latest event")
        names = [e["name"] for e in cmp.events]
        early, late = [n for n in names if "2005" in n or "2007" in n], [n for n in names if "2020" in n or "2021" in n]
        pooled = compare_runs([all_dir], CompareSettings(from_events=early, to_events=late))
        write_compare(pooled, work / "compare-2000s-2020s")
        show(pooled, "The 2000s against the 2020s")

        # 2a. same corpus, same settings, again
        again = run(inputs, work / "bundled-again")
        a, b = themes_of(all_dir), themes_of(again)
        same = sum(1 for tid in a if b.get(tid) == a[tid])
        print("\n## Theme identity\n")
        print(f"Re-running the same corpus: {same} of {len(a)} themes keep their id and exactly the same statements.")

        # 2b. add one event to a run of the other four
        print("\nAdding an event: run of four events, then of all five (threshold "
              f"{args.threshold}). 'Same id, same theme' = the pipeline's own id points at a theme holding "
              "at least half of the earlier theme's statements.\n")
        print("| event added | earlier themes | same id, same theme (no matching) | keep id with --ids-from | "
              "new themes | not found | statements kept together (median) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        totals = np.zeros(5)
        for left_out in inputs:
            four = run([p for p in inputs if p != left_out], work / f"without-{left_out.stem}")
            prev = themes_of(four)
            cmp_ids = compare_runs([all_dir], CompareSettings(ids_from=str(four), threshold=args.threshold))
            ident = cmp_ids.matching["identity"]
            raw = sum(1 for tid, segs in prev.items() if tid in a and len(segs & a[tid]) >= len(segs) / 2)
            kept_together = [len(prev[t["previous"]["theme"]] & a[t["members"][0]["theme"]]) /
                             len(prev[t["previous"]["theme"]]) for t in cmp_ids.themes if t.get("previous")]
            row = [len(prev), raw, ident["kept_id"], ident["new"], len(ident["not_found"])]
            totals += row
            print(f"| {left_out.stem} | {row[0]} | {row[1]} | {row[2]} | {row[3]} | {row[4]} | "
                  f"{100 * np.median(kept_together):.0f}% |")
        print(f"| **all five** | {totals[0]:.0f} | {totals[1]:.0f} ({100 * totals[1] / totals[0]:.0f}%) | "
              f"{totals[2]:.0f} ({100 * totals[2] / totals[0]:.0f}%) | {totals[3]:.0f} | {totals[4]:.0f} | |")

        # 3. one run per corpus, matched
        separate = [run([p], work / f"alone-{p.stem}") for p in inputs]
        print("\n## Separate runs, one per corpus\n")
        print("| threshold | themes in all runs | groups | matched groups (2+ runs) | unmatched themes |")
        print("|---:|---:|---:|---:|---:|")
        n_all = sum(len(themes_of(d)) for d in separate)
        for threshold in (0.7, 0.75, 0.8, 0.85, 0.9):
            c = compare_runs(separate, CompareSettings(threshold=threshold))
            print(f"| {threshold} | {n_all} | {len(c.themes)} | {c.matching['matched_groups']} | "
                  f"{len(c.matching['unmatched'])} |")

        print(f"\nTimings: pipeline over the five corpora {t_run:.1f} s; compare (read, test, charts, write) "
              f"{t_cmp:.1f} s.")
        if args.keep:
            print(f"Reports: {work / 'compare' / 'compare.html'}, {work / 'compare-2000s-2020s' / 'compare.html'}")


if __name__ == "__main__":
    main()
