"""Presenting an agreement evaluation: terminal text, eval.md, and the eval folder.

The statistics come from `pipeline.evaluate.agreement`; this module only formats and writes them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..evaluate.agreement import EvalResult
from ..files import staged_folder, write_json
from .charts import confusion_figure


def _fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def _ci(result: EvalResult, key: str) -> str:
    ci = result.intervals.get(key)
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "—"


def summary_rows(result: EvalResult) -> list[tuple[str, str, str]]:
    s = result.summary
    return [
        ("Cohen's kappa (main code, 'none' for uncoded)", _fmt(s["cohen_kappa"]), _ci(result, "cohen_kappa")),
        ("Krippendorff's alpha, MASI (label sets)", _fmt(s["krippendorff_alpha_masi"]),
         _ci(result, "krippendorff_alpha_masi")),
        ("Krippendorff's alpha, nominal (main code)", _fmt(s["krippendorff_alpha_nominal"]), ""),
        ("macro F1 (codes with support)", _fmt(s["macro_f1"]), _ci(result, "macro_f1")),
        ("micro F1", _fmt(s["micro_f1"]), _ci(result, "micro_f1")),
        ("main code agrees", _fmt(s["primary_agreement"]), ""),
    ]


def eval_text(result: EvalResult, show: int = 10) -> str:
    """The terminal report: headline figures with intervals, per-code table, a few disagreements."""
    lines = [f"{result.n_items} statements compared (gold {result.gold}; coder {result.coder})"
             + (f"; {result.n_excluded_person} coded by a person left out" if result.n_excluded_person else ""),
             f"{'multi-label' if result.multi_label else 'single-label'} gold: headline is "
             f"{'Krippendorff’s alpha (MASI)' if result.multi_label else 'Cohen’s kappa'}; "
             f"95% intervals from {result.settings['bootstrap']} bootstrap resamples (seed {result.settings['seed']})",
             ""]
    width = max(len(r[0]) for r in summary_rows(result))
    for name, value, ci in summary_rows(result):
        lines.append(f"  {name:<{width}}  {value:>6}  {ci}")
    lines += ["", f"  {'code':<22} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8} {'tool':>5}"]
    for row in result.per_code:
        lines.append(f"  {row['code'][:22]:<22} {_fmt(row['precision']):>9} {_fmt(row['recall']):>7} "
                     f"{_fmt(row['f1']):>6} {row['support']:>8} {row['predicted']:>5}")
    lines.append(f"  {'(uncoded)':<22} {'':>9} {'':>7} {'':>6} {result.summary['uncoded_gold']:>8} "
                 f"{result.summary['uncoded_tool']:>5}")
    lines += ["", "  confusion (rows: person's main code, columns: tool's)"]
    labels = result.confusion_labels
    lines.append("  " + " " * 16 + "".join(f"{l[:9]:>10}" for l in labels))
    for label, row in zip(labels, result.confusion):
        lines.append(f"  {label[:16]:<16}" + "".join(f"{v:>10}" for v in row))
    if result.disagreements and show:
        lines += ["", f"  {len(result.disagreements)} disagreements; the first {min(show, len(result.disagreements))}:"]
        for d in result.disagreements[:show]:
            lines.append(f"  - {d['id']}: person {'+'.join(d['gold']) or 'none'}, tool "
                         f"{'+'.join(d['tool']) or 'none'} ({_scores_text(d)})")
            lines.append(f"    “{_clip(d['text'], 110)}”")
    for note in result.notes:
        lines += ["", f"  note: {note}"]
    return "\n".join(lines)


def _scores_text(d: dict) -> str:
    parts = [f"{c} {v:.2f}" for c, v in sorted(d["scores"].items(), key=lambda cv: -(cv[1] or 0)) if v is not None]
    if d.get("none") is not None:
        parts.append(f"none {d['none']:.2f}")
    return ", ".join(parts) or "no scores"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def eval_markdown(result: EvalResult) -> str:
    md = ["# Agreement: tool vs person", "",
          f"- Gold: `{result.gold}` ({result.n_items} statements compared"
          + (f"; {result.n_excluded_person} coded by a person left out" if result.n_excluded_person else "") + ")",
          f"- Codebook: `{result.codebook}`", f"- Coder: {result.coder}",
          f"- Gold is {'multi-label' if result.multi_label else 'single-label'}: the headline figure is "
          f"{'Krippendorff’s alpha with MASI distance' if result.multi_label else 'Cohen’s kappa on the main code'}.",
          f"- 95% intervals: percentile bootstrap, {result.settings['bootstrap']} resamples of the statements, "
          f"seed {result.settings['seed']}.", "",
          "| measure | value | 95% interval |", "|---|---:|---|"]
    md += [f"| {n} | {v} | {c} |" for n, v, c in summary_rows(result)]
    md += ["", "## Per code", "", "| code | label | precision | recall | F1 | support | tool |",
           "|---|---|---:|---:|---:|---:|---:|"]
    for r in result.per_code:
        md.append(f"| {r['code']} | {r['label']} | {_fmt(r['precision'])} | {_fmt(r['recall'])} | {_fmt(r['f1'])} "
                  f"| {r['support']} | {r['predicted']} |")
    md.append(f"| (uncoded) |  |  |  |  | {result.summary['uncoded_gold']} | {result.summary['uncoded_tool']} |")
    labels = result.confusion_labels
    md += ["", "## Confusion matrix (main code)", "", "Rows: the person's main code; columns: the tool's. "
           "See confusion.png / confusion.svg.", "",
           "| person \\ tool | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    md += [f"| {l} | " + " | ".join(str(v) for v in row) + " |" for l, row in zip(labels, result.confusion)]
    md += ["", f"## Disagreements ({len(result.disagreements)})", "",
           "Scores are the coder's for the codes involved (the zero-shot coder's are similarities; a learned "
           "coder's are probabilities, with its zero-shot similarity after the slash).", "",
           "| id | statement | person | tool | scores | kind |", "|---|---|---|---|---|---|"]
    for d in result.disagreements:
        scores = ", ".join(f"{c} {v:.2f}" + (f"/{d['similarity'][c]:.2f}" if c in d["similarity"] else "")
                           for c, v in sorted(d["scores"].items(), key=lambda cv: -(cv[1] or 0)) if v is not None)
        if d.get("none") is not None:
            scores += f", none {d['none']:.2f}"
        text = d["text"].replace("|", "\\|")
        md.append(f"| {d['id']} | {text} | {', '.join(d['gold']) or 'none'} | {', '.join(d['tool']) or 'none'} "
                  f"| {scores} | {d['kind']} |")
    for note in result.notes:
        md += ["", f"> {note}"]
    return "\n".join(md) + "\n"


def write_eval(result: EvalResult, out_dir: str | Path) -> Path:
    """eval.json, eval.md, confusion.png and confusion.svg, written to a temporary folder then moved into place."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    with staged_folder(out_dir) as tmp:
        (tmp / "eval.md").write_text(eval_markdown(result), encoding="utf-8")
        fig = confusion_figure(result)
        with plt.rc_context({"svg.hashsalt": "plenary"}):
            fig.savefig(tmp / "confusion.svg", metadata={"Date": None})
        fig.savefig(tmp / "confusion.png", dpi=110, metadata={"Software": None})
        plt.close(fig)
        write_json(tmp / "eval.json", result.to_dict())
    return out_dir
