"""Theme finding stays linear at scale: sampled k-means, bounded label samples and quote pools."""
from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from pipeline.themes.cluster import KMeansClusterer, row_keys
from pipeline.themes.finder import label_sample


def blobs(n: int, k: int = 6, d: int = 32, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """n unit vectors around k random directions (cosine to their centre about 0.9): k clear themes."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, d))
    truth = rng.integers(0, k, size=n)
    x = centres[truth] / np.linalg.norm(centres[truth], axis=1, keepdims=True) + 0.05 * rng.normal(size=(n, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), truth


def test_up_to_the_sample_size_it_is_plain_kmeans():
    x, _ = blobs(500)
    ours = KMeansClusterer(n_themes=6, sample=500).fit_predict(x)
    plain = KMeans(n_clusters=6, n_init=4, random_state=0).fit_predict(x)
    assert np.array_equal(ours, plain)


def test_above_it_the_sample_fit_finds_the_themes_whatever_the_input_order():
    x, truth = blobs(3000)
    labels = KMeansClusterer(n_themes=6, sample=400, refine=2).fit_predict(x)
    assert adjusted_rand_score(truth, labels) > 0.99
    order = np.random.default_rng(7).permutation(len(x))
    shuffled = KMeansClusterer(n_themes=6, sample=400, refine=2).fit_predict(x[order])
    assert np.array_equal(labels[order], shuffled)  # the same sample, the same centres, the same labels


def test_row_keys_depend_on_the_row_alone():
    x, _ = blobs(50)
    keys = row_keys(x)
    assert len(set(keys.tolist())) == 50
    assert np.array_equal(row_keys(x[::-1], chunk=7), keys[::-1])


def test_label_sample_is_bounded_and_keeps_the_most_central():
    members = np.arange(1000)  # most central first
    sample = label_sample(members, 100)
    assert len(sample) == 100 and list(sample[:50]) == list(range(50))
    assert sample[-1] == 999 and len(set(sample.tolist())) == 100  # spread to the far end, no repeats
    assert list(label_sample(members[:80], 100)) == list(range(80))  # a small theme is read whole
