"""Rank: order themes by support, breadth and strength of code fit.

The formula (written from the weights, `defaults.rank_formula`) and every theme's components are
written to themes.json, so a reader can see why one theme stands above another.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from .defaults import RANK_WEIGHTS, rank_formula
from .records import Segment, Theme

WEIGHTS = RANK_WEIGHTS
FORMULA = rank_formula(WEIGHTS)


def theme_spread(theme: Theme, by_id: dict[str, Segment]) -> dict[str, int]:
    """How many statements, sections (file, heading path, question), documents and events a theme spans."""
    segs = [by_id[s] for s in theme.segments]
    return {
        "statements": len(segs),
        "sections": len({(s.source, s.section_path, s.question or "") for s in segs}),
        "documents": len({s.source for s in segs}),
        "events": len({s.event for s in segs}),
    }


class ThemeRanker:
    """Scores and ranks themes: `weights` of support, breadth and fit (see `defaults.RANK_WEIGHTS`).

    Nothing is learned; `transform(themes, segments)` returns new themes by rank, with `score`,
    `components` and `rank` set ('unclustered' is scored but not ranked: rank 0, last).
    """

    def __init__(self, weights: dict[str, float] | None = None):
        self.weights = dict(weights or RANK_WEIGHTS)

    @property
    def formula(self) -> str:
        return rank_formula(self.weights)

    def fit(self, themes: Sequence[Theme] = (), segments: Sequence[Segment] = ()) -> "ThemeRanker":
        return self

    def transform(self, themes: Sequence[Theme], segments: Sequence[Segment]) -> list[Theme]:
        by_id = {s.id: s for s in segments}
        clustered = [t for t in themes if not t.is_unclustered]
        spreads = {t.id: theme_spread(t, by_id) for t in themes}
        top = {k: max((spreads[t.id][k] for t in clustered), default=1) or 1
               for k in ("statements", "sections", "documents", "events")}
        w = self.weights
        scored = []
        for theme in themes:
            spread = spreads[theme.id]
            fits = [by_id[s].nearest.score for s in theme.segments if by_id[s].nearest is not None]
            support = spread["statements"] / top["statements"]
            breadth = (spread["sections"] / top["sections"] + spread["documents"] / top["documents"]
                       + spread["events"] / top["events"]) / 3
            fit = min(1.0, max(0.0, sum(fits) / len(fits))) if fits else 0.0
            components = {**{k: float(v) for k, v in spread.items()},
                          "support": round(support, 4), "breadth": round(min(breadth, 1.0), 4), "fit": round(fit, 4)}
            score = round(w["support"] * support + w["breadth"] * min(breadth, 1.0) + w["fit"] * fit, 4)
            scored.append(replace(theme, components=components, score=score))
        ranked = sorted((t for t in scored if not t.is_unclustered), key=lambda t: (-t.score, -t.size, t.id))
        ranked = [replace(t, rank=rank) for rank, t in enumerate(ranked, start=1)]
        return ranked + [replace(t, rank=0) for t in scored if t.is_unclustered]


def rank_themes(themes: Sequence[Theme], segments: Sequence[Segment]) -> list[Theme]:
    """Score and rank themes with the default weights; returns new themes by rank ('unclustered' last)."""
    return ThemeRanker().transform(themes, segments)
