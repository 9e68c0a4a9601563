"""Batch analysis of a portfolio of measures in one call.

Series are stacked into one 2-D array (one row per series, shorter series padded with NaN) so that every
step - centre lines, limits, Anhøj runs analysis, MDC rules and icons - is a handful of NumPy operations on
the whole portfolio instead of a Python loop per series. Padding behaves exactly like missing values at the
end of a series, which qicharts2 and NHSRplotthedots ignore, so each row equals the single-series result
(property-tested). Options that need per-series structure (x aggregation, parts, exclusions, supplied
centre lines, re-basing) fall back to a loop over :func:`qic` / :func:`mdc`, with the same result types.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from openqi_spc.anhoej import check_method, runs_analysis_2d
from openqi_spc.charts import RATIO_CHARTS, check_values, qic
from openqi_spc.errors import (
    DenominatorError,
    FewPointsWarning,
    InputLengthError,
    InsufficientDataError,
    NonFiniteValueError,
    OptionError,
    SPCError,
)
from openqi_spc.frames import as_frame, frame_backend, ids_column, long_table, pad_by_series
from openqi_spc.icons import (
    AssuranceIcon,
    Improvement,
    PointType,
    VariationIcon,
    assurance_icon,
    variation_icon,
)
from openqi_spc.limits import CHART_TYPES, T_CHART_POWER, ChartType, PartData, chart_lines
from openqi_spc.mdc import (
    MDC_CHARTS,
    NO_RULE,
    MDCChart,
    MDCResult,
    MDCRules,
    check_improvement,
    check_rule_length,
    evaluate_rules,
    group_lines,
    mdc,
)
from openqi_spc.presets import resolve
from openqi_spc.results import QicResult, columns_to_records, plain

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

VECTOR_CHARTS: Final = frozenset({"run", "i", "mr", "t", "c", "u", "up", "p", "pp", "g"})
_POINT_TYPES: Final = tuple(PointType)
QIC_SUMMARY_NAMES: Final = {
    "n_obs": "n.obs",
    "n_useful": "n.useful",
    "longest_run": "longest.run",
    "longest_run_max": "longest.run.max",
    "n_crossings": "n.crossings",
    "n_crossings_min": "n.crossings.min",
}


@dataclass(slots=True)
class Portfolio:
    ids: list[Hashable]
    y: FloatArray  # rows = series, NaN-padded
    n: FloatArray | None
    lengths: IntArray


def _rows(values: Any) -> list[Any]:
    if isinstance(values, np.ndarray) and values.ndim == 2:
        return list(values)
    return list(values)


def stack(y: Any, n: Any = None, series_id: Any = None) -> Portfolio:
    """Normalise the three accepted shapes into one padded 2-D array.

    * a mapping ``{series_id: values}`` (and ``n`` as a mapping with the same keys),
    * a sequence of series (``n`` likewise), or a 2-D array,
    * a long table: flat ``y`` (and ``n``) columns with a ``series_id`` column; rows of one series are
      taken in their order of appearance.
    """
    if series_id is not None:
        ids_col = np.asarray(series_id)
        flat = np.asarray(y, dtype=np.float64)
        if flat.ndim != 1 or ids_col.shape != flat.shape:
            raise InputLengthError(f"series_id has {ids_col.shape[0]} values but y has {flat.shape[0]}")
        flat_n = None if n is None else np.asarray(n, dtype=np.float64)
        if flat_n is not None and flat_n.shape != flat.shape:
            raise InputLengthError(f"n has {flat_n.shape[0]} values but y has {flat.shape[0]}")
        uniques, first, inverse = np.unique(ids_col, return_index=True, return_inverse=True)
        rank = np.empty(uniques.size, dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(uniques.size)
        series = rank[inverse.reshape(-1)]
        order = np.argsort(series, kind="stable")
        series_sorted = series[order]
        lengths = np.bincount(series_sorted, minlength=uniques.size).astype(np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        position = np.arange(order.size) - starts[series_sorted]
        width = int(lengths.max()) if lengths.size else 0
        out = np.full((uniques.size, width), np.nan)
        out[series_sorted, position] = flat[order]
        out_n = None
        if flat_n is not None:
            out_n = np.full((uniques.size, width), np.nan)
            out_n[series_sorted, position] = flat_n[order]
        ids = [plain(v) for v in uniques[np.argsort(first, kind="stable")]]
        return Portfolio(ids, out, out_n, lengths)
    if isinstance(y, Mapping):
        ids = list(y)
        rows = [y[key] for key in ids]
        n_rows = None
        if n is not None:
            if not isinstance(n, Mapping) or set(n) != set(ids):
                raise InputLengthError("n must be a mapping with the same series ids as y")
            n_rows = [n[key] for key in ids]
    else:
        rows = _rows(y)
        ids = list(range(len(rows)))
        n_rows = None if n is None else _rows(n)
        if n_rows is not None and len(n_rows) != len(rows):
            raise InputLengthError(f"n has {len(n_rows)} series but y has {len(rows)}")
    arrays = [np.asarray(r, dtype=np.float64) for r in rows]
    lengths = np.array([a.shape[0] for a in arrays], dtype=np.int64)
    width = int(lengths.max()) if lengths.size else 0
    if lengths.size and (lengths == width).all():
        out = np.array(arrays, dtype=np.float64).reshape(len(arrays), width)
    else:
        out = np.full((len(arrays), width), np.nan)
        for i, a in enumerate(arrays):
            out[i, : a.shape[0]] = a
    out_n = None
    if n_rows is not None:
        n_arrays = [np.asarray(r, dtype=np.float64) for r in n_rows]
        out_n = np.full((len(arrays), width), np.nan)
        for i, a in enumerate(n_arrays):
            if a.shape[0] != lengths[i]:
                raise InputLengthError(f"series {ids[i]!r}: n has {a.shape[0]} values but y has {lengths[i]}")
            out_n[i, : a.shape[0]] = a
    return Portfolio(ids, out, out_n, lengths)


def _valid_mask(lengths: IntArray, width: int) -> BoolArray:
    mask: BoolArray = np.arange(width)[None, :] < lengths[:, None]
    return mask


def _check_portfolio(chart: str, data: Portfolio, valid: BoolArray) -> None:
    """Validate all series at once; on failure, re-check row by row to name the series."""
    y = data.y
    if np.isinf(y).any() or (data.n is not None and np.isinf(data.n).any()):
        row = int(
            np.flatnonzero(
                np.isinf(y).any(axis=1) | (np.isinf(data.n).any(axis=1) if data.n is not None else False)
            )[0]
        )
        raise NonFiniteValueError(f"series {data.ids[row]!r} has an infinite value")
    try:
        check_values(chart, y[valid], None if data.n is None else data.n[valid])
    except SPCError:
        for row in range(y.shape[0]):
            cols = slice(0, int(data.lengths[row]))
            try:
                check_values(chart, y[row, cols], None if data.n is None else data.n[row, cols])
            except SPCError as exc:
                raise type(exc)(f"series {data.ids[row]!r}: {exc}") from exc
        raise


@dataclass(frozen=True, slots=True)
class QicBatchResult:
    """Charts of many series: 2-D arrays (series x points, NaN past each series' end) and per-series runs.

    Runs fields are -1 where not defined. ``result(key)`` gives the full :class:`QicResult` of one series.
    """

    chart: str
    ids: tuple[Hashable, ...]
    lengths: IntArray
    y: FloatArray
    cl: FloatArray
    lcl: FloatArray
    ucl: FloatArray
    lcl_95: FloatArray
    ucl_95: FloatArray
    sigma_signal: BoolArray
    runs_signal: BoolArray
    n_obs: IntArray
    n_useful: IntArray
    longest_run: IntArray
    longest_run_max: IntArray
    n_crossings: IntArray
    n_crossings_min: IntArray
    has_limits: BoolArray
    options: dict[str, Any] = field(repr=False)
    source: tuple[FloatArray, FloatArray | None] = field(repr=False)
    id_name: str = "series_id"
    frame_backend: str = "pandas"
    x: npt.NDArray[Any] | None = field(default=None, repr=False)  # x values (series x points) from data=

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, key: Hashable) -> int:
        return self.ids.index(key)

    def result(self, key: Hashable) -> QicResult:
        """The single-series result (recomputed with :func:`qic`: identical by construction and by test)."""
        row = self.index(key)
        length = int(self.lengths[row])
        y, n = self.source
        result: QicResult = qic(
            y[row, :length], None if n is None else n[row, :length], chart=self.chart, **self.options
        )
        return result

    def summary_records(self) -> list[dict[str, Any]]:
        columns = {
            "series_id": list(self.ids),
            "n_obs": self.n_obs,
            "n_useful": self.n_useful,
            "longest_run": np.where(self.longest_run < 0, np.nan, self.longest_run),
            "longest_run_max": np.where(self.longest_run_max < 0, np.nan, self.longest_run_max),
            "n_crossings": np.where(self.n_crossings < 0, np.nan, self.n_crossings),
            "n_crossings_min": np.where(self.n_crossings_min < 0, np.nan, self.n_crossings_min),
            "runs_signal": self.runs_signal,
            "sigma_signals": self.sigma_signal.sum(axis=1),
        }
        records = columns_to_records(columns)
        for record in records:  # counts, not floats
            for key in ("longest_run", "longest_run_max", "n_crossings", "n_crossings_min"):
                if record[key] is not None:
                    record[key] = int(record[key])
        return records

    def to_records(self) -> list[dict[str, Any]]:
        """Long table: one dict per (series, point)."""
        valid = _valid_mask(self.lengths, self.y.shape[1])
        rows, cols = np.nonzero(valid)
        ids = np.empty(len(self.ids), dtype=object)
        ids[:] = list(self.ids)
        return columns_to_records(
            {
                "series_id": ids[rows],
                "position": cols,
                "y": self.y[valid],
                "cl": self.cl[valid],
                "lcl": self.lcl[valid],
                "ucl": self.ucl[valid],
                "lcl_95": self.lcl_95[valid],
                "ucl_95": self.ucl_95[valid],
                "sigma_signal": self.sigma_signal[valid],
                "runs_signal": self.runs_signal[rows],
            }
        )

    def summary_frame(self) -> Any:
        """One row per series (qicharts2's summary() names), as a DataFrame (pandas, or polars for polars
        input)."""
        columns: dict[str, Any] = {self.id_name: ids_column(self.ids)}
        for key, name in QIC_SUMMARY_NAMES.items():
            values = getattr(self, key)
            columns[name] = values if key in ("n_obs", "n_useful") else np.where(values < 0, np.nan, values)
        columns["runs.signal"] = self.runs_signal.astype(bool)
        columns["sigma.signal"] = self.sigma_signal.sum(axis=1)
        return as_frame(columns, self.frame_backend)

    def points_frame(self) -> Any:
        """Long table, one row per (series, point), with qicharts2's column names."""
        valid = _valid_mask(self.lengths, self.y.shape[1])
        rows, cols = np.nonzero(valid)
        columns = {
            self.id_name: ids_column(self.ids)[rows],
            "x": cols + 1 if self.x is None else self.x[valid],
            "y": self.y[valid],
            "cl": self.cl[valid],
            "lcl": self.lcl[valid],
            "ucl": self.ucl[valid],
            "lcl.95": self.lcl_95[valid],
            "ucl.95": self.ucl_95[valid],
            "runs.signal": self.runs_signal[rows],
            "sigma.signal": self.sigma_signal[valid],
        }
        return as_frame(columns, self.frame_backend)


def qic_batch(
    y: Any,
    n: Any = None,
    *,
    series_id: Any = None,
    chart: str = "i",
    data: Any = None,
    x: Any = None,
    **options: Any,
) -> QicBatchResult:
    """:func:`qic` for many series at once (see :func:`stack` for the accepted shapes).

    A series too short for limits gets NaN limits and ``has_limits`` False instead of stopping the whole
    portfolio; invalid data still raises, naming the series. With ``data`` (a long pandas or polars
    DataFrame, or a dict of columns) ``y``, ``n``, ``series_id`` and ``x`` name its columns; rows are put in
    ``x`` order within each series (one row per point: aggregate repeated x values first).
    """
    if chart not in CHART_TYPES:
        raise OptionError(f"chart must be one of {', '.join(CHART_TYPES)}; got {chart!r}")
    if data is not None:
        table = long_table(data, y, n, x, series_id)
        result = qic_batch(table.y, table.n, series_id=table.ids, chart=chart, **options)
        x_grid = None if table.x is None else pad_by_series(table.ids, table.x)
        return replace(result, id_name=table.id_name, frame_backend=frame_backend(data), x=x_grid)
    data = stack(y, n, series_id)
    if data.n is None and chart in RATIO_CHARTS:
        raise DenominatorError(f"a {chart.upper()} chart needs denominators: pass n")
    vector_options = {
        "freeze",
        "multiply",
        "screened_mr",
        "method",
        "y_neg",
        "reference",
        "mr_screen",
        "mr_screen_remean",
        "g_centre",
        "t_lower",
        "allow_missing",
    }
    if chart in VECTOR_CHARTS and set(options) <= vector_options and data.y.shape[0] > 0:
        return _qic_vectorised(chart, data, options)  # type: ignore[arg-type]
    return _qic_looped(chart, data, options)


def _qic_vectorised(chart: ChartType, data: Portfolio, options: dict[str, Any]) -> QicBatchResult:
    preset = resolve(
        options.get("reference"),
        "qicharts2",
        {k: options.get(k) for k in ("screened_mr", "mr_screen", "mr_screen_remean", "g_centre", "t_lower")},
    )
    method = check_method(options.get("method", "anhoej"))
    multiply = options.get("multiply", 1.0)
    if not (isinstance(multiply, int | float) and math.isfinite(multiply) and multiply != 0):
        raise OptionError(f"multiply must be a finite, non-zero number; got {multiply!r}")
    y_neg = options.get("y_neg", True)
    width = data.y.shape[1]
    valid = _valid_mask(data.lengths, width)
    _check_portfolio(chart, data, valid)
    if not options.get("allow_missing", True) and np.isnan(data.y[valid]).any():
        raise NonFiniteValueError("a series has a missing value (NaN/None) and allow_missing is False")
    y, n = data.y, data.n
    if n is not None:
        missing = np.isnan(y) | np.isnan(n)
        if missing.any():
            y = np.where(missing, np.nan, y)
            n = np.where(missing, np.nan, n)
        n_sum = np.where(np.isnan(n), 0.0, n)
    else:
        n_sum = np.full(y.shape, np.nan)
    base = np.ones(width, dtype=np.bool_)
    freeze = options.get("freeze")
    if freeze is not None:
        if isinstance(freeze, bool) or not isinstance(freeze, int | np.integer) or freeze < 1:
            raise OptionError(f"freeze must be a whole number of points >= 1; got {freeze!r}")
        base[int(freeze) :] = False
    with np.errstate(all="ignore"):
        plotted = y / n_sum if n is not None else y
        part = PartData(
            y=plotted,
            y_sum=y,
            y_length=(~np.isnan(y)).astype(np.float64),
            y_mean=y,
            y_sd=np.full(y.shape, np.nan),
            n=n_sum,
            base=base,
            cl_given=None,
        )
        lines = chart_lines(chart, part, preset.limit_options())
        values = lines.y
        cl, lcl, ucl, lcl_95, ucl_95 = (
            np.array(a, dtype=np.float64)
            for a in (lines.cl, lines.lcl, lines.ucl, lines.lcl_95, lines.ucl_95)
        )
        runs = runs_analysis_2d(values, cl, valid, method)
        if multiply != 1:
            values, cl, lcl, ucl = values * multiply, cl * multiply, lcl * multiply, ucl * multiply
            lcl_95, ucl_95 = lcl_95 * multiply, ucl_95 * multiply
        for limit in (lcl, ucl, lcl_95, ucl_95):
            limit[~np.isfinite(limit)] = np.nan
        if not y_neg:
            row_min = np.nanmin(np.where(np.isnan(values), np.inf, values), axis=1)
            clamp = (row_min >= 0)[:, None] & np.isfinite(row_min)[:, None]
            lcl[clamp & (lcl < 0)] = 0.0
            lcl_95[clamp & (lcl_95 < 0)] = 0.0
        sigma_signal = (values > ucl) | (values < lcl)
        for array in (cl, lcl, ucl, lcl_95, ucl_95):
            array[~valid] = np.nan
        has_limits: BoolArray = np.asarray(~np.isnan(cl).all(axis=1), dtype=np.bool_)
        if chart != "run":
            if chart != "mr":
                has_limits &= ~np.isnan(ucl).all(axis=1)
            used = (~np.isnan(values) & base[None, :] & valid).sum(axis=1)
            few = int((has_limits & (used < preset.min_points_limits)).sum())
            if few:
                warnings.warn(
                    f"{few} series have limits resting on fewer than {preset.min_points_limits} points",
                    FewPointsWarning,
                    stacklevel=3,
                )
    runs_signal = runs.runs_signal & (chart != "mr")
    return QicBatchResult(
        chart=chart,
        ids=tuple(data.ids),
        lengths=data.lengths,
        y=np.where(valid, values, np.nan),
        cl=cl,
        lcl=lcl,
        ucl=ucl,
        lcl_95=lcl_95,
        ucl_95=ucl_95,
        sigma_signal=sigma_signal & valid,
        runs_signal=runs_signal,
        n_obs=runs.n_obs,
        n_useful=runs.n_useful,
        longest_run=runs.longest_run,
        longest_run_max=runs.longest_run_max,
        n_crossings=runs.n_crossings,
        n_crossings_min=runs.n_crossings_min,
        has_limits=has_limits,
        options=dict(options),
        source=(data.y, data.n),
    )


def _qic_looped(chart: str, data: Portfolio, options: dict[str, Any]) -> QicBatchResult:
    rows, width = data.y.shape
    arrays: dict[str, Any] = {
        name: np.full((rows, width), np.nan) for name in ("y", "cl", "lcl", "ucl", "lcl_95", "ucl_95")
    }
    sigma = np.zeros((rows, width), dtype=np.bool_)
    stats: dict[str, Any] = {
        name: np.full(rows, -1, dtype=np.int64)
        for name in ("n_obs", "n_useful", "longest_run", "longest_run_max", "n_crossings", "n_crossings_min")
    }
    runs_signal = np.zeros(rows, dtype=np.bool_)
    has_limits = np.ones(rows, dtype=np.bool_)
    lengths = data.lengths.copy()
    for row in range(rows):
        length = int(data.lengths[row])
        y_row = data.y[row, :length]
        n_row = None if data.n is None else data.n[row, :length]
        try:
            result = qic(y_row, n_row, chart=chart, **options)
        except InsufficientDataError:
            has_limits[row] = False
            continue
        except SPCError as exc:
            raise type(exc)(f"series {data.ids[row]!r}: {exc}") from exc
        points = result.points
        size = len(points)  # aggregation by x can shorten a series
        lengths[row] = size
        for name in arrays:
            arrays[name][row, :size] = getattr(points, name)
        sigma[row, :size] = points.sigma_signal
        last = result.summary[-1]  # the current process: the last part
        for name in stats:
            value = getattr(last, name)
            stats[name][row] = -1 if value is None else value
        runs_signal[row] = last.runs_signal
    return QicBatchResult(
        chart=chart,
        ids=tuple(data.ids),
        lengths=lengths,
        sigma_signal=sigma,
        runs_signal=runs_signal,
        has_limits=has_limits,
        options=dict(options),
        source=(data.y, data.n),
        **arrays,
        **stats,
    )


@dataclass(frozen=True, slots=True)
class MDCBatchResult:
    """Making Data Count analysis of many series; icons per series, point codes as 2-D arrays."""

    chart: str
    improvement: Improvement
    ids: tuple[Hashable, ...]
    lengths: IntArray
    y: FloatArray
    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    nlpl: FloatArray
    nupl: FloatArray
    special_cause: BoolArray
    point_type: npt.NDArray[np.int64]  # index into PointType
    variation_icon: tuple[VariationIcon, ...]
    assurance_icon: tuple[AssuranceIcon | None, ...]
    options: dict[str, Any] = field(repr=False)
    targets: tuple[float | None, ...] = field(repr=False)
    id_name: str = "series_id"
    frame_backend: str = "pandas"
    x: npt.NDArray[Any] | None = field(default=None, repr=False)  # x values (series x points) from data=

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, key: Hashable) -> int:
        return self.ids.index(key)

    def result(self, key: Hashable) -> MDCResult:
        row = self.index(key)
        length = int(self.lengths[row])
        result: MDCResult = mdc(
            self.y[row, :length],
            improvement=self.improvement.value,
            target=self.targets[row],
            chart=self.chart,
            **self.options,
        )
        return result

    def summary_records(self) -> list[dict[str, Any]]:
        records = []
        for row, key in enumerate(self.ids):
            codes = self.point_type[row, : int(self.lengths[row])]
            records.append(
                {
                    "series_id": key,
                    "mean": plain(float(self.mean[row])),
                    "lpl": plain(float(self.lpl[row])),
                    "upl": plain(float(self.upl[row])),
                    "common_cause": int((codes == 0).sum()),
                    "special_cause_improvement": int((codes == 1).sum()),
                    "special_cause_concern": int((codes == 2).sum()),
                    "special_cause_neutral": int((codes >= 3).sum()),
                    "variation_icon": self.variation_icon[row].value,
                    "assurance_icon": _icon_value(self.assurance_icon[row]),
                }
            )
        return records

    def summary_frame(self) -> Any:
        """One row per series with NHSRplotthedots' summary names (variation_type, assurance_type...)."""
        valid = _valid_mask(self.lengths, self.y.shape[1])
        codes = np.where(valid, self.point_type, -1)
        columns: dict[str, Any] = {
            self.id_name: ids_column(self.ids),
            "mean": self.mean,
            "lpl": self.lpl,
            "upl": self.upl,
            "n": self.lengths,
            "common_cause": (codes == 0).sum(axis=1),
            "special_cause_improvement": (codes == 1).sum(axis=1),
            "special_cause_concern": (codes == 2).sum(axis=1),
            "variation_type": np.array([icon.value for icon in self.variation_icon], dtype=object),
            "assurance_type": np.array([_icon_value(icon) for icon in self.assurance_icon], dtype=object),
        }
        return as_frame(columns, self.frame_backend)

    def points_frame(self) -> Any:
        """One row per (series, point): x (the x column, else the position), y, lines, point_type."""
        valid = _valid_mask(self.lengths, self.y.shape[1])
        rows, cols = np.nonzero(valid)
        types = np.array([t.value for t in _POINT_TYPES], dtype=object)
        columns = {
            self.id_name: ids_column(self.ids)[rows],
            "x": cols + 1 if self.x is None else self.x[valid],
            "y": self.y[valid],
            "mean": self.mean[rows],
            "lpl": self.lpl[rows],
            "upl": self.upl[rows],
            "special_cause_flag": self.special_cause[valid],
            "point_type": types[self.point_type[valid]],
        }
        return as_frame(columns, self.frame_backend)


def _icon_value(icon: AssuranceIcon | None) -> str | None:
    return None if icon is None else icon.value


def _targets(target: Any, ids: list[Hashable]) -> tuple[float | None, ...]:
    if target is None or isinstance(target, int | float):
        return tuple(None if target is None else float(target) for _ in ids)
    if isinstance(target, Mapping):
        return tuple(None if target.get(key) is None else float(target[key]) for key in ids)
    values = list(target)
    if len(values) != len(ids):
        raise InputLengthError(f"target has {len(values)} values but there are {len(ids)} series")
    return tuple(None if v is None else float(v) for v in values)


def mdc_batch(
    y: Any,
    *,
    series_id: Any = None,
    improvement: str = "increase",
    target: Any = None,
    chart: str = "xmr",
    data: Any = None,
    x: Any = None,
    **options: Any,
) -> MDCBatchResult:
    """:func:`mdc` for many series at once; ``target`` may be one value, a sequence or a mapping by id.

    With ``data`` (a long pandas or polars DataFrame, or a dict of columns) ``y``, ``series_id`` and ``x``
    name its columns; rows are put in ``x`` order within each series.
    """
    if chart not in MDC_CHARTS:
        raise OptionError(f"chart must be one of {', '.join(MDC_CHARTS)}; got {chart!r}")
    if data is not None:
        table = long_table(data, y, None, x, series_id)
        result = mdc_batch(
            table.y, series_id=table.ids, improvement=improvement, target=target, chart=chart, **options
        )
        x_grid = None if table.x is None else pad_by_series(table.ids, table.x)
        return replace(result, id_name=table.id_name, frame_backend=frame_backend(data), x=x_grid)
    direction = check_improvement(improvement)
    data = stack(y, None, series_id)
    targets = _targets(target, data.ids)
    vector_options = {
        "fix_after_n_points",
        "screen_outliers",
        "shift",
        "trend",
        "reference",
        "mr_screen",
        "mr_screen_remean",
        "xmr_factor",
        "assurance_inclusive",
        "conflict_rule",
        "rule_priority",
        "two_in_three_beyond_limits",
        "g_centre",
        "t_lower",
        "trend_across_rebase",
    }
    if set(options) <= vector_options and data.y.shape[0] > 0:
        return _mdc_vectorised(chart, direction, data, targets, options)  # type: ignore[arg-type]
    return _mdc_looped(chart, direction, data, targets, options)


def _mdc_vectorised(
    chart: MDCChart,
    direction: Improvement,
    data: Portfolio,
    targets: tuple[float | None, ...],
    options: dict[str, Any],
) -> MDCBatchResult:
    preset = resolve(
        options.get("reference"),
        "nhsrplotthedots",
        {
            "screened_mr": options.get("screen_outliers"),
            **{
                k: options.get(k)
                for k in (
                    "mr_screen",
                    "mr_screen_remean",
                    "xmr_factor",
                    "assurance_inclusive",
                    "conflict_rule",
                    "two_in_three_beyond_limits",
                    "g_centre",
                    "t_lower",
                    "trend_across_rebase",
                )
            },
            "rule_priority": None
            if options.get("rule_priority") is None
            else tuple(options["rule_priority"]),
        },
    )
    rules = MDCRules(
        shift=check_rule_length(options.get("shift", 7), "shift"),
        trend=check_rule_length(options.get("trend", 7), "trend"),
        priority=preset.rule_priority,
        conflict_rule=preset.conflict_rule,
        two_in_three_beyond_limits=preset.two_in_three_beyond_limits,
        improvement=direction,
    )
    width = data.y.shape[1]
    valid = _valid_mask(data.lengths, width)
    check_chart = {"xmr": "i", "t": "t", "g": "g"}[chart]
    _check_portfolio(check_chart, data, valid)
    fix = options.get("fix_after_n_points")
    if fix is not None:
        check_rule_length(fix, "fix_after_n_points")
    with np.errstate(all="ignore"):
        scale = data.y ** (1.0 / T_CHART_POWER) if chart == "t" else data.y
        fixed = scale if fix is None else scale[:, :fix]
        lines = group_lines(fixed, chart, preset)
        flags = evaluate_rules(scale, lines, rules)
    few = int(((lines.points_used >= 2) & (lines.points_used < preset.min_points_limits)).sum())
    if few:
        warnings.warn(
            f"{few} series have limits resting on fewer than {preset.min_points_limits} points",
            FewPointsWarning,
            stacklevel=3,
        )
    # Variation icon from each series' last point with a value.
    has_value = ~np.isnan(data.y)
    last = width - 1 - np.argmax(has_value[:, ::-1], axis=1)
    rows = np.arange(data.y.shape[0])
    last_type = flags.point_type[rows, last]
    icons = tuple(
        variation_icon(_POINT_TYPES[code], direction) if has_value[row].any() else VariationIcon.COMMON_CAUSE
        for row, code in enumerate(last_type.tolist())
    )
    assurance: list[AssuranceIcon | None] = []
    if chart == "xmr" and direction is not Improvement.NEUTRAL:
        lpl, upl = lines.show_lpl.tolist(), lines.show_upl.tolist()
        for row, tgt in enumerate(targets):
            assurance.append(
                assurance_icon(tgt, lpl[row], upl[row], direction, inclusive=preset.assurance_inclusive)
            )
    else:
        assurance = [None] * len(targets)
    special = (flags.rule != NO_RULE) & valid
    return MDCBatchResult(
        chart=chart,
        improvement=direction,
        ids=tuple(data.ids),
        lengths=data.lengths,
        y=data.y,
        mean=lines.mean,
        lpl=lines.show_lpl,
        upl=lines.show_upl,
        nlpl=lines.show_nlpl,
        nupl=lines.show_nupl,
        special_cause=special,
        point_type=np.where(valid, flags.point_type, 0),
        variation_icon=icons,
        assurance_icon=tuple(assurance),
        options=dict(options),
        targets=targets,
    )


def _mdc_looped(
    chart: str,
    direction: Improvement,
    data: Portfolio,
    targets: tuple[float | None, ...],
    options: dict[str, Any],
) -> MDCBatchResult:
    rows, width = data.y.shape
    lines = {name: np.full(rows, np.nan) for name in ("mean", "lpl", "upl", "nlpl", "nupl")}
    special = np.zeros((rows, width), dtype=np.bool_)
    point_type = np.zeros((rows, width), dtype=np.int64)
    icons: list[VariationIcon] = []
    assurance: list[AssuranceIcon | None] = []
    for row in range(rows):
        length = int(data.lengths[row])
        try:
            result = mdc(
                data.y[row, :length], improvement=direction.value, target=targets[row], chart=chart, **options
            )
        except SPCError as exc:
            raise type(exc)(f"series {data.ids[row]!r}: {exc}") from exc
        last = result.summary[-1]
        for name in lines:
            value = getattr(last, name)
            lines[name][row] = np.nan if value is None else value
        special[row, :length] = result.points.special_cause
        point_type[row, :length] = [_POINT_TYPES.index(p) for p in result.points.point_type]
        icons.append(result.variation_icon)
        assurance.append(result.assurance_icon)
    return MDCBatchResult(
        chart=chart,
        improvement=direction,
        ids=tuple(data.ids),
        lengths=data.lengths,
        y=data.y,
        special_cause=special,
        point_type=point_type,
        variation_icon=tuple(icons),
        assurance_icon=tuple(assurance),
        options=dict(options),
        targets=targets,
        mean=lines["mean"],
        lpl=lines["lpl"],
        upl=lines["upl"],
        nlpl=lines["nlpl"],
        nupl=lines["nupl"],
    )


__all__ = ["MDCBatchResult", "QicBatchResult", "mdc_batch", "qic_batch", "stack"]
