"""ThemeFinder: statements and their vectors to emergent themes.

Three swappable parts, as in BERTopic: a reducer (optional), a clusterer (`cluster`) and a labeller
(`label`); quotes are picked by `quotes.diverse_quotes`.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from ..defaults import LABEL_SAMPLE, MIN_THEME_SIZE, N_QUOTES, QUOTE_POOL, THEME_MIN_SIMILARITY
from ..records import UNCLUSTERED, Segment, Theme
from .cluster import Clusterer, KMeansClusterer, Reducer
from .label import CTfidfLabeller, content_terms
from .quotes import diverse_quotes


class ThemeFinder:
    """Segments + vectors -> themes (plus one 'unclustered' theme when any statement fits none).

    `fit(segments, vectors)` learns the themes and returns the finder: `themes_` (themes.json order:
    largest first, "unclustered" last, unranked) and `theme_of_` (segment id -> theme id).
    `transform(segments)` returns new segments with their `theme` set; the ones given are not changed.
    `vectors` is (len(segments), dimensions), unit rows, in segment order.
    """

    def __init__(self, clusterer: Clusterer | None = None, labeller: CTfidfLabeller | None = None,
                 reducer: Reducer | None = None, min_size: int = MIN_THEME_SIZE,
                 min_similarity: float = THEME_MIN_SIMILARITY, n_quotes: int = N_QUOTES,
                 label_sample: int = LABEL_SAMPLE, quote_pool: int = QUOTE_POOL):
        self.clusterer = clusterer
        self.labeller = labeller
        self.reducer = reducer
        self.min_size = min_size
        self.min_similarity = min_similarity
        self.n_quotes = n_quotes
        self.label_sample = label_sample  # statements per theme whose words make its keywords (defaults.LABEL_SAMPLE)
        self.quote_pool = quote_pool  # statements nearest the centre that quotes are chosen from

    def fit(self, segments: Sequence[Segment], vectors: np.ndarray) -> "ThemeFinder":
        self.themes_ = self._find(segments, vectors)
        self.theme_of_ = {sid: theme.id for theme in self.themes_ for sid in theme.segments}
        return self

    def transform(self, segments: Sequence[Segment]) -> list[Segment]:
        return [replace(s, theme=self.theme_of_.get(s.id)) for s in segments]

    def fit_transform(self, segments: Sequence[Segment], vectors: np.ndarray) -> list[Segment]:
        return self.fit(segments, vectors).transform(segments)

    def _find(self, segments: Sequence[Segment], vectors: np.ndarray) -> list[Theme]:
        if not len(segments):
            return []
        clusterer = self.clusterer or KMeansClusterer()
        labeller = self.labeller or CTfidfLabeller()
        space = self.reducer.fit_transform(vectors) if self.reducer is not None else vectors
        labels = np.asarray(clusterer.fit_predict(space)).copy()

        # statements far from their theme's centre, and themes too small to stand, go to 'unclustered'
        for k in sorted(set(labels) - {-1}):
            members = np.flatnonzero(labels == k)
            centre = unit(vectors[members].mean(axis=0))
            far = members[(vectors[members] @ centre) < self.min_similarity]
            labels[far] = -1
            if (labels == k).sum() < self.min_size:
                labels[labels == k] = -1

        groups = [np.flatnonzero(labels == k) for k in sorted(set(labels) - {-1})]
        centres = [unit(vectors[g].mean(axis=0)) for g in groups]
        order = sorted(range(len(groups)), key=lambda i: (-len(groups[i]), segments[groups[i][0]].id))
        groups = [groups[i] for i in order]
        centres = [centres[i] for i in order]

        texts = [s.text for s in segments]
        ordered = [g[np.argsort(-(vectors[g] @ centre), kind="stable")] for g, centre in zip(groups, centres)]
        # keywords from a bounded sample of each theme (all of it up to label_sample): spaCy stays linear
        samples = [label_sample(o, self.label_sample) for o in ordered]
        read = sorted({int(i) for sample in samples for i in sample})
        terms = dict(zip(read, content_terms([texts[i] for i in read])))
        keywords = labeller.keywords([[t for i in sample for t in terms[int(i)]] for sample in samples])

        names = labeller.labels([[texts[i] for i in o] for o in ordered], centres, keywords)
        themes: list[Theme] = []
        for number, (by_centrality, centre, kw, label) in enumerate(zip(ordered, centres, keywords, names), start=1):
            ids = [segments[i].id for i in by_centrality]
            pool = by_centrality[: self.quote_pool]  # quotes are central: MMR over the nearest only
            quotes = diverse_quotes(ids[: len(pool)], vectors[pool], centre, [texts[i] for i in pool],
                                    n=self.n_quotes)
            themes.append(Theme(id=f"theme-{number:02d}", label=label, keywords=kw, segments=ids, quotes=quotes))
        rest = np.flatnonzero(labels == -1)
        if len(rest):
            themes.append(Theme(id=UNCLUSTERED, label="Unclustered statements", keywords=[],
                                segments=[segments[i].id for i in rest], quotes=[]))
        return themes


def label_sample(by_centrality: np.ndarray, cap: int) -> np.ndarray:
    """At most `cap` of a theme's members (given most central first): all of them when they fit, else the
    cap/2 most central and the rest spread evenly through the others, so keywords see the whole theme."""
    if len(by_centrality) <= cap:
        return by_centrality
    head = cap // 2
    rest = by_centrality[head:]
    spread = np.unique(np.linspace(0, len(rest) - 1, cap - head).round().astype(int))
    return np.concatenate([by_centrality[:head], rest[spread]])


def theme_centres(themes: Sequence[Theme], segments: Sequence[Segment], vectors: np.ndarray) -> dict[str, np.ndarray]:
    """Each clustered theme's unit mean vector, by theme id (themes.json's `centroid`)."""
    index = {s.id: i for i, s in enumerate(segments)}
    return {t.id: unit(vectors[[index[s] for s in t.segments]].mean(axis=0))
            for t in themes if not t.is_unclustered and t.segments}


def unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v
