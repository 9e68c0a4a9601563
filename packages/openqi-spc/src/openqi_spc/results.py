"""Result types of qic(): plain, column-oriented data with record views for templates and JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from openqi_spc.frames import QicFrames

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def plain(value: Any) -> Any:
    """A JSON-ready Python value: NumPy scalars unwrapped, NaN and NaT as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def columns_to_records(columns: dict[str, Any]) -> list[dict[str, Any]]:
    names = list(columns)
    lists = [np.asarray(columns[name]).tolist() for name in names]
    records = []
    for row in zip(*lists, strict=True):
        records.append({name: plain(v) for name, v in zip(names, row, strict=True)})
    return records


@dataclass(frozen=True, slots=True)
class QicPoints:
    """One entry per plotted point (after aggregation by x), in x order.

    ``part`` is 1-based like qicharts2; ``x`` holds the caller's x values (or 1..n when none were given).
    Limits are NaN where undefined (run charts, empty subgroups, subgroups of one for Xbar/S).
    """

    x: npt.NDArray[Any]
    y: FloatArray
    n: FloatArray
    y_length: IntArray
    cl: FloatArray
    lcl: FloatArray
    ucl: FloatArray
    lcl_95: FloatArray
    ucl_95: FloatArray
    part: IntArray
    baseline: BoolArray
    include: BoolArray
    sigma_signal: BoolArray
    runs_signal: BoolArray

    def __len__(self) -> int:
        return int(self.y.size)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per point, with Python scalars and None for missing values."""
        return columns_to_records({f.name: getattr(self, f.name) for f in fields(self)})


@dataclass(frozen=True, slots=True)
class PartSummary:
    """qicharts2's summary() row for one part (names as in R, with dots as underscores).

    Runs statistics are None when the part has no useful point. ``aLCL``/``aUCL`` are the means of the
    per-point limits over the part, ``CL`` the mean centre line, as qicharts2 reports them.
    """

    part: int
    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_signal: bool
    sigma_signals: int
    aLCL: float | None  # noqa: N815 - qicharts2's name, kept so R users find it
    aLCL_95: float | None  # noqa: N815
    CL: float | None  # noqa: N815
    aUCL_95: float | None  # noqa: N815
    aUCL: float | None  # noqa: N815

    def to_record(self) -> dict[str, Any]:
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}


class QicSummary(tuple[PartSummary, ...]):
    """The per-part summaries, in part order."""

    __slots__ = ()

    def to_records(self) -> list[dict[str, Any]]:
        return [part.to_record() for part in self]


@dataclass(frozen=True, slots=True)
class QicResult:
    """A computed run or control chart."""

    chart: str
    points: QicPoints
    summary: QicSummary
    multiply: float
    reference: str

    @property
    def runs_signal(self) -> bool:
        """True when any part shows non-random variation by the runs rules."""
        return any(part.runs_signal for part in self.summary)

    @property
    def sigma_signal(self) -> bool:
        """True when any point lies outside its 3-sigma limits."""
        return bool(self.points.sigma_signal.any())

    def to_records(self) -> dict[str, Any]:
        """Everything as plain data: ``{"chart", "points": [...], "summary": [...]}``."""
        return {
            "chart": self.chart,
            "points": self.points.to_records(),
            "summary": self.summary.to_records(),
        }

    def to_pandas(self) -> QicFrames:
        """Points and summary as pandas DataFrames with qicharts2's column names (needs pandas)."""
        from openqi_spc.frames import QicFrames

        return QicFrames(self.chart, (), {(): self}, "pandas")

    def to_polars(self) -> QicFrames:
        """Points and summary as polars DataFrames (needs polars)."""
        from openqi_spc.frames import QicFrames

        return QicFrames(self.chart, (), {(): self}, "polars")

    def plot(self, style: str = "mdc", **options: Any) -> Any:
        """A matplotlib Figure (needs matplotlib): the Making Data Count house style (MDC rules and icons on
        this chart's limits), or ``style="qicharts2"`` for qicharts2's look (3-sigma and runs signals)."""
        from openqi_spc.plotting import plot

        return plot(self, style=style, **options)

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
