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

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .errors import InputError
from .files import jsonl_rows
from .records import UNCLUSTERED, Event

RUN_FILES = ("run.json", "themes.json", "segments.jsonl")
LABELS = ("emerging", "fading", "persistent", "unique", "no clear change", "too few to tell")
LABEL_MEANING = {
    "emerging": "a larger share of statements on the 'to' side, and the difference is significant",
    "fading": "a smaller share of statements on the 'to' side, and the difference is significant",
    "persistent": "raised on both sides, with no significant change in share",
    "unique": "raised in one event only",
    "no clear change": "raised in some events but not on both sides, and no significant change",
    "too few to tell": "too few statements for any split between the sides to be significant",
}
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


# =========================================================================== reading runs
@dataclass
class RunThemes:
    """One theme as a run wrote it."""

    id: str
    label: str
    keywords: list[str]
    segments: list[str]  # most central first
    quotes: list[str]
    centroid: np.ndarray | None


@dataclass
class RunData:
    """A run folder as compare needs it."""

    path: Path
    name: str
    model: str | None
    codebook: dict[str, Any]
    events: list[Event]
    segments: list[dict[str, Any]]
    themes: list[RunThemes]
    code_ids: list[str]  # codable codes in codebook order
    code_info: dict[str, dict[str, str | None]]  # code -> {"label", "heading"}

    @property
    def by_id(self) -> dict[str, dict[str, Any]]:
        return {s["id"]: s for s in self.segments}


def _read_json(path: Path) -> Any:
    if not path.exists():
        raise InputError(path.parent, f"not a complete Plenary run folder: {path.name} is missing "
                                      "(run `plenary run` first, and wait for it to finish)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg})", exc.lineno) from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise InputError(path.parent, f"not a complete Plenary run folder: {path.name} is missing")
    rows = []
    for number, row in jsonl_rows(path, path.read_text(encoding="utf-8")):
        for key in ("id", "text", "event"):
            if key not in row:
                raise InputError(path, "statement has no such field", number, key)
        rows.append(row)
    return rows


def event_date(event: Event) -> str | None:
    """The event's date as given, else a year found in its name or its documents' names."""
    if event.date:
        return str(event.date)
    for text in [event.name, *event.sources]:
        found = YEAR.search(text)
        if found:
            return found.group(1)
    return None


def date_key(date: str | None) -> tuple[int, int, int] | None:
    """A sortable (year, month, day) from an ISO date, year-month or year; None when unreadable."""
    if not date:
        return None
    m = ISO_DATE.match(date)
    if m:
        return int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    found = YEAR.search(date)
    return (int(found.group(1)), 0, 0) if found else None


def _code_info(path: Path, record: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, str | None]]]:
    """Code ids, labels and headings: from the run's codebook when it is unchanged on disk,
    else from the headings the run's action plan used."""
    counts = record.get("counts", {}).get("codes", {})
    ids = [c for c in counts if c != "uncoded"]
    info: dict[str, dict[str, str | None]] = {c: {"label": c, "heading": None} for c in ids}
    book = record.get("codebook") or {}
    if book.get("path") and Path(book["path"]).is_file():
        from .codebook import load_codebook

        try:
            loaded = load_codebook(book["path"])
        except InputError:
            loaded = None
        if loaded is not None and loaded.sha256 == book.get("sha256"):
            ids = ids or [c.id for c in loaded.codable]
            return ids, {c.id: {"label": c.label, "heading": c.heading} for c in loaded.codable}
    recs = path / "recommendations.json"
    if recs.exists():
        for heading in _read_json(recs).get("headings", []):
            if heading.get("code") in info:
                info[heading["code"]]["heading"] = heading.get("heading")
    return ids, info


def load_run(path: str | Path) -> RunData:
    """Read and check one run folder written by `plenary run`."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "run folder not found")
    if not path.is_dir():
        raise InputError(path, "expected a run folder written by `plenary run`, got a file")
    record = _read_json(path / "run.json")
    themes_doc = _read_json(path / "themes.json")
    segments = _read_jsonl(path / "segments.jsonl")
    if not segments:
        raise InputError(path / "segments.jsonl", "the run holds no statements")
    seg_ids = {s["id"] for s in segments}

    themes: list[RunThemes] = []
    for i, t in enumerate(themes_doc.get("themes", [])):
        for key in ("id", "segments"):
            if key not in t:
                raise InputError(path / "themes.json", f"theme {i + 1} has no '{key}'", field=key)
        missing = [s for s in t["segments"] if s not in seg_ids]
        if missing:
            raise InputError(path / "themes.json", f"theme '{t['id']}' cites statement '{missing[0]}', "
                                                   "which is not in segments.jsonl", field="segments")
        quotes = [q["id"] if isinstance(q, dict) else q for q in t.get("quotes", [])]
        centroid = np.asarray(t["centroid"], dtype=float) if t.get("centroid") else None
        themes.append(RunThemes(id=t["id"], label=t.get("label") or t["id"], keywords=t.get("keywords", []),
                                segments=list(t["segments"]), quotes=[q for q in quotes if q in seg_ids],
                                centroid=centroid))

    # events: run.json's list (dates, places) where given, else the events the statements name
    listed = {e["name"]: e for e in record.get("events", []) if isinstance(e, dict) and e.get("name")}
    order = list(listed) + [s["event"] for s in segments]
    sources: dict[str, list[str]] = {}
    for s in segments:
        srcs = sources.setdefault(s["event"], [])
        if s.get("source") and s["source"] not in srcs:
            srcs.append(s["source"])
    events = []
    for name in dict.fromkeys(order):
        if name not in sources:
            continue  # an event whose documents gave no statements has nothing to compare
        e = listed.get(name, {})
        events.append(Event(name=name, date=e.get("date"), place=e.get("place"), type=e.get("type"),
                            sources=e.get("sources") or sources[name]))
    code_ids, code_info = _code_info(path, record)
    return RunData(path=path, name=record.get("name") or path.name, model=record.get("model") or
                   themes_doc.get("model"), codebook=record.get("codebook") or {}, events=events,
                   segments=segments, themes=themes, code_ids=code_ids, code_info=code_info)


# =========================================================================== statistics
def wilson(count: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval for a proportion."""
    if n == 0:
        return 0.0, 1.0
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_interval(a: int, n_a: int, b: int, n_b: int) -> tuple[float, float]:
    """95% interval for b/n_b - a/n_a (Newcombe's hybrid score method: fine with small counts)."""
    p_a, p_b = a / n_a, b / n_b
    la, ua = wilson(a, n_a)
    lb, ub = wilson(b, n_b)
    d = p_b - p_a
    return d - math.sqrt((p_b - lb) ** 2 + (ua - p_a) ** 2), d + math.sqrt((ub - p_b) ** 2 + (p_a - la) ** 2)


def share_test(a: int, n_a: int, b: int, n_b: int, alpha: float = 0.05) -> dict[str, Any]:
    """Is a share different between two sides? a of n_a statements against b of n_b.

    Chi-square (with Yates' correction) when every expected count is 5 or more,
    else Fisher's exact test. `too_few` says whether even the most lopsided split
    of these a + b statements could reach significance at `alpha`.
    """
    from scipy.stats import chi2_contingency, fisher_exact

    m = a + b
    table = [[a, n_a - a], [b, n_b - b]]
    out: dict[str, Any] = {"delta": b / n_b - a / n_a, "ci": list(difference_interval(a, n_a, b, n_b))}
    if m == 0 or m == n_a + n_b:
        return {**out, "test": None, "p": None, "too_few": True, "min_p": 1.0}
    expected = np.outer([n_a, n_b], [m, n_a + n_b - m]) / (n_a + n_b)
    if expected.min() >= 5:
        p = float(chi2_contingency(table, correction=True).pvalue)
        test = "chi-square"
    else:
        p = float(fisher_exact(table).pvalue)
        test = "Fisher"
    # the most lopsided splits the margins allow: everything on one side or the other
    extremes = []
    for in_a in (min(m, n_a), max(0, m - n_b)):
        extremes.append(float(fisher_exact([[in_a, n_a - in_a], [m - in_a, n_b - m + in_a]]).pvalue))
    min_p = min(extremes)
    return {**out, "test": test, "p": p, "too_few": min_p >= alpha, "min_p": min_p}


def across_events_test(counts: Sequence[int], totals: Sequence[int]) -> dict[str, Any]:
    """Chi-square test that a theme's share is the same in every event (2 x k table)."""
    from scipy.stats import chi2_contingency

    counts, totals = np.asarray(counts), np.asarray(totals)
    if counts.sum() in (0, totals.sum()) or len(counts) < 2:  # no statements, or nothing else to compare with
        return {"test": None, "p": None, "approximate": False}
    table = np.vstack([counts, totals - counts])
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    res = chi2_contingency(table, correction=False)
    # Cochran's rule: the chi-square approximation is rough when many expected counts are small
    return {"test": "chi-square", "p": float(res.pvalue), "approximate": bool((expected < 5).mean() > 0.2)}


def benjamini_hochberg(pvalues: Sequence[float | None]) -> list[float | None]:
    """q-values (Benjamini-Hochberg) over the p-values that exist; None stays None."""
    from scipy.stats import false_discovery_control

    idx = [i for i, p in enumerate(pvalues) if p is not None]
    out: list[float | None] = [None] * len(pvalues)
    if idx:
        q = false_discovery_control([pvalues[i] for i in idx], method="bh")
        for i, v in zip(idx, q):
            out[i] = float(v)
    return out


# =========================================================================== matching
@dataclass
class ThemeGroup:
    """'The same theme' across runs: one identity, one or more runs' themes."""

    id: str
    label: str
    keywords: list[str]
    members: list[tuple[int, RunThemes]]  # (run index, theme)
    similarity: dict[tuple[int, str], float | None] = field(default_factory=dict)  # to the group when joined
    how: dict[tuple[int, str], str] = field(default_factory=dict)  # seed | matched | split
    best: dict[tuple[int, str], tuple[float, str] | None] = field(default_factory=dict)  # unmatched: best miss
    previous: dict[str, Any] | None = None  # the earlier run's theme whose id it took (--ids-from)


def lexical_vectors(texts: Sequence[str]) -> np.ndarray:
    """TF-IDF vectors of each theme's statements, for runs whose embeddings are not comparable."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1).fit_transform(texts)
    return matrix.toarray()


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


class ThemeMatcher:
    """Match themes of separate runs by centroid cosine similarity.

    Runs are taken in order: the first run's themes seed the groups; each later
    run's themes are assigned one-to-one to the groups (Hungarian assignment on
    similarity, ties broken by order, so the result is deterministic) and kept
    when the similarity reaches `threshold`. A theme left over that still
    reaches the threshold with some group joins it as a split (the later run
    cut that theme in two); the rest start new groups and are reported as
    unmatched. Group ids are the first run's theme ids; later runs' new themes
    are prefixed with their run's name.
    """

    def __init__(self, threshold: float = 0.8, join_splits: bool = True):
        self.threshold = threshold
        self.join_splits = join_splits

    def match(self, runs: Sequence[list[RunThemes]], run_names: Sequence[str],
              vectors: Sequence[np.ndarray] | None = None) -> list[ThemeGroup]:
        """`vectors[i]` are run i's theme vectors (rows in theme order); default: their centroids."""
        from scipy.optimize import linear_sum_assignment

        if vectors is None:
            vectors = [np.array([t.centroid for t in themes]) for themes in runs]
        units = [_unit_rows(np.asarray(v, dtype=float)) if len(themes) else np.zeros((0, 1))
                 for v, themes in zip(vectors, runs)]
        groups: list[ThemeGroup] = []
        sums: list[np.ndarray] = []  # running sum of each group's members' vectors
        home: dict[tuple[int, str], int] = {}  # (run, theme id) -> group index
        for r, (themes, vecs) in enumerate(zip(runs, units)):
            if not themes:
                continue
            taken: dict[int, tuple[int, str]] = {}  # theme index -> (group index, how)
            sims = np.zeros((len(themes), 0))
            if groups:
                sims = vecs @ _unit_rows(np.array(sums)).T
                for i, g in zip(*linear_sum_assignment(-sims)):
                    if sims[i, g] >= self.threshold:
                        taken[i] = (int(g), "matched")
                if self.join_splits:
                    for i in range(len(themes)):
                        if i not in taken and sims[i].max() >= self.threshold:
                            taken[i] = (int(sims[i].argmax()), "split")
            for i, theme in enumerate(themes):
                key = (r, theme.id)
                if i in taken:
                    g, how = taken[i]
                    groups[g].members.append((r, theme))
                    groups[g].similarity[key] = round(float(sims[i, g]), 4)
                    groups[g].how[key] = how
                    sums[g] = sums[g] + vecs[i]
                else:
                    g = len(groups)
                    groups.append(ThemeGroup(id=theme.id if r == 0 else f"{run_names[r]}/{theme.id}",
                                             label=theme.label, keywords=list(theme.keywords),
                                             members=[(r, theme)], similarity={key: None},
                                             how={key: "seed" if r == 0 else "unmatched"}))
                    sums.append(vecs[i].copy())
                home[key] = g

        # a theme left on its own: name the most similar theme of any other run, and how similar
        for g in groups:
            if len({r for r, _ in g.members}) > 1:
                continue
            for r, t in g.members:
                row = units[r][[x.id for x in runs[r]].index(t.id)]
                best = None
                for r2, themes2 in enumerate(runs):
                    if r2 == r or not themes2:
                        continue
                    sims2 = units[r2] @ row
                    j = int(np.argmax(sims2))
                    if best is None or sims2[j] > best[0]:
                        best = (round(float(sims2[j]), 4), groups[home[(r2, themes2[j].id)]].id)
                g.best[(r, t.id)] = best
        return groups


# =========================================================================== comparison
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
