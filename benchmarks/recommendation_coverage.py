"""Dev check: do Plenary's drafts cover a panel's own recommendations?

The Liverpool community cohesion report ends with its panel's recommendations.
This runs the pipeline on the report *without* that section and counts how many
of the panel's recommendations have a drafted recommendation within cosine 0.6
(all-MiniLM-L6-v2), under any heading.

    .venv/bin/python benchmarks/recommendation_coverage.py
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import numpy as np

from pipeline.embed import Embedder
from pipeline.api import Settings, run_pipeline

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpora" / "liverpool-community-cohesion-2017.txt"
THRESHOLD = 0.6


def split_report(text: str) -> tuple[str, list[str]]:
    """The report minus its RECOMMENDATIONS section, and that section's bullets."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip() == "RECOMMENDATIONS")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i].lstrip().startswith("-"))
    panel = [re.sub(r"^\s*-\s*", "", l).strip() for l in lines[start + 1:end] if l.strip()]
    kept = lines[:start] + [""] * (end - start) + lines[end:]  # blank lines keep the line numbers
    return "\n".join(kept), panel


def main() -> None:
    text, panel = split_report(REPORT.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / REPORT.name
        notes.write_text(text, encoding="utf-8")
        result = run_pipeline([notes], Settings())
    drafts = [(p.heading, r.text) for p in result.plans for r in p.recommendations]
    embedder = Embedder()
    sims = embedder.encode(panel) @ embedder.encode([d for _, d in drafts]).T
    covered = 0
    print(f"{len(result.segments)} statements without the recommendations section; {len(drafts)} drafts\n")
    print("| panel recommendation | closest draft | heading | cosine | covered |")
    print("|---|---|---|---:|:---:|")
    for i, rec in enumerate(panel):
        j = int(np.argmax(sims[i]))
        ok = sims[i, j] >= THRESHOLD
        covered += ok
        print(f"| {rec} | {drafts[j][1]} | {drafts[j][0]} | {sims[i, j]:.2f} | {'yes' if ok else 'no'} |")
    print(f"\ncovered: {covered} of {len(panel)} panel recommendations (cosine >= {THRESHOLD})")


if __name__ == "__main__":
    main()
