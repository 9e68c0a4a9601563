"""Pareto analysis against qicharts2's ``paretochart()`` (R/paretochart.R, qicharts2 0.7.5).

The reference is the function's documented example::

    x <- rep(LETTERS[1:9], c(256, 128, 64, 32, 16, 8, 4, 2, 1))
    p <- paretochart(x)
    p$data

whose data frame has, per letter, y (the count), y.cum = cumsum(y), p = y / sum(y) and p.cum = cumsum(p);
sum(y) is 511. The expected numbers below are that arithmetic written out, not read back from our code.
"""

from __future__ import annotations

import math

import pytest
from openqi_spc import pareto
from openqi_spc.pareto import pareto_from_values

LETTERS = list("ABCDEFGHI")
COUNTS = [256, 128, 64, 32, 16, 8, 4, 2, 1]
# The example's data frame: (x, y, y.cum, p, p.cum), p and p.cum to 7 decimals as R prints them.
QICHARTS2_EXAMPLE = [
    ("A", 256, 256, 0.5009785, 0.5009785),
    ("B", 128, 384, 0.2504892, 0.7514677),
    ("C", 64, 448, 0.1252446, 0.8767123),
    ("D", 32, 480, 0.0626223, 0.9393346),
    ("E", 16, 496, 0.0313112, 0.9706458),
    ("F", 8, 504, 0.0156556, 0.9863014),
    ("G", 4, 508, 0.0078278, 0.9941292),
    ("H", 2, 510, 0.0039139, 0.9980431),
    ("I", 1, 511, 0.0019569, 1.0000000),
]


def _observations() -> list[str]:
    return [letter for letter, n in zip(LETTERS, COUNTS, strict=True) for _ in range(n)]


@pytest.mark.parametrize("result", ["counts", "values"])
def test_the_documented_example_matches_qicharts2(result: str) -> None:
    if result == "counts":
        # Given in a shuffled order: the order of the output comes from the counts.
        order = [4, 0, 8, 2, 6, 1, 3, 7, 5]
        found = pareto([LETTERS[i] for i in order], [COUNTS[i] for i in order])
    else:
        found = pareto_from_values(list(reversed(_observations())))
    assert found.total == 511
    assert len(found.bars) == len(QICHARTS2_EXAMPLE)
    for bar, (x, y, y_cum, p, p_cum) in zip(found.bars, QICHARTS2_EXAMPLE, strict=True):
        assert (bar.category, bar.count, bar.cumulative_count) == (x, y, y_cum)
        assert bar.proportion == pytest.approx(p, abs=5e-8)
        assert bar.cumulative_proportion == pytest.approx(p_cum, abs=5e-8)
        assert bar.percentage == pytest.approx(100 * p, abs=5e-6)
    assert found.bars[-1].cumulative_proportion == 1.0  # exactly: integer running sums


def test_the_vital_few_reach_eighty_percent() -> None:
    found = pareto(LETTERS, COUNTS)
    # A and B make 75.1%; C takes the running share past 80% (87.7%).
    assert [bar.category for bar in found.vital_few()] == ["A", "B", "C"]
    assert [bar.category for bar in found.vital_few(0.5)] == ["A"]
    with pytest.raises(ValueError):
        found.vital_few(0)


def test_ties_keep_their_order_as_r_order_does() -> None:
    # table() sorts names; order(decreasing = TRUE) is stable, so tied counts stay alphabetical.
    found = pareto_from_values(["Transfer", "Staff", "Patient", "Staff", "Transfer", "Patient", "Test"])
    assert found.categories == ["Patient", "Staff", "Transfer", "Test"]
    # Counts given directly keep the order they were given in.
    assert pareto(["b", "a", "c"], [2, 2, 3]).categories == ["c", "b", "a"]


def test_missing_values_are_left_out_unless_asked_for() -> None:
    values = ["Staff", None, "Staff", None, "Test", math.nan]
    assert pareto_from_values(values).categories == ["Staff", "Test"]
    assert pareto_from_values(values).total == 3
    with_missing = pareto_from_values(values, use_na=True)
    # Three missing values: the biggest category, so first; shares are of all six.
    assert with_missing.categories == ["Not recorded", "Staff", "Test"]
    assert with_missing.bars[0].is_missing
    assert with_missing.bars[0].proportion == pytest.approx(0.5)
    # On a tie the missing category comes after the named ones (table() puts NA last).
    tied = pareto(["Staff", None], [2, 2], use_na=True)
    assert tied.categories == ["Staff", "Not recorded"]


def test_zero_counts_stay_at_the_end_and_duplicates_add_up() -> None:
    found = pareto(["Unused", "Staff", "Test", "Staff"], [0, 3, 1, 2])
    assert found.categories == ["Staff", "Test", "Unused"]
    assert found.counts == [5, 1, 0]
    assert found.cumulative_percentages[-1] == 100.0
    assert [bar.category for bar in found.vital_few()] == ["Staff"]


@pytest.mark.parametrize(
    ("categories", "counts", "error"),
    [
        (["A"], [1, 2], ValueError),
        (["A"], [-1], ValueError),
        (["A", "B"], [0, 0], ValueError),
        (["A"], [1.5], TypeError),
        (["A"], [True], TypeError),
        (["Not recorded"], [1], ValueError),
    ],
)
def test_bad_input_is_refused(categories: list[str], counts: list[object], error: type[Exception]) -> None:
    with pytest.raises(error):
        pareto(categories, counts)  # type: ignore[arg-type]
