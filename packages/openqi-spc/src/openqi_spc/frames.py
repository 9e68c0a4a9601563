"""DataFrames in and out: qicharts2's and NHSRplotthedots' column names, pandas or polars, imported lazily.

``qic(data=df, x="week", y="completed", n="started", chart="p", facets="service")`` and
``mdc(data=df, x="date", y="value", facets="team")`` take column names (or arrays) like qicharts2's
``qic()`` and NHSRplotthedots' ``ptd_spc()``, compute one chart per facet with the NumPy engine and return
a result whose ``.points`` and ``.summary`` are DataFrames with the reference package's column names.
pandas and polars are optional: nothing here is imported until a DataFrame is asked for, so a NumPy-only
install works (``pip install openqi-spc[pandas]`` / ``[polars]`` for the frames).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from openqi_spc.errors import ColumnError, InputLengthError, OptionError

if TYPE_CHECKING:
    from openqi_spc.mdc import MDCResult
    from openqi_spc.results import QicResult

Backend = str  # "pandas" | "polars"
FacetKey = tuple[Hashable, ...]


def backend_of(data: Any) -> Backend:
    """Which library a table comes from: "pandas", "polars", or "dict" for a plain mapping of columns."""
    root = type(data).__module__.split(".")[0]
    if root in ("pandas", "polars"):
        return root
    if isinstance(data, dict):
        return "dict"
    raise OptionError(
        f"data must be a pandas or polars DataFrame or a dict of columns; got {type(data).__name__}"
    )


def frame_backend(data: Any) -> Backend:
    """The library results are returned in for input ``data`` (pandas for a dict of columns)."""
    backend = backend_of(data)
    return "pandas" if backend == "dict" else backend


def require(library: str) -> Any:
    """Import pandas/polars/matplotlib on first use, with the install line when it is missing."""
    try:
        return importlib.import_module(library)
    except ImportError as exc:  # pragma: no cover - exercised by the clean-venv install test
        extra = {"matplotlib": "plot", "matplotlib.pyplot": "plot"}.get(library, library)
        raise ImportError(
            f"{library} is needed for this; install it with: pip install 'openqi-spc[{extra}]'"
        ) from exc


def column_names(data: Any) -> list[str]:
    return [str(c) for c in (data.keys() if isinstance(data, dict) else data.columns)]


def column(data: Any, spec: Any, role: str) -> npt.NDArray[Any] | None:
    """A column's values: ``spec`` names a column of ``data`` or is itself a sequence of values."""
    if spec is None:
        return None
    if isinstance(spec, str):
        names = column_names(data)
        if spec not in names:
            raise ColumnError(
                f"{role} column {spec!r} is not in the data; its columns are: {', '.join(names)}"
            )
        values = data[spec]
        return values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
    return np.asarray(spec)


def as_frame(columns: dict[str, Any], backend: Backend) -> Any:
    """A DataFrame of the requested library from NumPy columns (missing values stay NaN/None)."""
    if backend == "polars":
        polars = require("polars")
        return polars.DataFrame(
            {k: (list(v) if np.asarray(v).dtype == object else v) for k, v in columns.items()}
        )
    pandas = require("pandas")
    return pandas.DataFrame(columns)


def facet_names(facets: Any) -> tuple[str, ...]:
    if facets is None:
        return ()
    names = (facets,) if isinstance(facets, str) else tuple(facets)
    if not 1 <= len(names) <= 2 or not all(isinstance(f, str) for f in names):
        raise OptionError(
            "facets must be one column name or a list of at most two (qicharts2's facet1, facet2)"
        )
    return names


def split_by_facets(
    data: Any, facets: tuple[str, ...], size: int
) -> list[tuple[FacetKey, npt.NDArray[np.int64]]]:
    """Row indices of each facet (in order of first appearance, as R's factor levels of character data)."""
    if not facets:
        return [((), np.arange(size))]
    keys = [column(data, f, "facet") for f in facets]
    rows: dict[FacetKey, list[int]] = {}
    for i, key in enumerate(zip(*[k.tolist() for k in keys if k is not None], strict=True)):
        rows.setdefault(key, []).append(i)
    return [(key, np.asarray(index, dtype=np.int64)) for key, index in rows.items()]


def _facet_columns(
    facets: tuple[str, ...], pieces: list[tuple[FacetKey, int]], prefix: str
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for level in range(len(facets)):
        name = f"{prefix}{level + 1}" if prefix == "facet" else prefix
        out[name] = np.array([key[level] for key, count in pieces for _ in range(count)], dtype=object)
    return out


def _take(values: npt.NDArray[Any] | None, index: npt.NDArray[np.int64]) -> npt.NDArray[Any] | None:
    return None if values is None else values[index]


@dataclass(frozen=True)
class QicFrames:
    """qic() with DataFrames: one :class:`QicResult` per facet, points and summary as DataFrames.

    ``points`` has qicharts2's ``return.data`` columns (``facet1``, ``part``, ``x``, ``y``, ``n``,
    ``y.length``, ``cl``, ``lcl``, ``ucl``, ``lcl.95``, ``ucl.95``, ``runs.signal``, ``sigma.signal``,
    ``include``, ``baseline``); ``summary`` qicharts2's ``summary()`` columns.
    """

    chart: str
    facets: tuple[str, ...]
    results: dict[FacetKey, QicResult]
    backend: Backend

    @property
    def points(self) -> Any:
        return as_frame(self.points_columns(), self.backend)

    @property
    def summary(self) -> Any:
        return as_frame(self.summary_columns(), self.backend)

    def result(self, *facet: Hashable) -> QicResult:
        """The engine's result for one facet (no argument when there are no facets)."""
        try:
            return self.results[tuple(facet)]
        except KeyError:
            raise OptionError(f"no facet {facet!r}; facets are {list(self.results)}") from None

    def points_columns(self) -> dict[str, Any]:
        pieces = [(key, len(r.points)) for key, r in self.results.items()]
        cols: dict[str, Any] = _facet_columns(self.facets, pieces, "facet")
        parts = [r.points for r in self.results.values()]

        def joined(name: str) -> npt.NDArray[Any]:
            return np.concatenate([np.asarray(getattr(p, name)) for p in parts])

        cols.update(
            {
                "part": joined("part"),
                "x": joined("x"),
                "y": joined("y"),
                "n": joined("n"),
                "y.length": joined("y_length"),
                "cl": joined("cl"),
                "lcl": joined("lcl"),
                "ucl": joined("ucl"),
                "lcl.95": joined("lcl_95"),
                "ucl.95": joined("ucl_95"),
                "runs.signal": joined("runs_signal"),
                "sigma.signal": joined("sigma_signal"),
                "include": joined("include"),
                "baseline": joined("baseline"),
            }
        )
        return cols

    def summary_columns(self) -> dict[str, Any]:
        rows = [(key, part) for key, r in self.results.items() for part in r.summary]
        pieces = [(key, 1) for key, _ in rows]
        cols: dict[str, Any] = _facet_columns(self.facets, pieces, "facet")

        def col(name: str, cast: Callable[[Any], Any] = float) -> npt.NDArray[Any]:
            return np.array([np.nan if getattr(p, name) is None else cast(getattr(p, name)) for _, p in rows])

        cols.update(
            {
                "part": np.array([p.part for _, p in rows], dtype=np.int64),
                "n.obs": np.array([p.n_obs for _, p in rows], dtype=np.int64),
                "n.useful": np.array([p.n_useful for _, p in rows], dtype=np.int64),
                "longest.run": col("longest_run"),
                "longest.run.max": col("longest_run_max"),
                "n.crossings": col("n_crossings"),
                "n.crossings.min": col("n_crossings_min"),
                "runs.signal": np.array([p.runs_signal for _, p in rows], dtype=np.bool_),
                "aLCL.95": col("aLCL_95"),
                "aLCL": col("aLCL"),
                "CL": col("CL"),
                "aUCL": col("aUCL"),
                "aUCL.95": col("aUCL_95"),
                "sigma.signal": np.array([p.sigma_signals for _, p in rows], dtype=np.int64),
            }
        )
        return cols

    def to_pandas(self) -> QicFrames:
        return QicFrames(self.chart, self.facets, self.results, "pandas")

    def to_polars(self) -> QicFrames:
        return QicFrames(self.chart, self.facets, self.results, "polars")

    def plot(self, style: str = "mdc", **options: Any) -> Any:
        """A matplotlib Figure: one panel per facet (see :func:`openqi_spc.plotting.plot`)."""
        from openqi_spc.plotting import plot_facets

        return plot_facets(self.results, self.facets, style=style, **options)

    def to_svg(self, *facet: Hashable, **options: Any) -> str:
        """The web app's SVG of one facet's chart (the only one when there are no facets)."""
        key = tuple(facet) if facet else next(iter(self.results))
        return self.result(*key).to_svg(**options)


@dataclass(frozen=True)
class MDCFrames:
    """mdc() with DataFrames: one :class:`MDCResult` per facet, with NHSRplotthedots' column names.

    ``points``: ``f`` (facet), ``x``, ``y``, ``rebase_group``, ``mean``, ``lpl``, ``upl``, ``nlpl``,
    ``nupl``, ``outside_limits``, ``relative_to_mean``, ``close_to_limits``, ``trend``, ``two_in_three``,
    ``shift``, ``special_cause_flag``, ``point_type``, ``target``. ``summary``: per facet and rebase group,
    ``f``, ``rebase_group``, ``mean``, ``lpl``, ``upl``, ``n``, ``common_cause``,
    ``special_cause_improvement``, ``special_cause_concern``, ``variation_type``, ``assurance_type``.
    """

    facets: tuple[str, ...]
    results: dict[FacetKey, MDCResult]
    backend: Backend

    @property
    def points(self) -> Any:
        return as_frame(self.points_columns(), self.backend)

    @property
    def summary(self) -> Any:
        return as_frame(self.summary_columns(), self.backend)

    def result(self, *facet: Hashable) -> MDCResult:
        try:
            return self.results[tuple(facet)]
        except KeyError:
            raise OptionError(f"no facet {facet!r}; facets are {list(self.results)}") from None

    def _facet_label(self, key: FacetKey) -> Any:
        return key[0] if len(key) == 1 else " | ".join(str(k) for k in key) if key else "no facet"

    def points_columns(self) -> dict[str, Any]:
        parts = [r.points for r in self.results.values()]
        labels = [self._facet_label(k) for k in self.results]

        def joined(name: str) -> npt.NDArray[Any]:
            return np.concatenate([np.asarray(getattr(p, name)) for p in parts])

        cols: dict[str, Any] = {}
        if self.facets:
            cols["f"] = np.array(
                [lab for lab, p in zip(labels, parts, strict=True) for _ in range(len(p))], dtype=object
            )
        cols.update(
            {
                "x": joined("x"),
                "y": joined("y"),
                "rebase_group": joined("rebase_group"),
                "mean": joined("mean"),
                "lpl": joined("lpl"),
                "upl": joined("upl"),
                "nlpl": joined("nlpl"),
                "nupl": joined("nupl"),
                "outside_limits": joined("outside_limits"),
                "relative_to_mean": joined("relative_to_mean"),
                "close_to_limits": joined("close_to_limits"),
                "trend": joined("trend"),
                "two_in_three": joined("two_in_three"),
                "shift": joined("shift"),
                "special_cause_flag": joined("special_cause"),
                "point_type": np.array([t.value for p in parts for t in p.point_type], dtype=object),
                "target": np.concatenate(
                    [
                        np.full(len(r.points), np.nan if r.target is None else r.target)
                        for r in self.results.values()
                    ]
                ),
            }
        )
        return cols

    def summary_columns(self) -> dict[str, Any]:
        rows = [(self._facet_label(key), r, g) for key, r in self.results.items() for g in r.summary]
        cols: dict[str, Any] = {}
        if self.facets:
            cols["f"] = np.array([f for f, _, _ in rows], dtype=object)

        def num(value: float | None) -> float:
            return np.nan if value is None else float(value)

        cols.update(
            {
                "rebase_group": np.array([g.rebase_group for _, _, g in rows], dtype=np.int64),
                "mean": np.array([num(g.mean) for _, _, g in rows]),
                "lpl": np.array([num(g.lpl) for _, _, g in rows]),
                "upl": np.array([num(g.upl) for _, _, g in rows]),
                "n": np.array([g.n for _, _, g in rows], dtype=np.int64),
                "common_cause": np.array([g.common_cause for _, _, g in rows], dtype=np.int64),
                "special_cause_improvement": np.array(
                    [g.special_cause_improvement for _, _, g in rows], dtype=np.int64
                ),
                "special_cause_concern": np.array(
                    [g.special_cause_concern for _, _, g in rows], dtype=np.int64
                ),
                "variation_type": np.array([g.variation_icon.value for _, _, g in rows], dtype=object),
                "assurance_type": np.array(
                    [None if g.assurance_icon is None else g.assurance_icon.value for _, _, g in rows],
                    dtype=object,
                ),
            }
        )
        return cols

    def to_pandas(self) -> MDCFrames:
        return MDCFrames(self.facets, self.results, "pandas")

    def to_polars(self) -> MDCFrames:
        return MDCFrames(self.facets, self.results, "polars")

    def plot(self, style: str = "mdc", **options: Any) -> Any:
        from openqi_spc.plotting import plot_facets

        return plot_facets(self.results, self.facets, style=style, **options)

    def to_svg(self, *facet: Hashable, **options: Any) -> str:
        key = tuple(facet) if facet else next(iter(self.results))
        return self.result(*key).to_svg(**options)


def _length_check(values: npt.NDArray[Any] | None, size: int, role: str) -> None:
    if values is not None and values.shape[0] != size:
        raise InputLengthError(f"{role} has {values.shape[0]} values but y has {size}")


def _numeric(values: npt.NDArray[Any], role: str) -> npt.NDArray[np.float64]:
    """Numbers from a column, naming the first row that is not a number."""
    if values.dtype.kind in "fiub":
        return values.astype(np.float64)
    out = np.empty(values.shape[0])
    for i, v in enumerate(values.tolist()):
        if v is None or (isinstance(v, float) and v != v):
            out[i] = np.nan
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            raise ColumnError(f"{role} column has a value that is not a number in row {i}: {v!r}") from None
    return out


def qic_frame(
    data: Any, y: Any, n: Any, x: Any, chart: str, facets: Any, options: dict[str, Any]
) -> QicFrames:
    from openqi_spc.charts import qic

    backend = backend_of(data) if data is not None else "pandas"
    source = data if data is not None else {}
    y_all = column(source, y, "y")
    if y_all is None:
        raise OptionError("y is required")
    y_values = _numeric(y_all, "y")
    n_all = column(source, n, "n")
    n_values = None if n_all is None else _numeric(n_all, "n")
    x_values = column(source, x, "x")
    _length_check(n_values, y_values.shape[0], "n")
    _length_check(x_values, y_values.shape[0], "x")
    names = facet_names(facets)
    per_row = {key: options[key] for key in ("part", "cl") if _is_column(source, options.get(key))}
    results: dict[FacetKey, QicResult] = {}
    for key, index in split_by_facets(source, names, y_values.shape[0]):
        own = dict(options)
        for name, spec in per_row.items():
            own[name] = column(source, spec, name)[index]  # type: ignore[index]
        try:
            results[key] = qic(
                y_values[index], _take(n_values, index), _take(x_values, index), chart=chart, **own
            )
        except ValueError as exc:
            if not key:
                raise
            raise type(exc)(f"facet {', '.join(map(str, key))}: {exc}") from exc
    return QicFrames(chart, names, results, "pandas" if backend == "dict" else backend)


def _is_column(data: Any, spec: Any) -> bool:
    return isinstance(spec, str) and spec in column_names(data)


def mdc_frame(data: Any, y: Any, x: Any, facets: Any, target: Any, options: dict[str, Any]) -> MDCFrames:
    from openqi_spc.mdc import mdc

    backend = backend_of(data) if data is not None else "pandas"
    source = data if data is not None else {}
    y_all = column(source, y, "y")
    if y_all is None:
        raise OptionError("y is required")
    y_values = _numeric(y_all, "y")
    x_values = column(source, x, "x")
    _length_check(x_values, y_values.shape[0], "x")
    names = facet_names(facets)
    results: dict[FacetKey, MDCResult] = {}
    for key, index in split_by_facets(source, names, y_values.shape[0]):
        own_target = target
        if isinstance(target, dict):
            label = key[0] if len(key) == 1 else key
            own_target = target.get(label)
        own = dict(options)
        if isinstance(options.get("rebase"), dict):
            own["rebase"] = options["rebase"].get(key[0] if len(key) == 1 else key)
        try:
            results[key] = mdc(y_values[index], _take(x_values, index), target=own_target, **own)
        except ValueError as exc:
            if not key:
                raise
            raise type(exc)(f"facet {', '.join(map(str, key))}: {exc}") from exc
    return MDCFrames(names, results, "pandas" if backend == "dict" else backend)


@dataclass(frozen=True, slots=True)
class LongTable:
    """A long table's columns, ordered by x (the batch APIs then group them by series, keeping that order)."""

    y: npt.NDArray[np.float64]
    n: npt.NDArray[np.float64] | None
    ids: npt.NDArray[Any]
    x: npt.NDArray[Any] | None
    id_name: str


def long_table(data: Any, y: Any, n: Any, x: Any, group: Any) -> LongTable:
    """A long table's series: y (and n, x) ordered by x, with the group column (batch APIs)."""
    if group is None:
        raise OptionError("a long table needs series_id: the column that names each series")
    y_all = column(data, y, "y")
    if y_all is None:
        raise OptionError("y is required")
    y_values = _numeric(y_all, "y")
    n_all = column(data, n, "n")
    n_values = None if n_all is None else _numeric(n_all, "n")
    ids = column(data, group, "series_id")
    assert ids is not None
    _length_check(ids, y_values.shape[0], "series_id")
    _length_check(n_values, y_values.shape[0], "n")
    x_values = column(data, x, "x")
    if x_values is not None:
        _length_check(x_values, y_values.shape[0], "x")
        order = np.argsort(x_values, kind="stable")
        y_values, ids, x_values = y_values[order], ids[order], x_values[order]
        n_values = None if n_values is None else n_values[order]
    return LongTable(y_values, n_values, ids, x_values, group if isinstance(group, str) else "series_id")


def pad_by_series(ids: npt.NDArray[Any], values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``values`` as a series x position array, series in order of first appearance (as batch.stack())."""
    uniques, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    rank = np.empty(uniques.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(uniques.size)
    series = rank[inverse.reshape(-1)]
    order = np.argsort(series, kind="stable")
    lengths = np.bincount(series, minlength=uniques.size)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    position = np.arange(order.size) - starts[series[order]]
    if values.dtype.kind in "mM":
        out = np.full((uniques.size, int(lengths.max())), np.datetime64("NaT"), dtype=values.dtype)
    elif values.dtype.kind in "fiu":
        out = np.full((uniques.size, int(lengths.max())), np.nan)
    else:
        out = np.full((uniques.size, int(lengths.max())), None, dtype=object)
    out[series[order], position] = values[order]
    return out


def ids_column(ids: Sequence[Hashable]) -> npt.NDArray[Any]:
    out = np.empty(len(ids), dtype=object)
    out[:] = list(ids)
    return out
