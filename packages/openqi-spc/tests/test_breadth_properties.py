"""Invariants of the rule sets, CUSUM, EWMA, funnel limits and the DataFrame interface, with hypothesis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openqi_spc import cusum, ewma, funnel, qic, zone_rules
from openqi_spc.funnel import poisson_limits

pytestmark = pytest.mark.filterwarnings("ignore::openqi_spc.errors.SPCWarning")

z_values = st.lists(st.floats(min_value=-5, max_value=5, allow_nan=False), min_size=1, max_size=60)
fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(z_values, st.floats(min_value=0.1, max_value=100), st.floats(min_value=-1e3, max_value=1e3))
def test_zone_rules_do_not_depend_on_units(z: list[float], scale: float, shift: float) -> None:
    for ruleset in ("western_electric", "nelson"):
        plain = zone_rules(z, 0.0, 1.0, ruleset)
        moved = zone_rules([shift + scale * v for v in z], shift, scale, ruleset)
        for code, flags in plain.signals.items():
            # points within a rounding error of a zone boundary may fall either side after scaling
            near = np.isclose(np.abs(z), [1.0], atol=1e-9) | np.isclose(np.abs(z), 2.0, atol=1e-9)
            near |= np.isclose(np.abs(z), 3.0, atol=1e-9) | np.isclose(z, 0.0, atol=1e-9)
            ties = np.abs(np.diff(z)) < 1e-6  # steps that scaling can round to a tie (trend rules)
            if not near.any() and not ties.any():
                assert moved.signals[code].tolist() == flags.tolist(), code


@fast
@given(z_values)
def test_mirroring_swaps_nothing_but_the_side(z: list[float]) -> None:
    for ruleset in ("western_electric", "nelson"):
        plain = zone_rules(z, 0.0, 1.0, ruleset)
        mirrored = zone_rules([-v for v in z], 0.0, 1.0, ruleset)
        for code in plain.signals:
            assert mirrored.signals[code].tolist() == plain.signals[code].tolist(), code


@fast
@given(
    st.lists(st.lists(st.floats(min_value=0, max_value=20), min_size=12, max_size=12), min_size=1, max_size=5)
)
def test_cusum_and_ewma_of_many_series_equal_one_at_a_time(rows: list[list[float]]) -> None:
    batch_c = cusum(np.array(rows), target=10, sigma=2, k=0.5, h=4)
    batch_e = ewma(np.array(rows), target=10, sigma=2, lam=0.3, L=3)
    for i, row in enumerate(rows):
        np.testing.assert_allclose(batch_c.c_plus[i], cusum(row, 10, 2, k=0.5, h=4).c_plus)
        np.testing.assert_allclose(batch_c.c_minus[i], cusum(row, 10, 2, k=0.5, h=4).c_minus)
        np.testing.assert_allclose(batch_e.z[i], ewma(row, 10, 2, lam=0.3, L=3).z)


@fast
@given(st.lists(st.floats(min_value=-100, max_value=100), min_size=2, max_size=40))
def test_ewma_with_lambda_one_is_a_shewhart_chart(y: list[float]) -> None:
    result = ewma(y, target=0, sigma=10, lam=1.0, L=3)
    np.testing.assert_allclose(result.z, y)
    np.testing.assert_allclose(result.ucl, 30.0)
    assert result.signal.tolist() == [abs(v) > 30 for v in y]


@fast
@given(st.lists(st.integers(min_value=1, max_value=10_000), min_size=2, max_size=10, unique=True))
def test_poisson_funnel_narrows_as_the_expected_count_grows(halves: list[int]) -> None:
    ordered = np.sort(np.array(halves)) / 2  # expected counts from 0.5 up, at least 0.5 apart
    lower, upper = poisson_limits(ordered, 0.998)
    assert (np.diff(upper) < 0).all()
    assert (np.diff(lower) > 0).all()
    assert (lower < 1).all() and (upper > 1).all()


@fast
@given(st.lists(st.integers(min_value=1, max_value=200), min_size=3, max_size=12))
def test_overdispersion_never_narrows_the_funnel(expected: list[int]) -> None:
    rng = np.random.default_rng(len(expected))
    observed = rng.poisson(np.array(expected) * rng.uniform(0.5, 1.5, len(expected))) + 1
    plain = funnel(observed, expected)
    adjusted = funnel(observed, expected, overdispersion=True)
    if adjusted.overdispersion:
        assert (adjusted.upper_998 >= plain.upper_998 - 1e-9).all()


@fast
@given(
    st.lists(st.floats(min_value=0, max_value=100), min_size=4, max_size=30),
    st.lists(st.sampled_from(["a", "b", "c"]), min_size=4, max_size=30),
)
def test_dataframe_results_equal_the_array_engine_per_facet(y: list[float], labels: list[str]) -> None:
    size = min(len(y), len(labels))
    frame = pd.DataFrame({"y": y[:size], "unit": labels[:size], "t": range(size)})
    result = qic(data=frame, x="t", y="y", chart="c", facets="unit")
    for key, alone in result.results.items():
        rows = frame[frame.unit == key[0]]
        expected = qic(rows.y.to_numpy(), x=rows.t.to_numpy(), chart="c")
        np.testing.assert_allclose(alone.points.ucl, expected.points.ucl, equal_nan=True)
        mine = result.points[result.points.facet1 == key[0]]
        assert mine["sigma.signal"].tolist() == expected.points.sigma_signal.tolist()
