"""Funnel plots: exact Poisson (Garwood) and binomial (Spiegelhalter 2005) limits, and the overdispersion
adjustment of Spiegelhalter (2005, QSHC) as FunnelPlotR applies it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from openqi_spc import DenominatorError, NumeratorError, OptionError, funnel
from openqi_spc.funnel import binomial_limit, gamma_quantile, poisson_limits, winsorise

# FunnelPlotR's own test data (tests/testthat/test-funnel_plot.R): observed and expected deaths of six units.
OBSERVED = [100, 150, 180, 80, 120, 225]
EXPECTED = [108, 112, 165, 95, 100, 220]


def test_poisson_limits_are_garwoods_exact_interval() -> None:
    # Exact 95% interval for a Poisson count of 10: 4.795 to 18.390; of 100: 81.364 to 121.627 (Garwood 1936,
    # as tabulated e.g. by Ulm 1990). Limits of O/E at E = 10 and E = 100 are those divided by E.
    lower, upper = poisson_limits(np.array([10.0, 100.0]), 0.95)
    np.testing.assert_allclose(lower, [0.4795, 0.81364], atol=5e-5)
    np.testing.assert_allclose(upper, [1.8390, 1.21627], atol=5e-5)


def test_gamma_quantile_inverts_known_distributions() -> None:
    assert gamma_quantile(0.5, 1.0) == pytest.approx(math.log(2), rel=1e-10)  # exponential median
    # Gamma(2, 1): P(X <= x) = 1 - (1 + x) e^-x
    x = gamma_quantile(0.9, 2.0)
    assert 1 - (1 + x) * math.exp(-x) == pytest.approx(0.9, abs=1e-12)


def test_binomial_limit_interpolates_between_counts() -> None:
    # Binomial(10, 0.5): F(2) = 56/1024, F(1) = 11/1024. The 0.025 quantile is r = 2 with
    # alpha = (F(2) - 0.025) / (F(2) - F(1)); the limit is (2 - alpha) / 10.
    f2, f1 = 56 / 1024, 11 / 1024
    alpha = (f2 - 0.025) / (f2 - f1)
    assert binomial_limit(10, 0.5, 0.025) == pytest.approx((2 - alpha) / 10, abs=1e-12)
    # large n: close to the normal approximation
    n, theta = 100_000, 0.3
    normal = theta + 1.959964 * math.sqrt(theta * (1 - theta) / n)
    assert binomial_limit(n, theta, 0.975) == pytest.approx(normal, abs=2e-5)


def test_ratio_funnel_flags_units_outside_the_limits() -> None:
    result = funnel(OBSERVED, EXPECTED, labels=list("abcdef"))
    assert result.target == 1.0
    np.testing.assert_allclose(result.value, np.array(OBSERVED) / np.array(EXPECTED))
    lower, upper = poisson_limits(np.array(EXPECTED, dtype=float), 0.95)
    np.testing.assert_allclose(result.lower_95, lower)
    np.testing.assert_allclose(result.upper_95, upper)
    assert result.outside_95.tolist() == [False, True, False, False, False, False]  # b: 150 / 112
    assert result.to_records()[1]["unit"] == "b"


def test_overdispersion_by_hand() -> None:
    o, e = np.array(OBSERVED, float), np.array(EXPECTED, float)
    z = np.sqrt(e) * np.log(o / e)  # SHMI method: log scale, s = 1 / sqrt(E)
    lo, hi = np.quantile(z, [0.1, 0.9])
    zw = np.clip(z, lo, hi)
    phi = np.mean(zw**2)
    w = e  # 1 / s^2
    tau2 = (6 * phi - 5) / (w.sum() - (w**2).sum() / w.sum())
    result = funnel(OBSERVED, EXPECTED, overdispersion=True)
    assert result.phi == pytest.approx(phi)
    assert result.tau2 == pytest.approx(tau2)
    assert result.overdispersion
    np.testing.assert_allclose(result.upper_95, np.exp(1.959964 * np.sqrt(1 / e + tau2)), rtol=1e-6)
    np.testing.assert_allclose(result.lower_998, np.exp(-3.090232 * np.sqrt(1 / e + tau2)), rtol=1e-6)
    assert (result.upper_95 > funnel(OBSERVED, EXPECTED).upper_95).all()  # wider than Poisson


def test_cqc_method_uses_the_square_root_scale() -> None:
    result = funnel(OBSERVED, EXPECTED, overdispersion=True, method="CQC")
    e = np.array(EXPECTED, float)
    assert result.tau2 is not None and result.tau2 > 0
    np.testing.assert_allclose(
        result.upper_95, (1 + 1.959964 * np.sqrt(1 / (4 * e) + result.tau2)) ** 2, rtol=1e-6
    )


def test_no_overdispersion_keeps_the_exact_limits() -> None:
    steady = funnel([100, 101, 99, 100], [100, 100, 100, 100], overdispersion=True)
    assert steady.tau2 == 0.0
    assert not steady.overdispersion
    np.testing.assert_allclose(steady.upper_95, funnel([100, 101, 99, 100], [100] * 4).upper_95)


def test_proportion_funnel_targets_the_overall_rate() -> None:
    result = funnel([30, 45, 12, 80], [100, 120, 60, 300], kind="proportion")
    assert result.target == pytest.approx(167 / 580)
    assert result.lower_95[0] == pytest.approx(binomial_limit(100, 167 / 580, 0.025))
    od = funnel(
        [30, 45, 12, 80, 90, 10], [100, 120, 60, 300, 150, 200], kind="proportion", overdispersion=True
    )
    centre = math.asin(math.sqrt(od.target))
    assert od.tau2 is not None and od.tau2 > 0
    expected = math.sin(centre + 1.959964 * math.sqrt(1 / 400 + od.tau2)) ** 2
    assert od.upper_95[0] == pytest.approx(expected, rel=1e-6)


def test_winsorise_pulls_the_tails_in() -> None:
    z = np.arange(11.0)
    assert winsorise(z, 0.1).tolist() == [1.0, 1.0, *range(2, 9), 9.0, 9.0]


def test_funnel_inputs_are_checked() -> None:
    with pytest.raises(DenominatorError, match="unit 1 has 0"):
        funnel([1, 2], [3, 0])
    with pytest.raises(NumeratorError, match="above its denominator"):
        funnel([5, 2], [3, 4], kind="proportion")
    with pytest.raises(OptionError, match="kind must be one of"):
        funnel([1, 2], [3, 4], kind="rate")


def test_funnel_takes_dataframe_columns() -> None:
    import pandas as pd

    frame = pd.DataFrame({"trust": list("abcdef"), "deaths": OBSERVED, "expected": EXPECTED})
    result = funnel("deaths", "expected", data=frame, labels="trust")
    assert result.labels == tuple("abcdef")
    np.testing.assert_allclose(result.upper_95, funnel(OBSERVED, EXPECTED).upper_95)
