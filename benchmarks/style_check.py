"""Style check of the drafted recommendations on every notes file we have (issue 11, item 4).

Each file is analysed on its own (default codebook). For each, the share of drafts that pass the style
check (`pipeline.recommend.style.style_problems`: an imperative, at most 20 words, no "Work towards", no
dangling "e.g.", no pronoun without its noun, no unknown word, no broken grammar), for the pre-issue-11
drafter (frozen in benchmarks/_frozen/notes_v1, on the same statements and codes) and for today's. Today's
drafts that keep their source's own words are marked "check wording" and fail the check by definition;
"check heading" counts the drafts whose heading the coder barely preferred.

    .venv/bin/python benchmarks/style_check.py            # every file
    .venv/bin/python benchmarks/style_check.py FILE ...   # just these
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.drafting_common import (ROOT, analyse_file, baseline_drafts, marks, new_drafts, pct,  # noqa: E402
                                        style_share)
from pipeline.recommend.style import style_problems  # noqa: E402


def notes_files() -> list[Path]:
    files = sorted((ROOT / "corpora").glob("*.txt"))
    files += sorted((ROOT / "tests" / "data" / "notes").glob("*.txt"))
    for pattern in ("*.txt", "[!R]*.md", "heldout/*.txt", "heldout/*.md"):
        files += sorted((ROOT / "benchmarks" / "data" / "notes").glob(pattern))
    seen, out = set(), []
    for f in files:  # the newcomer file sits in tests/data and benchmarks/data: once is enough
        if f.name not in seen:
            seen.add(f.name)
            out.append(f)
    return out


def main(paths: list[str]) -> None:
    files = [Path(p) for p in paths] or notes_files()
    print("| file | statements | baseline: pass style | new: drafts | new: pass style | plan (top 10/heading): pass "
          "| check wording | check heading |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    totals = Counter()
    failures = Counter()
    for path in files:
        analysis = analyse_file(path)
        old = [t for _, t, _ in baseline_drafts(analysis)]
        recs = [r for _, r in new_drafts(analysis)]
        shown = [r for _, r in new_drafts(analysis, shown_only=True)]
        op, on = style_share(old)
        np_, nn = style_share([r.text for r in recs])
        sp, sn = style_share([r.text for r in shown])
        cw, ch = marks(recs)
        failures.update(p for r in recs for p in style_problems(r.text))
        totals.update({"op": op, "on": on, "np": np_, "nn": nn, "sp": sp, "sn": sn, "cw": cw, "ch": ch,
                       "segments": len(analysis.segments)})
        print(f"| {path.name} | {len(analysis.segments)} | {pct(op, on)} | {nn} | {pct(np_, nn)} | {pct(sp, sn)} | "
              f"{cw} | {ch} |", flush=True)
    t = totals
    print(f"| **all {len(files)} files** | {t['segments']} | {pct(t['op'], t['on'])} | {t['nn']} | {pct(t['np'], t['nn'])} | "
          f"{pct(t['sp'], t['sn'])} | {t['cw']} | {t['ch']} |")
    print("\nrules today's drafts break (a draft may break several):",
          ", ".join(f"{k} {v}" for k, v in failures.most_common()) or "none")


if __name__ == "__main__":
    main(sys.argv[1:])
