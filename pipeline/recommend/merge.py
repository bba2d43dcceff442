"""Merging proposals that ask for the same thing, and counting the support behind each merged ask.

The work is bounded: proposals are split into cells of at most `cell_size` (by mini-batch k-means, only
when there are more than that), average-linkage clustering runs inside each cell (cell_size² similarities,
never n²; cells are shared among forked workers, one per core), and one more pass over the groups' centres
joins groups of one ask that fell into different cells. On two cores, 20,000 proposals took about 10 s and
100,000 about 40 s before the cells were shared (lab figures, synthetic clustered vectors).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..defaults import MERGE_CELL_SIZE, MERGE_CENTRE_MARGIN, MERGE_SIMILARITY, SEED, SUPPORT_WEIGHTS
from ..parallel import fork_map
from ..records import Segment


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    norms[norms == 0] = 1
    return m / norms


def _agglomerate(vectors: np.ndarray, threshold: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    return AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                   distance_threshold=1 - threshold).fit_predict(vectors)


def _agglomerate_job(job: tuple[np.ndarray, float]) -> np.ndarray:
    return _agglomerate(*job)


def _agglomerate_cells(vectors: np.ndarray, cells: list[np.ndarray], threshold: float) -> list[np.ndarray]:
    """`_agglomerate` of each cell's rows; several cells are shared among forked workers, one per core
    (`parallel.fork_map`): each cell is clustered on its own, so the labels are the same wherever it ran."""
    jobs = [(vectors[cell], threshold) for cell in cells]
    return fork_map(_agglomerate_job, jobs)  # one cell: run here (fork_map forks for two or more)


def _cells(vectors: np.ndarray, cell_size: int, seed: int) -> list[np.ndarray]:
    """Row indices in cells of at most `cell_size`: one cell when that is enough, else a rough
    mini-batch k-means partition (one start, few passes, fitted on a sample: cells only bound the work)."""
    n = len(vectors)
    if n <= cell_size:
        return [np.arange(n)]
    from sklearn.cluster import MiniBatchKMeans

    k = math.ceil(2 * n / cell_size)  # cells average half the limit, so few overflow
    rng = np.random.default_rng(seed)
    sample = vectors[np.sort(rng.choice(n, size=min(n, 50 * k), replace=False))]
    km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=2048, n_init=1, max_iter=20,
                         init_size=min(len(sample), 10 * k)).fit(sample)
    labels = km.predict(vectors)
    out = []
    for c in range(k):
        idx = np.flatnonzero(labels == c)
        # an overflowing cell is cut in order; its pieces meet again in the centre pass
        out.extend(idx[i: i + cell_size] for i in range(0, len(idx), cell_size))
    return [c for c in out if len(c)]


def merge_groups(vectors: np.ndarray, keys: Sequence[str], threshold: float = MERGE_SIMILARITY,
                 cell_size: int = MERGE_CELL_SIZE, seed: int = SEED) -> list[list[int]]:
    """Groups of row indices that ask for the same thing (average cosine within a group >= `threshold`).

    `vectors`: (n, d) sentence vectors; `keys`: a stable id per row (statement ids), so the groups do not
    depend on the order rows come in. Returns sorted index lists, ordered by their smallest key.
    """
    n = len(vectors)
    if n == 0:
        return []
    order = sorted(range(n), key=lambda i: keys[i])
    vecs = _unit_rows(np.asarray(vectors, dtype=np.float32)[order])
    groups: list[list[int]] = []
    cells = _cells(vecs, cell_size, seed)
    for cell, labels in zip(cells, _agglomerate_cells(vecs, cells, threshold)):
        for lab in sorted(set(labels.tolist())):
            groups.append(sorted(cell[labels == lab].tolist()))
    if n > cell_size and len(groups) > 1:  # join one ask split across cells
        centres = _unit_rows(np.stack([vecs[g].mean(axis=0) for g in groups]))
        joined: list[list[int]] = []
        cells = _cells(centres, cell_size, seed)
        for cell, labels in zip(cells, _agglomerate_cells(centres, cells, threshold + MERGE_CENTRE_MARGIN)):
            for lab in sorted(set(labels.tolist())):
                joined.append(sorted(i for gi in cell[labels == lab] for i in groups[gi]))
        groups = joined
    out = [sorted(order[i] for i in g) for g in groups]
    out.sort(key=lambda g: min(keys[i] for i in g))
    return out


@dataclass(frozen=True)
class Support:
    """Distinct statements, sections (event, file, heading path, question) and events behind one recommendation."""

    statements: int
    sections: int
    events: int

    def score(self, weights: dict[str, float] = SUPPORT_WEIGHTS) -> float:
        """Support and breadth in one number (see defaults.SUPPORT_WEIGHTS)."""
        return (weights["statements"] * self.statements + weights["sections"] * (self.sections - 1)
                + weights["events"] * (self.events - 1))


def support(members: Sequence[Segment]) -> Support:
    return Support(statements=len({m.id for m in members}),
                   sections=len({(m.event, m.source, m.section_path, m.question or "") for m in members}),
                   events=len({m.event for m in members}))
