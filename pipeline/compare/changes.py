"""Compare: themes and codes across events, with how sure the tool is.

Input is one multi-event run folder, or two or more run folders (each may
itself hold several events). The comparison is read from the files a run
writes (run.json, themes.json, segments.jsonl), so old runs can be compared
without re-running anything.

Three small steps, each its own object or function:
- `load_run` reads a run folder and checks it.
- `ThemeMatcher` gives "the same theme" one identity across separate runs, by
  centroid cosine similarity (one-to-one assignment, then a threshold).
- `compare_runs` counts themes and codes per event, tests each change in share
  between the two sides (Fisher's exact or chi-square, Benjamini-Hochberg
  across themes) and labels themes emerging, fading, persistent or unique.
`write_compare` writes compare.json, compare.md and a self-contained
compare.html, all at once or not at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import InputError
from ..records import UNCLUSTERED
from .match import ThemeGroup, ThemeMatcher, _unit_rows, lexical_vectors
from .runs import RunData, RunThemes, date_key, event_date, load_run
from .stats import across_events_test, benjamini_hochberg, share_test

LABELS = ("emerging", "fading", "persistent", "unique", "no clear change", "too few to tell")
LABEL_MEANING = {
    "emerging": "a larger share of statements on the 'to' side, and the difference is significant",
    "fading": "a smaller share of statements on the 'to' side, and the difference is significant",
    "persistent": "raised on both sides, with no significant change in share",
    "unique": "raised in one event only",
    "no clear change": "raised in some events but not on both sides, and no significant change",
    "too few to tell": "too few statements for any split between the sides to be significant",
}


@dataclass
class CompareSettings:
    threshold: float = 0.8  # centroid cosine similarity for "the same theme" across runs
    lexical_threshold: float = 0.3  # TF-IDF cosine, used only when runs' embeddings differ
    alpha: float = 0.05  # significance level, after Benjamini-Hochberg correction
    min_statements: int = 30  # events with fewer statements are flagged
    present_min: int = 2  # statements an event needs in a theme to count as raising it
    n_quotes: int = 2  # quotes per theme per side
    from_events: list[str] | None = None  # default: the earliest event
    to_events: list[str] | None = None  # default: the latest event
    ids_from: str | None = None  # a previous run whose theme ids to keep where themes match


@dataclass
class Comparison:
    settings: CompareSettings
    runs: list[RunData]
    events: list[dict[str, Any]]  # in comparison order
    order_note: str | None
    from_events: list[str]
    to_events: list[str]
    themes: list[dict[str, Any]]
    unclustered: dict[str, Any] | None
    codes: dict[str, Any]
    matching: dict[str, Any]
    notes: list[str]

    @property
    def from_label(self) -> str:
        return " + ".join(self.from_events)

    @property
    def to_label(self) -> str:
        return " + ".join(self.to_events)


def _event_names(runs: Sequence[RunData], run_names: Sequence[str]) -> tuple[list[list[str]], list[str]]:
    """Each run's event names made unique across runs (an event name used in two runs is
    qualified by its run's name), and notes saying so."""
    seen: dict[str, int] = {}
    for run in runs:
        for e in run.events:
            seen[e.name] = seen.get(e.name, 0) + 1
    names, notes = [], []
    for run, run_name in zip(runs, run_names):
        row = []
        for e in run.events:
            name = e.name
            if seen[name] > 1:
                name = run_name if len(run.events) == 1 else f"{run_name}/{e.name}"
                notes.append(f"Event '{e.name}' occurs in more than one run; from {run.path} it is called '{name}'.")
            row.append(name)
        names.append(row)
    return names, notes


def _run_names(runs: Sequence[RunData]) -> list[str]:
    """Run names, made unique: they label events and new themes."""
    out, counts = [], {}
    for run in runs:
        counts[run.name] = counts.get(run.name, 0) + 1
        out.append(run.name if counts[run.name] == 1 else f"{run.name}#{counts[run.name]}")
    return out


def _resolve_side(wanted: list[str] | None, names: list[str], default: str, flag: str) -> list[str]:
    if not wanted:
        return [default]
    out = []
    for w in wanted:
        if w not in names:
            raise InputError(flag, f"no event called '{w}' (events: {', '.join(names)})")
        out.append(w)
    return list(dict.fromkeys(out))  # an event named twice still counts once


def _quotes(group: ThemeGroup, events: Sequence[str], seg_event: dict, seg_index: dict, n: int) -> list[dict]:
    """Up to n quotes from the given events: the theme's own diverse quotes first, then its most
    central statements, never the same words twice."""
    out, texts = [], set()
    for r, theme in group.members:
        for sid in [*theme.quotes, *theme.segments]:
            if seg_event[(r, sid)] not in events:
                continue
            s = seg_index[(r, sid)]
            key = s["text"].strip().lower()
            if key in texts:
                continue
            texts.add(key)
            out.append({"id": sid, "text": s["text"], "source": s.get("source"), "line": s.get("line_start"),
                        "event": seg_event[(r, sid)]})
            if len(out) >= n:
                return out
    return out


def _label(present: list[str], from_events: list[str], to_events: list[str], change: dict,
           alpha: float) -> str:
    on_from = any(e in present for e in from_events)
    on_to = any(e in present for e in to_events)
    if len(present) == 1:
        return "unique"
    if not on_from and not on_to:
        return "no clear change"  # raised only in events between the two sides
    if change["q"] is not None and change["q"] < alpha:
        return "emerging" if change["delta"] > 0 else "fading"
    if change["too_few"]:
        return "too few to tell"
    if on_from and on_to:
        return "persistent"
    return "no clear change"


def compare_runs(paths: Sequence[str | Path], settings: CompareSettings | None = None) -> Comparison:
    """Compare the events of one multi-event run folder, or of two or more run folders.

    Raises InputError (file, line or field named) for folders that are not complete runs, for a
    single event, and for --from/--to events that do not exist."""
    settings = settings or CompareSettings()
    runs = [load_run(p) for p in paths]
    if not runs:
        raise InputError("compare", "give one multi-event run folder, or two or more run folders")
    run_names = _run_names(runs)
    names, notes = _event_names(runs, run_names)

    # ---- events: ordered by date when every event has one, else as given
    events = []
    for r, run in enumerate(runs):
        for e, name in zip(run.events, names[r]):
            date = event_date(e)
            events.append({"name": name, "original_name": e.name, "run": run_names[r], "run_path": str(run.path),
                           "date": date, "date_from": ("run.json" if e.date else "name") if date else None,
                           "place": e.place, "type": e.type, "sources": e.sources})
    if len(events) < 2:
        only = events[0]["name"] if events else "none"
        raise InputError(runs[0].path / "run.json", f"only one event ('{only}'): compare needs two or more. "
                         "Run several files (one event per file, or --event per path) or pass two or more "
                         "run folders", field="events")
    order_note = None
    keys = [date_key(e["date"]) for e in events]
    if all(k is not None for k in keys):
        events = [e for _, _, e in sorted(zip(keys, range(len(events)), events), key=lambda t: (t[0], t[1]))]
    else:
        undated = [e["name"] for e, k in zip(events, keys) if k is None]
        order_note = (f"No date for {', '.join(undated)}, so events are kept in the order given "
                      "(runs as listed, events as in each run).")
    event_names = [e["name"] for e in events]
    from_events = _resolve_side(settings.from_events, event_names, event_names[0], "--from")
    to_events = _resolve_side(settings.to_events, event_names, event_names[-1], "--to")
    if set(from_events) & set(to_events):
        raise InputError("--from/--to", f"the two sides share event(s) {', '.join(sorted(set(from_events) & set(to_events)))}")

    # ---- statements per event
    seg_event: dict[tuple[int, str], str] = {}
    seg_index: dict[tuple[int, str], dict] = {}
    for r, run in enumerate(runs):
        rename = dict(zip([e.name for e in run.events], names[r]))
        for s in run.segments:
            seg_event[(r, s["id"])] = rename[s["event"]]
            seg_index[(r, s["id"])] = s
    totals = {name: 0 for name in event_names}
    for ev in seg_event.values():
        totals[ev] += 1
    for e in events:
        e["statements"] = totals[e["name"]]
        e["flagged"] = totals[e["name"]] < settings.min_statements
        if e["flagged"]:
            notes.append(f"Event '{e['name']}' has only {totals[e['name']]} statements (fewer than "
                         f"{settings.min_statements}); its shares are rough and its changes rarely significant.")

    # ---- themes: one identity per "same theme"
    groups, matching = _match(runs, run_names, settings, notes)

    from_n = sum(totals[e] for e in from_events)
    to_n = sum(totals[e] for e in to_events)
    rows = []
    for g in groups:
        counts_by_event = {name: 0 for name in event_names}
        for r, theme in g.members:
            for sid in theme.segments:
                counts_by_event[seg_event[(r, sid)]] += 1
        a = sum(counts_by_event[e] for e in from_events)
        b = sum(counts_by_event[e] for e in to_events)
        rows.append({
            "id": g.id, "label": g.label, "keywords": g.keywords,
            "members": [{"run": run_names[r], "theme": t.id, "label": t.label,
                         "similarity": g.similarity.get((r, t.id)), "how": g.how.get((r, t.id)),
                         "best_other": g.best.get((r, t.id))} for r, t in g.members],
            "previous": g.previous,
            "size": sum(counts_by_event.values()),
            "counts": counts_by_event,
            "shares": {e: counts_by_event[e] / totals[e] for e in event_names},
            "present": [e for e in event_names if counts_by_event[e] >= settings.present_min],
            "change": {"from": a, "from_n": from_n, "to": b, "to_n": to_n,
                       **share_test(a, from_n, b, to_n, settings.alpha)},
            "across": across_events_test([counts_by_event[e] for e in event_names],
                                         [totals[e] for e in event_names]),
            "_group": g,
        })
    for q, row in zip(benjamini_hochberg([r["change"]["p"] for r in rows]), rows):
        row["change"]["q"] = q
        row["change"]["significant"] = q is not None and q < settings.alpha
    for q, row in zip(benjamini_hochberg([r["across"]["p"] for r in rows]), rows):
        row["across"]["q"] = q
    for row in rows:
        g = row.pop("_group")
        row["status"] = _label(row["present"], from_events, to_events, row["change"], settings.alpha)
        # what is new, and what is gone: raised on one side and not the other
        on_from = any(e in row["present"] for e in from_events)
        on_to = any(e in row["present"] for e in to_events)
        row["side"] = "both" if on_from and on_to else "new" if on_to else "gone" if on_from else "neither"
        sides = {"from": from_events, "to": to_events}
        if row["status"] == "unique":
            sides = {"only": row["present"]}
        row["quotes"] = {side: _quotes(g, evs, seg_event, seg_index, settings.n_quotes)
                         for side, evs in sides.items()}
    rows.sort(key=lambda r: (-r["size"], r["id"]))

    # the statements no theme took, counted but never tested
    un = {name: 0 for name in event_names}
    for r, run in enumerate(runs):
        for t in run.themes:
            if t.id == UNCLUSTERED:
                for sid in t.segments:
                    un[seg_event[(r, sid)]] += 1
    unclustered = {"counts": un, "shares": {e: un[e] / totals[e] for e in event_names}} if any(un.values()) else None

    codes = _compare_codes(runs, seg_event, event_names, totals, from_events, to_events, settings)
    return Comparison(settings=settings, runs=runs, events=events, order_note=order_note,
                      from_events=from_events, to_events=to_events, themes=rows, unclustered=unclustered,
                      codes=codes, matching=matching, notes=notes)


def _match(runs: list[RunData], run_names: list[str], settings: CompareSettings,
           notes: list[str]) -> tuple[list[ThemeGroup], dict[str, Any]]:
    """Themes of every run, grouped into one identity per 'same theme'."""
    previous = load_run(settings.ids_from) if settings.ids_from else None
    sources = runs + ([previous] if previous else [])
    theme_lists = [[t for t in run.themes if t.id != UNCLUSTERED and t.segments] for run in sources]
    models = {run.model for run in sources}
    shapes = {t.centroid.shape if t.centroid is not None else None for ts in theme_lists for t in ts}
    if len(models) == 1 and None not in shapes and len(shapes) <= 1:
        method, threshold = "centroid cosine similarity", settings.threshold
        vectors = [np.array([t.centroid for t in ts]) for ts in theme_lists]
    else:
        # embeddings from different models live in different spaces: fall back to the words
        method, threshold = "TF-IDF cosine similarity of the themes' statements", settings.lexical_threshold
        texts = [" ".join(run.by_id[s]["text"] for s in t.segments)
                 for run, ts in zip(sources, theme_lists) for t in ts]
        flat, vectors, start = lexical_vectors(texts), [], 0
        for ts in theme_lists:
            vectors.append(flat[start:start + len(ts)])
            start += len(ts)
        if len(sources) > 1:
            why = ("the runs used different embedding models (" + ", ".join(sorted(map(str, models))) + ")"
                   if len(models) > 1 else "some themes have no centroid (an older run)")
            notes.append(f"Themes were matched by their wording, not by embeddings, because {why}; "
                         f"threshold {threshold}.")

    n = len(runs)
    if n == 1:
        groups = [ThemeGroup(id=t.id, label=t.label, keywords=list(t.keywords), members=[(0, t)],
                             similarity={(0, t.id): None}, how={(0, t.id): "seed"}) for t in theme_lists[0]]
        info: dict[str, Any] = {"method": "single run: its themes were found once, across all its events",
                                "threshold": None, "runs": run_names}
    else:
        groups = ThemeMatcher(threshold=threshold).match(theme_lists[:n], run_names, vectors[:n])
        info = {"method": method, "threshold": threshold, "runs": run_names}
    if previous:
        info["identity"] = _rename_from(groups, theme_lists, vectors, n, threshold, run_names, str(previous.path))
        info["method"] = method if n > 1 else f"{method} (to the earlier run's themes)"
        info["threshold"] = threshold
    info["matched_groups"] = sum(1 for g in groups if len({r for r, _ in g.members}) > 1)
    info["unmatched"] = [
        {"run": run_names[r], "theme": t.id, "label": t.label, "id": g.id,
         "best_similarity": g.best[(r, t.id)][0] if g.best.get((r, t.id)) else None,
         "best_match": g.best[(r, t.id)][1] if g.best.get((r, t.id)) else None}
        for g in groups for r, t in g.members if n > 1 and len(g.members) == 1]
    return groups, info


def _rename_from(groups: list[ThemeGroup], theme_lists: list[list[RunThemes]], vectors: list[np.ndarray],
                 n: int, threshold: float, run_names: list[str], previous_path: str) -> dict[str, Any]:
    """Give groups that match an earlier run's theme (one-to-one, at the threshold) that theme's id.

    Only ids change: the groups themselves, and so every count, stay as they were."""
    from scipy.optimize import linear_sum_assignment

    row = {(r, t.id): i for r in range(n) for i, t in enumerate(theme_lists[r])}
    units = [_unit_rows(np.asarray(v, dtype=float)) if len(v) else v for v in vectors]
    prev, prev_vecs = theme_lists[n], units[n]
    out = {"previous_run": previous_path, "previous_themes": len(prev), "kept_id": 0,
           "same_id_without_matching": 0, "new": 0, "not_found": []}
    matched: dict[int, int] = {}
    if groups and prev:
        centres = _unit_rows(np.array([sum(units[r][row[(r, t.id)]] for r, t in g.members) for g in groups]))
        sims = centres @ prev_vecs.T
        for gi, pj in zip(*linear_sum_assignment(-sims)):
            if sims[gi, pj] >= threshold:
                matched[int(gi)] = int(pj)
        for gi, pj in matched.items():
            g = groups[gi]
            out["same_id_without_matching"] += any(t.id == prev[pj].id for _, t in g.members)
            g.id = prev[pj].id
            g.previous = {"theme": prev[pj].id, "label": prev[pj].label, "similarity": round(float(sims[gi, pj]), 4)}
    taken = {prev[pj].id for pj in matched.values()}
    for gi, g in enumerate(groups):
        if gi not in matched:
            r, t = g.members[0]
            # a new theme must not wear an earlier theme's id
            g.id = f"{run_names[r]}/{t.id}" if "/" not in g.id else g.id
            out["new"] += 1
    out["kept_id"] = len(matched)
    out["not_found"] = [{"theme": t.id, "label": t.label} for t in prev if t.id not in taken]
    return out


def _compare_codes(runs: list[RunData], seg_event: dict, event_names: list[str], totals: dict[str, int],
                   from_events: list[str], to_events: list[str], settings: CompareSettings) -> dict[str, Any]:
    """Code-by-event counts and changes, refused when the runs' codes are not the same codes."""
    books = {(run.codebook.get("sha256"), run.codebook.get("name")) for run in runs}
    models = {run.model for run in runs}
    reasons = []
    if len({b[0] for b in books}) > 1:
        reasons.append("the runs used different codebooks (" + "; ".join(
            f"{run.path.name}: {run.codebook.get('name')} sha256 {str(run.codebook.get('sha256'))[:12]}"
            for run in runs) + "), so a code in one need not mean the same as in another")
    if len(models) > 1:
        reasons.append("the runs used different embedding models (" + ", ".join(sorted(map(str, models)))
                       + "), so the same statement could have been coded differently")
    if reasons:
        return {"comparable": False, "reason": "Code-level comparison refused: " + "; and ".join(reasons) + ".",
                "rows": [], "headings": []}

    info = runs[0].code_info
    ids = list(runs[0].code_ids)
    for r, run in enumerate(runs):
        for s in run.segments:
            for c in s.get("codes") or []:
                if c["code"] not in ids:
                    ids.append(c["code"])
    counts = {c: {e: 0 for e in event_names} for c in [*ids, "uncoded"]}
    for r, run in enumerate(runs):
        for s in run.segments:
            ev = seg_event[(r, s["id"])]
            codes = {c["code"] for c in s.get("codes") or []}
            for c in codes:
                counts[c][ev] += 1
            if not codes:
                counts["uncoded"][ev] += 1
    from_n = sum(totals[e] for e in from_events)
    to_n = sum(totals[e] for e in to_events)
    rows = []
    for c, by_event in counts.items():
        a = sum(by_event[e] for e in from_events)
        b = sum(by_event[e] for e in to_events)
        meta = info.get(c, {})
        rows.append({"code": c, "label": meta.get("label") or c, "heading": meta.get("heading"),
                     "counts": by_event, "shares": {e: by_event[e] / totals[e] for e in event_names},
                     "change": {"from": a, "from_n": from_n, "to": b, "to_n": to_n,
                                **share_test(a, from_n, b, to_n, settings.alpha)}})
    for q, row in zip(benjamini_hochberg([r["change"]["p"] for r in rows]), rows):
        row["change"]["q"] = q
        row["change"]["significant"] = q is not None and q < settings.alpha
    book = runs[0].codebook
    return {"comparable": True, "reason": None, "codebook": {"name": book.get("name"), "sha256": book.get("sha256")},
            "rows": rows, "headings": [r for r in rows if r["heading"]]}
