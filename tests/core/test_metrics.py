"""core.metrics against known values (computed once with scipy.stats / sklearn.metrics and written down here)."""

from __future__ import annotations

import pytest

from interviewer.core.metrics import mae, pearson, quadratic_weighted_kappa, ranks, spearman, to_scale

X = [1, 2, 3, 4, 5, 6, 7]
Y = [2, 1, 4, 3, 7, 5, 6]
X2 = [1.0, 2.5, 2.5, 4.0, 5.0, 5.0]
Y2 = [0.5, 1.0, 3.0, 3.0, 4.5, 2.0]


def test_pearson_known_values():
    assert pearson(X, Y) == pytest.approx(0.8214285714285715, abs=1e-12)  # scipy.stats.pearsonr
    assert pearson(X2, Y2) == pytest.approx(0.7067534927402196, abs=1e-12)


def test_pearson_perfect_and_inverse_and_scale_free():
    assert pearson([1, 2, 3], [10, 20, 30]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson(X2, [10 * v + 3 for v in Y2]) == pytest.approx(pearson(X2, Y2))


def test_undefined_is_none_not_zero():
    assert pearson([1, 2, 3], [4, 4, 4]) is None
    assert pearson([1], [2]) is None
    assert spearman([5, 5, 5], [1, 2, 3]) is None
    assert mae([], []) is None
    assert quadratic_weighted_kappa([2], [2]) is None


def test_lengths_must_match():
    with pytest.raises(ValueError, match="same length"):
        pearson([1, 2], [1, 2, 3])


def test_ranks_average_ties():
    assert ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]


def test_spearman_known_values_with_ties():
    assert spearman(X, Y) == pytest.approx(0.8214285714285715, abs=1e-12)  # scipy.stats.spearmanr
    assert spearman(X2, Y2) == pytest.approx(0.6717166132798486, abs=1e-12)
    assert spearman([1, 2, 3, 4], [1, 4, 9, 16]) == pytest.approx(1.0)  # monotone, not linear


def test_qwk_known_values():
    a = [0, 1, 2, 3, 4, 5, 5, 3, 2, 1]
    b = [0, 2, 2, 3, 5, 5, 4, 1, 2, 0]
    assert quadratic_weighted_kappa(a, b) == pytest.approx(0.8601398601398602, abs=1e-12)  # sklearn
    # The scale matters when some categories are unused: sklearn with labels=[0..5].
    assert quadratic_weighted_kappa([1, 1, 2, 2, 3], [1, 2, 2, 3, 3], 0, 5) == pytest.approx(0.6875, abs=1e-12)


def test_qwk_perfect_agreement_and_range_check():
    assert quadratic_weighted_kappa([0, 1, 2, 3], [0, 1, 2, 3]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="outside the scale"):
        quadratic_weighted_kappa([0, 7], [0, 1], 0, 5)


def test_mae_known_value():
    assert mae(X2, Y2) == pytest.approx(1.1666666666666667)


@pytest.mark.parametrize(("value", "expected"), [(0.0, 0), (2.49, 2), (2.5, 3), (4.6, 5), (5.2, 5), (-0.3, 0)])
def test_to_scale_rounds_half_up_and_clamps(value, expected):
    assert to_scale(value, 5) == expected
