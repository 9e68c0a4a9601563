"""When to suggest recalculating the limits: a sustained shift in the latest limit period.

Limits describe one process. Once the process has moved to a new level and stayed there, limits that
span the move describe neither the old process nor the new one, and any judgement against them (the
assurance icon above all) is made against a process that no longer exists. Making Data Count and
qicharts2's authors (Provost & Murray, Anhøj) give the same advice: recalculate only after a sustained,
understood change, and only once the new process has enough points for limits of its own. The rules
(packages/openqi-spc/docs/spc.md, "Recalculating the limits") are:

1. **A sustained shift** in the latest limit period: the latest run of points on one side of the
   centre line that signals — MDC's shift rule (``shift`` points in a row, default 7) for an
   ``MDCResult``, Anhøj's unusually long run (longer than ``round(log2(n_useful)) + 3``) for a
   ``QicResult``.
2. **Still there**: the latest point is on the run's side of the centre line.
3. **Enough points after it**: from the suggested start to the latest point, at least ``min_points``
   points with a value (12 by default: the minimum for trial limits in both references).
4. **Not already done**: the suggested start lies after the first point of the latest limit period,
   and not inside a frozen baseline (``not_before``: the first point after it).
5. **Where**: the first point of the run; but when a known change (an adopted PDSA cycle, an annotation)
   falls within ``snap_within`` points of it, at that change (the nearest; the earlier on a tie). The
   data often move a week or two after a change begins, and a run can start a point or two early by
   chance; the change the team made is the boundary that explains the new process.

Points the caller marks as ``skip`` (excluded from the calculations) and missing values neither break nor
extend a run and do not count towards ``min_points``. Plain NumPy; no Django.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from openqi_spc.mdc import MDCResult
from openqi_spc.results import QicResult

SuggestionRule = Literal["shift", "long_run"]


@dataclass(frozen=True, slots=True)
class RebaseSuggestion:
    """Recalculate the limits from point ``start`` (0-based): a new limit period begins there."""

    start: int
    run_start: int  # first point of the sustained run
    run_length: int  # points in the run (skipped points not counted)
    side: int  # +1: the run is above the centre line, -1: below
    points_after: int  # points with a value from ``start`` to the latest
    change: int | None  # position in ``changes`` of the change the start was moved to, or None
    rule: SuggestionRule  # "shift" (MDC) or "long_run" (Anhøj)


@dataclass(frozen=True, slots=True)
class _Run:
    start: int
    length: int
    side: int


def suggest_rebase(
    result: MDCResult | QicResult,
    *,
    changes: Sequence[int] = (),
    min_points: int = 12,
    snap_within: int = 3,
    skip: Sequence[bool] | None = None,
    not_before: int = 0,
) -> RebaseSuggestion | None:
    """Where to recalculate the limits of ``result``, or None when the rules above do not call for it.

    ``changes``: 0-based positions of known changes (adopted PDSA cycles, annotations), in any order.
    ``skip``: one flag per point, True for a point left out of the calculations. ``not_before``: the
    earliest point a new period may start at (the first after a frozen baseline).
    """
    if min_points < 1 or snap_within < 0:
        raise ValueError("min_points must be >= 1 and snap_within >= 0")
    y = np.asarray(result.points.y, dtype=np.float64)
    size = y.size
    counted = ~np.isnan(y)
    if isinstance(result, QicResult):
        counted &= result.points.include
    if skip is not None:
        if len(skip) != size:
            raise ValueError(f"skip has {len(skip)} flags but the chart has {size} points")
        counted &= ~np.asarray(skip, dtype=np.bool_)
    observed = np.flatnonzero(counted)
    if observed.size == 0:
        return None
    last = int(observed[-1])
    groups = result.points.rebase_group if isinstance(result, MDCResult) else result.points.part
    in_period = np.flatnonzero(groups == groups[last])
    period_start = int(in_period[0])
    kept = [int(i) for i in in_period if counted[i]]
    rule: SuggestionRule = "shift" if isinstance(result, MDCResult) else "long_run"
    run = _latest_mdc_shift(result, kept) if isinstance(result, MDCResult) else _latest_long_run(result, kept)
    if run is None:
        return None
    side_now = _side(result, last)
    if side_now != run.side:
        return None
    earliest = max(period_start + 1, not_before)
    start, change = max(run.start, earliest), None
    candidates = [
        (abs(position - run.start), position, k)
        for k, position in enumerate(changes)
        if abs(position - run.start) <= snap_within and position >= earliest
    ]
    if candidates:
        _distance, start, change = min(candidates)
    points_after = int(counted[start : last + 1].sum())
    if points_after < min_points:
        return None
    return RebaseSuggestion(
        start=start,
        run_start=run.start,
        run_length=run.length,
        side=run.side,
        points_after=points_after,
        change=change,
        rule=rule,
    )


def _side(result: MDCResult | QicResult, i: int) -> int:
    centre = result.points.mean[i] if isinstance(result, MDCResult) else result.points.cl[i]
    value = result.points.y[i]
    if math.isnan(centre) or value == centre:
        return 0
    return 1 if value > centre else -1


def _runs(sides: Sequence[tuple[int, int]]) -> list[_Run]:
    """Runs of equal sides over (position, side) pairs; side 0 (on the line) neither breaks nor extends."""
    runs: list[_Run] = []
    for position, side in sides:
        if side == 0:
            continue
        if runs and runs[-1].side == side:
            runs[-1] = _Run(runs[-1].start, runs[-1].length + 1, side)
        else:
            runs.append(_Run(position, 1, side))
    return runs


def _latest_mdc_shift(result: MDCResult, kept: list[int]) -> _Run | None:
    """The latest run of consecutive points flagged by MDC's shift rule on one side of the mean."""
    p = result.points
    runs: list[_Run] = []
    previous = 0
    for i in kept:
        side = int(p.relative_to_mean[i]) if p.shift[i] else 0
        if side != 0 and side == previous:
            runs[-1] = _Run(runs[-1].start, runs[-1].length + 1, side)
        elif side != 0:
            runs.append(_Run(i, 1, side))
        previous = side
    return runs[-1] if runs else None


def _latest_long_run(result: QicResult, kept: list[int]) -> _Run | None:
    """The latest run longer than Anhøj's limit for the period (qicharts2's runs analysis)."""
    part = int(result.points.part[kept[-1]])
    summary = next((s for s in result.summary if s.part == part), None)
    if summary is None or summary.longest_run_max is None:
        return None
    runs = _runs([(i, _side(result, i)) for i in kept])
    long = [r for r in runs if r.length > summary.longest_run_max]
    return long[-1] if long else None


__all__ = ["RebaseSuggestion", "suggest_rebase"]
