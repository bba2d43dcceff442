"""The statistics of a comparison: Wilson intervals, share tests, Benjamini-Hochberg."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np



def wilson(count: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval for a proportion."""
    if n == 0:
        return 0.0, 1.0
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_interval(a: int, n_a: int, b: int, n_b: int) -> tuple[float, float]:
    """95% interval for b/n_b - a/n_a (Newcombe's hybrid score method: fine with small counts)."""
    p_a, p_b = a / n_a, b / n_b
    la, ua = wilson(a, n_a)
    lb, ub = wilson(b, n_b)
    d = p_b - p_a
    return d - math.sqrt((p_b - lb) ** 2 + (ua - p_a) ** 2), d + math.sqrt((ub - p_b) ** 2 + (p_a - la) ** 2)


def share_test(a: int, n_a: int, b: int, n_b: int, alpha: float = 0.05) -> dict[str, Any]:
    """Is a share different between two sides? a of n_a statements against b of n_b.

    Chi-square (with Yates' correction) when every expected count is 5 or more,
    else Fisher's exact test. `too_few` says whether even the most lopsided split
    of these a + b statements could reach significance at `alpha`.
    """
    from scipy.stats import chi2_contingency, fisher_exact

    m = a + b
    table = [[a, n_a - a], [b, n_b - b]]
    out: dict[str, Any] = {"delta": b / n_b - a / n_a, "ci": list(difference_interval(a, n_a, b, n_b))}
    if m == 0 or m == n_a + n_b:
        return {**out, "test": None, "p": None, "too_few": True, "min_p": 1.0}
    expected = np.outer([n_a, n_b], [m, n_a + n_b - m]) / (n_a + n_b)
    if expected.min() >= 5:
        p = float(chi2_contingency(table, correction=True).pvalue)
        test = "chi-square"
    else:
        p = float(fisher_exact(table).pvalue)
        test = "Fisher"
    # the most lopsided splits the margins allow: everything on one side or the other
    extremes = []
    for in_a in (min(m, n_a), max(0, m - n_b)):
        extremes.append(float(fisher_exact([[in_a, n_a - in_a], [m - in_a, n_b - m + in_a]]).pvalue))
    min_p = min(extremes)
    return {**out, "test": test, "p": p, "too_few": min_p >= alpha, "min_p": min_p}


def across_events_test(counts: Sequence[int], totals: Sequence[int]) -> dict[str, Any]:
    """Chi-square test that a theme's share is the same in every event (2 x k table)."""
    from scipy.stats import chi2_contingency

    counts, totals = np.asarray(counts), np.asarray(totals)
    if counts.sum() in (0, totals.sum()) or len(counts) < 2:  # no statements, or nothing else to compare with
        return {"test": None, "p": None, "approximate": False}
    table = np.vstack([counts, totals - counts])
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    res = chi2_contingency(table, correction=False)
    # Cochran's rule: the chi-square approximation is rough when many expected counts are small
    return {"test": "chi-square", "p": float(res.pvalue), "approximate": bool((expected < 5).mean() > 0.2)}


def benjamini_hochberg(pvalues: Sequence[float | None]) -> list[float | None]:
    """q-values (Benjamini-Hochberg) over the p-values that exist; None stays None."""
    from scipy.stats import false_discovery_control

    idx = [i for i, p in enumerate(pvalues) if p is not None]
    out: list[float | None] = [None] * len(pvalues)
    if idx:
        q = false_discovery_control([pvalues[i] for i in idx], method="bh")
        for i, v in zip(idx, q):
            out[i] = float(v)
    return out


# =========================================================================== matching
