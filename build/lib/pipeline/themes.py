"""Themes: cluster statements into emergent themes, label them, pick quotes.

Three swappable parts, as in BERTopic: a reducer (optional), a clusterer and a
labeller. Each is a small object with parameters in __init__.

Sentence vectors from one community's notes are dense, so density-based
clustering (HDBSCAN) leaves most statements as noise; k-means gives every
statement a theme, and statements that sit far from their theme's centre are
moved to an explicit "unclustered" group rather than hidden.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np
from sklearn.cluster import KMeans

from . import text as T
from .records import UNCLUSTERED, Segment, Theme

EXTRA_STOP = {"need", "needs", "also", "etc", "eg", "e.g", "ie", "lot", "way", "thing", "get", "make", "use",
              "come", "go", "say", "want", "just", "really", "like", "well", "able", "bame", "bme"}


class Clusterer(Protocol):
    def fit_predict(self, vectors: np.ndarray) -> np.ndarray: ...


class Reducer(Protocol):
    def fit_transform(self, vectors: np.ndarray) -> np.ndarray: ...


def default_theme_count(n: int) -> int:
    """About one theme per fifty statements, growing slowly with corpus size."""
    return int(min(40, max(2, round(math.sqrt(n / 2)))))


class KMeansClusterer:
    def __init__(self, n_themes: int | None = None, seed: int = 0, n_init: int = 4):
        self.n_themes = n_themes
        self.seed = seed
        self.n_init = n_init

    def fit_predict(self, vectors: np.ndarray) -> np.ndarray:
        n = len(vectors)
        k = min(self.n_themes or default_theme_count(n), n)
        if k < 2:
            return np.zeros(n, dtype=int)
        return KMeans(n_clusters=k, n_init=self.n_init, random_state=self.seed).fit_predict(vectors)


def content_terms(texts: Sequence[str]) -> list[list[str]]:
    """Lemma unigrams and bigrams of adjacent content words, per text."""
    out = []
    for doc in T.nlp().pipe(texts):
        grams: list[str] = []
        prev: str | None = None
        for tok in doc:
            lem = tok.lemma_.lower().strip("'’-")
            if tok.is_alpha and len(lem) > 2 and not tok.is_stop and lem not in EXTRA_STOP \
                    and tok.lower_ not in EXTRA_STOP:
                grams.append(lem)
                if prev is not None:
                    grams.append(f"{prev} {lem}")
                prev = lem
            else:
                prev = None
        out.append(grams)
    return out


class CTfidfLabeller:
    """Class-based TF-IDF over lemma n-grams, weighted by how few themes use a term:
    the terms that set one theme apart."""

    def __init__(self, n_keywords: int = 8, n_label_terms: int = 3):
        self.n_keywords = n_keywords
        self.n_label_terms = n_label_terms

    def keywords(self, terms_by_theme: list[list[str]]) -> list[list[str]]:
        counts = [Counter(terms) for terms in terms_by_theme]
        total = Counter()
        for c in counts:
            total.update(c)
        avg_words = sum(sum(c.values()) for c in counts) / max(len(counts), 1)
        # how many themes use a term: with a dozen themes from one event, words like
        # "community" sit in all of them and would otherwise label every theme
        in_themes = Counter(term for c in counts for term in c)
        n_themes = len(counts)
        out = []
        for c in counts:
            size = sum(c.values()) or 1
            scored = sorted(
                ((term, (n / size) * math.log(1 + avg_words / total[term]) * math.log(1 + n_themes / in_themes[term]))
                 for term, n in c.items() if n >= 2),
                key=lambda ts: (-ts[1], ts[0]),
            )
            out.append([t for t, _ in scored[: self.n_keywords]])
        return out

    def label(self, keywords: list[str]) -> str:
        chosen: list[str] = []
        for term in sorted(keywords, key=lambda t: (-(" " in t), keywords.index(t)))[: self.n_keywords]:
            words = set(term.split())
            if any(words & set(c.split()) for c in chosen):
                continue
            chosen.append(term)
            if len(chosen) == self.n_label_terms:
                break
        chosen.sort(key=keywords.index)
        text = ", ".join(chosen) if chosen else "miscellaneous"
        return text[:1].upper() + text[1:]


def diverse_quotes(ids: Sequence[str], vectors: np.ndarray, centre: np.ndarray, texts: Sequence[str],
                   n: int = 5, diversity: float = 0.3, near_copy: float = 0.9) -> list[str]:
    """Maximal marginal relevance: central statements that are not near-copies of each other."""
    if not len(ids):
        return []
    relevance = vectors @ centre
    # very short or very long statements make poor quotes
    words = np.array([T.word_count(t) for t in texts])
    relevance = relevance - 0.1 * (words < 5) - 0.05 * (words > 60)
    chosen: list[int] = []
    candidates = list(range(len(ids)))
    while candidates and len(chosen) < n:
        best, best_score = None, -np.inf
        for i in candidates:
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            if redundancy >= near_copy:
                continue
            score = (1 - diversity) * relevance[i] - diversity * redundancy
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
        candidates.remove(best)
    # a theme of near-copies still shows three quotes, but never the same words twice
    for i in sorted(candidates, key=lambda i: -relevance[i]):
        if len(chosen) >= min(3, n):
            break
        if all(texts[i].strip().lower() != texts[j].strip().lower() for j in chosen):
            chosen.append(i)
    return [ids[i] for i in chosen]


@dataclass
class ThemeFinder:
    """Segments + vectors -> themes (plus one 'unclustered' theme when any statement fits none)."""

    clusterer: Clusterer | None = None
    labeller: CTfidfLabeller | None = None
    reducer: Reducer | None = None
    min_size: int = 3
    min_similarity: float = 0.35
    n_quotes: int = 5

    def fit(self, segments: Sequence[Segment], vectors: np.ndarray) -> list[Theme]:
        if not len(segments):
            return []
        clusterer = self.clusterer or KMeansClusterer()
        labeller = self.labeller or CTfidfLabeller()
        space = self.reducer.fit_transform(vectors) if self.reducer is not None else vectors
        labels = np.asarray(clusterer.fit_predict(space)).copy()

        # statements far from their theme's centre, and themes too small to stand, go to 'unclustered'
        for k in sorted(set(labels) - {-1}):
            members = np.flatnonzero(labels == k)
            centre = _unit(vectors[members].mean(axis=0))
            far = members[(vectors[members] @ centre) < self.min_similarity]
            labels[far] = -1
            if (labels == k).sum() < self.min_size:
                labels[labels == k] = -1

        groups = [np.flatnonzero(labels == k) for k in sorted(set(labels) - {-1})]
        centres = [_unit(vectors[g].mean(axis=0)) for g in groups]
        order = sorted(range(len(groups)), key=lambda i: (-len(groups[i]), segments[groups[i][0]].id))
        groups = [groups[i] for i in order]
        centres = [centres[i] for i in order]

        texts = [s.text for s in segments]
        terms = content_terms(texts)
        keywords = labeller.keywords([[t for i in g for t in terms[i]] for g in groups])

        themes: list[Theme] = []
        for number, (g, centre, kw) in enumerate(zip(groups, centres, keywords), start=1):
            by_centrality = g[np.argsort(-(vectors[g] @ centre), kind="stable")]
            ids = [segments[i].id for i in by_centrality]
            quotes = diverse_quotes(ids, vectors[by_centrality], centre, [texts[i] for i in by_centrality],
                                    n=self.n_quotes)
            themes.append(Theme(id=f"theme-{number:02d}", label=labeller.label(kw), keywords=kw,
                                segments=ids, quotes=quotes))
        rest = np.flatnonzero(labels == -1)
        if len(rest):
            themes.append(Theme(id=UNCLUSTERED, label="Unclustered statements", keywords=[],
                                segments=[segments[i].id for i in rest], quotes=[]))
        by_id = {s.id: s for s in segments}
        for theme in themes:
            for sid in theme.segments:
                by_id[sid].theme = theme.id
        return themes


def theme_centres(themes: Sequence[Theme], segments: Sequence[Segment], vectors: np.ndarray) -> dict[str, np.ndarray]:
    index = {s.id: i for i, s in enumerate(segments)}
    return {t.id: _unit(vectors[[index[s] for s in t.segments]].mean(axis=0))
            for t in themes if not t.is_unclustered and t.segments}


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v
