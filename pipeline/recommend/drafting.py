"""Drafting: one plan per action heading, each recommendation traceable to the statements behind it."""
from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from .. import text as T
from ..codebook import Codebook
from ..defaults import LOOSE_THRESHOLD, MAX_PER_HEADING, MERGE_SIMILARITY, MIN_PER_HEADING
from ..records import HeadingPlan, Recommendation, Segment, Theme
from .proposals import draft_action, drafts_cleanly, is_proposal


def _candidates(code: str, segments: Sequence[Segment], themes_by_id: dict[str, Theme],
                loose_threshold: float) -> list[Segment]:
    """Statements under this heading: coded to it first; or uncoded, nearest to it, and either inside
    a theme coded to it or within `loose_threshold` of it (a proposal should land somewhere).

    Each statement supports one heading only, its best code's, so one proposal
    is not drafted twice under two headings.
    """
    out = []
    for seg in segments:
        own = seg.primary == code
        theme = themes_by_id.get(seg.theme or "")
        nearest = not seg.codes and seg.nearest is not None and seg.nearest.code == code
        via_theme = nearest and theme is not None and any(c.code == code for c in theme.codes)
        close = nearest and seg.nearest.score >= loose_threshold
        if (own or via_theme or close) and is_proposal(seg) and drafts_cleanly(seg):
            out.append(seg)
    return out


class RecommendationDrafter:
    """Codebook headings + coded, themed statements -> one HeadingPlan per action heading.

    Under each heading the statements that propose a change are gathered, near-duplicates merged
    (average-linkage clustering at `merge_similarity`), the groups ranked by support and breadth, and
    each written as one short action in the words of its most typical statement. Nothing is learned,
    so `fit` is the Stage default; `transform` (alias `draft`) returns new plans.
    """

    def __init__(self, min_per_heading: int = MIN_PER_HEADING, max_per_heading: int = MAX_PER_HEADING,
                 merge_similarity: float = MERGE_SIMILARITY, loose_threshold: float = LOOSE_THRESHOLD):
        self.min_per_heading = min_per_heading
        self.max_per_heading = max_per_heading
        self.merge_similarity = merge_similarity
        self.loose_threshold = loose_threshold

    def _groups(self, vectors: np.ndarray) -> list[list[int]]:
        if len(vectors) == 1:
            return [[0]]
        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=1 - self.merge_similarity).fit_predict(vectors)
        groups: dict[int, list[int]] = {}
        for i, label in enumerate(labels):
            groups.setdefault(int(label), []).append(i)
        return list(groups.values())

    def draft(self, codebook: Codebook, segments: Sequence[Segment], vectors: np.ndarray,
              themes: Sequence[Theme]) -> list[HeadingPlan]:
        index = {s.id: i for i, s in enumerate(segments)}
        themes_by_id = {t.id: t for t in themes}
        plans = []
        for code in codebook.headings:
            recommendations: list[Recommendation] = []
            cands = _candidates(code.id, segments, themes_by_id, self.loose_threshold)
            if cands:
                vecs = vectors[[index[s.id] for s in cands]]
                recs = []
                for group in self._groups(vecs):
                    members = [cands[i] for i in group]
                    centre = vecs[group].mean(axis=0)
                    # the wording comes from the most typical statement, preferring concise ones
                    typical = max(range(len(group)), key=lambda j: (
                        float(vecs[group[j]] @ centre) - 0.004 * max(0, T.word_count(members[j].text) - 25),
                        -j))
                    source = members[typical]
                    score = float(np.mean([next((c.score for c in m.codes if c.code == code.id),
                                                m.nearest.score if m.nearest else 0.0) for m in members]))
                    recs.append((Recommendation(
                        text=draft_action(source.text), support=len(members),
                        sections=len({(m.source, m.section_path, m.question or "") for m in members}),
                        evidence=[m.id for m in members],
                        themes=sorted({m.theme for m in members if m.theme}), source_text=source.text,
                    ), score))
                recs.sort(key=lambda rs: (-rs[0].support, -rs[0].sections, -rs[1], rs[0].evidence[0]))
                recommendations = [r for r, _ in recs[: self.max_per_heading]]
            n = len(recommendations)
            note = None
            if n == 0:
                note = "No statement proposing a change was coded to this heading: too little evidence to draft a recommendation."
            elif n < self.min_per_heading:
                note = (f"Too little evidence: only {n} distinct proposal{'s' if n > 1 else ''} "
                             f"({sum(r.support for r in recommendations)} statements) under this heading; "
                             "treat these as leads to check, not a plan.")
            plans.append(HeadingPlan(code=code.id, heading=code.heading or code.label,
                                     recommendations=recommendations, note=note))
        return plans

    transform = draft
