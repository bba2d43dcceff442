"""Benchmark: does `plenary compare` surface what differs between two groups, by construction?

The NHS Friends and Family Test comments (/work/shared/benchmarks/nhs-fft-v6,
human-coded, evaluation only) come from two trusts: NEAS (ambulance, 111 and
patient transport) and NHFT (community and mental-health services). Split by
trust they make two events whose true differences are known from the human
labels. This script

1. writes the two trusts' comments (without "Did not answer" / "Labelling not
   possible") as two JSONL files in a temporary folder, and the framework's
   codes as a Plenary codebook there (never into the repository);
2. runs the real pipeline as one two-event run, and as two separate runs;
3. runs `plenary compare` on each, and checks its output against the human labels:
   - per code: Spearman correlation between the tool's change in each code's
     share and the change in the human labels' share;
   - per theme: Spearman correlation between the tool's change in each theme's
     share and the change the human labels predict for it: the sum over labels
     of (how much more often the label appears in the theme than in the same
     trust overall) x (the change in the label's share). Comparing each comment
     with its own trust keeps the theme's origin out of the prediction; a
     permutation null (labels shuffled among each trust's comments) shows
     what the measure gives by chance;
   - the labels that differ most: is the theme most about each label (by the
     same content weight) emerging or fading, significantly, in the label's
     direction?
   - separate runs: for a range of matching thresholds, how many themes match,
     and how alike the human-label mixes of matched themes are.

Prints tables; no assertions. Run:

    .venv/bin/python benchmarks/compare_nhs.py [--keep DIR [--reuse]]
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.codebook import Code, Codebook  # noqa: E402
from pipeline.compare import CompareSettings, compare_runs  # noqa: E402

DATA = Path("/work/shared/benchmarks/nhs-fft-v6")
SIDES = {"NEAS": "ambulance-and-transport", "NHFT": "community-and-mental-health"}
NOT_ANSWERED = "Labelling not possible"


def code_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def load_items() -> list[dict]:
    items = [json.loads(line) for line in (DATA / "items.jsonl").open(encoding="utf-8")]
    return [i for i in items if i["text"].strip() != "Did not answer" and NOT_ANSWERED not in i["labels"]]


def write_inputs(folder: Path, items: list[dict]) -> dict[tuple[str, int], dict]:
    """One JSONL file per trust; returns (file name, line) -> item, to find each statement's labels."""
    where = {}
    for trust, event in SIDES.items():
        path = folder / f"{event}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for line, item in enumerate((i for i in items if i["trust"] == trust), start=1):
                fh.write(json.dumps({"id": item["id"], "text": item["text"]}, ensure_ascii=False) + "\n")
                where[(path.name, line)] = item
    return where


def write_codebook(folder: Path) -> Path:
    """The framework's codes as a Plenary codebook (zero-shot from their descriptions)."""
    doc = json.loads((DATA / "codebook.json").read_text(encoding="utf-8"))
    codes = [Code(id=code_id(c["code"]), label=c["code"],
                  description=c.get("description") or f"{c['code']} ({c.get('group') or 'general'})")
             for c in doc["codes"] if c["code"] != NOT_ANSWERED]
    path = folder / "nhs-fft-v6.yaml"
    path.write_text(Codebook(codes=codes, name="NHS FFT framework v6", version="6").to_yaml(), encoding="utf-8")
    return path


def plenary(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", *args], check=True, cwd=ROOT)
    return time.perf_counter() - start


def statement_items(run: Path, where: dict) -> dict[str, dict]:
    """segment id -> the human-coded item it came from, found by file and line (ingest may redact
    names in the text, so the text itself is not compared)."""
    out = {}
    for line in (run / "segments.jsonl").open(encoding="utf-8"):
        seg = json.loads(line)
        item = where.get((seg["source"], seg["line_start"]))
        if item is None or not seg["id"].startswith(item["id"]):
            raise SystemExit(f"cannot trace statement {seg['id']} back to its item")
        out[seg["id"]] = item
    return out


def label_shares(items: list[dict]) -> dict[str, float]:
    counts = Counter(label for i in items for label in set(i["labels"]))
    return {label: n / len(items) for label, n in counts.items()}


def human_changes(items_by_event: dict[str, list[dict]], frm: str, to: str) -> dict[str, tuple[float, float, float]]:
    a, b = label_shares(items_by_event[frm]), label_shares(items_by_event[to])
    return {l: (a.get(l, 0.0), b.get(l, 0.0), b.get(l, 0.0) - a.get(l, 0.0)) for l in set(a) | set(b)}


def theme_items(cmp_json: dict, runs: dict[str, dict[str, dict]]) -> dict[str, list[dict]]:
    """theme id -> items of its statements (over every run the theme has members in)."""
    themes_by_run = {name: {t["id"]: t for t in json.loads((Path(path) / "themes.json").read_text())["themes"]}
                     for name, (path, _) in runs.items()}
    out = {}
    for t in cmp_json["themes"]:
        items = []
        for m in t["members"]:
            path, seg_items = runs[m["run"]]
            items += [seg_items[s] for s in themes_by_run[m["run"]][m["theme"]]["segments"]]
        out[t["id"]] = items
    return out


def content_weights(items: list[dict], base: dict[str, dict[str, float]]) -> dict[str, float]:
    """How much more (or less) often each human label appears in a theme than in the same trust overall:
    sum over the theme's comments of ([label given] - that label's share in the comment's trust), divided
    by the theme's size. It compares each comment only with its own trust, so a theme drawn mostly from one
    trust gets no weight from that alone: the weights say what the theme is about, not where it came from."""
    w: Counter = Counter()
    for i in items:
        shares = base[i["trust"]]
        mine = set(i["labels"])
        for label, share in shares.items():
            w[label] += (label in mine) - share
    return {label: v / len(items) for label, v in w.items()} if items else {}


def label_predicted_change(theme_items_: dict[str, list[dict]], all_items: list[dict],
                           change: dict[str, tuple]) -> dict[str, float]:
    """Per theme: sum over labels of its content weight times the change in that label's share."""
    by_trust = defaultdict(list)
    for i in all_items:
        by_trust[i["trust"]].append(i)
    base = {trust: label_shares(items) for trust, items in by_trust.items()}
    return {tid: sum(w * change[l][2] for l, w in content_weights(items, base).items() if l in change)
            for tid, items in theme_items_.items()}


def permutation_null(t_items: dict[str, list[dict]], all_items: list[dict], change: dict, tool: dict,
                     ids: list[str], times: int = 20, seed: int = 0) -> list[float]:
    """The Spearman the per-theme measure gives by chance: each trust keeps its own label shares, but
    the labels are shuffled among its comments, so they no longer say what a comment is about. A theme
    drawn mostly from one trust still inherits that trust's labels, which is what this measures."""
    rng = np.random.default_rng(seed)
    by_trust = defaultdict(list)
    for i in all_items:
        by_trust[i["trust"]].append(i)
    out = []
    for _ in range(times):
        shuffled = {}
        for items in by_trust.values():
            labels = [i["labels"] for i in items]
            for i, k in zip(items, rng.permutation(len(items))):
                shuffled[i["id"]] = {**i, "labels": labels[k]}
        t_fake = {tid: [shuffled[i["id"]] for i in items] for tid, items in t_items.items()}
        predicted = label_predicted_change(t_fake, list(shuffled.values()), change)
        out.append(spearmanr([tool[i] for i in ids], [predicted[i] for i in ids])[0])
    return out


def mix(items: list[dict], labels: list[str]) -> np.ndarray:
    c = Counter(label for i in items for label in set(i["labels"]))
    v = np.array([c[l] for l in labels], dtype=float)
    return v / (np.linalg.norm(v) or 1)


def fmt(x: float) -> str:
    return f"{100 * x:+.1f}"


def evaluate(name: str, cmp_json: dict, runs: dict, change: dict, all_items: list[dict], top: int,
             alpha: float = 0.05, min_size: int = 10) -> dict:
    t_items = theme_items(cmp_json, runs)
    predicted = label_predicted_change(t_items, all_items, change)
    tool = {t["id"]: t["change"]["delta"] for t in cmp_json["themes"]}
    ids = sorted(tool)
    rho, p = spearmanr([tool[i] for i in ids], [predicted[i] for i in ids])
    null = permutation_null(t_items, all_items, change, tool, ids)
    by_trust = defaultdict(list)
    for i in all_items:
        by_trust[i["trust"]].append(i)
    base = {trust: label_shares(items) for trust, items in by_trust.items()}
    weights = {tid: content_weights(items, base) for tid, items in t_items.items() if len(items) >= min_size}
    status = {t["id"]: t["status"] for t in cmp_json["themes"]}
    q = {t["id"]: t["change"]["q"] for t in cmp_json["themes"]}
    labels = {t["id"]: t["label"] for t in cmp_json["themes"]}

    print(f"\n### {name}: themes ({len(ids)}; emerging {sum(s == 'emerging' for s in status.values())}, "
          f"fading {sum(s == 'fading' for s in status.values())}, unique {sum(s == 'unique' for s in status.values())})")
    print(f"Spearman (tool's change in theme share vs change predicted by human labels): rho = {rho:.3f} "
          f"(p = {p:.2g}, n = {len(ids)}); by chance (labels shuffled within each trust, {len(null)} times): "
          f"mean {np.mean(null):.3f}, max {np.max(null):.3f}")
    print(f"\nThe {top} human labels whose share differs most, and the theme (of {min_size}+ statements) most about "
          "each, judged by content alone:")
    print(f"| human label | {SIDES['NEAS']} | {SIDES['NHFT']} | change (pp) | theme most about it (label's excess "
          "in it) | theme change (pp) | q | label | significant, same direction |")
    print("|---|---:|---:|---:|---|---:|---:|---|---|")
    hits = 0
    for label, (a, b, d) in sorted(change.items(), key=lambda kv: -abs(kv[1][2]))[:top]:
        want = "emerging" if d > 0 else "fading"
        # the theme most about this label, judged by content alone (see content_weights)
        pick = max(weights, key=lambda tid: (weights[tid].get(label, 0.0), tid))
        hit = q[pick] is not None and q[pick] < alpha and np.sign(tool[pick]) == np.sign(d)
        hits += hit
        print(f"| {label} | {100 * a:.1f}% | {100 * b:.1f}% | {fmt(d)} | {labels[pick][:40]} (`{pick}`, "
              f"{100 * weights[pick].get(label, 0):+.0f} pp) | {fmt(tool[pick])} | "
              f"{'—' if q[pick] is None else f'{q[pick]:.2g}'} | {status[pick]} | {'yes' if hit else 'no'} |")
    print(f"Surfaced: {hits} of {top}")
    return {"rho": rho, "p": p, "n": len(ids), "hits": hits, "top": top, "null": float(np.mean(null)),
            "null_max": float(np.max(null))}


def code_level(cmp_json: dict, change: dict) -> dict:
    rows = [r for r in cmp_json["codes"]["rows"] if r["code"] != "uncoded"]
    by_code = {code_id(l): v for l, v in change.items()}
    pairs = [(r["change"]["delta"], by_code[r["code"]][2]) for r in rows if r["code"] in by_code]
    rho, p = spearmanr(*zip(*pairs))
    coded = 1 - sum(r["counts"][e] for r in cmp_json["codes"]["rows"] if r["code"] == "uncoded"
                    for e in r["counts"]) / sum(e["statements"] for e in cmp_json["events"])
    print(f"\n### codes: Spearman (tool's change in code share vs human label's change): rho = {rho:.3f} "
          f"(p = {p:.2g}, n = {len(pairs)} codes; {100 * coded:.0f}% of statements took a code)")
    return {"rho": rho, "p": p, "n": len(pairs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="Keep the runs and reports in this folder (default: a temp folder).")
    ap.add_argument("--top", type=int, default=8, help="How many of the most-changed human labels to check.")
    ap.add_argument("--reuse", action="store_true", help="With --keep: do not redo runs already written there.")
    args = ap.parse_args()

    items = load_items()
    with tempfile.TemporaryDirectory(prefix="plenary-compare-nhs-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        where = write_inputs(work, items)
        book = write_codebook(work)
        inputs = [str(work / f"{e}.jsonl") for e in SIDES.values()]
        frm, to = SIDES["NEAS"], SIDES["NHFT"]
        print(f"{len(items)} comments ({sum(i['trust'] == 'NEAS' for i in items)} NEAS, "
              f"{sum(i['trust'] == 'NHFT' for i in items)} NHFT) after leaving out unanswered ones")

        timings = {}

        def run(out: Path, *paths: str, name: str) -> float:
            if args.reuse and (out / "run.json").exists():
                return float("nan")
            return plenary("run", "-q", *paths, "-c", str(book), "-o", str(out), "--name", name)

        timings["run, two events"] = run(work / "run-both", *inputs, name="nhs-both")
        timings["compare, one run"] = plenary("compare", "-q", str(work / "run-both"), "--from", frm, "--to", to,
                                              "-o", str(work / "compare-both"))
        for path, event in zip(inputs, SIDES.values()):
            timings[f"run, {event}"] = run(work / f"run-{event}", path, name=event)
        timings["compare, two runs"] = plenary("compare", "-q", *(str(work / f"run-{e}") for e in SIDES.values()),
                                               "--from", frm, "--to", to, "-o", str(work / "compare-separate"))

        both = work / "run-both"
        seg_both = statement_items(both, where)
        kept = list({item["id"]: item for item in seg_both.values()}.values())  # a comment split in two counts once
        by_event = defaultdict(list)
        for item in kept:
            by_event[SIDES[item["trust"]]].append(item)
        change = human_changes(by_event, frm, to)
        print(f"{len(seg_both)} statements from {len(kept)} comments reached the pipeline ({len(items) - len(kept)} "
              "comments left out by ingest); human-label shares below are over those comments")

        results = {}
        cmp_both = json.loads((work / "compare-both" / "compare.json").read_text())
        results["one run"] = evaluate("One run, two events", cmp_both, {"nhs-both": (both, seg_both)},
                                      change, kept, args.top)
        results["codes"] = code_level(cmp_both, change)

        sep_runs = {e: (work / f"run-{e}", statement_items(work / f"run-{e}", where)) for e in SIDES.values()}
        cmp_sep = json.loads((work / "compare-separate" / "compare.json").read_text())
        results["two runs"] = evaluate("Two separate runs, themes matched by centroid", cmp_sep, sep_runs,
                                       change, kept, args.top)

        # matching thresholds: how alike are the human-label mixes of the themes matched at each?
        labels = sorted(change)
        print("\n### Matching threshold (two separate runs): matched themes and how alike their human-label mixes are")
        print("| threshold | matched groups | unmatched themes | label-mix cosine, matched pairs (mean) | "
              "same top label | per-theme Spearman |")
        print("|---:|---:|---:|---:|---:|---:|")
        themes_by_run = {e: {t["id"]: t for t in json.loads((p / "themes.json").read_text())["themes"]}
                         for e, (p, _) in sep_runs.items()}
        for threshold in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
            cmp = compare_runs([p for p, _ in sep_runs.values()],
                               CompareSettings(threshold=threshold, from_events=[frm], to_events=[to]))
            cosines, same_top = [], []
            for t in cmp.themes:
                ms = [(m["run"], m["theme"]) for m in t["members"]]
                if len({r for r, _ in ms}) < 2:
                    continue
                first = [sep_runs[r][1][s] for r, th in ms[:1] for s in themes_by_run[r][th]["segments"]]
                for r, th in ms[1:]:
                    other = [sep_runs[r][1][s] for s in themes_by_run[r][th]["segments"]]
                    cosines.append(float(mix(first, labels) @ mix(other, labels)))
                    top_a = Counter(l for i in first for l in i["labels"]).most_common(1)[0][0]
                    top_b = Counter(l for i in other for l in i["labels"]).most_common(1)[0][0]
                    same_top.append(top_a == top_b)
            t_items = {t["id"]: [sep_runs[m["run"]][1][s] for m in t["members"]
                                 for s in themes_by_run[m["run"]][m["theme"]]["segments"]] for t in cmp.themes}
            predicted = label_predicted_change(t_items, kept, change)
            ids = sorted(predicted)
            rho = spearmanr([next(t["change"]["delta"] for t in cmp.themes if t["id"] == i) for i in ids],
                            [predicted[i] for i in ids])[0]
            print(f"| {threshold} | {cmp.matching['matched_groups']} | {len(cmp.matching['unmatched'])} | "
                  f"{np.mean(cosines) if cosines else float('nan'):.3f} (n={len(cosines)}) | "
                  f"{np.mean(same_top) if same_top else float('nan'):.2f} | {rho:.3f} |")
        # baseline: label-mix cosine of random cross-run theme pairs
        a_t, b_t = (list(themes_by_run[e].values()) for e in SIDES.values())
        rand = [float(mix([sep_runs[frm][1][s] for s in x["segments"]], labels) @
                      mix([sep_runs[to][1][s] for s in y["segments"]], labels))
                for x in a_t for y in b_t if x["id"] != "unclustered" and y["id"] != "unclustered"]
        print(f"Baseline: label-mix cosine over all {len(rand)} cross-run theme pairs: mean {np.mean(rand):.3f}")

        print("\n### Summary")
        print("| comparison | Spearman rho | p | n | rho by chance (mean, max) | top labels surfaced |")
        print("|---|---:|---:|---:|---:|---:|")
        for key in ("one run", "two runs"):
            r = results[key]
            print(f"| per theme, {key} | {r['rho']:.3f} | {r['p']:.2g} | {r['n']} | {r['null']:.3f}, "
                  f"{r['null_max']:.3f} | {r['hits']} of {r['top']} |")
        r = results["codes"]
        print(f"| per code, one run | {r['rho']:.3f} | {r['p']:.2g} | {r['n']} | | |")
        print("\n| step | seconds |\n|---|---:|")
        for k, v in timings.items():
            print(f"| {k} | {v:.1f} |")


if __name__ == "__main__":
    main()
