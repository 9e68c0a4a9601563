"""Conformance cases built from textbook formulas and the references' documented behaviour."""

from __future__ import annotations

import math
import statistics
import warnings

import numpy as np
import pytest
from openqi_spc import (
    DenominatorError,
    FewPointsWarning,
    InputLengthError,
    InsufficientDataError,
    NegativeValueError,
    NonFiniteValueError,
    NonPositiveValueError,
    NumeratorError,
    OptionError,
    SPCError,
    SPCWarning,
    qic,
)
from openqi_spc.limits import c4

pytestmark = pytest.mark.filterwarnings("ignore::openqi_spc.errors.FewPointsWarning")

# Montgomery Example 6.5 (cost per week), the data of vector q2_montgomery_ex6_5_i_freeze20.
COST = [
    310.0,
    288,
    297,
    298,
    307,
    303,
    294,
    297,
    308,
    306,
    294,
    299,
    297,
    299,
    314,
    295,
    293,
    306,
    301,
    304,
    305,
    282,
    305,
    296,
    314,
    295,
    287,
    301,
    298,
    311,
    310,
    292,
    305,
    299,
    304,
    310,
    304,
    305,
    333,
    328,
]


def test_montgomery_6_5_i_chart_with_freeze() -> None:
    result = qic(COST, chart="i", freeze=20)
    assert result.points.cl[0] == 300.5
    assert result.points.ucl[0] == pytest.approx(321.21668533034716, rel=1e-12)
    assert (np.flatnonzero(result.points.sigma_signal)).tolist() == [38, 39]
    assert result.points.baseline.tolist() == [True] * 20 + [False] * 20


def test_i_chart_is_mean_plus_minus_three_amr_over_d2() -> None:
    y = [5.0, 7.0, 6.0, 8.0, 7.0, 9.0, 6.0, 7.0, 8.0, 6.0, 7.0, 8.0]
    result = qic(y, chart="i")
    mean = statistics.fmean(y)
    amr = statistics.fmean(abs(a - b) for a, b in zip(y[1:], y[:-1], strict=True))
    assert result.points.cl[0] == pytest.approx(mean)
    assert result.points.ucl[0] == pytest.approx(mean + 3 * amr / 1.128)
    assert result.points.lcl_95[0] == pytest.approx(mean - 2 * amr / 1.128)
    assert pytest.approx(mean) == result.summary[0].CL


def test_mr_screening_drops_large_moving_ranges_once_and_keeps_the_mean() -> None:
    y = [10.0, 11, 10, 12, 11, 10, 11, 40, 11, 10, 12, 11, 10, 11, 12]
    mr = np.abs(np.diff(y))
    kept = mr[mr < 3.267 * mr.mean()]
    screened = qic(y, chart="i", screened_mr=True)
    raw = qic(y, chart="i", screened_mr=False)
    assert screened.points.cl[0] == raw.points.cl[0] == pytest.approx(np.mean(y))
    assert screened.points.ucl[0] == pytest.approx(np.mean(y) + 3 * kept.mean() / 1.128)
    assert raw.points.ucl[0] == pytest.approx(np.mean(y) + 3 * mr.mean() / 1.128)


def test_nhse_screening_is_inclusive_and_re_means() -> None:
    y = [10.0, 11, 10, 12, 11, 10, 11, 40, 11, 10, 12, 11, 10, 11, 12]
    mr = np.abs(np.diff(y))
    outlier = mr > 3.267 * mr.mean()
    kept_points = np.array(y)[np.r_[True, ~outlier]]
    result = qic(y, chart="i", screened_mr=True, mr_screen="inclusive", mr_screen_remean=True)
    assert result.points.cl[0] == pytest.approx(kept_points.mean())


def test_excluded_point_is_bridged_by_one_moving_range_and_still_signals() -> None:
    y = [10.0, 11, 10, 12, 11, 30, 11, 10, 12, 11, 10, 11, 12, 11]
    result = qic(y, chart="i", exclude=[5], screened_mr=False)
    kept = np.delete(np.array(y), 5)
    amr = np.abs(np.diff(kept)).mean()
    assert result.points.cl[0] == pytest.approx(kept.mean())
    assert result.points.ucl[0] == pytest.approx(kept.mean() + 3 * amr / 1.128)
    assert result.points.include.tolist() == [i != 5 for i in range(len(y))]
    assert result.points.sigma_signal[5]
    assert result.summary[0].n_obs == len(y) - 1


def test_mr_chart() -> None:
    y = [3.0, 5, 4, 6, 5, 7, 5, 4, 6, 5, 6, 4]
    result = qic(y, chart="mr")
    mr = np.abs(np.diff(y))
    assert math.isnan(result.points.y[0])
    assert result.points.y[1:].tolist() == mr.tolist()
    assert result.points.cl[0] == pytest.approx(mr.mean())
    assert result.points.ucl[0] == pytest.approx(3.267 * mr.mean())
    assert result.points.lcl[0] == 0
    assert not result.points.runs_signal.any()  # qicharts2 never signals runs on an MR chart


def test_c_chart_and_lower_limit_clamp() -> None:
    y = [4.0, 2, 6, 3, 5, 4, 3, 7, 2, 4, 5, 3]
    result = qic(y, chart="c")
    cl = statistics.fmean(y)
    assert result.points.cl[0] == pytest.approx(cl)
    assert result.points.ucl[0] == pytest.approx(cl + 3 * math.sqrt(cl))
    assert result.points.lcl[0] == 0.0  # cl - 3 sqrt(cl) < 0


def test_p_chart_limits_vary_with_n_and_are_capped() -> None:
    y = [45.0, 50, 40, 48, 46, 49, 44, 47, 45, 50, 48, 9]
    n = [50.0, 55, 45, 52, 50, 53, 48, 51, 49, 54, 52, 10]
    result = qic(y, n, chart="p")
    p = sum(y) / sum(n)
    assert result.points.cl[0] == pytest.approx(p)
    expected_ucl = np.minimum(1.0, p + 3 * np.sqrt(p * (1 - p) / np.array(n)))
    np.testing.assert_allclose(result.points.ucl, expected_ucl)
    assert result.points.ucl.max() == 1.0


def test_laney_p_prime_sigma_z() -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(800, 1200, 24).astype(float)
    y = np.round(n * rng.normal(0.3, 0.03, 24))
    result = qic(y, n, chart="pp", screened_mr=False)
    p = y.sum() / n.sum()
    sd = np.sqrt(p * (1 - p) / n)
    z = (y / n - p) / sd
    sigma_z = np.abs(np.diff(z)).mean() / 1.128
    np.testing.assert_allclose(result.points.ucl, np.minimum(1, p + 3 * sd * sigma_z))
    np.testing.assert_allclose(result.points.lcl, np.maximum(0, p - 3 * sd * sigma_z))


def test_laney_u_prime_uses_sd_of_z_for_categorical_x() -> None:
    n = np.array([1000.0, 1500, 800, 1200, 900, 1100])
    y = np.array([30.0, 40, 35, 20, 33, 31])
    result = qic(y, n, x=["a", "b", "c", "d", "e", "f"], chart="up")
    u = y.sum() / n.sum()
    sd = np.sqrt(u / n)
    z = (y / n - u) / sd
    np.testing.assert_allclose(result.points.ucl, u + 3 * sd * np.std(z, ddof=1))
    assert not result.points.runs_signal.any()  # funnel plots have no time order


def test_g_chart_centre_is_median_and_limits_from_mean() -> None:
    y = [12.0, 30, 5, 44, 19, 8, 61, 23, 15, 9, 37, 26]
    result = qic(y, chart="g")
    mean = statistics.fmean(y)
    assert result.points.cl[0] == pytest.approx(statistics.median(y))
    assert result.points.ucl[0] == pytest.approx(mean + 3 * math.sqrt(mean * (mean + 1)))
    assert result.points.lcl[0] == 0.0
    nhse = qic(y, chart="g", reference="nhse")
    assert nhse.points.cl[0] == pytest.approx(0.693 * mean)
    supplied = qic(y, chart="g", cl=20.0)
    assert supplied.points.cl[0] == pytest.approx(0.693 * 20)
    assert supplied.points.ucl[0] == pytest.approx(20 + 3 * math.sqrt(20 * 21))


def test_t_chart_lower_limit_zero_or_none() -> None:
    y = [286.0, 948, 536, 124, 816, 729, 4, 143, 431, 8, 2837, 596, 81, 227, 603, 492, 1199, 1214, 2831, 96]
    assert qic(y, chart="t").points.lcl[0] == 0.0
    assert math.isnan(qic(y, chart="t", t_lower="none").points.lcl[0])


def test_xbar_variable_subgroups_pool_the_sd_and_size_one_has_no_limits() -> None:
    x = [1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 5, 5, 5]
    y = [10.0, 12, 11, 9, 13, 10, 11, 12, 10, 11, 12, 10, 11]
    result = qic(y, x=x, chart="xbar")
    groups = [np.array([y[i] for i in range(len(y)) if x[i] == g]) for g in range(1, 6)]
    sizes = np.array([g.size for g in groups], dtype=float)
    sds = np.array([g.std(ddof=1) if g.size > 1 else np.nan for g in groups])
    pooled = math.sqrt(np.nansum((sizes - 1) * sds**2) / np.sum(sizes - 1))
    cl = sum(y) / len(y)
    assert result.points.cl[0] == pytest.approx(cl)
    a3 = 3 / (c4(sizes) * np.sqrt(sizes))
    np.testing.assert_allclose(result.points.ucl, cl + a3 * pooled)
    assert math.isnan(result.points.ucl[3])  # subgroup of one
    assert result.points.y_length.tolist() == [3, 2, 4, 1, 3]


def test_repeated_x_aggregates_with_agg_fun_and_sorts_by_x() -> None:
    result = qic([5.0, 1, 3, 7], x=[2, 1, 1, 2], chart="run", agg_fun="sum")
    assert result.points.x.tolist() == [1, 2]
    assert result.points.y.tolist() == [4.0, 12.0]
    median = qic([5.0, 1, 3, 7, 9], x=[2, 1, 1, 2, 2], agg_fun="median")
    assert median.points.y.tolist() == [2.0, 7.0]


def test_missing_values_follow_qicharts2() -> None:
    y = [10.0, 11, None, 12, 11, 10, 11, 12, 11, 10, 12, 11, 10]
    result = qic(y, chart="i", screened_mr=False)
    arr = np.array(y, dtype=float)
    mr = np.abs(np.diff(arr))
    assert result.points.cl[0] == pytest.approx(np.nanmean(arr))
    assert result.points.ucl[0] == pytest.approx(np.nanmean(arr) + 3 * np.nanmean(mr) / 1.128)
    assert result.summary[0].n_obs == 13 and result.summary[0].n_useful <= 12
    # with denominators, a missing numerator or denominator removes both
    p = qic([3.0, 4, 5, 2], [10.0, None, 10, 10], chart="p")
    assert math.isnan(p.points.y[1]) and p.points.n[1] == 0
    assert p.points.cl[0] == pytest.approx(10 / 30)


def test_parts_each_get_their_own_centre_limits_and_runs() -> None:
    y = list(range(1, 13)) + list(range(50, 62))
    result = qic(y, chart="i", part=[12])
    assert result.points.part.tolist() == [1] * 12 + [2] * 12
    assert result.points.cl[0] == pytest.approx(6.5) and result.points.cl[-1] == pytest.approx(55.5)
    assert len(result.summary) == 2
    labels = qic(y, chart="i", part=["before"] * 12 + ["after"] * 12)
    np.testing.assert_array_equal(labels.points.cl, result.points.cl)


def test_freeze_is_ignored_when_parts_are_given() -> None:
    y = list(range(1, 13)) + list(range(50, 62))
    assert qic(y, part=[12], freeze=5).points.baseline.all()


def test_run_chart_signals_shift_by_anhoej_rules() -> None:
    y = [1.0] * 6 + [3.0] * 6 + [1.0, 3.0] * 6
    result = qic(y)
    summary = result.summary[0]
    assert summary.longest_run == 6 and summary.longest_run_max == 8
    shifted = qic([1.0, 2, 1, 2, 1, 2, 1, 2, 1, 2, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6])
    assert shifted.summary[0].runs_signal and shifted.runs_signal


def test_y_neg_false_clamps_negative_lower_limits() -> None:
    y = [1.0, 5, 0, 6, 2, 7, 1, 4, 0, 6, 3, 2]
    assert qic(y, chart="i").points.lcl[0] < 0
    assert qic(y, chart="i", y_neg=False).points.lcl[0] == 0


def test_to_records_is_plain_data() -> None:
    result = qic([1.0, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, None], chart="i")
    records = result.to_records()
    point = records["points"][0]
    assert set(point) >= {
        "x",
        "y",
        "n",
        "cl",
        "lcl",
        "ucl",
        "lcl_95",
        "ucl_95",
        "part",
        "baseline",
        "include",
        "sigma_signal",
        "runs_signal",
    }
    assert isinstance(point["cl"], float) and isinstance(point["sigma_signal"], bool)
    assert records["points"][-1]["y"] is None and point["n"] is None
    assert set(records["summary"][0]) >= {
        "n_obs",
        "n_useful",
        "longest_run",
        "longest_run_max",
        "n_crossings",
        "n_crossings_min",
        "runs_signal",
        "sigma_signals",
        "aLCL",
        "CL",
        "aUCL",
    }


# Bad input: typed errors, never a silently wrong chart.


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: qic([1.0, 2], n=[1.0]), InputLengthError),
        (lambda: qic([1.0, 2], x=[1]), InputLengthError),
        (lambda: qic([1.0, 2, 3], chart="p"), DenominatorError),
        (lambda: qic([1.0, 2, 3], [5.0, 0, 5], chart="p"), DenominatorError),
        (lambda: qic([1.0, 2, 3], [5.0, -1, 5], chart="u"), DenominatorError),
        (lambda: qic([1.0, 6, 3], [5.0, 5, 5], chart="p"), NumeratorError),
        (lambda: qic([1.0, -2, 3], chart="c"), NumeratorError),
        (lambda: qic([1.0, 0, 3], chart="t"), NonPositiveValueError),
        (lambda: qic([1.0, -1, 3], chart="g"), NegativeValueError),
        (lambda: qic([1.0, math.inf, 3], chart="i"), NonFiniteValueError),
        (lambda: qic([1.0, math.nan, 3], chart="i", allow_missing=False), NonFiniteValueError),
        (lambda: qic([1.0], chart="i"), InsufficientDataError),
        (lambda: qic([], chart="run"), InsufficientDataError),
        (lambda: qic([1.0, 2], chart="x"), OptionError),
        (lambda: qic([1.0, 2], exclude=[2]), OptionError),
        (lambda: qic([1.0, 2], freeze=0), OptionError),
        (lambda: qic([1.0, 2], method="magic"), OptionError),
        (lambda: qic([1.0, 2], reference="minitab"), OptionError),
        (lambda: qic(["a", "b"]), SPCError),
    ],
)
def test_bad_input_raises_typed_error(call: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()  # type: ignore[operator]
    assert issubclass(error, ValueError)


def test_constant_series_has_undefined_limits_with_a_warning() -> None:
    with pytest.warns(SPCWarning, match="undefined"):
        result = qic([5.0] * 15, chart="i")
    assert np.isnan(result.points.ucl).all() and result.points.cl[0] == 5.0
    assert not result.points.sigma_signal.any()


def test_few_points_warn() -> None:
    with pytest.warns(FewPointsWarning):
        qic([1.0, 2, 3, 2, 1], chart="i")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        qic(COST, chart="i")
