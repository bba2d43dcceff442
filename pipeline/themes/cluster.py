"""Clustering statement vectors into groups: the swappable clusterer (and optional reducer) of ThemeFinder.

Sentence vectors from one community's notes are dense, so density-based clustering (HDBSCAN) leaves most
statements as noise; k-means gives every statement a group, and ThemeFinder then moves statements far from
their group's centre to an explicit "unclustered" group rather than hiding them.
"""
from __future__ import annotations

from typing import Protocol

import numpy as np
from sklearn.cluster import KMeans

from ..defaults import KMEANS_N_INIT, SEED, theme_count


class Clusterer(Protocol):
    def fit_predict(self, vectors: np.ndarray) -> np.ndarray: ...


class Reducer(Protocol):
    def fit_transform(self, vectors: np.ndarray) -> np.ndarray: ...


def default_theme_count(n: int) -> int:
    """The number of themes for `n` statements (defaults.theme_count: about sqrt(n / 2), 2 to 40)."""
    return theme_count(n)


class KMeansClusterer:
    def __init__(self, n_themes: int | None = None, seed: int = SEED, n_init: int = KMEANS_N_INIT):
        self.n_themes = n_themes
        self.seed = seed
        self.n_init = n_init

    def fit_predict(self, vectors: np.ndarray) -> np.ndarray:
        n = len(vectors)
        k = min(self.n_themes or default_theme_count(n), n)
        if k < 2:
            return np.zeros(n, dtype=int)
        return KMeans(n_clusters=k, n_init=self.n_init, random_state=self.seed).fit_predict(vectors)
