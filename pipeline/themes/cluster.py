"""Clustering statement vectors into groups: the swappable clusterer (and optional reducer) of ThemeFinder.

Sentence vectors from one community's notes are dense, so density-based clustering (HDBSCAN) leaves most
statements as noise; k-means gives every statement a group, and ThemeFinder then moves statements far from
their group's centre to an explicit "unclustered" group rather than hiding them.

At scale k-means stays linear: above `KMEANS_SAMPLE` statements it is fitted on a sample of that size
(picked by a hash of each vector, so the input order does not matter), every statement then joins its
nearest centre, and `KMEANS_REFINE_PASSES` full passes move each centre to the mean of its members.
Up to that size it is plain k-means, exactly as before.
"""
from __future__ import annotations

from typing import Protocol

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans

from ..defaults import KMEANS_N_INIT, KMEANS_REFINE_PASSES, KMEANS_SAMPLE, SEED, theme_count


class Clusterer(Protocol):
    def fit_predict(self, vectors: np.ndarray) -> np.ndarray: ...


class Reducer(Protocol):
    def fit_transform(self, vectors: np.ndarray) -> np.ndarray: ...


def default_theme_count(n: int) -> int:
    """The number of themes for `n` statements (defaults.theme_count: about sqrt(n / 2), 2 to 40)."""
    return theme_count(n)


class KMeansClusterer:
    """k-means with k = `n_themes` or `theme_count(n)`; `fit_predict(vectors)` -> (n,) int labels.

    `sample`: most statements k-means itself sees (above it: sample fit, then `refine` full passes; see
    the module docstring). `chunk`: rows per distance block, so memory stays chunk x k.
    """

    def __init__(self, n_themes: int | None = None, seed: int = SEED, n_init: int = KMEANS_N_INIT,
                 sample: int = KMEANS_SAMPLE, refine: int = KMEANS_REFINE_PASSES, chunk: int = 65_536):
        self.n_themes = n_themes
        self.seed = seed
        self.n_init = n_init
        self.sample = sample
        self.refine = refine
        self.chunk = chunk

    def fit_predict(self, vectors: np.ndarray) -> np.ndarray:
        n = len(vectors)
        k = min(self.n_themes or default_theme_count(n), n)
        if k < 2:
            return np.zeros(n, dtype=int)
        if n <= self.sample:
            return KMeans(n_clusters=k, n_init=self.n_init, random_state=self.seed).fit_predict(vectors)
        X = np.asarray(vectors, dtype=np.float32)
        keys = row_keys(X)
        picked = np.argsort(keys, kind="stable")[: self.sample]  # in key order: the same rows, in the same order
        centres = KMeans(n_clusters=k, n_init=self.n_init, random_state=self.seed).fit(X[picked]).cluster_centers_
        centres = centres.astype(np.float32)
        for _ in range(self.refine):
            labels = self._nearest(X, centres)
            members = sparse.csr_matrix((np.ones(n, dtype=np.float32), (labels, np.arange(n))), shape=(k, n))
            counts = np.asarray(members.sum(axis=1)).ravel()
            sums = np.asarray(members @ X)
            centres = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], centres).astype(np.float32)
        return self._nearest(X, centres)

    def _nearest(self, X: np.ndarray, centres: np.ndarray) -> np.ndarray:
        """Index of each row's nearest centre (squared Euclidean), chunk by chunk."""
        sq = (centres * centres).sum(axis=1)
        out = np.empty(len(X), dtype=np.int64)
        for start in range(0, len(X), self.chunk):
            block = X[start:start + self.chunk]
            out[start:start + len(block)] = (sq[None, :] - 2.0 * (block @ centres.T)).argmin(axis=1)
        return out


def row_keys(X: np.ndarray, chunk: int = 8_192) -> np.ndarray:
    """A 64-bit key per row from its float32 bits (a fixed multiply-and-add hash): equal rows, equal keys;
    the same row gets the same key wherever it sits, so a sample by key ignores input order. `chunk` rows
    at a time (each row is widened to 8 bytes per dimension twice: 8,192 rows x 384 dimensions = 50 MB)."""
    bits = np.ascontiguousarray(X, dtype=np.float32).view(np.uint32)
    weights = np.random.default_rng(0x5EED).integers(1, 2**63, size=bits.shape[1], dtype=np.uint64) | np.uint64(1)
    keys = np.empty(len(X), dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping is the hash
        for start in range(0, len(X), chunk):
            block = bits[start:start + chunk].astype(np.uint64)
            keys[start:start + len(block)] = (block * weights[None, :]).sum(axis=1, dtype=np.uint64)
    return keys
