"""Rank: order themes by support, breadth and strength of code fit.

The formula and every theme's components are written to themes.json, so a
reader can see why one theme stands above another.
"""
from __future__ import annotations

from typing import Sequence

from .records import Segment, Theme

WEIGHTS = {"support": 0.5, "breadth": 0.3, "fit": 0.2}
FORMULA = (
    "score = 0.5 * support + 0.3 * breadth + 0.2 * fit, where support = statements / statements in the "
    "largest theme; breadth = mean of (sections, documents, events) each divided by the most any theme has; "
    "fit = mean over the theme's statements of their best code score (0 to 1)"
)


def theme_spread(theme: Theme, by_id: dict[str, Segment]) -> dict[str, int]:
    segs = [by_id[s] for s in theme.segments]
    return {
        "statements": len(segs),
        "sections": len({(s.source, s.section_path, s.question or "") for s in segs}),
        "documents": len({s.source for s in segs}),
        "events": len({s.event for s in segs}),
    }


def rank_themes(themes: Sequence[Theme], segments: Sequence[Segment]) -> list[Theme]:
    """Score and rank themes in place; 'unclustered' is reported but not ranked. Returns themes by rank."""
    by_id = {s.id: s for s in segments}
    ranked = [t for t in themes if not t.is_unclustered]
    spreads = {t.id: theme_spread(t, by_id) for t in themes}
    top = {k: max((spreads[t.id][k] for t in ranked), default=1) or 1
           for k in ("statements", "sections", "documents", "events")}
    for theme in themes:
        spread = spreads[theme.id]
        fits = [by_id[s].nearest.score for s in theme.segments if by_id[s].nearest is not None]
        support = spread["statements"] / top["statements"]
        breadth = (spread["sections"] / top["sections"] + spread["documents"] / top["documents"]
                   + spread["events"] / top["events"]) / 3
        fit = min(1.0, max(0.0, sum(fits) / len(fits))) if fits else 0.0
        theme.components = {**{k: float(v) for k, v in spread.items()},
                            "support": round(support, 4), "breadth": round(min(breadth, 1.0), 4),
                            "fit": round(fit, 4)}
        theme.score = round(WEIGHTS["support"] * support + WEIGHTS["breadth"] * min(breadth, 1.0)
                            + WEIGHTS["fit"] * fit, 4)
    ranked.sort(key=lambda t: (-t.score, -t.size, t.id))
    for rank, theme in enumerate(ranked, start=1):
        theme.rank = rank
    rest = [t for t in themes if t.is_unclustered]
    for theme in rest:
        theme.rank = 0
    return ranked + rest
