"""qic(): run charts and Shewhart control charts computed as qicharts2 computes them.

The pipeline follows qicharts2's qic() and qic.agg(): drop points without x, aggregate repeated x values
into subgroups (sorted by x), split into parts, compute each part's centre line and limits from its
baseline points that are not excluded, run the Anhøj rules on the included points, then multiply, blank
non-finite limits and flag points outside the 3-sigma limits.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal, overload

import numpy as np
import numpy.typing as npt

from openqi_spc.anhoej import RunsAnalysis, check_method, runs_analysis
from openqi_spc.errors import (
    DenominatorError,
    FewPointsWarning,
    InputLengthError,
    InsufficientDataError,
    NegativeValueError,
    NonFiniteValueError,
    NonPositiveValueError,
    NumeratorError,
    OptionError,
    SPCError,
    SPCWarning,
)
from openqi_spc.limits import CHART_TYPES, ChartType, LimitOptions, Lines, PartData, chart_lines
from openqi_spc.presets import PRESETS, Preset, resolve
from openqi_spc.results import PartSummary, QicPoints, QicResult, QicSummary

if TYPE_CHECKING:
    from openqi_spc.frames import QicFrames

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

AggFun = Literal["mean", "median", "sum", "sd"]
AGG_FUNS: Final = ("mean", "median", "sum", "sd")
RATIO_CHARTS: Final = frozenset({"p", "pp", "u", "up"})
COUNT_CHARTS: Final = frozenset({"c", "u", "up", "p", "pp"})


def as_values(values: Any, name: str) -> FloatArray:
    """A 1-D float array; None becomes NaN (a missing value)."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SPCError(f"{name} must contain numbers (or None for a missing value)") from exc
    if arr.ndim != 1:
        raise SPCError(f"{name} must be a one-dimensional sequence of numbers")
    return arr


def check_finite(values: FloatArray, name: str, allow_missing: bool) -> None:
    if np.isfinite(values).all():
        return
    if np.isinf(values).any():
        position = int(np.flatnonzero(np.isinf(values))[0])
        raise NonFiniteValueError(f"{name} has an infinite value at position {position}")
    if not allow_missing:
        position = int(np.flatnonzero(np.isnan(values))[0])
        raise NonFiniteValueError(f"{name} has a missing value (NaN/None) at position {position}")


def check_values(chart: str, y: FloatArray, n: FloatArray | None) -> None:
    """Reject impossible data for the chart type, naming the first offending position."""
    with np.errstate(invalid="ignore"):
        if n is not None:
            bad = n <= 0
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise DenominatorError(f"denominator n must be positive; n[{i}] = {n[i]:g}")
        if chart in COUNT_CHARTS:
            bad = y < 0
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise NumeratorError(f"{chart.upper()} chart counts cannot be negative; y[{i}] = {y[i]:g}")
        if chart in ("p", "pp") and n is not None:
            bad = y > n
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise NumeratorError(
                    f"P chart numerator above its denominator at position {i}: y = {y[i]:g} > n = {n[i]:g}"
                )
        if chart == "t":
            bad = y <= 0
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise NonPositiveValueError(f"T chart times between events must be > 0; y[{i}] = {y[i]:g}")
        if chart == "g":
            bad = y < 0
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise NegativeValueError(
                    f"G chart counts between events cannot be negative; y[{i}] = {y[i]:g}"
                )


@dataclass(slots=True)
class Subgroups:
    """Points after aggregation by x: the columns qicharts2's qic.agg() builds."""

    x: npt.NDArray[Any]
    y: FloatArray
    y_sum: FloatArray
    y_length: FloatArray
    y_mean: FloatArray
    y_sd: FloatArray
    n: FloatArray
    cl: FloatArray | None
    part_labels: npt.NDArray[Any] | None
    categorical: bool


def _is_missing_x(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _per_row(values: Any, length: int, name: str) -> npt.NDArray[Any] | None:
    if values is None:
        return None
    arr = np.asarray(values, dtype=object if not isinstance(values, np.ndarray) else None)
    if arr.ndim == 0:
        return None
    if arr.shape[0] != length:
        raise InputLengthError(f"{name} has {arr.shape[0]} values but y has {length}")
    return arr


def aggregate(
    y: FloatArray,
    n: FloatArray | None,
    x: Any,
    agg_fun: AggFun,
    cl_rows: FloatArray | None,
    part_rows: npt.NDArray[Any] | None,
) -> Subgroups:
    """Group rows by x (sorted), with qicharts2's handling of missing values."""
    got_n = n is not None
    if got_n:
        assert n is not None
        missing = np.isnan(y) | np.isnan(n)
        if missing.any():  # qicharts2: complete.cases(y, n)
            y = np.where(missing, np.nan, y)
            n = np.where(missing, np.nan, n)
    if x is None:
        return _rows_as_subgroups(y, n, agg_fun, cl_rows, part_rows)
    x_arr = np.asarray(x)
    if x_arr.ndim != 1:
        raise SPCError("x must be a one-dimensional sequence")
    if x_arr.shape[0] != y.shape[0]:
        raise InputLengthError(f"x has {x_arr.shape[0]} values but y has {y.shape[0]}")
    if x_arr.dtype.kind == "f":
        keep = ~np.isnan(x_arr)
    elif x_arr.dtype.kind == "O":
        keep = np.array([not _is_missing_x(v) for v in x_arr], dtype=np.bool_)
    else:
        keep = np.ones(x_arr.shape[0], dtype=np.bool_)
    if not keep.all():  # qicharts2 drops rows without x
        x_arr, y = x_arr[keep], y[keep]
        n = None if n is None else n[keep]
        cl_rows = None if cl_rows is None else cl_rows[keep]
        part_rows = None if part_rows is None else part_rows[keep]
    categorical = x_arr.dtype.kind in "US" or (
        x_arr.dtype.kind == "O" and any(isinstance(v, str) for v in x_arr)
    )
    try:
        uniques, group = np.unique(x_arr, return_inverse=True)
    except TypeError as exc:
        raise SPCError("x values must be mutually comparable (all numbers, all dates or all text)") from exc
    group = group.reshape(-1)
    order = np.argsort(group, kind="stable")
    if uniques.shape[0] == y.shape[0]:
        sub = _rows_as_subgroups(
            y[order],
            None if n is None else n[order],
            agg_fun,
            None if cl_rows is None else cl_rows[order],
            None if part_rows is None else part_rows[order],
        )
        sub.x, sub.categorical = uniques, categorical
        return sub
    g = group[order]
    ys = y[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    rows = np.diff(np.r_[starts, g.size])
    valid = ~np.isnan(ys)
    length = np.add.reduceat(valid.astype(np.float64), starts)
    total = np.add.reduceat(np.where(valid, ys, 0.0), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / length
        squares = np.add.reduceat(np.where(valid, (ys - np.repeat(mean, rows)) ** 2, 0.0), starts)
        sd = np.where(length > 1, np.sqrt(squares / (length - 1.0)), np.nan)
        # R: sum(y, na.rm = length(y) > 1) keeps NA only for a lone missing value
        y_sum = np.where(rows > 1, total, ys[starts])
        if n is not None:
            ns = n[order]
            n_sum = np.add.reduceat(np.where(np.isnan(ns), 0.0, ns), starts)
            plotted = total / n_sum
        else:
            n_sum = np.full(starts.size, np.nan)
            if agg_fun == "mean":
                plotted = mean
            elif agg_fun == "sum":
                plotted = total
            elif agg_fun == "sd":
                plotted = sd
            else:
                plotted = np.array(
                    [
                        np.median(chunk[~np.isnan(chunk)]) if (~np.isnan(chunk)).any() else np.nan
                        for chunk in np.split(ys, starts[1:])
                    ]
                )
    return Subgroups(
        x=uniques,
        y=plotted,
        y_sum=y_sum,
        y_length=length,
        y_mean=mean,
        y_sd=sd,
        n=n_sum,
        cl=None if cl_rows is None else cl_rows[order][starts],
        part_labels=None if part_rows is None else part_rows[order][starts],
        categorical=categorical,
    )


def _rows_as_subgroups(
    y: FloatArray,
    n: FloatArray | None,
    agg_fun: AggFun,
    cl_rows: FloatArray | None,
    part_rows: npt.NDArray[Any] | None,
) -> Subgroups:
    """Every row is its own subgroup of one: the common case, without any grouping work."""
    size = y.shape[0]
    nan = np.full(size, np.nan)
    valid = ~np.isnan(y)
    if n is not None:
        n_sum = np.where(np.isnan(n), 0.0, n)  # R: sum(NA, na.rm = TRUE) is 0
        with np.errstate(invalid="ignore", divide="ignore"):
            plotted = y / n_sum
    else:
        n_sum = nan
        if agg_fun == "sum":
            plotted = np.where(valid, y, 0.0)
        elif agg_fun == "sd":
            plotted = nan
        else:
            plotted = y
    return Subgroups(
        x=np.arange(1, size + 1),
        y=plotted,
        y_sum=y,
        y_length=valid.astype(np.float64),
        y_mean=y,
        y_sd=nan,
        n=n_sum,
        cl=cl_rows,
        part_labels=part_rows,
        categorical=False,
    )


def part_starts(part: Any, part_labels: npt.NDArray[Any] | None, size: int) -> list[int]:
    """0-based first positions of each part (qicharts2's makeparts())."""
    if part_labels is not None:
        changes = [i for i in range(1, size) if part_labels[i] != part_labels[i - 1]]
        return [0, *changes]
    if part is None:
        return [0]
    positions = [part] if isinstance(part, int | np.integer) else list(part)
    cuts = {0}
    for p in positions:
        if not isinstance(p, int | np.integer) or isinstance(p, bool):
            raise OptionError(f"part must be whole numbers (points after which a new part starts); got {p!r}")
        if 0 <= p < size:
            cuts.add(int(p))
    return sorted(cuts)


def _options_key(**options: Any) -> bool:
    return all(v is None for v in options.values())


@overload
def qic(
    y: Sequence[float | None] | npt.ArrayLike,
    n: Sequence[float | None] | npt.ArrayLike | None = None,
    x: Sequence[Any] | npt.ArrayLike | None = None,
    chart: str = "run",
    *,
    data: None = None,
    facets: None = None,
    freeze: int | None = None,
    part: int | Sequence[int] | Sequence[str] | None = None,
    exclude: int | Sequence[int] | None = None,
    multiply: float = 1.0,
    cl: float | Sequence[float] | None = None,
    screened_mr: bool | None = None,
    agg_fun: str = "mean",
    method: str = "anhoej",
    y_neg: bool = True,
    reference: str | None = None,
    mr_screen: str | None = None,
    mr_screen_remean: bool | None = None,
    g_centre: str | None = None,
    t_lower: str | None = None,
    allow_missing: bool = True,
) -> QicResult: ...


@overload
def qic(
    y: Any,
    n: Any = None,
    x: Any = None,
    chart: str = "run",
    *,
    data: Any,
    facets: Any = None,
    freeze: int | None = None,
    part: Any = None,
    exclude: int | Sequence[int] | None = None,
    multiply: float = 1.0,
    cl: Any = None,
    screened_mr: bool | None = None,
    agg_fun: str = "mean",
    method: str = "anhoej",
    y_neg: bool = True,
    reference: str | None = None,
    mr_screen: str | None = None,
    mr_screen_remean: bool | None = None,
    g_centre: str | None = None,
    t_lower: str | None = None,
    allow_missing: bool = True,
) -> QicFrames: ...


def qic(
    y: Sequence[float | None] | npt.ArrayLike,
    n: Sequence[float | None] | npt.ArrayLike | None = None,
    x: Sequence[Any] | npt.ArrayLike | None = None,
    chart: str = "run",
    *,
    data: Any = None,
    facets: Any = None,
    freeze: int | None = None,
    part: int | Sequence[int] | Sequence[str] | None = None,
    exclude: int | Sequence[int] | None = None,
    multiply: float = 1.0,
    cl: float | Sequence[float] | None = None,
    screened_mr: bool | None = None,
    agg_fun: str = "mean",
    method: str = "anhoej",
    y_neg: bool = True,
    reference: str | None = None,
    mr_screen: str | None = None,
    mr_screen_remean: bool | None = None,
    g_centre: str | None = None,
    t_lower: str | None = None,
    allow_missing: bool = True,
) -> QicResult | QicFrames:
    """Compute a run chart or Shewhart control chart as qicharts2's ``qic()`` does.

    ``y`` are the values (numerators when ``n`` is given), ``n`` the denominators, ``x`` the subgroup
    (time) of each value: repeated x values are aggregated into one point, and points are sorted by x.
    ``freeze=k``: the first k points form the baseline for the centre and limits (ignored with ``part``).
    ``part=[k, ...]``: a new part begins after the k-th point (or give one label per row: a new part
    where the label changes). ``exclude``: 0-based positions left out of the centre, limits and runs
    analysis (still plotted and still flagged). See docs/spc.md for every option and its default.

    With ``data`` (a pandas or polars DataFrame, or a dict of columns) ``y``, ``n`` and ``x`` may name
    columns, ``facets`` names one or two facet columns, and the result is a :class:`QicFrames` whose
    ``points`` and ``summary`` are DataFrames with qicharts2's column names (frames.py).
    """
    if data is not None or facets is not None:
        from openqi_spc.frames import qic_frame

        options = {
            "freeze": freeze,
            "part": part,
            "exclude": exclude,
            "multiply": multiply,
            "cl": cl,
            "screened_mr": screened_mr,
            "agg_fun": agg_fun,
            "method": method,
            "y_neg": y_neg,
            "reference": reference,
            "mr_screen": mr_screen,
            "mr_screen_remean": mr_screen_remean,
            "g_centre": g_centre,
            "t_lower": t_lower,
            "allow_missing": allow_missing,
        }
        return qic_frame(data, y, n, x, chart, facets, options)
    if chart not in CHART_TYPES:
        raise OptionError(f"chart must be one of {', '.join(CHART_TYPES)}; got {chart!r}")
    chart_type: ChartType = chart  # type: ignore[assignment]
    if agg_fun not in AGG_FUNS:
        raise OptionError(f"agg_fun must be one of {', '.join(AGG_FUNS)}; got {agg_fun!r}")
    runs_method = check_method(method)
    if _options_key(
        screened_mr=screened_mr,
        mr_screen=mr_screen,
        mr_screen_remean=mr_screen_remean,
        g_centre=g_centre,
        t_lower=t_lower,
    ) and reference in (None, "qicharts2"):
        preset: Preset = PRESETS["qicharts2"]
    else:
        preset = resolve(
            reference,
            "qicharts2",
            {
                "screened_mr": screened_mr,
                "mr_screen": mr_screen,
                "mr_screen_remean": mr_screen_remean,
                "g_centre": g_centre,
                "t_lower": t_lower,
            },
        )
    if not (isinstance(multiply, int | float) and math.isfinite(multiply) and multiply != 0):
        raise OptionError(f"multiply must be a finite, non-zero number; got {multiply!r}")

    y_arr = as_values(y, "y")
    size = y_arr.shape[0]
    if size == 0:
        raise InsufficientDataError("y is empty: a chart needs at least one value")
    check_finite(y_arr, "y", allow_missing)
    n_arr: FloatArray | None = None
    if n is not None:
        n_arr = as_values(n, "n")
        if n_arr.shape[0] != size:
            raise InputLengthError(f"n has {n_arr.shape[0]} values but y has {size}")
        check_finite(n_arr, "n", allow_missing)
    elif chart in RATIO_CHARTS:
        raise DenominatorError(f"a {chart.upper()} chart needs denominators: pass n")
    check_values(chart, y_arr, n_arr)

    cl_rows: FloatArray | None = None
    if cl is not None:
        if np.ndim(cl) == 0:
            cl_value = float(cl)  # type: ignore[arg-type]
            if not math.isfinite(cl_value):
                raise OptionError("cl must be a finite number")
            cl_rows = np.full(size, cl_value)
        else:
            cl_rows = as_values(cl, "cl")
            if cl_rows.shape[0] != size:
                raise InputLengthError(f"cl has {cl_rows.shape[0]} values but y has {size}")
    part_rows: npt.NDArray[Any] | None = None
    if part is not None and not isinstance(part, int | np.integer):
        candidate = np.asarray(part, dtype=object)
        if any(isinstance(v, str) for v in candidate):
            if candidate.shape[0] != size:
                raise InputLengthError(f"part labels have {candidate.shape[0]} values but y has {size}")
            part_rows = candidate

    sub = aggregate(y_arr, n_arr, x, agg_fun, cl_rows, part_rows)  # type: ignore[arg-type]
    return compute(chart_type, sub, preset, freeze, part, exclude, multiply, runs_method, y_neg)


def _position_list(values: int | Sequence[int] | None, name: str, size: int) -> list[int]:
    if values is None:
        return []
    items = [values] if isinstance(values, int | np.integer) else list(values)
    out = []
    for v in items:
        if isinstance(v, bool) or not isinstance(v, int | np.integer):
            raise OptionError(f"{name} must be whole numbers (0-based positions); got {v!r}")
        if not 0 <= v < size:
            raise OptionError(f"{name} position {v} is outside 0..{size - 1}")
        out.append(int(v))
    return out


def compute(
    chart: ChartType,
    sub: Subgroups,
    preset: Preset,
    freeze: int | None,
    part: Any,
    exclude: Any,
    multiply: float,
    method: Any,
    y_neg: bool,
) -> QicResult:
    size = sub.y.shape[0]
    if size == 0:
        raise InsufficientDataError("no point has an x value")
    starts = part_starts(part if sub.part_labels is None else None, sub.part_labels, size)
    baseline = np.ones(size, dtype=np.bool_)
    if freeze is not None:
        if isinstance(freeze, bool) or not isinstance(freeze, int | np.integer) or freeze < 1:
            raise OptionError(f"freeze must be a whole number of points >= 1; got {freeze!r}")
        if len(starts) == 1:  # qicharts2 ignores freeze when parts are given
            baseline[int(freeze) :] = False
    include = np.ones(size, dtype=np.bool_)
    excluded = _position_list(exclude, "exclude", size)
    if excluded:
        include[excluded] = False
    limit_options: LimitOptions = preset.limit_options()

    # Rows y, cl, lcl, ucl, lcl_95, ucl_95 share one matrix: multiply, blanking, summaries are one step each.
    lines_matrix = np.empty((6, size)) if len(starts) > 1 else np.empty((0, 0))
    part_index = np.empty(size, dtype=np.int64)
    runs: list[RunsAnalysis] = []
    bounds = [*starts, size]
    with np.errstate(all="ignore"):
        for k in range(len(starts)):
            lo, hi = bounds[k], bounds[k + 1]
            base = baseline[lo:hi] & include[lo:hi]
            data = PartData(
                y=sub.y[None, lo:hi],
                y_sum=sub.y_sum[None, lo:hi],
                y_length=sub.y_length[None, lo:hi],
                y_mean=sub.y_mean[None, lo:hi],
                y_sd=sub.y_sd[None, lo:hi],
                n=sub.n[None, lo:hi],
                base=base,
                cl_given=None if sub.cl is None or np.isnan(sub.cl[lo:hi]).any() else sub.cl[None, lo:hi],
                categorical=sub.categorical,
            )
            lines: Lines = chart_lines(chart, data, limit_options)
            _check_enough(chart, lines, data, preset, k + 1)
            block = np.concatenate((lines.y, lines.cl, lines.lcl, lines.ucl, lines.lcl_95, lines.ucl_95))
            if len(starts) == 1:
                lines_matrix = block
            else:
                lines_matrix[:, lo:hi] = block
            part_index[lo:hi] = k + 1
            if excluded:
                inc = include[lo:hi]
                runs.append(runs_analysis(block[0][inc], block[1][inc], method))
            else:
                runs.append(runs_analysis(block[0], block[1], method))

        if multiply != 1:
            lines_matrix *= multiply
        limits = lines_matrix[2:]
        limits[~np.isfinite(limits)] = np.nan
        ys, cl, lcl, ucl, lcl_95, ucl_95 = lines_matrix
        if not y_neg and not np.isnan(ys).all() and np.nanmin(ys) >= 0:
            lcl[lcl < 0] = 0.0
            lcl_95[lcl_95 < 0] = 0.0
        sigma_signal = (ys > ucl) | (ys < lcl)

        no_runs = sub.categorical or chart == "mr"  # qicharts2: no runs signal for funnel plots, MR charts
        part_signal = [r.runs_signal and not no_runs for r in runs]
        runs_signal = np.zeros(size, dtype=np.bool_)
        parts: list[PartSummary] = []
        for k, r in enumerate(runs):
            lo, hi = bounds[k], bounds[k + 1]
            if part_signal[k]:
                runs_signal[lo:hi] = True
            block = lines_matrix[1:, lo:hi]
            means = (block.sum(axis=1) / (hi - lo)).tolist()
            if any(m != m for m in means):  # some lines have gaps: average what exists, as R's na.rm
                valid = ~np.isnan(block)
                means = (np.where(valid, block, 0.0).sum(axis=1) / valid.sum(axis=1)).tolist()
            m_cl, m_lcl, m_ucl, m_lcl_95, m_ucl_95 = (None if math.isnan(v) else v for v in means)
            parts.append(
                PartSummary(
                    part=k + 1,
                    n_obs=r.n_obs,
                    n_useful=r.n_useful,
                    longest_run=r.longest_run,
                    longest_run_max=r.longest_run_max,
                    n_crossings=r.n_crossings,
                    n_crossings_min=r.n_crossings_min,
                    runs_signal=part_signal[k],
                    sigma_signals=int(np.count_nonzero(sigma_signal[lo:hi])),
                    aLCL=m_lcl,
                    aLCL_95=m_lcl_95,
                    CL=m_cl,
                    aUCL_95=m_ucl_95,
                    aUCL=m_ucl,
                )
            )
    points = QicPoints(
        x=sub.x,
        y=ys,
        n=sub.n,
        y_length=sub.y_length.astype(np.int64),
        cl=cl,
        lcl=lcl,
        ucl=ucl,
        lcl_95=lcl_95,
        ucl_95=ucl_95,
        part=part_index,
        baseline=baseline,
        include=include,
        sigma_signal=sigma_signal,
        runs_signal=runs_signal,
    )
    return QicResult(
        chart=chart, points=points, summary=QicSummary(parts), multiply=float(multiply), reference=preset.name
    )


def _check_enough(chart: ChartType, lines: Lines, data: PartData, preset: Preset, part: int) -> None:
    """Raise when limits cannot exist at all; warn when they rest on fewer points than recommended."""
    if chart == "run":
        return
    y, cl, ucl = lines.y[0], lines.cl[0], lines.ucl[0]
    if (cl[0] != cl[0] and np.isnan(cl).all()) or (
        chart != "mr" and ucl[0] != ucl[0] and np.isnan(ucl).all()
    ):
        if np.isnan(y).all():
            return
        usable = int(np.count_nonzero(~np.isnan(y[data.base])))
        needed = 2 if chart in ("i", "mr", "t", "pp", "up") else 1  # charts that need a moving range
        if usable < needed:
            raise InsufficientDataError(
                f"part {part}: {usable} usable baseline point(s); a {chart.upper()} chart needs at least "
                f"{needed} for a centre line and limits"
            )
        # Enough points but no usable spread (e.g. a constant series whose only moving ranges are screened
        # out, or subgroups of one): qicharts2 leaves the limits empty, and so do we - with a warning.
        warnings.warn(
            f"part {part}: the limits of this {chart.upper()} chart are undefined (no usable variation)",
            SPCWarning,
            stacklevel=4,
        )
        return
    all_base = data.base.all()
    if all_base and y.size >= preset.min_points_limits:
        total = y.sum()
        if total == total:  # no missing value, enough points: nothing to count
            return
    used = y if all_base else y[data.base]
    count = int(np.count_nonzero(~np.isnan(used)))
    if count < preset.min_points_limits:
        warnings.warn(
            f"part {part}: limits rest on {count} points; "
            f"at least {preset.min_points_limits} are recommended",
            FewPointsWarning,
            stacklevel=4,
        )
