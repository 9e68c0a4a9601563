"""Tabular CUSUM and EWMA charts: small sustained shifts, per Montgomery.

    cusum(y, target=10, sigma=1, k=0.5, h=5)       # Montgomery Example 9.1
    ewma(y, target=10, sigma=1, lam=0.1, L=2.7)    # Montgomery Example 9.2

References: Montgomery D.C. (2009) *Introduction to Statistical Quality Control*, 6th ed., chapter 9:
tabular CUSUM (section 9.1.2) C+_i = max(0, x_i - (mu0 + K) + C+_{i-1}), C-_i = max(0, (mu0 - K) - x_i +
C-_{i-1}), C+_0 = C-_0 = 0 (or a head start), K = k sigma, signal when C+ or C- exceeds H = h sigma; N+ and
N- count the consecutive periods the sums have been non-zero, so the shift began after period i - N. EWMA
(section 9.2.1) z_i = lambda x_i + (1 - lambda) z_{i-1}, z_0 = mu0, limits mu0 +/- L sigma sqrt(lambda / (2 -
lambda) (1 - (1 - lambda)^(2i))) (exact, narrowing towards the asymptote of the first periods), signal
when z_i is strictly outside them.

Without ``sigma`` both estimate it as MR-bar / d2 with d2 = 1.128 (Montgomery 6.4, subgroups of one);
without ``target`` the mean of the values is used (Phase I). Both accept many series at once: a 2-D array
(one row per series; NaN pads the shorter ones) is computed in one vectorised pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from openqi_spc.errors import InsufficientDataError, NonFiniteValueError, OptionError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
D2_OF_TWO = 1.128


def _values(y: Any) -> tuple[FloatArray, bool]:
    arr = np.asarray(y, dtype=np.float64)
    if arr.ndim not in (1, 2):
        raise OptionError("y must be one series (1-D) or many series (2-D, one row each)")
    if np.isinf(arr).any():
        raise NonFiniteValueError("y has an infinite value")
    single = arr.ndim == 1
    values = arr[None, :] if single else arr
    if values.shape[1] == 0:
        raise InsufficientDataError("y is empty")
    return values, single


def _per_series(value: Any, rows: int, name: str) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return np.full(rows, float(arr))
    if arr.shape != (rows,):
        raise OptionError(f"{name} must be one number, or one per series ({rows})")
    return arr


def _target_sigma(values: FloatArray, target: Any, sigma: Any) -> tuple[FloatArray, FloatArray]:
    rows = values.shape[0]
    if target is None:
        with np.errstate(invalid="ignore"):
            target_arr = np.nanmean(values, axis=1)
    else:
        target_arr = _per_series(target, rows, "target")
    if sigma is None:
        mr = np.abs(np.diff(values, axis=1))
        counts = (~np.isnan(mr)).sum(axis=1)
        if (counts == 0).any():
            raise InsufficientDataError("sigma cannot be estimated from fewer than two consecutive values")
        sigma_arr = np.nansum(mr, axis=1) / counts / D2_OF_TWO
    else:
        sigma_arr = _per_series(sigma, rows, "sigma")
    if not (np.isfinite(sigma_arr).all() and (sigma_arr > 0).all()):
        raise OptionError("sigma must be a positive number")
    if not np.isfinite(target_arr).all():
        raise OptionError("target must be a finite number")
    return target_arr, sigma_arr


@dataclass(frozen=True, slots=True)
class CusumResult:
    """Tabular CUSUM. Arrays are 1-D for one series, 2-D (series x periods) for many."""

    y: FloatArray
    c_plus: FloatArray
    c_minus: FloatArray
    n_plus: IntArray
    n_minus: IntArray
    h: FloatArray  # decision interval H = h sigma, per series
    k: FloatArray  # reference value K = k sigma, per series
    target: FloatArray
    sigma: FloatArray
    signal_upper: BoolArray
    signal_lower: BoolArray
    reference: str = "Montgomery (2009) 9.1.2, tabular CUSUM"

    @property
    def signal(self) -> BoolArray:
        signal: BoolArray = self.signal_upper | self.signal_lower
        return signal

    def first_signal(self) -> int | None:
        """0-based period of the first signal (one series only)."""
        if self.y.ndim != 1:
            raise OptionError("first_signal() is for one series; index the arrays for many")
        hits = np.flatnonzero(self.signal)
        return int(hits[0]) if hits.size else None

    def plot(self, **options: Any) -> Any:
        from openqi_spc.plotting import plot_cusum

        return plot_cusum(self, **options)


def cusum(
    y: Any,
    target: float | Any = None,
    sigma: float | Any = None,
    *,
    k: float = 0.5,
    h: float = 5.0,
    head_start: float = 0.0,
) -> CusumResult:
    """Tabular CUSUM (Montgomery 9.1.2) with reference value ``k`` and decision interval ``h`` in sigmas.

    ``head_start``: the fast-initial-response start C+_0 = C-_0 = head_start x sigma (0.5 h is common).
    A missing value carries the sums forward unchanged.
    """
    if not (k >= 0 and h > 0 and head_start >= 0):
        raise OptionError("k and head_start must be >= 0 and h > 0")
    values, single = _values(y)
    mu, sd = _target_sigma(values, target, sigma)
    big_k, big_h = k * sd, h * sd
    rows, size = values.shape
    c_plus, c_minus = np.zeros((rows, size)), np.zeros((rows, size))
    n_plus, n_minus = np.zeros((rows, size), dtype=np.int64), np.zeros((rows, size), dtype=np.int64)
    up, down = np.full(rows, head_start) * sd, np.full(rows, head_start) * sd
    run_up, run_down = np.zeros(rows, dtype=np.int64), np.zeros(rows, dtype=np.int64)
    for i in range(size):
        x = values[:, i]
        present = ~np.isnan(x)
        new_up = np.maximum(0.0, x - (mu + big_k) + up)
        new_down = np.maximum(0.0, (mu - big_k) - x + down)
        up = np.where(present, new_up, up)
        down = np.where(present, new_down, down)
        run_up = np.where(present, np.where(up > 0, run_up + 1, 0), run_up)
        run_down = np.where(present, np.where(down > 0, run_down + 1, 0), run_down)
        c_plus[:, i], c_minus[:, i], n_plus[:, i], n_minus[:, i] = up, down, run_up, run_down
    upper = c_plus > big_h[:, None]
    lower = c_minus > big_h[:, None]

    def shape(a: Any) -> Any:
        return a[0] if single else a

    return CusumResult(
        shape(values),
        shape(c_plus),
        shape(c_minus),
        shape(n_plus),
        shape(n_minus),
        big_h,
        big_k,
        mu,
        sd,
        shape(upper),
        shape(lower),
    )


@dataclass(frozen=True, slots=True)
class EWMAResult:
    """EWMA chart. Arrays are 1-D for one series, 2-D (series x periods) for many."""

    y: FloatArray
    z: FloatArray
    cl: FloatArray
    lcl: FloatArray
    ucl: FloatArray
    signal: BoolArray
    lam: float
    L: float  # noqa: N815 - Montgomery's name for the width of the limits
    target: FloatArray
    sigma: FloatArray
    reference: str = "Montgomery (2009) 9.2.1, EWMA"

    def first_signal(self) -> int | None:
        if self.y.ndim != 1:
            raise OptionError("first_signal() is for one series; index the arrays for many")
        hits = np.flatnonzero(self.signal)
        return int(hits[0]) if hits.size else None

    def plot(self, **options: Any) -> Any:
        from openqi_spc.plotting import plot_ewma

        return plot_ewma(self, **options)


def ewma(
    y: Any,
    target: float | Any = None,
    sigma: float | Any = None,
    *,
    lam: float = 0.2,
    L: float = 3.0,  # noqa: N803 - Montgomery's name
    asymptotic: bool = False,
) -> EWMAResult:
    """EWMA chart (Montgomery 9.2.1) with smoothing ``lam`` (0 < lambda <= 1) and limit width ``L`` sigmas.

    ``asymptotic=True`` uses the steady-state limits from the first period. A missing value carries the
    EWMA forward (and its limits do not narrow).
    """
    if not 0 < lam <= 1:
        raise OptionError(f"lam must be in (0, 1]; got {lam!r}")
    if not L > 0:
        raise OptionError(f"L must be positive; got {L!r}")
    values, single = _values(y)
    mu, sd = _target_sigma(values, target, sigma)
    rows, size = values.shape
    z = np.zeros((rows, size))
    steps = np.zeros((rows, size))
    current = mu.copy()
    seen = np.zeros(rows)
    for i in range(size):
        x = values[:, i]
        present = ~np.isnan(x)
        current = np.where(present, lam * np.where(present, x, 0.0) + (1 - lam) * current, current)
        seen = seen + present
        z[:, i], steps[:, i] = current, seen
    factor = lam / (2 - lam)
    width = factor if asymptotic else factor * (1 - (1 - lam) ** (2 * steps))
    spread = L * sd[:, None] * np.sqrt(width)
    cl = np.repeat(mu[:, None], size, axis=1)
    lcl, ucl = cl - spread, cl + spread
    signal = (z > ucl) | (z < lcl)

    def shape(a: Any) -> Any:
        return a[0] if single else a

    return EWMAResult(
        shape(values), shape(z), shape(cl), shape(lcl), shape(ucl), shape(signal), lam, L, mu, sd
    )
