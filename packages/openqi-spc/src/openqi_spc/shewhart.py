"""np and Xbar-R charts: the two classic Shewhart charts that qicharts2 leaves out, per Montgomery.

    np_chart(defectives, n)                 # counts of nonconforming units, cl = n p-bar
    xbar_r(values, x=subgroup)              # Xbar and R charts from the subgroup ranges

References: Montgomery D.C. (2009) *Introduction to Statistical Quality Control*, 6th ed.: np chart
section 7.2.1 (cl = n p-bar, limits n p-bar +/- 3 sqrt(n p-bar (1 - p-bar))); Xbar and R charts section 6.2.1
(Xbar limits x-double-bar +/- A2 R-bar, R limits D3 R-bar and D4 R-bar, with A2 = 3 / (d2 sqrt n),
D3 = max(0, 1 - 3 d3 / d2), D4 = 1 + 3 d3 / d2). The constants d2 (mean of the relative range) and d3 (its
standard deviation) are computed by numerical integration of the normal range distribution (Tippett 1925;
Harter 1960) rather than read from a 3-decimal table; d2, d3 and A2 agree with Montgomery's Appendix VI to
every printed digit, D3 and D4 within 0.001 (the book derives them from its rounded d2 and d3).

Both return ordinary :class:`QicResult` objects (runs analysis by Anhøj's rules on the same centre line),
so plots, SVG, DataFrames and the Western Electric / Nelson rule sets work on them unchanged.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from openqi_spc.errors import InputLengthError, InsufficientDataError, NonFiniteValueError, OptionError
from openqi_spc.results import QicResult, QicSummary

FloatArray = npt.NDArray[np.float64]
MONTGOMERY = "Montgomery D.C. (2009) Introduction to Statistical Quality Control, 6th ed."


def _simpson(y: FloatArray, h: float) -> Any:
    """Simpson's rule along the last axis (an odd number of equally spaced points)."""
    return (
        h
        / 3.0
        * (y[..., 0] + y[..., -1] + 4.0 * y[..., 1:-1:2].sum(axis=-1) + 2.0 * y[..., 2:-1:2].sum(axis=-1))
    )


@functools.lru_cache(maxsize=64)
def _range_moments(n: int) -> tuple[float, float]:
    """E[W] and E[W^2] of the range W of n standard normal values (Tippett 1925).

    P(W <= w) = n * integral of phi(x) (Phi(x + w) - Phi(x))^(n-1) dx; E[W] = integral of P(W > w) dw and
    E[W^2] = integral of 2 w P(W > w) dw over w >= 0, by Simpson's rule on a grid where x + w stays on it.
    """
    _check_size(n)
    h = 0.01
    x = np.arange(-1000, 2201) * h  # x from -10 to 22, so x + w (w <= 12) stays on the grid
    cdf = 0.5 * (1.0 + np.vectorize(math.erf, otypes=[np.float64])(x / math.sqrt(2.0)))
    pdf = np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)
    inner = slice(0, 2001)  # x from -10 to 10
    w_steps = np.arange(0, 1201)  # w from 0 to 12
    spans = cdf[np.arange(2001)[:, None] + w_steps[None, :]] - cdf[inner][:, None]
    below = n * _simpson((pdf[inner][:, None] * spans ** (n - 1)).T, h)
    above = np.clip(1.0 - below, 0.0, 1.0)
    w = w_steps * h
    return float(_simpson(above, h)), float(_simpson(2.0 * w * above, h))


def d2(n: int) -> float:
    """Mean of the range of n standard normal values (Montgomery's d2)."""
    return _range_moments(n)[0]


def d3(n: int) -> float:
    """Standard deviation of the range of n standard normal values (Montgomery's d3)."""
    mean, square = _range_moments(n)
    return math.sqrt(max(square - mean**2, 0.0))


def _check_size(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 2 <= n <= 50:
        raise OptionError(f"subgroup size must be a whole number from 2 to 50; got {n!r}")


@dataclass(frozen=True, slots=True)
class RangeConstants:
    """Montgomery's Appendix VI factors for subgroups of size n."""

    n: int
    d2: float
    d3: float

    @property
    def a2(self) -> float:
        return 3.0 / (self.d2 * math.sqrt(self.n))

    @property
    def d3_factor(self) -> float:
        """D3 (lower R limit factor)."""
        return max(0.0, 1.0 - 3.0 * self.d3 / self.d2)

    @property
    def d4_factor(self) -> float:
        """D4 (upper R limit factor)."""
        return 1.0 + 3.0 * self.d3 / self.d2


def range_constants(n: int) -> RangeConstants:
    return RangeConstants(n, d2(n), d3(n))


def _with_limits(
    result: QicResult,
    chart: str,
    lcl: FloatArray,
    ucl: FloatArray,
    lcl_95: FloatArray,
    ucl_95: FloatArray,
    reference: str,
    y: FloatArray | None = None,
    cl: FloatArray | None = None,
) -> QicResult:
    """``result`` (whose centre and runs analysis stand) with new limits, sigma signals and summary."""
    points = result.points
    y = points.y if y is None else y
    cl = points.cl if cl is None else cl
    with np.errstate(invalid="ignore"):
        signal = (y > ucl) | (y < lcl)
    signal = np.where(np.isnan(y), False, signal)
    new_points = replace(
        points, y=y, cl=cl, lcl=lcl, ucl=ucl, lcl_95=lcl_95, ucl_95=ucl_95, sigma_signal=signal
    )
    summaries = []
    for part in result.summary:
        idx = points.part == part.part

        def mean(values: FloatArray, idx: Any = idx) -> float | None:
            chunk = values[idx]
            chunk = chunk[~np.isnan(chunk)]
            return float(chunk.mean()) if chunk.size else None

        summaries.append(
            replace(
                part,
                sigma_signals=int(signal[idx].sum()),
                aLCL=mean(lcl),
                aLCL_95=mean(lcl_95),
                CL=mean(cl),
                aUCL_95=mean(ucl_95),
                aUCL=mean(ucl),
            )
        )
    summary: QicSummary = QicSummary(tuple(summaries))
    return QicResult(chart, new_points, summary, result.multiply, reference)


def np_chart(
    y: Sequence[float | None] | npt.ArrayLike,
    n: Sequence[float | None] | npt.ArrayLike,
    x: Sequence[Any] | npt.ArrayLike | None = None,
    **options: Any,
) -> QicResult:
    """np chart (Montgomery 7.2.1): counts of nonconforming units ``y`` out of ``n`` per subgroup.

    p-bar = sum(y) / sum(n) over the baseline; centre n_i p-bar and limits n_i p-bar +/- 3 sqrt(n_i p-bar
    (1 - p-bar)), clamped to [0, n_i]. Subgroup sizes may vary (the centre line then steps). ``options`` are
    qic()'s (``freeze``, ``part``, ``exclude``...). The result's ``y`` are the counts.
    """
    from openqi_spc.charts import qic

    if options.get("multiply", 1.0) != 1.0:
        raise OptionError("an np chart plots counts: multiply is not available")
    p = qic(y, n, x, chart="p", **options)
    size = p.points.n
    return _with_limits(
        p,
        "np",
        p.points.lcl * size,
        p.points.ucl * size,
        p.points.lcl_95 * size,
        p.points.ucl_95 * size,
        f"{MONTGOMERY} 7.2.1",
        y=np.round(p.points.y * size, 9),  # the counts back, without the division's rounding
        cl=p.points.cl * size,
    )


@dataclass(frozen=True, slots=True)
class XbarRResult:
    """The pair of charts: ``xbar`` (subgroup means) and ``r`` (subgroup ranges), and the constants used."""

    xbar: QicResult
    r: QicResult
    constants: RangeConstants
    grand_mean: float
    mean_range: float

    def to_records(self) -> dict[str, Any]:
        return {
            "xbar": self.xbar.to_records(),
            "r": self.r.to_records(),
            "n": self.constants.n,
            "grand_mean": self.grand_mean,
            "mean_range": self.mean_range,
        }

    def plot(self, **options: Any) -> Any:
        """Both charts, one above the other (matplotlib)."""
        from openqi_spc.plotting import plot_stack

        return plot_stack({"X-bar chart": self.xbar, "R chart": self.r}, **options)


def _subgroups(values: Any, x: Any) -> tuple[FloatArray, npt.NDArray[Any]]:
    arr = np.asarray(values, dtype=np.float64)
    if x is None:
        if arr.ndim != 2:
            raise OptionError(
                "give a 2-D array (one row per subgroup) or the values with x naming their subgroup"
            )
        return arr, np.arange(1, arr.shape[0] + 1)
    if arr.ndim != 1:
        raise OptionError("with x, the values must be one-dimensional")
    labels = np.asarray(x)
    if labels.shape[0] != arr.shape[0]:
        raise InputLengthError(f"x has {labels.shape[0]} values but y has {arr.shape[0]}")
    uniques, group = np.unique(labels, return_inverse=True)
    sizes = np.bincount(group.reshape(-1))
    if (sizes != sizes[0]).any():
        raise OptionError(
            "Xbar-R charts need subgroups of equal size (found sizes "
            f"{sorted(set(sizes.tolist()))}); use qic(chart='xbar') and 's' for unequal sizes"
        )
    order = np.argsort(group.reshape(-1), kind="stable")
    return arr[order].reshape(uniques.size, int(sizes[0])), uniques


def xbar_r(
    y: Any,
    x: Sequence[Any] | npt.ArrayLike | None = None,
    *,
    freeze: int | None = None,
) -> XbarRResult:
    """Xbar and R charts (Montgomery 6.2.1) from subgroups of equal size n (2..50).

    ``y``: a 2-D array with one row per subgroup, or flat values with ``x`` naming each value's subgroup.
    ``freeze=k``: x-double-bar and R-bar from the first k subgroups (trial limits from all otherwise).
    """
    from openqi_spc.charts import qic

    groups, labels = _subgroups(y, x)
    if not np.isfinite(groups).all():
        raise NonFiniteValueError("Xbar-R charts need every value of every subgroup (no missing values)")
    count, size = groups.shape
    if count < 2:
        raise InsufficientDataError("an Xbar-R chart needs at least two subgroups")
    constants = range_constants(size)
    means = groups.mean(axis=1)
    ranges = groups.max(axis=1) - groups.min(axis=1)
    base = slice(0, freeze) if freeze is not None else slice(None)
    if freeze is not None and not 2 <= freeze <= count:
        raise OptionError(f"freeze must be between 2 and the number of subgroups ({count}); got {freeze!r}")
    grand, rbar = float(means[base].mean()), float(ranges[base].mean())
    ones = np.ones(count)
    spread = constants.a2 * rbar
    xbar = _with_limits(
        qic(means, x=labels, chart="run", cl=grand, freeze=freeze),
        "xbar",
        ones * (grand - spread),
        ones * (grand + spread),
        ones * (grand - spread * 2 / 3),
        ones * (grand + spread * 2 / 3),
        f"{MONTGOMERY} 6.2.1",
    )
    sigma_r = constants.d3 / constants.d2 * rbar
    r = _with_limits(
        qic(ranges, x=labels, chart="run", cl=rbar, freeze=freeze),
        "r",
        ones * constants.d3_factor * rbar,
        ones * constants.d4_factor * rbar,
        ones * max(0.0, rbar - 2 * sigma_r),
        ones * (rbar + 2 * sigma_r),
        f"{MONTGOMERY} 6.2.1",
    )
    return XbarRResult(xbar, r, constants, grand, rbar)
