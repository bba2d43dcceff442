"""Merge the same statement pasted into two files of one event, so it counts once.

Two statements are duplicates when, after folding case, punctuation and
spacing, they are the same, or nearly the same (a typo, a changed word:
similarity of at least `min_ratio`). Only statements from *different files of
the same event* are merged: a point raised at two events counts twice, and a
point made twice in one file's notes (at two tables, say) stays twice.

The kept statement lists the ids it stands for in `attributes["duplicates"]`
and the number of copies in `attributes["copies"]`; each merged copy is
recorded in its own file's ingest report as a dropped line ("duplicate").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Sequence

from ..records import DroppedLine, IngestReport, Segment

WORD_RE = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Case, accents, quotes, punctuation and spacing folded away: the statement's words only."""
    text = unicodedata.normalize("NFKD", text.lower())
    return " ".join(WORD_RE.findall(text))


def merge_duplicates(segments: Sequence[Segment], reports: Sequence[IngestReport],
                     min_ratio: float = 0.93) -> list[Segment]:
    """New segments with cross-file duplicates within an event merged into the first copy.

    The input segments are left as they are; each merged copy is recorded as a
    dropped line ("duplicate") in its file's report, whose statement count drops by one.
    """
    by_source = {r.source: r for r in reports}
    kept: list[Segment] = []
    exact: dict[tuple[str, str], list[Segment]] = {}
    near: dict[tuple[str, str], list[Segment]] = {}  # (event, first or last four words) -> candidates
    sources: dict[str, set[str]] = {}  # kept id -> files it already stands for
    norms: dict[str, str] = {}
    replaced: dict[str, str] = {}  # merged id -> kept id
    merged: dict[str, list[str]] = {}  # kept id -> ids merged into it

    def home(seg: Segment, candidates: list[Segment]) -> Segment | None:
        return next((k for k in candidates if seg.source not in sources[k.id]), None)

    for seg in segments:
        norm = normalise(seg.text)
        words = norm.split()
        keys = [(seg.event, "^" + " ".join(words[:4])), (seg.event, "$" + " ".join(words[-4:]))]
        target = home(seg, exact.get((seg.event, norm), [])) if norm else None
        if target is None and len(words) >= 4:
            for cand in {k.id: k for key in keys for k in near.get(key, [])}.values():
                other = norms[cand.id]
                if seg.source in sources[cand.id] or not 0.8 <= len(norm) / max(1, len(other)) <= 1.25:
                    continue
                if SequenceMatcher(None, norm, other, autojunk=False).ratio() >= min_ratio:
                    target = cand
                    break
        if target is None:
            kept.append(seg)
            sources[seg.id] = {seg.source}
            norms[seg.id] = norm
            exact.setdefault((seg.event, norm), []).append(seg)
            for key in keys:
                near.setdefault(key, []).append(seg)
            continue
        sources[target.id].add(seg.source)
        merged.setdefault(target.id, []).append(seg.id)
        replaced[seg.id] = target.id
        report = by_source.get(seg.source)
        if report is not None:
            report.dropped.append(DroppedLine(seg.line_start, "duplicate", f"{seg.text} (kept as {target.id})"))
            report.dropped.sort(key=lambda d: d.line)
            report.segments -= 1
    out = []
    for seg in kept:
        changes: dict = {}
        if seg.id in merged:
            changes["attributes"] = {**seg.attributes, "duplicates": merged[seg.id],
                                     "copies": len(merged[seg.id]) + 1}
        if seg.parent in replaced:  # a sub-bullet whose parent was merged hangs from the kept copy
            changes["parent"] = replaced[seg.parent]
        out.append(replace(seg, **changes) if changes else seg)
    return out
