"""What a chart shows, as plain data: ``ChartSpec`` and the builders from the SPC engine's results.

The renderer knows nothing about qicharts2 or Making Data Count; the builders here translate both result
types into one vocabulary (status per point, centre/limit series, parts with a runs signal), so the SVG,
the PNG, the data table and the text alternative all describe exactly the same chart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

import numpy as np

from openqi_spc import MDCResult, PointType, QicResult, SpecialCauseRule

Number = float | None
XLabel = dt.date | str | int | float


class PointStatus(StrEnum):
    COMMON = "common"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEUTRAL = "neutral"


class Annotation(NamedTuple):
    """A numbered note on one point (0-based ``point``); plain ``(point, number, text)`` tuples work too."""

    point: int
    number: int
    text: str


STATUS_TEXT: dict[PointStatus, str] = {
    PointStatus.COMMON: "Common cause",
    PointStatus.IMPROVEMENT: "Special cause improvement",
    PointStatus.CONCERN: "Special cause concern",
    PointStatus.NEUTRAL: "Special cause (neither improvement nor concern)",
}

_IMPROVEMENTS = ("increase", "decrease", "neutral")
# How a chart is drawn: the NHS "Making Data Count" conventions (the house style: every point of a signal
# coloured, grey mean, grey dashed process limits) or qicharts2's (runs signal on the centre line).
STYLES = ("mdc", "qicharts2")


def _clean(values: Sequence[Number] | Any | None, size: int, name: str) -> tuple[float | None, ...] | None:
    # One representation of "missing" (None) keeps every consumer free of NaN checks and keeps NaN out
    # of the markup.
    if values is None:
        return None
    if isinstance(values, np.ndarray):
        values = values.tolist()
    out = tuple(None if v is None or not math.isfinite(v) else float(v) for v in values)
    if len(out) != size:
        raise ValueError(f"ChartSpec.{name} has {len(out)} values, expected {size} (one per point)")
    return out


@dataclass(slots=True)
class ChartSpec:
    """One chart, in display units (values already multiplied, e.g. 45.2 for 45.2 %).

    Every per-point series has one entry per point; ``None`` or NaN means missing. Lists, tuples and NumPy
    arrays are accepted and normalised to tuples of ``float | None`` on construction.
    """

    title: str
    x: Sequence[XLabel]
    y: Sequence[Number]
    y_label: str = ""
    unit: str = ""
    percent: bool = False
    decimals: int | None = None
    chart: str = ""
    period: str = "points"
    centre_label: str = "Centre line"
    centre: Sequence[Number] | None = None
    lower: Sequence[Number] | None = None
    upper: Sequence[Number] | None = None
    lower_2s: Sequence[Number] | None = None
    upper_2s: Sequence[Number] | None = None
    status: Sequence[PointStatus] = ()
    excluded: Sequence[bool] = ()
    signal_text: Sequence[str] | None = None
    rebase: Sequence[int] = ()
    runs_signal: Sequence[bool] = ()
    baseline_end: int | None = None
    target: float | None = None
    trajectory: Sequence[Number] | None = None
    annotations: Sequence[tuple[int, int, str]] = ()
    improvement: str | None = None
    description: str = ""
    style: str = "mdc"
    part: tuple[int, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        n = len(self.y)
        if len(self.x) != n:
            raise ValueError(f"ChartSpec.x has {len(self.x)} labels, expected {n} (one per point)")
        self.x = tuple(self.x.tolist() if isinstance(self.x, np.ndarray) else self.x)
        self.y = _clean(self.y, n, "y") or ()
        self.centre = _clean(self.centre, n, "centre")
        self.lower = _clean(self.lower, n, "lower")
        self.upper = _clean(self.upper, n, "upper")
        self.lower_2s = _clean(self.lower_2s, n, "lower_2s")
        self.upper_2s = _clean(self.upper_2s, n, "upper_2s")
        self.trajectory = _clean(self.trajectory, n, "trajectory")
        # Empty means "all common cause" / "none excluded", so simple charts need neither.
        self.status = tuple(PointStatus(s) for s in self.status) if self.status else (PointStatus.COMMON,) * n
        self.excluded = tuple(bool(e) for e in self.excluded) if self.excluded else (False,) * n
        if self.signal_text is not None:
            self.signal_text = tuple(self.signal_text)
        for name, seq in (
            ("status", self.status),
            ("excluded", self.excluded),
            ("signal_text", self.signal_text),
        ):
            if seq is not None and len(seq) != n:
                raise ValueError(f"ChartSpec.{name} has {len(seq)} values, expected {n} (one per point)")
        self.rebase = tuple(sorted({int(i) for i in self.rebase if 0 < int(i) < n}))
        self.part = _parts(n, self.rebase)
        self.runs_signal = tuple(bool(s) for s in self.runs_signal)
        if self.baseline_end is not None and not 0 <= self.baseline_end < n:
            raise ValueError(f"ChartSpec.baseline_end {self.baseline_end} is outside 0..{n - 1}")
        if self.target is not None and not math.isfinite(self.target):
            self.target = None
        self.annotations = tuple(Annotation(int(a[0]), int(a[1]), str(a[2])) for a in self.annotations)
        for index, number, _text in self.annotations:
            if not 0 <= index < n:
                raise ValueError(f"annotation {number} points at index {index}, outside 0..{n - 1}")
        if self.improvement is not None and self.improvement not in _IMPROVEMENTS:
            raise ValueError(f"ChartSpec.improvement must be one of {_IMPROVEMENTS} or None")
        if self.style not in STYLES:
            raise ValueError(f"ChartSpec.style must be one of {STYLES}")
        if self.percent and not self.unit:
            self.unit = "%"

    def __len__(self) -> int:
        return len(self.y)

    def part_has_runs_signal(self, part: int) -> bool:
        """Whether the 1-based ``part`` has a runs signal (False when not given)."""
        return 0 < part <= len(self.runs_signal) and self.runs_signal[part - 1]


def _parts(n: int, rebase: Sequence[int]) -> tuple[int, ...]:
    parts: list[int] = []
    current = 1
    starts = set(rebase)
    for i in range(n):
        if i in starts:
            current += 1
        parts.append(current)
    return tuple(parts)


def _x_labels(x: Any, *, zero_based_default: bool = False) -> list[XLabel]:
    """Labels from an engine result's x; ``mdc()``'s default positions 0..n-1 become 1..n for people."""
    if zero_based_default and x.dtype.kind in "iu" and bool((x == np.arange(x.size)).all()):
        return list(range(1, x.size + 1))
    out: list[XLabel] = []
    for v in np.asarray(x).tolist():
        # datetime64[D] arrays come back from tolist() as dates already; datetime64[ns] as ints, so
        # normalise through NumPy for anything that is still a datetime64.
        if isinstance(v, np.datetime64):
            v = v.astype("datetime64[D]").item()
        if isinstance(v, dt.datetime):
            v = v.date()
        out.append(v)
    return out


def _scaled(values: Any, scale: float) -> list[float]:
    arr = np.asarray(values, dtype=np.float64)
    out: list[float] = (arr * scale).tolist() if scale != 1 else arr.tolist()
    return out


def _side_status(high: bool, improvement: str | None) -> PointStatus:
    if improvement == "increase":
        return PointStatus.IMPROVEMENT if high else PointStatus.CONCERN
    if improvement == "decrease":
        return PointStatus.CONCERN if high else PointStatus.IMPROVEMENT
    return PointStatus.NEUTRAL


def spec_from_qic(
    result: QicResult,
    *,
    title: str,
    x_labels: Sequence[XLabel] | None = None,
    improvement: str | None = None,
    y_label: str = "",
    unit: str = "",
    percent: bool = False,
    scale: float | None = None,
    decimals: int | None = None,
    period: str = "points",
    target: float | None = None,
    trajectory: Sequence[Number] | None = None,
    annotations: Sequence[tuple[int, int, str]] = (),
    description: str = "",
) -> ChartSpec:
    """A ChartSpec from ``qic()``: sigma signals become special-cause points, parts become rebases.

    ``scale`` multiplies y and every line (not ``target``, which is in display units already); by default
    it is 100 for a P/P′ chart shown as ``percent`` that was computed with ``multiply=1``, else 1.
    Points outside the 3-sigma limits are improvement/concern by ``improvement`` (neutral without one);
    a runs signal is per part, as qicharts2 draws it (centre line), not per point.
    """
    p = result.points
    if scale is None:
        scale = 100.0 if percent and result.chart in ("p", "pp") and result.multiply == 1 else 1.0
    y = _scaled(p.y, scale)
    ucl = p.ucl.tolist()
    lcl = p.lcl.tolist()
    yv = p.y.tolist()
    status: list[PointStatus] = []
    signal_text: list[str] = []
    for i, sig in enumerate(p.sigma_signal.tolist()):
        if sig:
            high = yv[i] > ucl[i]
            s = _side_status(high, improvement)
            status.append(s)
            where = "above the upper control limit" if high else "below the lower control limit"
            signal_text.append(f"{STATUS_TEXT[s]}: {where}")
        else:
            status.append(PointStatus.COMMON)
            signal_text.append("")
    parts = p.part.tolist()
    rebase = [i for i in range(1, len(parts)) if parts[i] != parts[i - 1]]
    baseline = p.baseline.tolist()
    baseline_end = None
    if baseline and not all(baseline) and any(baseline):
        baseline_end = max(i for i, b in enumerate(baseline) if b)
    median_centre = result.chart in ("run", "g")
    return ChartSpec(
        title=title,
        x=list(x_labels) if x_labels is not None else _x_labels(p.x),
        y=y,
        y_label=y_label,
        unit=unit,
        percent=percent,
        decimals=decimals,
        chart=result.chart,
        period=period,
        centre_label="Median" if median_centre else "Centre line",
        centre=_scaled(p.cl, scale),
        lower=None if result.chart == "run" else _scaled(lcl, scale),
        upper=None if result.chart == "run" else _scaled(ucl, scale),
        lower_2s=None if result.chart == "run" else _scaled(p.lcl_95, scale),
        upper_2s=None if result.chart == "run" else _scaled(p.ucl_95, scale),
        status=status,
        excluded=(~p.include).tolist(),
        signal_text=signal_text,
        rebase=rebase,
        runs_signal=[part.runs_signal for part in result.summary],
        baseline_end=baseline_end,
        target=target,
        trajectory=trajectory,
        annotations=annotations,
        improvement=improvement,
        description=description,
        style="qicharts2",
    )


_MDC_STATUS = {
    PointType.COMMON_CAUSE: PointStatus.COMMON,
    PointType.SPECIAL_CAUSE_IMPROVEMENT: PointStatus.IMPROVEMENT,
    PointType.SPECIAL_CAUSE_CONCERN: PointStatus.CONCERN,
    PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: PointStatus.NEUTRAL,
    PointType.SPECIAL_CAUSE_NEUTRAL_LOW: PointStatus.NEUTRAL,
}


def mdc_rule_text(rule: SpecialCauseRule | None, label: str, centre: str = "mean") -> str:
    """Plain words for one MDC rule; the direction comes from NHSRplotthedots' label ("Above UCL", ...).
    ``centre`` names the centre line ("median" on run and G charts)."""
    if rule is None:
        return ""
    up = "Above" in label or "(Increasing)" in label
    if rule is SpecialCauseRule.OUTSIDE_LIMITS:
        return "above the upper process limit" if up else "below the lower process limit"
    if rule is SpecialCauseRule.TREND:
        return "part of a rising trend" if up else "part of a falling trend"
    if rule is SpecialCauseRule.TWO_IN_THREE:
        return "2 of 3 points close to the upper limit" if up else "2 of 3 points close to the lower limit"
    return f"part of a run above the {centre}" if up else f"part of a run below the {centre}"


def spec_from_mdc(
    result: MDCResult,
    *,
    title: str,
    x_labels: Sequence[XLabel] | None = None,
    y_label: str = "",
    unit: str = "",
    percent: bool = False,
    scale: float = 1.0,
    decimals: int | None = None,
    period: str = "points",
    target: float | None = None,
    trajectory: Sequence[Number] | None = None,
    baseline_end: int | None = None,
    annotations: Sequence[tuple[int, int, str]] = (),
    description: str = "",
    excluded: Sequence[bool] = (),
) -> ChartSpec:
    """A ChartSpec from ``mdc()`` or ``mdc_from_qic()``: point types become statuses, rebase groups (or
    parts) become steps, in the Making Data Count style.

    ``target`` defaults to the result's target times ``scale``. Pass ``baseline_end`` (0-based index of
    the last fixing point) when ``fix_after_n_points`` or ``freeze`` was used: the result does not record
    it; and ``excluded`` (one flag per point) for points left out of the calculations.
    """
    p = result.points
    groups = p.rebase_group.tolist()
    rebase = [i for i in range(1, len(groups)) if groups[i] != groups[i - 1]]
    status = [_MDC_STATUS[t] for t in p.point_type]
    centre = "median" if result.chart in ("run", "g") else "mean"
    signal_text = [
        f"{STATUS_TEXT[s]}: {mdc_rule_text(rule, label, centre)}"
        if s is not PointStatus.COMMON or rule
        else ""
        for s, rule, label in zip(status, p.special_cause_rule, p.special_cause_label, strict=True)
    ]
    if target is None and result.target is not None:
        target = result.target * scale
    return ChartSpec(
        title=title,
        x=list(x_labels) if x_labels is not None else _x_labels(p.x, zero_based_default=True),
        y=_scaled(p.y, scale),
        y_label=y_label,
        unit=unit,
        percent=percent,
        decimals=decimals,
        chart=result.chart,
        period=period,
        centre_label=centre.capitalize(),
        centre=_scaled(p.mean, scale),
        lower=_scaled(p.lpl, scale),
        upper=_scaled(p.upl, scale),
        lower_2s=_scaled(p.nlpl, scale),
        upper_2s=_scaled(p.nupl, scale),
        status=status,
        excluded=excluded,
        signal_text=signal_text,
        rebase=rebase,
        baseline_end=baseline_end,
        target=target,
        trajectory=trajectory,
        annotations=annotations,
        improvement=result.improvement.value,
        description=description,
        style="mdc",
    )
