"""Making Data Count rules on qic() charts: the same answers as mdc() where both apply, per-point
limits for P and U charts, exclusions skipped, and icons from the same evaluation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openqi_spc import AssuranceIcon, PointType, SpecialCauseRule, VariationIcon, mdc, mdc_from_qic, qic

pytestmark = pytest.mark.filterwarnings("ignore::openqi_spc.errors.FewPointsWarning")

STABLE = [10.0, 11, 9, 10, 12, 9, 11, 10, 9, 11, 10, 12, 9, 10, 11, 10, 9, 11, 10, 11]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=4, max_size=40))
def test_on_an_i_chart_it_agrees_with_mdc_using_qicharts2_constants(values: list[int]) -> None:
    y = [float(v) for v in values]
    if len(set(y)) < 3:
        return  # no usable spread: both leave the limits empty
    ours = mdc_from_qic(qic(y, chart="i"), "increase", target=20)
    theirs = mdc(y, improvement="increase", target=20, reference="qicharts2")
    assert ours.points.point_type == theirs.points.point_type
    assert ours.points.special_cause_label == theirs.points.special_cause_label
    assert ours.variation_icon is theirs.variation_icon
    assert ours.assurance_icon is theirs.assurance_icon


def test_p_chart_points_are_judged_against_their_own_limits() -> None:
    n = [50, 400] * 10
    y = [10, 80] * 10  # 20 % everywhere
    y[19] = 112  # 28 % of 400: beyond that point's narrow limit
    y[16] = 15  # 30 % of 50: within that point's wide limit
    result = mdc_from_qic(qic(y, n=n, chart="p"), "increase")
    assert result.points.special_cause_rule[19] is SpecialCauseRule.OUTSIDE_LIMITS
    assert result.points.point_type[16] is PointType.COMMON_CAUSE
    assert result.points.upl[16] > result.points.upl[19]


def test_a_shift_on_a_p_chart_colours_every_point_of_the_run() -> None:
    n = [100] * 24
    y = [30, 32, 28, 31, 29, 30, 33, 27, 30, 31, 29, 30] + [36, 37, 35, 36, 38, 36, 35, 37, 36, 35, 37, 36]
    result = mdc_from_qic(qic(y, n=n, chart="p"), "increase", target=0.5)
    run = [i for i, t in enumerate(result.points.point_type) if t is PointType.SPECIAL_CAUSE_IMPROVEMENT]
    assert run == list(range(12, 24))
    assert all(result.points.shift[12:])
    assert result.variation_icon is VariationIcon.SPECIAL_CAUSE_IMPROVEMENT_HIGH
    assert result.assurance_icon is AssuranceIcon.CONSISTENTLY_FAIL


def test_excluded_points_are_skipped_not_signals() -> None:
    y = STABLE[:10] + [30.0] + STABLE[10:]
    chart = qic(y, chart="i", exclude=[10])
    result = mdc_from_qic(chart, "increase")
    assert chart.points.sigma_signal[10]  # qicharts2 still flags it
    assert result.points.point_type[10] is PointType.COMMON_CAUSE
    # A run of seven below the mean with an excluded point inside it is still a shift.
    low = [8.0] * 4 + [30.0] + [8.0] * 3
    run = mdc_from_qic(qic(STABLE + low, chart="i", exclude=[24], freeze=20), "increase")
    assert [bool(s) for s in run.points.shift[20:]] == [True] * 4 + [False] + [True] * 3


def test_parts_are_limit_periods_and_neutral_measures_have_no_assurance() -> None:
    y = STABLE + [v + 10 for v in STABLE]
    result = mdc_from_qic(qic(y, chart="c", part=[20]), "neutral", target=12)
    assert [g.rebase_group for g in result.summary] == [1, 2]
    assert result.variation_icon is VariationIcon.COMMON_CAUSE
    assert result.assurance_icon is None
    assert result.chart == "c"


def test_run_charts_get_shifts_and_trends_but_no_limits_or_assurance() -> None:
    y = [5.0, 6, 5, 4, 6, 5, 6, 4, 5, 6] + [9.0, 10, 9, 11, 10, 9, 10]
    result = mdc_from_qic(qic(y, chart="run"), "decrease", target=3)
    assert result.points.point_type[-1] is PointType.SPECIAL_CAUSE_CONCERN
    assert not result.points.outside_limits.any()
    assert result.assurance_icon is None
