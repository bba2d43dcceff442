"""Dev checks of the action plan (issue 11, item 8), today's drafter beside the pre-issue-11 one.

1. Cohesion report: the Liverpool community cohesion report ends with its panel's ten recommendations.
   The pipeline runs on the report *without* that section; a panel recommendation is covered when a draft
   is within cosine 0.6 of it (all-MiniLM-L6-v2), under any heading.
2. 2005 engagement report: the pipeline runs on the report cut before its RECOMMENDATIONS section (its
   findings); the items of its "Recommendation" blocks (before IMPLEMENTATION: the steering group's
   resolutions after it are not recommendations) are covered at cosine 0.6.
3. Newcomer notes (tests/data/notes/eastfield-youth-housing-workshop.txt, a copy of the file in issue 11):
   each of the 12 numbered proposals and the post-it wall's lines is covered when its line is among a
   draft's evidence (drafted, or merged into a draft); and no statement comes from the title block before
   the first workshop or from the "Next steps" lines at the end (non-views).

4. Blind facilitators' plans (benchmarks/data/plans/): for each notes file a reviewer wrote a facilitators'
   action plan (20-25 points under the four headings) before anything ran on the notes; a point is covered when
   a draft is within cosine 0.6 of it, under any heading and under the point's own heading.

"Baseline" is the frozen pre-issue-11 drafter (benchmarks/_frozen/notes_v1) on the same statements and
codes; "new" counts every draft (the plan and the proposals ranked below its cut), and "plan" only the
first 10 per heading.

    .venv/bin/python benchmarks/recommendation_coverage.py
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import json

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.drafting_common import ROOT, analyse_file, baseline_drafts, embedder, new_drafts  # noqa: E402

COHESION = ROOT / "corpora" / "liverpool-community-cohesion-2017.txt"
ENGAGEMENT = ROOT / "corpora" / "wm-bme-engagement-2005.txt"
NEWCOMER = ROOT / "tests" / "data" / "notes" / "eastfield-youth-housing-workshop.txt"
PLANS = ROOT / "benchmarks" / "data" / "plans"
THRESHOLD = 0.6


def split_cohesion(text: str) -> tuple[str, list[str]]:
    """The report minus its RECOMMENDATIONS section, and that section's bullets."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip() == "RECOMMENDATIONS")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i].lstrip().startswith("-"))
    panel = [re.sub(r"^\s*-\s*", "", l).strip() for l in lines[start + 1:end] if l.strip()]
    kept = lines[:start] + [""] * (end - start) + lines[end:]  # blank lines keep the line numbers
    return "\n".join(kept), panel


def split_engagement(text: str) -> tuple[str, list[str]]:
    """The report's findings (everything before RECOMMENDATIONS) and its recommendations' items."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip() == "RECOMMENDATIONS")
    stop = next(i for i, l in enumerate(lines) if l.strip() == "IMPLEMENTATION")
    gold = []
    for i in range(start, stop):
        if lines[i].strip() != "Recommendation":
            continue
        for line in lines[i + 1: stop]:
            s = line.strip()
            if s in ("Rationale", "Anti-discriminatory practice"):
                break
            s = re.sub(r"^(-\s*)?([ivx]+\s+|\d+\.\s*)?", "", s).strip(" –-")
            if len(s.split()) >= 3:
                gold.append(s)
    return "\n".join(lines[:start]), gold


def cover(targets: list[str], drafts: list[str]) -> list[tuple[str, str, float]]:
    if not drafts:
        return [(t, "", 0.0) for t in targets]
    emb = embedder()
    sims = emb.encode(targets) @ emb.encode(drafts).T
    return [(t, drafts[int(np.argmax(sims[i]))], float(sims[i].max())) for i, t in enumerate(targets)]


def covered(rows) -> int:
    return sum(s >= THRESHOLD for _, _, s in rows)


def report_check(name: str, targets: list[str], analysis) -> dict:
    old = [t for _, t, _ in baseline_drafts(analysis)]
    new = [r.text for _, r in new_drafts(analysis)]
    plan = [r.text for _, r in new_drafts(analysis, shown_only=True)]
    rows_old, rows_new, rows_plan = cover(targets, old), cover(targets, new), cover(targets, plan)
    print(f"\n## {name}: {len(analysis.segments)} statements; drafts: baseline {len(old)}, new {len(new)} "
          f"(plan {len(plan)})\n")
    print("| target | baseline: closest draft | cos | new: closest draft | cos |")
    print("|---|---|---:|---|---:|")
    for (t, od, os_), (_, nd, ns) in zip(rows_old, rows_new):
        print(f"| {t[:70]} | {od[:60]} | {os_:.2f} | {nd[:60]} | {ns:.2f} |")
    out = {"baseline": covered(rows_old), "new": covered(rows_new), "plan": covered(rows_plan), "of": len(targets)}
    print(f"\ncovered (cos >= {THRESHOLD}): baseline {out['baseline']}/{len(targets)}, new {out['new']}/{len(targets)} "
          f"(plan only {out['plan']})")
    return out


def newcomer_check() -> dict:
    lines = NEWCOMER.read_text(encoding="utf-8").splitlines()
    numbered = [n for n, l in enumerate(lines, 1) if re.match(r"^\d+\.\s", l)]
    wall_start = next(n for n, l in enumerate(lines, 1) if "post-it wall" in l.lower())
    wall = [n for n, l in enumerate(lines, 1) if n > wall_start and l.startswith("- ")]
    first_workshop = next(n for n, l in enumerate(lines, 1) if l.lower().startswith("workshop"))
    next_steps = next(n for n, l in enumerate(lines, 1) if l.lower().startswith("next steps"))
    analysis = analyse_file(NEWCOMER)

    def line_of(sid: str) -> int:
        return int(sid.split(":")[1].split(".")[0])

    old_lines = {line_of(e) for _, _, ev in baseline_drafts(analysis) for e in ev}
    new_lines = {line_of(e) for _, r in new_drafts(analysis) for e in r.evidence}
    nonviews = [s for s in analysis.segments if s.line_start < first_workshop or s.line_start >= next_steps]
    print(f"\n## Newcomer notes: {len(analysis.segments)} statements, {len(nonviews)} from the title block or "
          f"next steps\n")
    print("| line | proposal | baseline | new |")
    print("|---:|---|:---:|:---:|")
    for n in numbered + wall:
        print(f"| {n} | {lines[n - 1].strip()[:70]} | {'yes' if n in old_lines else 'no'} | "
              f"{'yes' if n in new_lines else 'no'} |")
    out = {"numbered_baseline": sum(n in old_lines for n in numbered), "numbered_new": sum(n in new_lines for n in numbered),
           "wall_baseline": sum(n in old_lines for n in wall), "wall_new": sum(n in new_lines for n in wall),
           "numbered": len(numbered), "wall": len(wall), "nonviews": len(nonviews)}
    print(f"\nnumbered proposals drafted or merged: baseline {out['numbered_baseline']}/{len(numbered)}, "
          f"new {out['numbered_new']}/{len(numbered)}; post-it wall lines: baseline {out['wall_baseline']}/"
          f"{len(wall)}, new {out['wall_new']}/{len(wall)}; non-view statements: {len(nonviews)}")
    return out


def plan_check(notes: Path) -> dict:
    """A blind facilitators' plan (`<name>-plan.jsonl` beside `<name>-notes.txt`) against the drafts of its notes."""
    from pipeline.codebook import load_codebook

    plan = [json.loads(line) for line in notes.with_name(notes.name.replace("-notes.txt", "-plan.jsonl"))
            .read_text(encoding="utf-8").splitlines() if line.strip()]
    analysis = analyse_file(notes)
    code_of = {c.heading or c.label: c.id for c in load_codebook(None).codes}
    drafted = {"baseline": [(code_of.get(h, h), t) for h, t, _ in baseline_drafts(analysis)],
               "new": [(p.code, r.text) for p in analysis.plans for r in p.recommendations + p.more]}
    vectors = embedder().encode([p["text"] for p in plan])
    out = {"of": len(plan)}
    print(f"\n## Blind plan for {notes.name}: {len(analysis.segments)} statements, {len(plan)} points\n")
    print("| point | heading | baseline: closest draft | cos | new: closest draft | cos | new: under its heading |")
    print("|---|---|---|---:|---|---:|:---:|")
    rows: dict[str, list] = {}
    for kind, drafts in drafted.items():
        d = embedder().encode([t for _, t in drafts]) if drafts else np.zeros((0, vectors.shape[1]))
        sims = vectors @ d.T if len(drafts) else np.zeros((len(plan), 0))
        rows[kind] = [(drafts[int(np.argmax(row))][1] if len(drafts) else "", float(row.max()) if len(drafts) else 0.0,
                       any(s >= THRESHOLD and drafts[j][0] == point["heading"] for j, s in enumerate(row)))
                      for point, row in zip(plan, sims)]
        out[kind] = sum(c >= THRESHOLD for _, c, _ in rows[kind])
        out[kind + "_heading"] = sum(h for _, _, h in rows[kind])
    for point, (od, oc, _), (nd, nc, nh) in zip(plan, rows["baseline"], rows["new"]):
        print(f"| {point['text'][:60]} | {point['heading']} | {od[:50]} | {oc:.2f} | {nd[:50]} | {nc:.2f} | "
              f"{'yes' if nh else 'no'} |")
    print(f"\ncovered (cos >= {THRESHOLD}): baseline {out['baseline']}/{len(plan)} ({out['baseline_heading']} under the "
          f"point's heading), new {out['new']}/{len(plan)} ({out['new_heading']})")
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        text, panel = split_cohesion(COHESION.read_text(encoding="utf-8"))
        notes = Path(tmp) / COHESION.name
        notes.write_text(text, encoding="utf-8")
        cohesion = report_check("Cohesion panel recommendations, from the report without them", panel,
                                analyse_file(notes))
        text, gold = split_engagement(ENGAGEMENT.read_text(encoding="utf-8"))
        notes = Path(tmp) / ENGAGEMENT.name
        notes.write_text(text, encoding="utf-8")
        engagement = report_check("2005 engagement report recommendations, from its findings", gold,
                                  analyse_file(notes))
    newcomer = newcomer_check()
    plans = {notes.name.replace("-notes.txt", ""): plan_check(notes) for notes in sorted(PLANS.glob("*-notes.txt"))}
    print("\n## Summary\n")
    print("| check | baseline | new |")
    print("|---|---:|---:|")
    print(f"| cohesion panel recommendations covered | {cohesion['baseline']}/{cohesion['of']} | "
          f"{cohesion['new']}/{cohesion['of']} |")
    print(f"| 2005 recommendations covered from findings | {engagement['baseline']}/{engagement['of']} | "
          f"{engagement['new']}/{engagement['of']} |")
    print(f"| newcomer numbered proposals drafted or merged | {newcomer['numbered_baseline']}/{newcomer['numbered']} | "
          f"{newcomer['numbered_new']}/{newcomer['numbered']} |")
    print(f"| newcomer post-it wall lines drafted or merged | {newcomer['wall_baseline']}/{newcomer['wall']} | "
          f"{newcomer['wall_new']}/{newcomer['wall']} |")
    print(f"| newcomer non-view statements (title block, next steps) | – | {newcomer['nonviews']} |")
    for name, out in plans.items():
        print(f"| blind plan {name}: points covered (under the point's heading) | {out['baseline']}/{out['of']} "
              f"({out['baseline_heading']}) | {out['new']}/{out['of']} ({out['new_heading']}) |")


if __name__ == "__main__":
    main()
