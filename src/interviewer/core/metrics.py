"""Agreement metrics between a grader and human labels: Pearson, Spearman, quadratic weighted kappa, MAE.

Pure Python (no numpy): `interviewer eval` and the benchmarks use these on a few thousand numbers at most.
A metric that is undefined for the input (fewer than two items, or no variance on one side) is None, never a
made-up 0: a constant grader has no correlation with anything, and saying 0.0 would hide that.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def _check(x: Sequence[float], y: Sequence[float]) -> None:
    if len(x) != len(y):
        raise ValueError(f"need two sequences of the same length (got {len(x)} and {len(y)})")


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson's product-moment correlation; None when undefined."""
    _check(x, y)
    n = len(x)
    if n < 2:
        return None
    mx = math.fsum(x) / n
    my = math.fsum(y) / n
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = math.fsum((a - mx) ** 2 for a in x)
    syy = math.fsum((b - my) ** 2 for b in y)
    if sxx <= 0 or syy <= 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties given the average of the ranks they span (as scipy.stats.rankdata 'average')."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        avg = (i + j) / 2.0 + 1.0
        for k in range(i, j + 1):
            out[order[k]] = avg
        i = j + 1
    return out


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rank correlation (Pearson on average ranks, so ties are handled); None when undefined."""
    _check(x, y)
    return pearson(ranks(x), ranks(y))


def quadratic_weighted_kappa(a: Sequence[int], b: Sequence[int], min_rating: int | None = None,
                             max_rating: int | None = None) -> float | None:
    """Cohen's kappa with quadratic weights between two integer ratings on the same scale.

    The scale is min_rating..max_rating (default: the range seen). None when undefined (fewer than two items,
    or a single category on the whole scale, or both raters constant at the same value).
    """
    _check(a, b)
    if len(a) < 2:
        return None
    lo = min(min(a), min(b)) if min_rating is None else min_rating
    hi = max(max(a), max(b)) if max_rating is None else max_rating
    k = hi - lo + 1
    if k < 2:
        return None
    for v in (*a, *b):
        if not lo <= v <= hi:
            raise ValueError(f"rating {v} outside the scale {lo}..{hi}")
    n = len(a)
    observed = [[0.0] * k for _ in range(k)]
    for u, v in zip(a, b, strict=True):
        observed[u - lo][v - lo] += 1
    hist_a = [sum(row) for row in observed]
    hist_b = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            num += w * observed[i][j]
            den += w * hist_a[i] * hist_b[j] / n
    if den == 0:
        return None
    return 1.0 - num / den


def mae(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Mean absolute error; None for empty input."""
    _check(x, y)
    if not x:
        return None
    return math.fsum(abs(a - b) for a, b in zip(x, y, strict=True)) / len(x)


def to_scale(value: float, label_max: float, label_min: float = 0.0) -> int:
    """Round a value on the label scale to the nearest integer rating (half up), clamped to the scale."""
    r = math.floor(value + 0.5)
    return int(max(math.ceil(label_min), min(math.floor(label_max), r)))
