"""Drafted plan headings against a facilitator's grouping (issue 11 point 5).

When the codebook fits the notes poorly, a run's plan headings come from a codebook drafted from the notes
(`pipeline.themes.codebook_draft`). This runs the real pipeline (real model, default settings) on the
off-topic notes files in `benchmarks/data/headings/*.json` and scores how the plan's recommendations fall
under its headings against a grouping written by hand from the notes (`groups`: the line a statement starts
on -> a group name; see `benchmarks/data/headings/README.md`). A recommendation takes the hand group of its
evidence (the most common, then the earliest line); one with no labelled evidence is counted apart.

Printed per file, beside each other in the same run:
- baseline: the drafting as it was before this measure (k-means on every statement, k about sqrt(n), labels
  joined from two noun terms), read unchanged from git history (`BASELINE_REVISION`);
- new: `pipeline.themes.codebook_draft` as it is now, called by the pipeline as it is now.

Figures: adjusted Rand index (ARI; 1 = the hand grouping, about 0 = chance) and purity (share of
recommendations whose heading's most common hand group is theirs; 1 is easy with one heading per
recommendation, so inverse purity is shown beside it), from scikit-learn's metrics; then the headings.

    .venv/bin/python benchmarks/drafted_headings.py            # every file
    .venv/bin/python benchmarks/drafted_headings.py eastfield  # files whose name contains a word
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "benchmarks" / "data" / "headings"
BASELINE_REVISION = "87e3e0e"  # pipeline/themes/codebook_draft.py before this measure


def baseline_module():
    """`pipeline.themes.codebook_draft` at BASELINE_REVISION, imported from git history as a sibling module
    (its relative imports resolve inside today's `pipeline`). ImportError when git cannot show it."""
    try:
        source = subprocess.run(["git", "-C", str(ROOT), "show",
                                 f"{BASELINE_REVISION}:pipeline/themes/codebook_draft.py"],
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ImportError(f"the baseline is read from git history (commit {BASELINE_REVISION}): "
                          "run this in a git clone of Plenary") from exc
    name = "pipeline.themes._codebook_draft_baseline"
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "pipeline.themes"
    sys.modules[name] = module
    exec(compile(source, f"{BASELINE_REVISION}:pipeline/themes/codebook_draft.py", "exec"), module.__dict__)
    return module


def purity(truth: list[str], pred: list[str]) -> float:
    """Share of items whose cluster's most common true class is theirs (scikit-learn's contingency matrix)."""
    from sklearn.metrics.cluster import contingency_matrix

    m = contingency_matrix(truth, pred)
    return float(m.max(axis=0).sum() / m.sum())


def hand_group(evidence: list[str], groups: dict[str, str]) -> str | None:
    """The hand group of a recommendation: its evidence lines' most common group, ties to the earliest line."""
    lines = sorted(int(e.rsplit(":", 1)[1]) for e in evidence if e.rsplit(":", 1)[-1].isdigit())
    labelled = [groups[str(n)] for n in lines if str(n) in groups]
    if not labelled:
        return None
    counts = Counter(labelled)
    best = max(counts.values())
    return next(g for g in labelled if counts[g] == best)


def run(path: Path, method: str):
    """The pipeline's Analysis of one notes file with the drafted headings of `method`."""
    from pipeline import api

    settings = api.Settings()
    corpus = api.read_corpus([str(path)], settings)
    if method == "baseline":
        with mock.patch.object(api, "drafted_plan_headings", baseline_module().drafted_plan_headings):
            return api.analyse(corpus, settings=settings)
    return api.analyse(corpus, settings=settings)


def score(analysis, groups: dict[str, str]) -> dict:
    from sklearn.metrics import adjusted_rand_score

    truth, pred, unlabelled = [], [], 0
    for plan in analysis.plans:
        for rec in list(plan.recommendations) + list(plan.more):
            g = hand_group(rec.evidence, groups)
            if g is None:
                unlabelled += 1
                continue
            truth.append(g)
            pred.append(plan.code)
    drafted = bool((analysis.fit or {}).get("drafted_headings"))
    return {"ari": adjusted_rand_score(truth, pred) if truth else float("nan"),
            "purity": purity(truth, pred) if truth else float("nan"),
            "inverse": purity(pred, truth) if truth else float("nan"),
            "n": len(truth), "unlabelled": unlabelled, "drafted": drafted,
            "headings": [(p.heading, len(p.recommendations) + len(p.more)) for p in analysis.plans]}


def main(argv: list[str]) -> int:
    specs = sorted(DATA.glob("*.json"))
    if argv:
        specs = [s for s in specs if any(word in s.stem for word in argv)]
    methods = ("baseline", "new")
    rows = []
    for spec in specs:
        data = json.loads(spec.read_text(encoding="utf-8"))
        path = ROOT / data["notes"]
        for method in methods:
            rows.append((spec.stem, method, score(run(path, method), data["groups"])))
    print("\nDrafted plan headings vs a facilitator's grouping (hand groups: benchmarks/data/headings/)\n")
    print(f"{'file':<11} {'method':<10} {'recs':>4} {'unlab':>5} {'heads':>5} {'ARI':>6} {'purity':>6} {'inv.pur':>7}")
    for name, method, r in rows:
        heads = len(r["headings"]) if r["drafted"] else "kept"
        print(f"{name:<11} {method:<10} {r['n']:>4} {r['unlabelled']:>5} {heads:>5} {r['ari']:>6.2f} "
              f"{r['purity']:>6.2f} {r['inverse']:>7.2f}")
    for method in methods:
        mine = [r for _, m, r in rows if m == method]
        print(f"{'mean':<11} {method:<10} {'':>4} {'':>5} {'':>5} {sum(r['ari'] for r in mine) / len(mine):>6.2f} "
              f"{sum(r['purity'] for r in mine) / len(mine):>6.2f} {sum(r['inverse'] for r in mine) / len(mine):>7.2f}")
    print("\nHeadings (recommendations under each):")
    for name, method, r in rows:
        print(f"  {name} / {method}: " + "; ".join(f"{h} ({n})" for h, n in r["headings"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
