"""Invariants, checked with hypothesis over many generated inputs."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openqi_spc import longest_run_max, mdc, mdc_batch, n_crossings_min, qic, qic_batch, runs_analysis
from openqi_spc.anhoej import runs_analysis_2d

pytestmark = pytest.mark.filterwarnings("ignore::openqi_spc.errors.SPCWarning")

values = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
series = st.lists(values, min_size=3, max_size=60)


def exact_crossings_min(n: int) -> int:
    """qbinom(0.05, n - 1, 0.5) from its definition, with exact rational arithmetic."""
    m = n - 1
    total, target = 0, Fraction(1, 20) * 2**m
    for c in range(m + 1):
        total += math.comb(m, c)
        if total >= target:
            return c
    raise AssertionError  # pragma: no cover


def test_thresholds_for_every_n_up_to_10000_match_an_independent_float_computation() -> None:
    # log-space binomial CDF: a different algorithm from the engine's exact integer recurrence
    n_max = 10_000
    log_fact = np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, n_max + 1)))))
    for n in range(1, n_max + 1):
        m = n - 1
        k = np.arange(0, m // 2 + 2)
        k = k[k <= m]
        log_pmf = log_fact[m] - log_fact[k] - log_fact[m - k] - m * math.log(2)
        cdf = np.cumsum(np.exp(log_pmf))
        assert n_crossings_min(n) == int(np.searchsorted(cdf, 0.05 * (1 - 1e-12))), n
        assert longest_run_max(n) == round(math.log2(n)) + 3, n


@given(st.integers(min_value=1, max_value=10_000))
@settings(max_examples=60, deadline=None)
def test_crossings_threshold_equals_exact_binomial_quantile(n: int) -> None:
    assert n_crossings_min(n) == exact_crossings_min(n)


@given(series)
def test_freeze_at_the_last_point_equals_no_freeze(y: list[float]) -> None:
    plain = qic(y, chart="i") if np.ptp(y) > 0 else None
    if plain is None:
        return
    frozen = qic(y, chart="i", freeze=len(y))
    np.testing.assert_array_equal(frozen.points.ucl, plain.points.ucl)
    assert frozen.summary == plain.summary


@given(series, st.floats(min_value=0.01, max_value=1000))
def test_multiply_scales_lines_and_leaves_signals_unchanged(y: list[float], factor: float) -> None:
    if np.ptp(y) == 0:
        return
    base = qic(y, chart="i")
    scaled = qic(y, chart="i", multiply=factor)
    for name in ("y", "cl", "lcl", "ucl", "lcl_95", "ucl_95"):
        np.testing.assert_allclose(
            getattr(scaled.points, name), getattr(base.points, name) * factor, rtol=1e-12
        )
    np.testing.assert_array_equal(scaled.points.sigma_signal, base.points.sigma_signal)
    np.testing.assert_array_equal(scaled.points.runs_signal, base.points.runs_signal)


@given(series, values)
def test_i_chart_is_translation_equivariant(y: list[float], shift: float) -> None:
    if np.ptp(y) == 0:
        return
    base = qic(y, chart="i", screened_mr=False)
    moved = qic([v + shift for v in y], chart="i", screened_mr=False)
    np.testing.assert_allclose(moved.points.cl, base.points.cl + shift, atol=1e-6)
    np.testing.assert_allclose(
        moved.points.ucl - moved.points.cl, base.points.ucl - base.points.cl, atol=1e-6
    )


@given(
    st.lists(st.one_of(st.none(), st.integers(-3, 3).map(float)), min_size=0, max_size=80), st.floats(-1, 1)
)
def test_vectorised_runs_analysis_equals_the_single_series_one(y: list[float | None], cl: float) -> None:
    arr = np.array(y, dtype=float)
    single = runs_analysis(arr, cl)
    batch = runs_analysis_2d(arr[None, :], np.full((1, arr.size), cl), np.ones((1, arr.size), dtype=bool))
    assert batch.n_useful[0] == single.n_useful
    assert batch.runs_signal[0] == single.runs_signal
    if single.n_useful:
        assert batch.longest_run[0] == single.longest_run
        assert batch.n_crossings[0] == single.n_crossings
        assert batch.n_crossings_min[0] == single.n_crossings_min


@given(
    st.lists(st.lists(st.integers(0, 50).map(float), min_size=2, max_size=30), min_size=1, max_size=6),
    st.sampled_from(["run", "i", "c", "g", "mr"]),
)
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_batch_rows_equal_single_series_results(portfolio: list[list[float]], chart: str) -> None:
    try:
        singles = [qic(s, chart=chart) for s in portfolio]
    except ValueError:
        return  # e.g. a series too short for limits: covered elsewhere
    batch = qic_batch(portfolio, chart=chart)
    for row, single in enumerate(singles):
        size = len(single.points)
        for name in ("y", "cl", "lcl", "ucl"):
            np.testing.assert_allclose(
                getattr(batch, name)[row, :size], getattr(single.points, name), rtol=1e-12
            )
        np.testing.assert_array_equal(batch.sigma_signal[row, :size], single.points.sigma_signal)
        assert bool(batch.runs_signal[row]) == single.summary[0].runs_signal
        assert batch.n_obs[row] == single.summary[0].n_obs


@given(
    st.lists(st.lists(values, min_size=3, max_size=40), min_size=1, max_size=5),
    st.sampled_from(["increase", "decrease", "neutral"]),
    st.one_of(st.none(), values),
)
@settings(deadline=None)
def test_mdc_batch_equals_mdc(portfolio: list[list[float]], improvement: str, target: float | None) -> None:
    if any(np.ptp(s) == 0 for s in portfolio):
        return
    batch = mdc_batch(portfolio, improvement=improvement, target=target)
    for row, s in enumerate(portfolio):
        single = mdc(s, improvement=improvement, target=target)
        assert batch.variation_icon[row] is single.variation_icon
        assert batch.assurance_icon[row] is single.assurance_icon
        assert batch.upl[row] == pytest.approx(single.summary[0].upl)
        codes = [p.value for p in single.points.point_type]
        names = [
            "common_cause",
            "special_cause_improvement",
            "special_cause_concern",
            "special_cause_neutral_high",
            "special_cause_neutral_low",
        ]
        assert [names[c] for c in batch.point_type[row, : len(s)]] == codes


@given(series)
def test_points_on_the_limit_are_not_signals(y: list[float]) -> None:
    if np.ptp(y) == 0:
        return
    result = qic(y, chart="i")
    on_limit = qic([*y, float(result.points.ucl[0])], chart="i", freeze=len(y))
    assert not on_limit.points.sigma_signal[-1]  # qicharts2: strictly outside only
