"""Making Data Count: limits, rules, priority, point types, icons and the reference presets."""

from __future__ import annotations

import numpy as np
import pytest
from openqi_spc import (
    AssuranceIcon,
    DuplicateXError,
    InsufficientDataError,
    NonPositiveValueError,
    OptionError,
    PointType,
    VariationIcon,
    mdc,
    qic,
)

pytestmark = pytest.mark.filterwarnings("ignore::openqi_spc.errors.FewPointsWarning")

STABLE = [10.0, 11, 9, 10, 12, 9, 11, 10, 9, 11, 10, 12, 9, 10, 11, 10, 9, 11, 10, 11]


def test_xmr_lines_are_mean_plus_minus_2_66_amr_with_near_lines() -> None:
    result = mdc(STABLE, screen_outliers=False)
    mean = np.mean(STABLE)
    amr = np.abs(np.diff(STABLE)).mean()
    group = result.summary[0]
    assert group.mean == pytest.approx(mean)
    assert group.upl == pytest.approx(mean + 2.66 * amr)
    assert group.nlpl == pytest.approx(mean - 2.66 * amr * 2 / 3)
    assert result.variation_icon is VariationIcon.COMMON_CAUSE
    assert all(p is PointType.COMMON_CAUSE for p in result.points.point_type)


def test_qicharts2_preset_matches_qic_i_chart() -> None:
    y = STABLE + [30.0]
    chart = qic(y, chart="i")
    made = mdc(y, reference="qicharts2")
    assert made.summary[0].upl == pytest.approx(chart.points.ucl[0])
    assert made.summary[0].lpl == pytest.approx(chart.points.lcl[0])


def test_point_outside_limits_is_improvement_or_concern_by_direction() -> None:
    y = STABLE + [30.0]
    up = mdc(y, improvement="increase")
    assert up.points.special_cause_label[-1] == "Above UCL"
    assert up.points.point_type[-1] is PointType.SPECIAL_CAUSE_IMPROVEMENT
    assert up.variation_icon is VariationIcon.SPECIAL_CAUSE_IMPROVEMENT_HIGH
    down = mdc(y, improvement="decrease")
    assert down.variation_icon is VariationIcon.SPECIAL_CAUSE_CONCERN_HIGH
    neutral = mdc(y, improvement="neutral")
    assert neutral.variation_icon is VariationIcon.SPECIAL_CAUSE_NEUTRAL_HIGH
    assert neutral.assurance_icon is None


def test_shift_of_seven_flags_every_point_of_the_run() -> None:
    y = STABLE + [10.6, 10.7, 10.8, 10.6, 10.9, 10.7, 10.8]
    result = mdc(y, improvement="decrease", fix_after_n_points=20, screen_outliers=False)
    assert result.points.shift[-8:].all() and not result.points.shift[:-8].any()  # STABLE ends above too
    assert result.points.special_cause_label[-1] == "7 Points Above CL"
    assert result.variation_icon is VariationIcon.SPECIAL_CAUSE_CONCERN_HIGH
    assert not mdc(y, shift=9, fix_after_n_points=20, screen_outliers=False).points.shift.any()


def test_trend_priority_over_two_in_three_and_shift() -> None:
    y = STABLE + [9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0]
    result = mdc(y, screen_outliers=False)
    assert all(result.points.trend[-7:])
    assert result.points.special_cause_label[-1] == "7 Point Trend (Increasing)"
    assert result.points.special_cause_rule[-1] == "trend"


def test_two_in_three_flags_only_points_in_the_near_band() -> None:
    result = mdc(STABLE, screen_outliers=False)
    nupl, upl = result.summary[0].nupl, result.summary[0].upl
    assert nupl is not None and upl is not None
    band = (nupl + upl) / 2
    y = STABLE + [band, 10.5, band]
    flagged = mdc(y, fix_after_n_points=20, screen_outliers=False)
    assert flagged.points.two_in_three[-3:].tolist() == [True, False, True]
    assert flagged.points.special_cause_label[-1] == "2 in 3 Above CL"


def test_rebase_gives_each_period_its_own_limits() -> None:
    y = STABLE + [v + 20 for v in STABLE]
    result = mdc(y, rebase=[20])
    assert [g.rebase_group for g in result.summary] == [1, 2]
    assert result.summary[1].mean == pytest.approx(np.mean(STABLE) + 20)
    assert result.points.rebase_group.tolist() == [1] * 20 + [2] * 20
    dates = np.arange("2024-01-01", "2024-02-10", dtype="datetime64[D]")
    by_date = mdc(y, x=dates, rebase=[np.datetime64("2024-01-21")])
    assert by_date.summary[1].mean == pytest.approx(result.summary[1].mean)


def test_fix_after_n_points_uses_the_first_points_only() -> None:
    y = STABLE + [v + 20 for v in STABLE]
    result = mdc(y, fix_after_n_points=20)
    assert result.summary[0].mean == pytest.approx(np.mean(STABLE))
    assert result.variation_icon is VariationIcon.SPECIAL_CAUSE_IMPROVEMENT_HIGH


@pytest.mark.parametrize(
    ("target", "improvement", "inclusive", "expected"),
    [
        (30.0, "increase", False, AssuranceIcon.CONSISTENTLY_FAIL),
        (0.0, "increase", False, AssuranceIcon.CONSISTENTLY_PASS),
        (10.0, "increase", False, AssuranceIcon.INCONSISTENT),
        (30.0, "decrease", False, AssuranceIcon.CONSISTENTLY_PASS),
        (0.0, "decrease", False, AssuranceIcon.CONSISTENTLY_FAIL),
    ],
)
def test_assurance_icon(target: float, improvement: str, inclusive: bool, expected: AssuranceIcon) -> None:
    assert mdc(STABLE, improvement=improvement, target=target).assurance_icon is expected


def test_assurance_at_a_target_equal_to_the_limit_depends_on_reference() -> None:
    upl = mdc(STABLE).summary[0].upl
    assert mdc(STABLE, target=upl).assurance_icon is AssuranceIcon.INCONSISTENT
    assert mdc(STABLE, target=upl, assurance_inclusive=True).assurance_icon is AssuranceIcon.CONSISTENTLY_FAIL


def test_nhse_trend_across_rebase_and_conflict_rule() -> None:
    y = STABLE[:13] + [8.0, 9, 10, 11, 12, 13, 14] + STABLE[:13]
    per_period = mdc(y, rebase=[16], screen_outliers=False)
    across = mdc(y, rebase=[16], trend_across_rebase=True, screen_outliers=False)
    assert across.points.trend[13:20].all()
    assert not per_period.points.trend[13:16].all()


def test_peak_of_two_trends_uses_conflict_rule() -> None:
    y = [1.0, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
    wide = {"screen_outliers": False, "xmr_factor": 100.0}  # keep every point inside the limits
    priority = mdc(y, **wide)
    assert priority.points.special_cause_label[6] == "7 Point Trend (Decreasing)"  # the step to its right
    concern = mdc(y, conflict_rule="concern", **wide)
    assert concern.points.point_type[6] is PointType.SPECIAL_CAUSE_CONCERN
    improvement = mdc(y, conflict_rule="improvement", **wide)
    assert improvement.points.point_type[6] is PointType.SPECIAL_CAUSE_IMPROVEMENT


def test_t_and_g_charts() -> None:
    days = [30.0, 12, 45, 60, 7, 22, 39, 18, 51, 26, 33, 14, 40, 28, 19]
    t = mdc(days, chart="t", improvement="increase")
    transformed = np.array(days) ** (1 / 3.6)
    assert t.summary[0].mean == pytest.approx(transformed.mean() ** 3.6)
    assert t.assurance_icon is None
    g = mdc(days, chart="g", reference="nhse")
    assert g.summary[0].mean == pytest.approx(0.693 * np.mean(days))
    assert g.summary[0].lpl is None


def test_mdc_errors() -> None:
    with pytest.raises(DuplicateXError):
        mdc([1.0, 2, 3], x=[1, 1, 2])
    with pytest.raises(OptionError):
        mdc(STABLE, improvement="up")
    with pytest.raises(OptionError):
        mdc(STABLE, rebase=[99])
    with pytest.raises(InsufficientDataError):
        mdc([1.0])
    with pytest.raises(NonPositiveValueError):
        mdc([1.0, 0.0, 2.0], chart="t")


def test_records_for_the_web_app() -> None:
    records = mdc(STABLE + [30.0], target=5).to_records()
    assert records["variation_icon"] == "special_cause_improvement_high"
    assert records["assurance_icon"] == "consistently_pass"
    assert "improving" in records["variation_description"]
    point = records["points"][-1]
    assert point["point_type"] == "special_cause_improvement"
    assert point["special_cause_rule"] == "outside_limits"
    assert {"x", "y", "mean", "lpl", "upl", "nlpl", "nupl"} <= set(point)
