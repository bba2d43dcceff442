"""Presenting codebook suggestions: terminal text, suggestions.md, and the suggest folder."""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..evaluate.suggest import Suggestions
from ..files import staged_folder, write_json


def suggestions_text(s: Suggestions, show: int = 5) -> str:
    lines = [f"{s.statements} statements; {s.uncoded} uncoded by the tool", ""]
    lines.append(f"Candidate new codes from uncoded statements ({len(s.candidates)}):")
    for c in s.candidates[:show]:
        lines.append(f"  - {c.label} ({len(c.statements)} statements; key phrases: {', '.join(c.keywords[:6])})")
        lines += [f"      “{_clip(q['text'])}” ({q['id']})" for q in c.quotes[:2]]
    if not s.candidates:
        lines.append("  (none: too few uncoded statements, or they do not group)")
    lines += ["", f"Codes the tool confuses ({'against your coding' if s.confused and s.confused[0].source == 'gold' else 'near-ties'}):"]
    for p in s.confused[:show]:
        lines.append(f"  - {p.a} / {p.b}: {p.count} statements, e.g. “{_clip(p.examples[0]['text'])}”")
    if not s.confused:
        lines.append("  (none)")
    lines += ["", "Codes with little support:"]
    lines += [f"  - {r['code']}: {r['why']}" for r in s.low_support] or ["  (none)"]
    lines += ["", f"Statements to code next (nearest a boundary; {len(s.to_code_next)}):"]
    for r in s.to_code_next[:show * 2]:
        best = ", ".join(f"{c} {v:.2f}" for c, v in r["best"].items())
        lines.append(f"  - {r['id']} (margin {r['margin']:.3f}; {best}): “{_clip(r['text'])}”")
    return "\n".join(lines)


def _clip(text: str, n: int = 100) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def suggestions_markdown(s: Suggestions) -> str:
    md = ["# Codebook suggestions", "", f"{s.statements} statements; {s.uncoded} left uncoded by the tool.", "",
          "## Candidate new codes", "",
          "Uncoded statements grouped by meaning. Each comes with a stub to paste under `codes:` in your "
          "codebook once you have written its description.", ""]
    for c in s.candidates:
        md += [f"### {c.label} ({len(c.statements)} statements)", "", f"Key phrases: {', '.join(c.keywords)}", ""]
        md += [f"- “{q['text']}” ({q['id']})" for q in c.quotes]
        md += ["", "```yaml", yaml.safe_dump([c.stub()], sort_keys=False, allow_unicode=True, width=100).rstrip(),
               "```", ""]
    if not s.candidates:
        md += ["None: too few uncoded statements, or they do not group.", ""]
    md += ["## Codes the tool confuses", ""]
    for p in s.confused:
        how = "person coded one, tool the other" if p.source == "gold" else "the tool's two best codes were close"
        md.append(f"- **{p.a} / {p.b}**: {p.count} statements ({how})")
        md += [f"  - “{e['text']}” ({e['id']})" for e in p.examples]
    if not s.confused:
        md.append("None.")
    md += ["", "## Codes with little support", ""]
    md += [f"- **{r['code']}** ({r['label']}): {r['why']}" for r in s.low_support] or ["None."]
    md += ["", "## Statements to code next", "",
           "Nearest a decision boundary, so a person's answer teaches a learned coder the most. "
           "Fill in `labels` in to-code.jsonl and pass it with `--train`.", "",
           "| id | statement | tool | best scores | margin |", "|---|---|---|---|---:|"]
    for r in s.to_code_next:
        best = ", ".join(f"{c} {v:.2f}" for c, v in r["best"].items())
        md.append(f"| {r['id']} | {r['text'].replace('|', '/')} | {', '.join(r['tool']) or 'none'} | {best} "
                  f"| {r['margin']:.3f} |")
    return "\n".join(md) + "\n"


def write_suggestions(s: Suggestions, out_dir: str | Path) -> Path:
    """suggestions.json, suggestions.md and to-code.jsonl (a template to fill in), all or nothing."""
    out_dir = Path(out_dir)
    with staged_folder(out_dir) as tmp:
        (tmp / "suggestions.md").write_text(suggestions_markdown(s), encoding="utf-8")
        with open(tmp / "to-code.jsonl", "w", encoding="utf-8") as fh:
            for r in s.to_code_next:
                # labels stays null until a person fills it in; read_labelled refuses null, so an
                # unfinished template is never taken for "no code"
                fh.write(json.dumps({"id": r["id"], "text": r["text"], "labels": None, "tool": r["tool"]},
                                    ensure_ascii=False) + "\n")
        write_json(tmp / "suggestions.json", s.to_dict())
    return out_dir
