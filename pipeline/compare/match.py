"""Matching themes across separate runs: the same theme gets one identity (ThemeMatcher)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .runs import RunThemes



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
