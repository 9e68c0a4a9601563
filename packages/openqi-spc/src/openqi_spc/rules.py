"""Making Data Count special-cause rules, on two-dimensional arrays (one row per series).

The semantics are NHSRplotthedots' (ptd_calculate_point_type.R), which the NHS England SQL tool shares:
a shift is ``length`` consecutive points strictly on one side of the mean (a point on the mean breaks it), a
trend is ``length`` points with every successive change strictly in one direction (a tie breaks it), and
"two in three" is any three consecutive points, all strictly on one side of the mean, of which at least two
lie in the near-limit band. Every point of a qualifying run is flagged, not just the last.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]

RULE_CODES: Final = {"outside_limits": 1, "trend": 2, "two_in_three": 3, "shift": 4}


def _as_2d(values: npt.ArrayLike, dtype: type) -> npt.NDArray[Any]:
    arr: npt.NDArray[Any] = np.asarray(values, dtype=dtype)
    return arr[None, :] if arr.ndim == 1 else arr


def _run_length(values: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    """Length of the run of equal values ending at each position (along each row)."""
    rows, width = values.shape
    cols = np.broadcast_to(np.arange(width), (rows, width))
    starts = np.ones((rows, width), dtype=np.bool_)
    starts[:, 1:] = values[:, 1:] != values[:, :-1]
    first = np.maximum.accumulate(np.where(starts, cols, 0), axis=1)
    return cols - first + 1


def backfill(ends: BoolArray, length: int) -> BoolArray:
    """Flag every point of a run given the flags at the run's qualifying ends (ptd_part_of_seven_trend)."""
    out = ends.copy()
    for k in range(1, length):
        if k >= ends.shape[1]:
            break
        out[:, :-k] |= ends[:, k:]
    return out


def shift_ends(relative_to_mean: npt.ArrayLike, length: int = 7) -> BoolArray:
    """True at the ``length``-th and later points of a run strictly on one side of the mean."""
    rtm = _as_2d(relative_to_mean, np.int8)
    ends: BoolArray = (rtm != 0) & (_run_length(rtm) >= length)
    return ends


def trend_ends(y: npt.ArrayLike, length: int = 7) -> IntArray:
    """+1/-1 at the last point of ``length`` points rising/falling at every step, else 0."""
    values = _as_2d(y, np.float64)
    rows, width = values.shape
    out = np.zeros((rows, width), dtype=np.int8)
    if width < 2:
        return out
    with np.errstate(invalid="ignore"):
        steps = np.sign(values[:, 1:] - values[:, :-1])
    steps[np.isnan(steps)] = 0
    step_sign = steps.astype(np.int8)
    qualifies = (step_sign != 0) & (_run_length(step_sign) >= length - 1)
    out[:, 1:] = np.where(qualifies, step_sign, 0)
    return out


def two_in_three_windows(close: npt.ArrayLike, relative_to_mean: npt.ArrayLike) -> BoolArray:
    """True for every point of a window of three with >= 2 near-limit points all on one side of the mean."""
    near = _as_2d(close, np.int8).astype(np.int16)
    rtm = _as_2d(relative_to_mean, np.int8).astype(np.int16)
    rows, width = near.shape
    out = np.zeros((rows, width), dtype=np.bool_)
    if width < 3:
        return out
    near_sum = near[:, :-2] + near[:, 1:-1] + near[:, 2:]
    side_sum = rtm[:, :-2] + rtm[:, 1:-1] + rtm[:, 2:]
    window = (near_sum >= 2) & (np.abs(side_sum) == 3)
    out[:, :-2] |= window
    out[:, 1:-1] |= window
    out[:, 2:] |= window
    return out


def part_of_two_in_three(close: npt.ArrayLike, relative_to_mean: npt.ArrayLike) -> BoolArray:
    """Only the near-limit points of a qualifying window are special causes."""
    near = _as_2d(close, np.int8) != 0
    part: BoolArray = two_in_three_windows(close, relative_to_mean) & near
    return part


def trend_direction(y: FloatArray, part_of_trend: BoolArray) -> IntArray:
    """Direction used to label a trend point: the step to its right when the next point is also part of a
    trend, otherwise the step to its left (NHSRplotthedots' rule for a point at the top of a peak)."""
    rows, width = y.shape
    with np.errstate(invalid="ignore"):
        steps = np.sign(y[:, 1:] - y[:, :-1])
    steps[np.isnan(steps)] = 0
    left = np.zeros((rows, width))
    left[:, 1:] = steps
    right = np.zeros((rows, width))
    right[:, :-1] = steps
    if width:
        right[:, -1] = steps[:, -1] if width > 1 else 0
    next_in_trend = np.zeros((rows, width), dtype=np.bool_)
    next_in_trend[:, :-1] = part_of_trend[:, 1:]
    use_right = part_of_trend & next_in_trend
    return np.where(use_right, right, left).astype(np.int8)


def special_cause_labels(
    relative_to_mean: npt.ArrayLike,
    outside_limits: npt.ArrayLike,
    part_of_trend: npt.ArrayLike,
    part_of_two_in_three: npt.ArrayLike,
    part_of_shift: npt.ArrayLike,
    trend_sign: npt.ArrayLike,
    *,
    priority: tuple[str, ...] = ("outside_limits", "trend", "two_in_three", "shift"),
    shift: int = 7,
    trend: int = 7,
) -> list[str]:
    """NHSRplotthedots' per-point label for one series ("Above UCL", "7 Point Trend (Increasing)", ...)."""
    rtm = np.asarray(relative_to_mean).ravel()
    flags = {
        "outside_limits": np.asarray(outside_limits).ravel() != 0,
        "trend": np.asarray(part_of_trend).ravel() != 0,
        "two_in_three": np.asarray(part_of_two_in_three).ravel() != 0,
        "shift": np.asarray(part_of_shift).ravel() != 0,
    }
    direction = np.asarray(trend_sign).ravel()
    labels = []
    for i in range(rtm.size):
        side = "Above" if rtm[i] > 0 else "Below"
        label = "Common Cause"
        for rule in priority:
            if not flags[rule][i]:
                continue
            if rule == "outside_limits":
                label = "Above UCL" if rtm[i] == 1 else "Below LCL"
            elif rule == "trend":
                label = f"{trend} Point Trend ({'In' if direction[i] == 1 else 'De'}creasing)"
            elif rule == "two_in_three":
                label = f"2 in 3 {side} CL"
            else:
                label = f"{shift} Points {side} CL"
            break
        labels.append(label)
    return labels
