"""mdc(): NHS England "Making Data Count" XmR charts (and T and G charts) with their icons.

Limits and rules follow NHSRplotthedots by default (``reference="nhsrplotthedots"``); the NHS England SQL
tool and qicharts2-style constants are one ``reference=`` away (presets.py), and every single difference
is also an explicit option.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Final, Literal, overload

import numpy as np
import numpy.typing as npt

from openqi_spc.charts import as_values, check_finite
from openqi_spc.errors import (
    DuplicateXError,
    FewPointsWarning,
    InputLengthError,
    InsufficientDataError,
    NegativeValueError,
    NonPositiveValueError,
    OptionError,
    SPCError,
)
from openqi_spc.icons import (
    AssuranceIcon,
    Improvement,
    PointType,
    SpecialCauseRule,
    VariationIcon,
    assurance_icon,
    variation_icon,
)
from openqi_spc.limits import (
    G_THEORETICAL_MEDIAN,
    T_CHART_POWER,
    LimitOptions,
    row_mean,
    row_median,
    screened_amr,
)
from openqi_spc.presets import Preset, resolve
from openqi_spc.results import columns_to_records, plain
from openqi_spc.rules import backfill, part_of_two_in_three, shift_ends, trend_direction, trend_ends

if TYPE_CHECKING:
    from openqi_spc.frames import MDCFrames

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Int8Array = npt.NDArray[np.int8]

MDCChart = Literal["xmr", "t", "g"]
MDC_CHARTS: Final = ("xmr", "t", "g")
NO_RULE: Final = 99
_RULES: Final = tuple(SpecialCauseRule)
_POINT_TYPES: Final = tuple(PointType)


@dataclass(frozen=True, slots=True)
class MDCRules:
    """The rule settings of one analysis (fixed lengths, priority, conflict handling)."""

    shift: int
    trend: int
    priority: tuple[str, ...]
    conflict_rule: str
    two_in_three_beyond_limits: bool
    improvement: Improvement


@dataclass(slots=True)
class GroupLines:
    """Process lines of a limit period, one value per series: on the analysis scale and for display."""

    centre: FloatArray  # the line the shift rule and the point sides refer to
    lpl: FloatArray
    upl: FloatArray
    nlpl: FloatArray
    nupl: FloatArray
    mean: FloatArray  # displayed centre line
    show_lpl: FloatArray
    show_upl: FloatArray
    show_nlpl: FloatArray
    show_nupl: FloatArray
    points_used: npt.NDArray[np.int64]


def group_lines(fixed: FloatArray, chart: MDCChart, preset: Preset) -> GroupLines:
    """Centre and process limits from the points that fix them (rows = series; NaN = missing).

    For T charts ``fixed`` must already be transformed with y^(1/3.6); rules then compare transformed values
    with transformed lines, which is equivalent to comparing the originals with the back-transformed lines.
    """
    used = (~np.isnan(fixed)).sum(axis=1)
    if chart == "g":
        mean = row_mean(fixed)
        sd = np.sqrt(mean * (mean + 1.0))
        lower, near_lower = mean - 3.0 * sd, mean - 2.0 * sd
        upper, near_upper = mean + 3.0 * sd, mean + 2.0 * sd
        centre = row_median(fixed) if preset.g_centre == "median" else G_THEORETICAL_MEDIAN * mean
        show_lower = _lower_for_display(lower, preset)
        show_near_lower = _lower_for_display(near_lower, preset)
        return GroupLines(
            centre,
            lower,
            upper,
            near_lower,
            near_upper,
            centre,
            show_lower,
            upper,
            show_near_lower,
            near_upper,
            used,
        )
    options = LimitOptions(
        screened_mr=preset.screened_mr, mr_screen=preset.mr_screen, mr_screen_remean=preset.mr_screen_remean
    )
    mean = row_mean(fixed)
    mr = np.abs(fixed[:, 1:] - fixed[:, :-1])
    amr, outlier = screened_amr(mr, options)
    if preset.mr_screen_remean and outlier is not None and outlier.any():
        kept = fixed.copy()
        kept[:, 1:][outlier] = np.nan
        mean = row_mean(kept)
    spread = preset.xmr_factor * amr
    lower, upper = mean - spread, mean + spread
    near_lower, near_upper = mean - spread * (2.0 / 3.0), mean + spread * (2.0 / 3.0)
    if chart == "xmr":
        return GroupLines(
            mean, lower, upper, near_lower, near_upper, mean, lower, upper, near_lower, near_upper, used
        )

    def back(v: FloatArray) -> FloatArray:
        return np.where(v >= 0, np.abs(v) ** T_CHART_POWER, np.nan)

    show_lower = _lower_for_display(back(lower), preset, negative=lower < 0)
    show_near_lower = _lower_for_display(back(near_lower), preset, negative=near_lower < 0)
    return GroupLines(
        mean,
        lower,
        upper,
        near_lower,
        near_upper,
        mean**T_CHART_POWER,
        show_lower,
        upper**T_CHART_POWER,
        show_near_lower,
        near_upper**T_CHART_POWER,
        used,
    )


def _lower_for_display(lower: FloatArray, preset: Preset, negative: BoolArray | None = None) -> FloatArray:
    """A negative lower line is shown as 0 (qicharts2, NHSRplotthedots) or not at all (NHS England)."""
    bad = (lower < 0) | np.isnan(lower) if negative is None else negative | np.isnan(lower)
    return np.where(bad, 0.0 if preset.t_lower == "zero" else np.nan, lower)


@dataclass(slots=True)
class RuleFlags:
    relative_to_mean: Int8Array
    outside_limits: BoolArray
    close_to_limits: BoolArray
    trend: BoolArray
    two_in_three: BoolArray
    shift: BoolArray
    rule: npt.NDArray[np.int64]  # index into SpecialCauseRule, or NO_RULE
    direction: Int8Array  # +1 high, -1 low, 0 common cause
    point_type: npt.NDArray[np.int64]  # index into PointType


def trend_flags(values: FloatArray, rules: MDCRules) -> tuple[BoolArray, BoolArray]:
    """Points that are part of a rising / falling trend."""
    ends = trend_ends(values, rules.trend)
    trend_up = backfill(ends == 1, rules.trend)
    trend_down = backfill(ends == -1, rules.trend)
    if rules.conflict_rule == "priority":
        # NHSRplotthedots gives a trend point one direction: the step to its right inside the trend.
        trend_any = trend_up | trend_down
        sdy = trend_direction(values, trend_any)
        return trend_any & (sdy == 1), trend_any & (sdy != 1)
    return trend_up, trend_down


def _per_point(line: FloatArray) -> FloatArray:
    """A line to compare with each point: one value per row broadcast over the row's points, or (for
    charts whose limits vary per point, such as P and U charts) already one value per point."""
    return line if line.ndim == 2 else line[:, np.newaxis]


def evaluate_rules(
    values: FloatArray,
    lines: GroupLines,
    rules: MDCRules,
    trend_parts: tuple[BoolArray, BoolArray] | None = None,
) -> RuleFlags:
    """Apply the four MDC rules to one limit period of each row and resolve each point's special cause.

    ``lines`` hold one value per row, or one per point (2-D, the shape of ``values``)."""
    with np.errstate(invalid="ignore"):
        upl, lpl = _per_point(lines.upl), _per_point(lines.lpl)
        outside = (values > upl) | (values < lpl)
        rtm = np.sign(values - _per_point(lines.centre))
        rtm[np.isnan(rtm)] = 0
        side = rtm.astype(np.int8)
        beyond_near = (values > _per_point(lines.nupl)) | (values < _per_point(lines.nlpl))
    close = beyond_near if rules.two_in_three_beyond_limits else beyond_near & ~outside
    shift_part = backfill(shift_ends(side, rules.shift), rules.shift)
    trend_up, trend_down = trend_flags(values, rules) if trend_parts is None else trend_parts
    trend_any = trend_up | trend_down
    two_part = part_of_two_in_three(close, side)
    above = side > 0
    high = {
        "outside_limits": outside & (side == 1),
        "trend": trend_up,
        "two_in_three": two_part & above,
        "shift": shift_part & above,
    }
    low = {
        "outside_limits": outside & (side != 1),
        "trend": trend_down,
        "two_in_three": two_part & ~above,
        "shift": shift_part & ~above,
    }
    shape = values.shape
    high_rank = np.full(shape, NO_RULE)
    low_rank = np.full(shape, NO_RULE)
    for rank in range(len(rules.priority) - 1, -1, -1):  # lowest rank written last wins
        name = rules.priority[rank]
        high_rank[high[name]] = rank
        low_rank[low[name]] = rank
    direction = np.zeros(shape, dtype=np.int8)
    direction[high_rank < low_rank] = 1
    direction[low_rank < high_rank] = -1
    tie = (high_rank == low_rank) & (high_rank != NO_RULE)
    if tie.any():  # only a point at the top of two trends gets here (NHSE conflict rule)
        good = 1 if rules.improvement is not Improvement.DECREASE else -1
        direction[tie] = good if rules.conflict_rule != "concern" else -good
    best = np.minimum(high_rank, low_rank)
    priority_codes = np.array([_RULES.index(SpecialCauseRule(name)) for name in rules.priority] + [NO_RULE])
    rule = priority_codes[np.where(best == NO_RULE, len(rules.priority), best)]
    point_type = np.zeros(shape, dtype=np.int64)  # common cause
    if rules.improvement is Improvement.NEUTRAL:
        point_type[direction == 1] = 3
        point_type[direction == -1] = 4
    else:
        good = 1 if rules.improvement is Improvement.INCREASE else -1
        point_type[direction == good] = 1
        point_type[direction == -good] = 2
    return RuleFlags(side, outside, close, trend_any, two_part, shift_part, rule, direction, point_type)


def special_cause_label(rule: int, direction: int, shift: int, trend: int) -> str:
    """NHSRplotthedots' wording for one point."""
    if rule == NO_RULE:
        return "Common Cause"
    name = _RULES[rule]
    side = "Above" if direction > 0 else "Below"
    if name is SpecialCauseRule.OUTSIDE_LIMITS:
        return "Above UCL" if direction > 0 else "Below LCL"
    if name is SpecialCauseRule.TREND:
        return f"{trend} Point Trend ({'In' if direction > 0 else 'De'}creasing)"
    if name is SpecialCauseRule.TWO_IN_THREE:
        return f"2 in 3 {side} CL"
    return f"{shift} Points {side} CL"


@dataclass(frozen=True, slots=True)
class MDCPoints:
    """Per point, in x order. Lines are for display (back-transformed for T charts)."""

    x: npt.NDArray[Any]
    y: FloatArray
    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    nlpl: FloatArray
    nupl: FloatArray
    rebase_group: npt.NDArray[np.int64]
    relative_to_mean: Int8Array
    outside_limits: BoolArray
    close_to_limits: BoolArray
    trend: BoolArray
    two_in_three: BoolArray
    shift: BoolArray
    special_cause: BoolArray
    special_cause_rule: tuple[SpecialCauseRule | None, ...]
    special_cause_label: tuple[str, ...]
    point_type: tuple[PointType, ...]

    def __len__(self) -> int:
        return int(self.y.size)

    def to_records(self) -> list[dict[str, Any]]:
        columns = {f.name: getattr(self, f.name) for f in fields(self)}
        columns["special_cause_rule"] = [None if r is None else r.value for r in self.special_cause_rule]
        columns["point_type"] = [p.value for p in self.point_type]
        return columns_to_records(columns)


@dataclass(frozen=True, slots=True)
class MDCGroupSummary:
    """One rebase group (limit period), as NHSRplotthedots' summary()."""

    rebase_group: int
    n: int
    points_used_for_limits: int
    mean: float | None
    lpl: float | None
    upl: float | None
    nlpl: float | None
    nupl: float | None
    common_cause: int
    special_cause_improvement: int
    special_cause_concern: int
    special_cause_neutral: int
    variation_icon: VariationIcon
    assurance_icon: AssuranceIcon | None

    def to_record(self) -> dict[str, Any]:
        record = {f.name: plain(getattr(self, f.name)) for f in fields(self)}
        record["variation_icon"] = self.variation_icon.value
        record["assurance_icon"] = None if self.assurance_icon is None else self.assurance_icon.value
        return record


@dataclass(frozen=True, slots=True)
class MDCResult:
    """A Making Data Count chart: points, per-group summary and the chart's two icons."""

    chart: str
    improvement: Improvement
    target: float | None
    points: MDCPoints
    summary: tuple[MDCGroupSummary, ...]
    variation_icon: VariationIcon
    assurance_icon: AssuranceIcon | None
    reference: str

    @property
    def variation_description(self) -> str:
        return self.variation_icon.description

    @property
    def assurance_description(self) -> str | None:
        return None if self.assurance_icon is None else self.assurance_icon.description

    def to_records(self) -> dict[str, Any]:
        return {
            "chart": self.chart,
            "improvement": self.improvement.value,
            "target": self.target,
            "variation_icon": self.variation_icon.value,
            "variation_description": self.variation_description,
            "assurance_icon": None if self.assurance_icon is None else self.assurance_icon.value,
            "assurance_description": self.assurance_description,
            "points": self.points.to_records(),
            "summary": [group.to_record() for group in self.summary],
        }

    def to_pandas(self) -> MDCFrames:
        """Points and summary as pandas DataFrames with NHSRplotthedots' column names (needs pandas)."""
        from openqi_spc.frames import MDCFrames

        return MDCFrames((), {(): self}, "pandas")

    def to_polars(self) -> MDCFrames:
        from openqi_spc.frames import MDCFrames

        return MDCFrames((), {(): self}, "polars")

    def plot(self, **options: Any) -> Any:
        """A matplotlib Figure in the Making Data Count style, with the icons (needs matplotlib)."""
        from openqi_spc.plotting import plot

        return plot(self, **options)

    def to_plotly(self, **options: Any) -> Any:
        """An interactive plotly Figure (needs plotly; see :func:`openqi_spc.plotting.to_plotly`)."""
        from openqi_spc.plotting import to_plotly

        return to_plotly(self, **options)

    def to_svg(self, **options: Any) -> str:
        """The SVG the web app draws (see :func:`openqi_spc.export.to_svg`)."""
        from openqi_spc.export import to_svg

        return to_svg(self, **options)

    def to_png(self, **options: Any) -> bytes:
        from openqi_spc.export import to_png

        return to_png(self, **options)


def check_improvement(improvement: str) -> Improvement:
    try:
        return Improvement(improvement)
    except ValueError:
        raise OptionError(
            f"improvement must be one of {', '.join(i.value for i in Improvement)}; got {improvement!r}"
        ) from None


def check_rule_length(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 2:
        raise OptionError(f"{name} must be a whole number of points >= 2; got {value!r}")
    return int(value)


def _check_chart_values(chart: MDCChart, y: FloatArray) -> None:
    with np.errstate(invalid="ignore"):
        if chart == "t" and (y <= 0).any():
            i = int(np.flatnonzero(y <= 0)[0])
            raise NonPositiveValueError(f"T chart times between events must be > 0; y[{i}] = {y[i]:g}")
        if chart == "g" and (y < 0).any():
            i = int(np.flatnonzero(y < 0)[0])
            raise NegativeValueError(f"G chart counts between events cannot be negative; y[{i}] = {y[i]:g}")


def _order_by_x(x: Any, size: int) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64] | None]:
    if x is None:
        return np.arange(size), None
    x_arr = np.asarray(x)
    if x_arr.ndim != 1 or x_arr.shape[0] != size:
        raise InputLengthError(f"x has {x_arr.shape[0] if x_arr.ndim else 1} values but y has {size}")
    try:
        order = np.argsort(x_arr, kind="stable")
    except TypeError as exc:
        raise SPCError("x values must be mutually comparable (all numbers or all dates)") from exc
    x_sorted = x_arr[order]
    if size > 1 and (x_sorted[1:] == x_sorted[:-1]).any():
        i = int(np.flatnonzero(x_sorted[1:] == x_sorted[:-1])[0])
        raise DuplicateXError(f"x value {x_sorted[i]!r} appears more than once; give one value per x")
    if (order == np.arange(size)).all():
        return x_sorted, None
    return x_sorted, order


def _group_starts(rebase: Any, x_sorted: npt.NDArray[Any]) -> list[int]:
    if rebase is None:
        return [0]
    values = [rebase] if np.ndim(rebase) == 0 else list(rebase)
    starts = {0}
    for value in values:
        hits = np.flatnonzero(x_sorted == value)
        if hits.size == 0:
            raise OptionError(f"rebase value {value!r} is not one of the x values")
        starts.add(int(hits[0]))
    return sorted(starts)


@overload
def mdc(
    y: Sequence[float | None] | npt.ArrayLike,
    x: Sequence[Any] | npt.ArrayLike | None = None,
    improvement: str = "increase",
    target: float | None = None,
    rebase: Any = None,
    fix_after_n_points: int | None = None,
    screen_outliers: bool | None = None,
    shift: int = 7,
    trend: int = 7,
    *,
    data: None = None,
    facets: None = None,
    chart: str = "xmr",
    reference: str | None = None,
    mr_screen: str | None = None,
    mr_screen_remean: bool | None = None,
    xmr_factor: float | None = None,
    trend_across_rebase: bool | None = None,
    assurance_inclusive: bool | None = None,
    conflict_rule: str | None = None,
    rule_priority: Sequence[str] | None = None,
    two_in_three_beyond_limits: bool | None = None,
    g_centre: str | None = None,
    t_lower: str | None = None,
    allow_missing: bool = True,
) -> MDCResult: ...


@overload
def mdc(
    y: Any,
    x: Any = None,
    improvement: str = "increase",
    target: Any = None,
    rebase: Any = None,
    fix_after_n_points: int | None = None,
    screen_outliers: bool | None = None,
    shift: int = 7,
    trend: int = 7,
    *,
    data: Any,
    facets: Any = None,
    chart: str = "xmr",
    reference: str | None = None,
    mr_screen: str | None = None,
    mr_screen_remean: bool | None = None,
    xmr_factor: float | None = None,
    trend_across_rebase: bool | None = None,
    assurance_inclusive: bool | None = None,
    conflict_rule: str | None = None,
    rule_priority: Sequence[str] | None = None,
    two_in_three_beyond_limits: bool | None = None,
    g_centre: str | None = None,
    t_lower: str | None = None,
    allow_missing: bool = True,
) -> MDCFrames: ...


def mdc(
    y: Sequence[float | None] | npt.ArrayLike,
    x: Sequence[Any] | npt.ArrayLike | None = None,
    improvement: str = "increase",
    target: Any = None,
    rebase: Any = None,
    fix_after_n_points: int | None = None,
    screen_outliers: bool | None = None,
    shift: int = 7,
    trend: int = 7,
    *,
    data: Any = None,
    facets: Any = None,
    chart: str = "xmr",
    reference: str | None = None,
    mr_screen: str | None = None,
    mr_screen_remean: bool | None = None,
    xmr_factor: float | None = None,
    trend_across_rebase: bool | None = None,
    assurance_inclusive: bool | None = None,
    conflict_rule: str | None = None,
    rule_priority: Sequence[str] | None = None,
    two_in_three_beyond_limits: bool | None = None,
    g_centre: str | None = None,
    t_lower: str | None = None,
    allow_missing: bool = True,
) -> MDCResult | MDCFrames:
    """Making Data Count analysis of one measure: XmR (default), T or G chart.

    ``x`` orders the points (dates or numbers, one value each); without it points are in the given order
    and ``rebase`` values are 0-based positions. ``rebase``: the x values at which a new limit period
    starts. ``fix_after_n_points``: limits of each period from its first n points. ``screen_outliers``:
    screen moving ranges above 3.267 x AMR before the limits (NHSRplotthedots default; the MDC Excel tool
    and the NHSE SQL do not). ``shift``/``trend``: points needed for those rules (7).

    With ``data`` (a pandas or polars DataFrame, or a dict of columns) ``y`` (NHSRplotthedots'
    value_field) and ``x`` (date_field) may name columns and ``facets`` a facet column (facet_field);
    ``target`` and ``rebase`` may then be dicts by facet. The result is an :class:`MDCFrames` whose
    ``points`` and ``summary`` are DataFrames with NHSRplotthedots' column names (frames.py).
    """
    if data is not None or facets is not None:
        from openqi_spc.frames import mdc_frame

        options = {
            "improvement": improvement,
            "rebase": rebase,
            "fix_after_n_points": fix_after_n_points,
            "screen_outliers": screen_outliers,
            "shift": shift,
            "trend": trend,
            "chart": chart,
            "reference": reference,
            "mr_screen": mr_screen,
            "mr_screen_remean": mr_screen_remean,
            "xmr_factor": xmr_factor,
            "trend_across_rebase": trend_across_rebase,
            "assurance_inclusive": assurance_inclusive,
            "conflict_rule": conflict_rule,
            "rule_priority": rule_priority,
            "two_in_three_beyond_limits": two_in_three_beyond_limits,
            "g_centre": g_centre,
            "t_lower": t_lower,
            "allow_missing": allow_missing,
        }
        return mdc_frame(data, y, x, facets, target, options)
    if chart not in MDC_CHARTS:
        raise OptionError(f"chart must be one of {', '.join(MDC_CHARTS)}; got {chart!r}")
    mdc_chart: MDCChart = chart  # type: ignore[assignment]
    direction = check_improvement(improvement)
    preset = resolve(
        reference,
        "nhsrplotthedots",
        {
            "screened_mr": screen_outliers,
            "mr_screen": mr_screen,
            "mr_screen_remean": mr_screen_remean,
            "xmr_factor": xmr_factor,
            "trend_across_rebase": trend_across_rebase,
            "assurance_inclusive": assurance_inclusive,
            "conflict_rule": conflict_rule,
            "rule_priority": None if rule_priority is None else tuple(rule_priority),
            "two_in_three_beyond_limits": two_in_three_beyond_limits,
            "g_centre": g_centre,
            "t_lower": t_lower,
        },
    )
    rules = MDCRules(
        shift=check_rule_length(shift, "shift"),
        trend=check_rule_length(trend, "trend"),
        priority=preset.rule_priority,
        conflict_rule=preset.conflict_rule,
        two_in_three_beyond_limits=preset.two_in_three_beyond_limits,
        improvement=direction,
    )
    if target is not None and not (isinstance(target, int | float) and math.isfinite(target)):
        raise OptionError(f"target must be a finite number; got {target!r}")
    if fix_after_n_points is not None:
        check_rule_length(fix_after_n_points, "fix_after_n_points")

    values = as_values(y, "y")
    size = values.shape[0]
    if size == 0:
        raise InsufficientDataError("y is empty")
    check_finite(values, "y", allow_missing)
    _check_chart_values(mdc_chart, values)
    x_sorted, order = _order_by_x(x, size)
    if order is not None:
        values = values[order]
    starts = _group_starts(rebase, x_sorted)
    bounds = [*starts, size]
    with np.errstate(all="ignore"):
        scale = values ** (1.0 / T_CHART_POWER) if mdc_chart == "t" else values
        across = (
            trend_flags(scale[None, :], rules) if preset.trend_across_rebase and len(bounds) > 2 else None
        )
        columns = _analyse_groups(scale, bounds, mdc_chart, preset, rules, fix_after_n_points, across)
    return _assemble(values, x_sorted, bounds, columns, mdc_chart, preset, rules, target)


@dataclass(slots=True)
class _Columns:
    lines: list[GroupLines]
    flags: list[RuleFlags]


def _analyse_groups(
    scale: FloatArray,
    bounds: list[int],
    chart: MDCChart,
    preset: Preset,
    rules: MDCRules,
    fix_after_n_points: int | None,
    across: tuple[BoolArray, BoolArray] | None,
) -> _Columns:
    out = _Columns([], [])
    for k in range(len(bounds) - 1):
        lo, hi = bounds[k], bounds[k + 1]
        group = scale[None, lo:hi]
        fixed = group if fix_after_n_points is None else group[:, :fix_after_n_points]
        lines = group_lines(fixed, chart, preset)
        used = int(lines.points_used[0])
        if used < 2 or math.isnan(float(lines.upl[0])):
            raise InsufficientDataError(
                f"limit period {k + 1} has {used} usable point(s); at least 2 are needed for limits"
            )
        if used < preset.min_points_limits:
            warnings.warn(
                f"limit period {k + 1}: limits rest on {used} points; at least {preset.min_points_limits} "
                "are recommended",
                FewPointsWarning,
                stacklevel=4,
            )
        parts = None if across is None else (across[0][:, lo:hi], across[1][:, lo:hi])
        flags = evaluate_rules(group, lines, rules, parts)
        out.lines.append(lines)
        out.flags.append(flags)
    return out


def _assemble(
    values: FloatArray,
    x_sorted: npt.NDArray[Any],
    bounds: list[int],
    columns: _Columns,
    chart: MDCChart,
    preset: Preset,
    rules: MDCRules,
    target: float | None,
) -> MDCResult:
    size = values.shape[0]

    def per_point(name: str) -> FloatArray:
        out = np.empty(size)
        for k, lines in enumerate(columns.lines):
            out[bounds[k] : bounds[k + 1]] = float(getattr(lines, name)[0])
        return out

    def joined(name: str) -> npt.NDArray[Any]:
        return np.concatenate([getattr(flags, name)[0] for flags in columns.flags])

    rule = joined("rule")
    direction = joined("direction")
    point_type_codes = joined("point_type")
    rebase_group = np.repeat(np.arange(1, len(bounds)), np.diff(bounds))
    point_types = tuple(map(_POINT_TYPES.__getitem__, point_type_codes.tolist()))
    # Per-point text through small lookup tables: a function call per point would dominate the run time.
    rule_names: dict[int, SpecialCauseRule | None] = {NO_RULE: None, **dict(enumerate(_RULES))}
    labels = {
        (r, d): special_cause_label(r, d, rules.shift, rules.trend) for r in rule_names for d in (-1, 0, 1)
    }
    rule_list = rule.tolist()
    points = MDCPoints(
        x=x_sorted,
        y=values,
        mean=per_point("mean"),
        lpl=per_point("show_lpl"),
        upl=per_point("show_upl"),
        nlpl=per_point("show_nlpl"),
        nupl=per_point("show_nupl"),
        rebase_group=rebase_group,
        relative_to_mean=joined("relative_to_mean"),
        outside_limits=joined("outside_limits"),
        close_to_limits=joined("close_to_limits"),
        trend=joined("trend"),
        two_in_three=joined("two_in_three"),
        shift=joined("shift"),
        special_cause=rule != NO_RULE,
        special_cause_rule=tuple(map(rule_names.__getitem__, rule_list)),
        special_cause_label=tuple(map(labels.__getitem__, zip(rule_list, direction.tolist(), strict=True))),
        point_type=point_types,
    )
    icon = _last_icon(values, point_types, 0, size, rules.improvement)
    last = columns.lines[-1]
    assurance = None
    if chart == "xmr":
        assurance = assurance_icon(
            target,
            float(last.show_lpl[0]),
            float(last.show_upl[0]),
            rules.improvement,
            inclusive=preset.assurance_inclusive,
        )
    summary = []
    for k, lines in enumerate(columns.lines):
        lo, hi = bounds[k], bounds[k + 1]
        codes = point_type_codes[lo:hi]
        summary.append(
            MDCGroupSummary(
                rebase_group=k + 1,
                n=hi - lo,
                points_used_for_limits=int(lines.points_used[0]),
                mean=plain(float(lines.mean[0])),
                lpl=plain(float(lines.show_lpl[0])),
                upl=plain(float(lines.show_upl[0])),
                nlpl=plain(float(lines.show_nlpl[0])),
                nupl=plain(float(lines.show_nupl[0])),
                common_cause=int((codes == 0).sum()),
                special_cause_improvement=int((codes == 1).sum()),
                special_cause_concern=int((codes == 2).sum()),
                special_cause_neutral=int(((codes == 3) | (codes == 4)).sum()),
                variation_icon=_last_icon(values, point_types, lo, hi, rules.improvement),
                assurance_icon=assurance if k == len(columns.lines) - 1 else None,
            )
        )
    return MDCResult(
        chart=chart,
        improvement=rules.improvement,
        target=None if target is None else float(target),
        points=points,
        summary=tuple(summary),
        variation_icon=icon,
        assurance_icon=assurance,
        reference=preset.name,
    )


def _last_icon(
    values: FloatArray, point_types: tuple[PointType, ...], lo: int, hi: int, improvement: Improvement
) -> VariationIcon:
    """Variation icon from the last point that has a value (NHSE: the last non-ghosted point)."""
    for i in range(hi - 1, lo - 1, -1):
        if not math.isnan(values[i]):
            return variation_icon(point_types[i], improvement)
    return VariationIcon.COMMON_CAUSE


__all__ = ["MDCGroupSummary", "MDCPoints", "MDCResult", "mdc"]
