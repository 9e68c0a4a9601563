"""Anhøj rules: runs analysis of a run or control chart against its centre line.

A run chart signals non-random variation when the longest run of points on one side of the centre line is
unusually long (Schilling 2012: ``round(log2(n)) + 3``) or the line crosses the centre unusually few times
(Chen 2010: the 5 % lower binomial quantile ``qbinom(0.05, n - 1, 0.5)``), ``n`` being the number of useful
points (points on the centre line and missing points are ignored: they neither break nor extend a run).

The crossing thresholds are computed with exact integer arithmetic, so they equal R's ``qbinom`` for every
``n`` rather than approximating it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from openqi_spc.errors import OptionError

RunsMethod = Literal["anhoej", "bestbox", "cutbox"]
RUNS_METHODS: Final = ("anhoej", "bestbox", "cutbox")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Anhøj & Wentzel-Larsen (2020, PLoS ONE e0233920) "best box" and "cut box" bounds for n = 10..100, as
# tabulated in qicharts2 (helper.functions.R, crsignal()); -1 stands for "not defined".
_BOX_N0: Final = 10
_CB: Final = (
    2, 3, 3, 3, 3, 4, 5, 5, 5, 5, 6, 7, 6, 6, 6, 6, 9, 9, 9, 10, 11, 11, 11, 11, 11, 12, 13, 14, 13, 15,
    15, 15, 14, 14, 17, 17, 17, 17, 19, 19, 19, 19, 19, 21, 21, 21, 21, 23, 23, 23, 23, 23, 25, 25, 26, 26,
    27, 27, 27, 28, 29, 29, 29, 30, 30, 31, 31, 31, 32, 33, 33, 33, 34, 33, 35, 35, 35, 35, 37, 37, 38, 37,
    39, 39, 39, 39, 39, 41, 41, 42, 41,
)  # fmt: skip
_LB: Final = (
    6, 7, 6, 6, 6, 7, 8, 7, 7, 7, 7, 8, 7, 7, 7, 7, 9, 8, 8, 8, 10, 9, 8, 8, 8, 8, 9, 10, 8, 11, 9, 9, 8,
    8, 10, 9, 9, 9, 12, 10, 9, 9, 9, 11, 10, 9, 9, 12, 10, 10, 9, 9, 11, 10, 11, 10, 12, 10, 10, 11, 14, 11,
    10, 11, 10, 12, 11, 10, 11, 13, 11, 10, 11, 10, 11, 11, 10, 10, 12, 11, 12, 10, 13, 11, 11, 10, 10, 12,
    11, 12, 10,
)  # fmt: skip
_CBORD: Final = (
    3, 4, -1, -1, -1, 6, 6, -1, 6, 6, -1, -1, 7, 7, 7, -1, 10, 10, 11, -1, 12, 14, -1, 12, 13, -1, 15, -1,
    -1, -1, -1, 17, -1, -1, -1, -1, 19, 20, 20, 21, -1, 21, 21, 23, 23, -1, 23, 25, 24, 26, -1, 24, 27, 27,
    27, 27, 29, -1, 29, 29, 30, 31, 30, 31, -1, 32, 34, 33, 33, 37, 35, -1, 36, 36, -1, 38, 36, 38, 38, 39,
    -1, 39, 41, 40, 42, -1, 41, 42, 44, 43, 42,
)  # fmt: skip
_LBORD: Final = (
    5, 6, -1, -1, -1, 6, 7, -1, 6, 5, -1, -1, 6, 6, 6, -1, 7, 7, 7, -1, 9, 8, -1, 7, 7, -1, 8, -1, -1, -1,
    -1, 8, -1, -1, -1, -1, 8, 7, 11, 9, -1, 8, 7, 9, 8, -1, 8, 11, 9, 8, -1, 8, 9, 9, 10, 9, 10, -1, 8, 8,
    13, 9, 9, 10, -1, 9, 8, 9, 8, 11, 9, -1, 10, 7, -1, 8, 9, 8, 10, 9, -1, 9, 12, 10, 8, -1, 8, 9, 9, 10,
    9,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BoxBounds:
    """The bestbox/cutbox bounds for one number of useful observations (None where not defined)."""

    n: int
    cb: int
    lb: int
    cbord: int | None
    lbord: int | None


def box_bounds(n_useful: int) -> BoxBounds | None:
    """Bounds of the experimental bestbox/cutbox methods, or None outside n = 10..100."""
    i = n_useful - _BOX_N0
    if not 0 <= i < len(_CB):
        return None
    cbord, lbord = _CBORD[i], _LBORD[i]
    return BoxBounds(n_useful, _CB[i], _LB[i], None if cbord < 0 else cbord, None if lbord < 0 else lbord)


class _ThresholdTable:
    """Longest-run maxima and crossing minima for n = 0..size-1, grown on demand.

    The crossing minimum is the smallest c with P(Bin(n-1, 1/2) <= c) >= 0.05. Working with the integer
    S = 2^m * P(X <= c) avoids every rounding question: F(m+1, c) = F(m, c) - P(X_m = c)/2, so
    S(m+1, c) = 2 S(m, c) - C(m, c), and the quantile never decreases as m grows.
    """

    def __init__(self) -> None:
        self.longest_run_max: IntArray = np.zeros(0, dtype=np.int64)
        self.n_crossings_min: IntArray = np.zeros(0, dtype=np.int64)
        self._grow(1025)

    def ensure(self, n_max: int) -> None:
        if n_max >= self.longest_run_max.size:
            self._grow(max(n_max + 1, 2 * self.longest_run_max.size))

    def _grow(self, size: int) -> None:
        crossings = np.zeros(size, dtype=np.int64)
        # m = number of trials = n - 1; walk m upwards carrying the exact state.
        c, s, binom_mc = 0, 1, 1  # m = 0: P(X <= 0) = 1, C(0, 0) = 1
        for n in range(1, size):
            m = n - 1
            if m > 0:
                # step m-1 -> m at fixed c
                s = 2 * s - binom_mc  # binom_mc is C(m-1, c) here
                binom_mc = binom_mc * m // (m - c)  # C(m, c) from C(m-1, c)
            while 20 * s < (1 << m):
                c += 1
                binom_mc = binom_mc * (m - c + 1) // c  # C(m, c) from C(m, c-1)
                s += binom_mc
            crossings[n] = c
        runs = np.zeros(size, dtype=np.int64)
        for n in range(1, size):
            runs[n] = round(math.log2(n)) + 3
        self.longest_run_max = runs
        self.n_crossings_min = crossings
        self.runs_list: list[int] = runs.tolist()
        self.crossings_list: list[int] = crossings.tolist()


_TABLE = _ThresholdTable()


def longest_run_max(n_useful: int) -> int:
    """Upper limit of the expected longest run for ``n_useful`` points (Schilling 2012)."""
    if n_useful < 1:
        raise OptionError("n_useful must be at least 1")
    _TABLE.ensure(n_useful)
    return int(_TABLE.longest_run_max[n_useful])


def n_crossings_min(n_useful: int) -> int:
    """Lower limit of the expected number of crossings for ``n_useful`` points (Chen 2010)."""
    if n_useful < 1:
        raise OptionError("n_useful must be at least 1")
    _TABLE.ensure(n_useful)
    return int(_TABLE.n_crossings_min[n_useful])


def threshold_arrays(n_max: int) -> tuple[IntArray, IntArray]:
    """Both threshold tables covering at least 0..n_max, for vectorised look-ups."""
    _TABLE.ensure(n_max)
    return _TABLE.longest_run_max, _TABLE.n_crossings_min


def check_method(method: str) -> RunsMethod:
    if method not in RUNS_METHODS:
        raise OptionError(f"method must be one of {', '.join(RUNS_METHODS)}; got {method!r}")
    return method  # type: ignore[return-value]


def runs_signal_for(n_useful: int, n_crossings: int, longest_run: int, method: RunsMethod = "anhoej") -> bool:
    """qicharts2's crsignal(): does this runs pattern signal non-random variation?"""
    bounds = box_bounds(n_useful) if method != "anhoej" else None
    if bounds is None:  # outside 10..100 the box methods fall back to Anhøj's rules, as in qicharts2
        return longest_run > longest_run_max(n_useful) or n_crossings < n_crossings_min(n_useful)
    if method == "bestbox" or bounds.cbord is None or bounds.lbord is None:
        return not (n_crossings >= bounds.cb and longest_run <= bounds.lb)
    accepted = (
        (n_crossings >= bounds.cb + 1 and longest_run <= bounds.lb - 1)
        or (n_crossings == bounds.cb and longest_run <= bounds.lbord)
        or (n_crossings >= bounds.cbord and longest_run <= bounds.lb)
    )
    return not accepted


@dataclass(frozen=True, slots=True)
class RunsAnalysis:
    """The runs analysis of one chart part (None fields when no point is useful)."""

    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_signal: bool


def runs_analysis(
    y: npt.ArrayLike, cl: npt.ArrayLike, method: RunsMethod = "anhoej", *, n_obs: int | None = None
) -> RunsAnalysis:
    """Runs analysis of ``y`` against ``cl`` (a scalar or one value per point).

    Pass only the points to analyse (qicharts2 analyses the included points of a part). Missing values and
    points on the centre line are dropped before the runs are counted.
    """
    y_arr = np.asarray(y, dtype=np.float64)
    deviation = y_arr - np.asarray(cl, dtype=np.float64)
    # NaN compares False both ways, so this drops missing points and points on the centre line at once
    above = deviation[(deviation > 0) | (deviation < 0)] > 0
    total = int(y_arr.size) if n_obs is None else n_obs
    n_useful = int(above.size)
    if n_useful == 0:
        return RunsAnalysis(total, 0, None, None, None, None, False)
    breaks = (above[1:] != above[:-1]).nonzero()[0].tolist()
    n_crossings = len(breaks)
    if n_crossings:
        longest = max(breaks[0] + 1, n_useful - 1 - breaks[-1])
        for left, right in zip(breaks, breaks[1:], strict=False):  # a few dozen steps: cheaper than NumPy
            if right - left > longest:
                longest = right - left
    else:
        longest = n_useful
    if n_useful >= len(_TABLE.runs_list):
        _TABLE.ensure(n_useful)
    lr_max = _TABLE.runs_list[n_useful]
    cr_min = _TABLE.crossings_list[n_useful]
    if method == "anhoej":
        signal = longest > lr_max or n_crossings < cr_min
    else:
        signal = runs_signal_for(n_useful, n_crossings, longest, method)
    return RunsAnalysis(total, n_useful, longest, lr_max, n_crossings, cr_min, signal)


@dataclass(frozen=True, slots=True)
class RunsAnalysisBatch:
    """Runs analysis of many series at once; -1 marks 'not defined' (no useful point)."""

    n_obs: IntArray
    n_useful: IntArray
    longest_run: IntArray
    longest_run_max: IntArray
    n_crossings: IntArray
    n_crossings_min: IntArray
    runs_signal: BoolArray


def runs_analysis_2d(
    y: FloatArray, cl: FloatArray, analysed: BoolArray, method: RunsMethod = "anhoej"
) -> RunsAnalysisBatch:
    """Vectorised runs analysis: one row per series; ``analysed`` marks the points that take part.

    Equivalent to :func:`runs_analysis` on each row's analysed points (property-tested), but without a
    Python loop: a point's predecessor is the last earlier useful point, found by a running maximum of
    positions, so skipped points neither break nor extend runs.
    """
    rows, width = y.shape
    with np.errstate(invalid="ignore"):
        signs = np.sign(y - cl)
    signs[~analysed | np.isnan(signs)] = 0
    useful = signs != 0
    n_useful = useful.sum(axis=1)
    n_obs = analysed.sum(axis=1)
    if width == 0:
        zeros = np.zeros(rows, dtype=np.int64)
        return RunsAnalysisBatch(n_obs, n_useful, zeros - 1, zeros - 1, zeros - 1, zeros - 1, zeros > 0)
    cols = np.arange(width)
    last_useful = np.maximum.accumulate(np.where(useful, cols, -1), axis=1)
    previous = np.empty_like(last_useful)
    previous[:, 0] = -1
    previous[:, 1:] = last_useful[:, :-1]
    has_previous = previous >= 0
    previous_sign = np.take_along_axis(signs, np.maximum(previous, 0), axis=1)
    crossing = useful & has_previous & (previous_sign != signs)
    run_start = useful & ~(has_previous & (previous_sign == signs))
    n_crossings = crossing.sum(axis=1)
    rank = np.cumsum(useful, axis=1)  # 1-based rank among useful points
    start_rank = np.maximum.accumulate(np.where(run_start, rank, 0), axis=1)
    run_length = np.where(useful, rank - start_rank + 1, 0)
    longest = run_length.max(axis=1)
    lr_table, cr_table = threshold_arrays(int(n_useful.max()) if rows else 0)
    lr_max = lr_table[n_useful]
    cr_min = cr_table[n_useful]
    signal = (longest > lr_max) | (n_crossings < cr_min)
    if method != "anhoej":
        for i in range(rows):
            if n_useful[i]:
                signal[i] = runs_signal_for(int(n_useful[i]), int(n_crossings[i]), int(longest[i]), method)
    none = n_useful == 0
    signal[none] = False
    return RunsAnalysisBatch(
        n_obs=n_obs.astype(np.int64),
        n_useful=n_useful.astype(np.int64),
        longest_run=np.where(none, -1, longest).astype(np.int64),
        longest_run_max=np.where(none, -1, lr_max).astype(np.int64),
        n_crossings=np.where(none, -1, n_crossings).astype(np.int64),
        n_crossings_min=np.where(none, -1, cr_min).astype(np.int64),
        runs_signal=signal,
    )
