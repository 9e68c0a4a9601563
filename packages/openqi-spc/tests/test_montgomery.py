"""np, Xbar-R, CUSUM and EWMA charts against Montgomery's worked examples and tables.

Montgomery D.C. (2009) Introduction to Statistical Quality Control, 6th ed.:
* Appendix VI, factors for constructing variables control charts (d2, d3, A2, D3, D4 for n = 2..10);
* Example 7.1 (orange-juice cans, 30 samples of 50; p-bar = 0.2313, samples 15 and 23 above the UCL) and the
  np chart of section 7.2.1 (UCL = 20.51, centre 11.57, LCL = 2.62);
* Example 6.1 (hard-bake flow width, 25 samples of 5): x-double-bar = 1.5056, R-bar = 0.32521, Xbar limits
  1.3179 / 1.6933, R chart UCL 0.68749 (recreated here from subgroups with those means and ranges);
* Table 9.1 data (30 observations, mu0 = 10, sigma = 1): Example 9.1 tabular CUSUM with k = 0.5, h = 5 (Table
  9.2: C+ first exceeds H at period 29 with N+ = 7) and Example 9.2 EWMA with lambda = 0.1, L = 2.7 (z1 =
  9.945, z2 = 9.7495, UCL 10.27 then 10.36 towards 10.62; from these z29 = 10.6468 is the first above the
  UCL - computed here, not a printed value).
"""

from __future__ import annotations

import numpy as np
import pytest
from openqi_spc import OptionError, cusum, ewma, np_chart, xbar_r
from openqi_spc.shewhart import range_constants

APPENDIX_VI = {  # n: (d2, d3, A2, D3, D4)
    2: (1.128, 0.853, 1.880, 0.0, 3.267),
    3: (1.693, 0.888, 1.023, 0.0, 2.574),
    4: (2.059, 0.880, 0.729, 0.0, 2.282),
    5: (2.326, 0.864, 0.577, 0.0, 2.114),
    6: (2.534, 0.848, 0.483, 0.0, 2.004),
    7: (2.704, 0.833, 0.419, 0.076, 1.924),
    8: (2.847, 0.820, 0.373, 0.136, 1.864),
    9: (2.970, 0.808, 0.337, 0.184, 1.816),
    10: (3.078, 0.797, 0.308, 0.223, 1.777),
}
ORANGE_JUICE = [
    12,
    15,
    8,
    10,
    4,
    7,
    16,
    9,
    14,
    10,
    5,
    6,
    17,
    12,
    22,
    8,
    10,
    5,
    13,
    11,
    20,
    18,
    24,
    15,
    9,
    12,
    7,
    13,
    9,
    6,
]
TABLE_9_1 = [
    9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34,
    9.03, 11.47, 10.51, 9.40, 10.08, 9.37, 10.62, 10.31, 8.52, 10.84,
    10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52,
]  # fmt: skip
TABLE_9_2_C_PLUS = [
    0, 0, 0, 1.16, 2.82, 2.50, 0.04, 1.00, 0, 0, 0, 0.97, 0.98, 0, 0,
    0, 0.12, 0, 0, 0.34, 0.74, 0, 1.79, 2.79, 2.89, 3.47, 3.35, 4.47, 5.28, 5.30,
]  # fmt: skip


@pytest.mark.parametrize("n", sorted(APPENDIX_VI))
def test_range_constants_agree_with_appendix_vi(n: int) -> None:
    d2, d3, a2, big_d3, big_d4 = APPENDIX_VI[n]
    c = range_constants(n)
    assert round(c.d2, 3) == d2
    assert round(c.d3, 3) == d3
    assert round(c.a2, 3) == a2
    # the book derives D3 and D4 from its 3-decimal d2 and d3 (n = 3: 1 + 3 x 0.888 / 1.693 = 2.5735)
    assert c.d3_factor == pytest.approx(big_d3, abs=1.1e-3)
    assert c.d4_factor == pytest.approx(big_d4, abs=1.1e-3)


def test_np_chart_of_example_7_1() -> None:
    result = np_chart(ORANGE_JUICE, [50] * 30)
    points = result.points
    assert result.chart == "np"
    assert points.cl[0] == pytest.approx(50 * 347 / 1500)
    assert points.ucl[0] == pytest.approx(20.51, abs=0.005)
    assert points.lcl[0] == pytest.approx(2.62, abs=0.005)
    assert points.y.tolist() == [float(v) for v in ORANGE_JUICE]
    assert np.flatnonzero(points.sigma_signal).tolist() == [14, 22]  # samples 15 and 23
    assert result.summary[0].sigma_signals == 2
    assert result.summary[0].aUCL == pytest.approx(points.ucl[0])


def test_np_chart_with_varying_sizes_steps_and_clamps() -> None:
    result = np_chart([1, 2, 9, 1], [10, 20, 10, 5])
    p_bar = 13 / 45
    np.testing.assert_allclose(result.points.cl, [10 * p_bar, 20 * p_bar, 10 * p_bar, 5 * p_bar])
    assert (result.points.lcl >= 0).all()
    assert (result.points.ucl <= np.array([10, 20, 10, 5])).all()


def example_6_1_subgroups() -> np.ndarray:
    """25 subgroups of 5 whose means average 1.5056 and whose ranges average 0.32521 (Example 6.1)."""
    rng = np.random.default_rng(61)
    means = 1.5056 + rng.normal(0, 0.05, 25)
    means += 1.5056 - means.mean()
    ranges = 0.32521 + rng.normal(0, 0.05, 25)
    ranges += 0.32521 - ranges.mean()
    offsets = np.array([-0.5, -0.1, 0.0, 0.1, 0.5])  # mean 0, range 1
    return means[:, None] + ranges[:, None] * offsets[None, :]


def test_xbar_r_limits_of_example_6_1() -> None:
    result = xbar_r(example_6_1_subgroups())
    assert result.grand_mean == pytest.approx(1.5056)
    assert result.mean_range == pytest.approx(0.32521)
    assert result.xbar.points.ucl[0] == pytest.approx(1.6933, abs=2e-4)  # book: A2 = 0.577 (3 decimals)
    assert result.xbar.points.lcl[0] == pytest.approx(1.3179, abs=2e-4)
    assert result.r.points.ucl[0] == pytest.approx(0.68749, abs=5e-4)
    assert result.r.points.lcl[0] == 0.0
    assert result.r.points.cl[0] == pytest.approx(0.32521)
    assert not result.xbar.sigma_signal


def test_xbar_r_flags_a_shifted_subgroup_and_accepts_long_data() -> None:
    groups = example_6_1_subgroups()
    groups[20] += 0.3
    result = xbar_r(groups.ravel(), x=np.repeat(np.arange(25), 5))
    assert np.flatnonzero(result.xbar.points.sigma_signal).tolist() == [20]
    assert result.xbar.points.y[20] == pytest.approx(groups[20].mean())
    with pytest.raises(OptionError, match="equal size"):
        xbar_r([1.0, 2.0, 3.0, 4.0, 5.0], x=[1, 1, 2, 2, 2])


def test_tabular_cusum_of_example_9_1() -> None:
    result = cusum(TABLE_9_1, target=10, sigma=1, k=0.5, h=5)
    np.testing.assert_allclose(result.c_plus, TABLE_9_2_C_PLUS, atol=0.006)
    assert result.c_minus[:3].round(2).tolist() == [0.05, 1.56, 1.77]
    assert result.first_signal() == 28  # period 29
    assert result.n_plus[28] == 7  # the shift began after period 22
    assert not result.signal_lower.any()


def test_cusum_estimates_sigma_from_moving_ranges_and_runs_many_series_at_once() -> None:
    estimated = cusum(TABLE_9_1)
    mr = np.abs(np.diff(TABLE_9_1)).mean()
    assert estimated.sigma[0] == pytest.approx(mr / 1.128)
    assert estimated.target[0] == pytest.approx(np.mean(TABLE_9_1))
    rows = np.array([TABLE_9_1, TABLE_9_1[::-1]])
    batch = cusum(rows, target=10, sigma=1)
    np.testing.assert_allclose(batch.c_plus[1], cusum(TABLE_9_1[::-1], 10, 1).c_plus)
    np.testing.assert_allclose(batch.c_plus[0], TABLE_9_2_C_PLUS, atol=0.006)


def test_ewma_of_example_9_2() -> None:
    result = ewma(TABLE_9_1, target=10, sigma=1, lam=0.1, L=2.7)
    assert result.z[0] == pytest.approx(9.945)
    assert result.z[1] == pytest.approx(9.7495)
    assert round(result.ucl[0], 2) == 10.27
    assert round(result.ucl[1], 2) == 10.36
    assert round(result.ucl[-1], 2) == 10.62
    assert result.first_signal() == 28  # period 29: z = 10.6468 > 10.6189
    assert result.z[28] == pytest.approx(10.6468, abs=1e-4)
    steady = ewma(TABLE_9_1, target=10, sigma=1, lam=0.1, L=2.7, asymptotic=True)
    assert np.allclose(steady.ucl, 10 + 2.7 * np.sqrt(0.1 / 1.9))


def test_time_weighted_options_are_checked() -> None:
    with pytest.raises(OptionError, match="lam must be in"):
        ewma(TABLE_9_1, 10, 1, lam=0)
    with pytest.raises(OptionError, match="sigma must be a positive number"):
        cusum(TABLE_9_1, 10, -1)
