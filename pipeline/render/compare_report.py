"""Compare report: compare.json, compare.md and a self-contained compare.html.

Charts are drawn with matplotlib's object API (no pyplot, no global state) as
SVG and embedded inline, so the page needs no network and no other files.
The folder is written to a temporary path and moved into place at the end,
as `report.write_run` does for runs.
"""
from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import __version__
from ..compare import LABEL_MEANING, Comparison
from ..files import staged_folder, write_json

OUTPUT_FILES = ("compare.json", "compare.md", "compare.html")
STATUS_ORDER = ("emerging", "fading", "unique", "persistent", "no clear change", "too few to tell")
STATUS_COLOUR = {"emerging": "#2a9d8f", "fading": "#e76f51", "unique": "#7b5ea7", "persistent": "#4c72b0",
                 "no clear change": "#9a9a9a", "too few to tell": "#c8c8c8"}


# --------------------------------------------------------------------------- formatting
def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def pp(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:+.1f} pp"


def pval(p: float | None) -> str:
    if p is None:
        return "—"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _round(x: Any) -> Any:
    """Floats to a fixed precision so compare.json is stable and readable."""
    if isinstance(x, float):
        return float(f"{x:.4g}") if abs(x) < 1e-3 else round(x, 4)
    if isinstance(x, dict):
        return {str(k): _round(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_round(v) for v in x]
    return x


def short(text: str, n: int = 48) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------- JSON
def compare_record(cmp: Comparison) -> dict[str, Any]:
    s = cmp.settings
    return _round({
        "plenary": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inputs": [{"path": str(r.path), "name": r.name, "model": r.model,
                    "codebook": {"name": r.codebook.get("name"), "sha256": r.codebook.get("sha256")},
                    "events": [e.name for e in r.events]} for r in cmp.runs],
        "settings": {"threshold": s.threshold, "lexical_threshold": s.lexical_threshold, "alpha": s.alpha,
                     "min_statements": s.min_statements, "present_min": s.present_min, "n_quotes": s.n_quotes,
                     "ids_from": s.ids_from},
        "events": cmp.events,
        "event_order": cmp.order_note or "by date",
        "sides": {"from": cmp.from_events, "to": cmp.to_events},
        "method": {
            "share": "statements of the theme (or code) in an event / all statements of that event",
            "change": "share on the 'to' side minus share on the 'from' side; 95% interval by Newcombe's "
                      "hybrid score method",
            "test": "per theme, 2x2 table (theme vs other statements, from vs to): chi-square with Yates' "
                    "correction when every expected count is at least 5, else Fisher's exact test; "
                    "q = Benjamini-Hochberg adjusted p over all themes (codes separately)",
            "across": "per theme, chi-square test of equal share in every event (2 x events table); "
                      "'approximate' when more than a fifth of expected counts are below 5",
            "too_few": "even the most lopsided split of the theme's statements between the two sides "
                       "would not reach p < alpha (Fisher's exact test)",
            "present": f"an event raises a theme when it has at least {s.present_min} of its statements",
            "labels": LABEL_MEANING,
        },
        "summary": {status: sum(1 for t in cmp.themes if t["status"] == status) for status in STATUS_ORDER},
        "themes": cmp.themes,
        "unclustered": cmp.unclustered,
        "codes": cmp.codes,
        "matching": cmp.matching,
        "notes": cmp.notes,
    })


# --------------------------------------------------------------------------- Markdown
def _by_status(cmp: Comparison, status: str) -> list[dict]:
    rows = [t for t in cmp.themes if t["status"] == status]
    if status == "emerging":
        rows.sort(key=lambda t: (-t["change"]["delta"], t["id"]))
    elif status == "fading":
        rows.sort(key=lambda t: (t["change"]["delta"], t["id"]))
    return rows


def headline(cmp: Comparison, t: dict) -> str:
    c = t["change"]
    if t["status"] == "unique":
        ev = t["present"][0]
        rest = t["size"] - t["counts"][ev]
        return (f"{t['counts'][ev]} statements in {ev} ({pct(t['shares'][ev])} of its statements)"
                + (f"; {rest} elsewhere, never {cmp.settings.present_min} in one event" if rest else "; none elsewhere"))
    if t["side"] == "neither":
        return f"not raised on either side; raised in {', '.join(t['present'])}"
    text = (f"{pct(c['from'] / c['from_n'])} → {pct(c['to'] / c['to_n'])} ({pp(c['delta'])}, 95% interval "
            f"{pp(c['ci'][0])} to {pp(c['ci'][1])}; {c['test'] or 'no test'} p {pval(c['p'])}, q {pval(c['q'])})")
    if t["side"] == "new":
        text += f"; new: not raised in {cmp.from_label}"
    elif t["side"] == "gone":
        text += f"; gone: not raised in {cmp.to_label}"
    if c["too_few"]:
        text += f"; only {c['from'] + c['to']} statements on the two sides: too few to conclude anything"
    return text


def no_change_note(cmp: Comparison) -> str | None:
    """Said plainly when the comparison cannot show a change."""
    if any(t["status"] in ("emerging", "fading") for t in cmp.themes):
        return None
    few = sum(1 for t in cmp.themes if t["status"] == "too few to tell")
    text = (f"No theme's share changed significantly from {cmp.from_label} to {cmp.to_label} "
            f"(Benjamini–Hochberg q < {cmp.settings.alpha}).")
    if few:
        text += f" For {few} theme(s) there are too few statements to conclude anything either way."
    small = [e["name"] for e in cmp.events if e["flagged"] and e["name"] in cmp.from_events + cmp.to_events]
    if small:
        text += f" {', '.join(small)} has fewer than {cmp.settings.min_statements} statements."
    return text


def _quote_lines(t: dict) -> list[str]:
    lines = []
    for side, quotes in t["quotes"].items():
        for q in quotes:
            lines.append(f"  - {side}, {q['event']}: “{q['text']}” ({q['source']}:{q['line']})")
    return lines


def _cell(count: int, share: float) -> str:
    return f"{count} ({pct(share)})"


def compare_markdown(cmp: Comparison, record: dict[str, Any]) -> str:
    names = [e["name"] for e in cmp.events]
    total = sum(e["statements"] for e in cmp.events)
    lines = [f"# Plenary comparison: {cmp.from_label} → {cmp.to_label}", "",
             f"{total} statements in {len(cmp.events)} events from {len(cmp.runs)} run(s). "
             f"Changes are measured from **{cmp.from_label}** to **{cmp.to_label}**; a change counts as "
             f"significant when its Benjamini–Hochberg q is below {cmp.settings.alpha}.", ""]
    lines += ["| event | date | place | type | statements | note |", "|---|---|---|---|---:|---|"]
    for e in cmp.events:
        flag = f"fewer than {cmp.settings.min_statements} statements" if e["flagged"] else ""
        lines.append(f"| {e['name']} | {e['date'] or '—'} | {e['place'] or '—'} | {e['type'] or '—'} | "
                     f"{e['statements']} | {flag} |")
    lines.append("")
    if cmp.order_note:
        lines += [f"> {cmp.order_note}", ""]
    for note in cmp.notes:
        lines += [f"> {note}", ""]

    lines += ["## In brief", ""]
    if not_sure := no_change_note(cmp):
        lines += [f"> {not_sure}", ""]
    for status in STATUS_ORDER:
        rows = _by_status(cmp, status)
        if rows:
            lines.append(f"- **{status}** ({len(rows)}): " + "; ".join(
                f"{t['label']}" + (f" ({pp(t['change']['delta'])})" if status in ("emerging", "fading") else
                                   f" ({t['present'][0]})" if status == "unique" else "")
                for t in rows[:6]) + (" …" if len(rows) > 6 else ""))
    heads = cmp.codes.get("headings") or []
    moved = sorted((h for h in heads if h["change"]["significant"]), key=lambda h: -abs(h["change"]["delta"]))
    if moved:
        lines.append("- **action headings that changed**: " + "; ".join(
            f"{h['heading']} {pct(h['change']['from'] / h['change']['from_n'])} → "
            f"{pct(h['change']['to'] / h['change']['to_n'])}" for h in moved))
    lines.append("")

    for status in STATUS_ORDER[:4]:
        rows = _by_status(cmp, status)
        if not rows:
            continue
        lines += [f"## {status.capitalize()} themes", "", f"_{LABEL_MEANING[status]}._", ""]
        for t in rows:
            lines.append(f"- **{t['label']}** (`{t['id']}`): {headline(cmp, t)}")
            lines += _quote_lines(t)
        lines.append("")

    lines += ["## Themes by event", "",
              "Statements of each theme per event, and their share of the event's statements. Δ is the change "
              "in share from the 'from' side to the 'to' side; q is the Benjamini–Hochberg adjusted p.", "",
              "| theme | " + " | ".join(names) + " | Δ | test | p | q | label |",
              "|---|" + "---:|" * len(names) + "---:|---|---:|---:|---|"]
    for t in cmp.themes:
        c = t["change"]
        lines.append(f"| {t['label']} (`{t['id']}`) | " + " | ".join(_cell(t['counts'][e], t['shares'][e])
                                                              for e in names)
                     + f" | {pp(c['delta'])} | {c['test'] or '—'} | {pval(c['p'])} | {pval(c['q'])} | {t['status']} |")
    if cmp.unclustered:
        u = cmp.unclustered
        lines.append("| _unclustered_ | " + " | ".join(_cell(u['counts'][e], u['shares'][e]) for e in names)
                     + " | | | | | |")
    lines.append("")

    lines += ["## Codes by event", ""]
    if not cmp.codes["comparable"]:
        lines += [f"> {cmp.codes['reason']}", ""]
    else:
        lines += [f"Codebook: {cmp.codes['codebook']['name']} (sha256 {str(cmp.codes['codebook']['sha256'])[:12]}…), "
                  "the same in every event. A statement may carry more than one code.", "",
                  "| code | heading | " + " | ".join(names) + " | Δ | p | q |",
                  "|---|---|" + "---:|" * len(names) + "---:|---:|---:|"]
        for r in cmp.codes["rows"]:
            c = r["change"]
            lines.append(f"| {r['label']} | {r['heading'] or '—'} | " + " | ".join(
                _cell(r['counts'][e], r['shares'][e]) for e in names)
                + f" | {pp(c['delta'])} | {pval(c['p'])} | {pval(c['q'])} |")
        lines.append("")

    m = cmp.matching
    lines += ["## Theme identity", "", f"Method: {m['method']}" +
              (f"; threshold {m['threshold']}." if m.get("threshold") is not None else "."), ""]
    if len(cmp.runs) > 1 or m.get("identity"):
        lines += ["| theme | members (run: theme, similarity) |", "|---|---|"]
        for t in cmp.themes:
            members = "; ".join(f"{x['run']}: {x['theme']} “{short(x['label'], 40)}”"
                                + (f" {x['similarity']:.2f}" if x["similarity"] is not None else "")
                                + (" (split)" if x["how"] == "split" else "") for x in t["members"])
            if t.get("previous"):
                members += f"; earlier run: {t['previous']['theme']} “{short(t['previous']['label'], 40)}” " \
                           f"{t['previous']['similarity']:.2f}"
            lines.append(f"| `{t['id']}` {t['label']} | {members} |")
        lines.append("")
        if m.get("unmatched"):
            lines += ["Unmatched themes (no theme in another run reached the threshold):", ""]
            lines += [f"- {u['run']}: {u['theme']} “{u['label']}”" +
                      (f" (closest: {u['best_match']}, similarity {u['best_similarity']:.2f})"
                       if u["best_similarity"] is not None else "") for u in m["unmatched"]]
            lines.append("")
        ident = m.get("identity")
        if ident:
            lines += [f"Theme ids from {ident['previous_run']}: {ident['kept_id']} of {ident['previous_themes']} "
                      f"earlier themes were found again and keep their id ({ident['same_id_without_matching']} "
                      f"had that id already); {ident['new']} themes are new; {len(ident['not_found'])} earlier "
                      "themes were not found.", ""]
    lines += ["## Method", ""] + [f"- {k}: {v}" for k, v in record["method"].items() if k != "labels"]
    lines += [f"- label '{k}': {v}" for k, v in LABEL_MEANING.items()]
    lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- charts
def _svg(fig) -> Markup:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "plenary-compare"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    return Markup(text[text.index("<svg"):])


def heatmap(cmp: Comparison, max_rows: int = 40) -> Markup:
    from matplotlib.figure import Figure

    names = [e["name"] for e in cmp.events]
    rows = cmp.themes[:max_rows]
    data = [[t["shares"][e] * 100 for e in names] for t in rows]
    fig = Figure(figsize=(2.2 + 1.25 * len(names), 0.9 + 0.3 * len(rows)))
    ax = fig.add_subplot()
    peak = max((v for row in data for v in row), default=1) or 1
    im = ax.imshow(data, aspect="auto", cmap="Blues", vmin=0, vmax=peak)
    for i, row in enumerate(data):
        for j, v in enumerate(row):
            ax.text(j, i, f"{v:.0f}" if v >= 0.5 else "·", ha="center", va="center", fontsize=8,
                    color="white" if v > 0.6 * peak else "#222")
    ax.set_xticks(range(len(names)), [short(n, 28) for n in names], rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), [short(f"{t['label']}", 44) for t in rows], fontsize=8)
    ax.tick_params(length=0)
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02).set_label("% of the event's statements", fontsize=8)
    ax.set_title("Theme share by event (% of each event's statements)", fontsize=10, loc="left")
    return _svg(fig)


def change_chart(cmp: Comparison, n: int = 12) -> Markup | None:
    from matplotlib.figure import Figure

    rows = sorted((t for t in cmp.themes if t["change"]["p"] is not None),
                  key=lambda t: (-abs(t["change"]["delta"]), t["id"]))[:n]
    if not rows:
        return None
    rows = rows[::-1]  # largest at the top
    deltas = [100 * t["change"]["delta"] for t in rows]
    lo = [100 * (t["change"]["delta"] - t["change"]["ci"][0]) for t in rows]
    hi = [100 * (t["change"]["ci"][1] - t["change"]["delta"]) for t in rows]
    colours = [STATUS_COLOUR[t["status"]] if t["change"]["significant"] else "#bbbbbb" for t in rows]
    fig = Figure(figsize=(8, 0.9 + 0.34 * len(rows)))
    ax = fig.add_subplot()
    ax.barh(range(len(rows)), deltas, color=colours, xerr=[lo, hi], ecolor="#555", capsize=2)
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_yticks(range(len(rows)), [short(f"{t['label']} ({t['status']})", 52) for t in rows], fontsize=8)
    ax.set_xlabel(f"change in share, percentage points ({short(cmp.from_label, 30)} → {short(cmp.to_label, 30)}); "
                  "bars: 95% interval; grey: not significant", fontsize=8)
    ax.set_title("Largest changes in theme share", fontsize=10, loc="left")
    ax.tick_params(axis="x", labelsize=8)
    return _svg(fig)


def headings_chart(cmp: Comparison) -> Markup | None:
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    heads = cmp.codes.get("headings") or []
    if not heads:
        return None
    names = [e["name"] for e in cmp.events]
    fig = Figure(figsize=(8, 0.8 + 0.28 * len(heads) * (len(names) + 1)))
    ax = fig.add_subplot()
    width = 1 / (len(names) + 1)
    cmap = colormaps["tab10"]
    for j, e in enumerate(names):
        ys = [i + j * width for i in range(len(heads))]
        vals = [100 * h["shares"][e] for h in heads]
        ax.barh(ys, vals, height=width * 0.9, color=cmap(j % 10), label=short(e, 36))
        for y, v in zip(ys, vals):
            ax.text(v + 0.3, y, f"{v:.0f}%", va="center", fontsize=7)
    ax.set_yticks([i + width * (len(names) - 1) / 2 for i in range(len(heads))],
                  [short(h["heading"], 40) for h in heads], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("% of the event's statements carrying the heading's code", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    ax.set_title("Action headings by event", fontsize=10, loc="left")
    return _svg(fig)


# --------------------------------------------------------------------------- HTML
def compare_html(cmp: Comparison, record: dict[str, Any]) -> str:
    env = jinja2.Environment(loader=jinja2.PackageLoader("pipeline", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(pct=pct, pp=pp, pval=pval)
    return env.get_template("compare.html.j2").render(
        cmp=cmp, record=record, names=[e["name"] for e in cmp.events], status_order=STATUS_ORDER,
        by_status={s: _by_status(cmp, s) for s in STATUS_ORDER}, meaning=LABEL_MEANING, colour=STATUS_COLOUR,
        headline=lambda t: headline(cmp, t), heatmap=heatmap(cmp), change_chart=change_chart(cmp),
        no_change=no_change_note(cmp),
        headings_chart=headings_chart(cmp),
    )


# --------------------------------------------------------------------------- writing
def write_compare(cmp: Comparison, out_dir: str | Path) -> Path:
    """Write compare.json, compare.md and compare.html into out_dir, all at once or not at all."""
    out_dir = Path(out_dir)
    with staged_folder(out_dir) as tmp:
        record = compare_record(cmp)
        (tmp / "compare.md").write_text(compare_markdown(cmp, record), encoding="utf-8")
        (tmp / "compare.html").write_text(compare_html(cmp, record), encoding="utf-8")
        write_json(tmp / "compare.json", record)
    return out_dir
