"""Charts drawn with matplotlib: ``result.plot()`` in the Making Data Count house style or qicharts2's.

matplotlib is optional (``pip install 'openqi-spc[plot]'``) and imported on first use. Figures are built
with ``matplotlib.figure.Figure`` (no pyplot state, so scripts, servers and notebooks alike are safe);
pass ``ax=`` to draw into an axes of your own.

Making Data Count style (NHS England's "Making Data Count" guidance, as NHSRplotthedots draws it): grey
data line and points, a solid mean, dashed process limits, special-cause points coloured blue
(improvement), orange (concern) or purple (neither), the target dash-dotted, and the variation and
assurance icons in the top right corner. qicharts2 style (Anhøj, qicharts2 ``plot.qic``): grey line and
points, a green centre line that turns red and dashed when the runs rules signal, grey limits and red
points outside them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from openqi_spc.errors import OptionError
from openqi_spc.icons import AssuranceIcon, PointType, VariationIcon

if TYPE_CHECKING:
    from openqi_spc.mdc import MDCResult
    from openqi_spc.results import QicResult

STYLES = ("mdc", "qicharts2")
# The web app's palette (openqi charts' svg.py), so a notebook chart and the web chart read the same.
GREY = "#768692"
DARK = "#425563"
IMPROVEMENT = "#41B6E6"
CONCERN = "#FFB81C"
NEUTRAL = "#7030A0"
TARGET = "#AE2573"
QIC_CENTRE = "#007F3B"
QIC_SIGNAL = "#DA291C"
POINT_COLOURS = {
    PointType.COMMON_CAUSE: GREY,
    PointType.SPECIAL_CAUSE_IMPROVEMENT: IMPROVEMENT,
    PointType.SPECIAL_CAUSE_CONCERN: CONCERN,
    PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: NEUTRAL,
    PointType.SPECIAL_CAUSE_NEUTRAL_LOW: NEUTRAL,
}
VARIATION_BADGES = {
    VariationIcon.COMMON_CAUSE: ("~", GREY),
    VariationIcon.SPECIAL_CAUSE_IMPROVEMENT_HIGH: ("H", IMPROVEMENT),
    VariationIcon.SPECIAL_CAUSE_IMPROVEMENT_LOW: ("L", IMPROVEMENT),
    VariationIcon.SPECIAL_CAUSE_CONCERN_HIGH: ("H", CONCERN),
    VariationIcon.SPECIAL_CAUSE_CONCERN_LOW: ("L", CONCERN),
    VariationIcon.SPECIAL_CAUSE_NEUTRAL_HIGH: ("H", NEUTRAL),
    VariationIcon.SPECIAL_CAUSE_NEUTRAL_LOW: ("L", NEUTRAL),
}
ASSURANCE_BADGES = {
    AssuranceIcon.CONSISTENTLY_PASS: ("P", IMPROVEMENT),
    AssuranceIcon.CONSISTENTLY_FAIL: ("F", CONCERN),
    AssuranceIcon.INCONSISTENT: ("?", GREY),
}


def _figure(ax: Any, size: tuple[float, float]) -> tuple[Any, Any]:
    if ax is not None:
        return ax.figure, ax
    from openqi_spc.frames import require

    figure_module = require("matplotlib.figure")
    fig = figure_module.Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _x_values(x: Any) -> Any:
    values = np.asarray(x)
    if values.dtype.kind in "USO" and not all(isinstance(v, str) for v in values.tolist()):
        return values.tolist()
    return values


def _step(ax: Any, x: Any, values: Any, **style: Any) -> None:
    """A horizontal line per point (limits change with n, parts and rebases), broken where missing."""
    ax.plot(x, values, drawstyle="steps-mid", **style)


def _check_style(style: str) -> None:
    if style not in STYLES:
        raise OptionError(f"style must be one of {', '.join(STYLES)}; got {style!r}")


def _annotate(
    ax: Any, x: Any, y: Any, annotations: Mapping[int, str] | Sequence[tuple[int, str]] | None
) -> None:
    if not annotations:
        return
    items = annotations.items() if isinstance(annotations, Mapping) else annotations
    xs = list(x)
    for point, text in items:
        if not 0 <= point < len(xs):
            raise OptionError(f"annotation point {point} is outside 0..{len(xs) - 1}")
        ax.annotate(
            text,
            xy=(xs[point], y[point]),
            xytext=(0, 18),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            arrowprops={"arrowstyle": "-", "color": DARK, "lw": 0.8},
        )


def _badge(ax: Any, slot: int, letter: str, colour: str, gid: str) -> None:
    ax.annotate(
        letter,
        xy=(0.985 - 0.07 * slot, 0.96),
        xycoords="axes fraction",
        ha="right",
        va="top",
        fontsize=10,
        fontweight="bold",
        color="white",
        gid=gid,
        bbox={"boxstyle": "circle,pad=0.3", "fc": colour, "ec": DARK, "lw": 0.8},
    )


def draw_mdc(
    result: MDCResult,
    ax: Any,
    *,
    icons: bool = True,
    annotations: Mapping[int, str] | Sequence[tuple[int, str]] | None = None,
) -> None:
    """Draw a Making Data Count chart into ``ax``."""
    points = result.points
    x = _x_values(points.x)
    ax.plot(x, points.y, color=GREY, lw=1.5, zorder=2, gid="data")
    colours = [POINT_COLOURS[t] for t in points.point_type]
    ax.scatter(x, points.y, c=colours, s=22, zorder=3, edgecolors=DARK, linewidths=0.5, gid="points")
    _step(ax, x, points.mean, color=DARK, lw=1.2, gid="mean", label="Mean")
    _step(ax, x, points.upl, color=GREY, lw=1.0, ls="--", gid="upl", label="Process limits")
    _step(ax, x, points.lpl, color=GREY, lw=1.0, ls="--", gid="lpl")
    if result.target is not None:
        ax.axhline(result.target, color=TARGET, lw=1.2, ls="-.", gid="target", label="Target")
    if icons:
        label, colour = VARIATION_BADGES[result.variation_icon]
        _badge(ax, 1 if result.assurance_icon is not None else 0, label, colour, "variation-icon")
        if result.assurance_icon is not None:
            label, colour = ASSURANCE_BADGES[result.assurance_icon]
            _badge(ax, 0, label, colour, "assurance-icon")
    _annotate(ax, x, points.y, annotations)


def draw_qic(
    result: QicResult,
    ax: Any,
    *,
    style: str = "mdc",
    improvement: str = "increase",
    target: float | None = None,
    icons: bool = True,
    annotations: Mapping[int, str] | Sequence[tuple[int, str]] | None = None,
) -> None:
    """Draw a ``qic()`` chart into ``ax``: qicharts2's look, or the MDC house style (MDC rules)."""
    _check_style(style)
    if style == "mdc" and result.chart not in ("run", "mr"):
        from openqi_spc.mdc_qic import mdc_from_qic

        draw_mdc(mdc_from_qic(result, improvement, target), ax, icons=icons, annotations=annotations)
        return
    points = result.points
    x = _x_values(points.x)
    ax.plot(x, points.y, color=GREY, lw=1.5, marker="o", ms=4, zorder=2, gid="data")
    signal = points.sigma_signal
    if signal.any():
        xs = np.asarray(x, dtype=object)[signal] if isinstance(x, list) else np.asarray(x)[signal]
        ax.scatter(xs, points.y[signal], color=QIC_SIGNAL, s=30, zorder=3, gid="signals")
    for part in np.unique(points.part):
        idx = np.flatnonzero(points.part == part)
        runs = bool(points.runs_signal[idx[0]])
        px = [x[i] for i in idx] if isinstance(x, list) else np.asarray(x)[idx]
        _step(
            ax,
            px,
            points.cl[idx],
            color=QIC_SIGNAL if runs else QIC_CENTRE,
            ls="--" if runs else "-",
            lw=1.2,
            gid=f"centre-{part}",
        )
        _step(ax, px, points.ucl[idx], color=GREY, lw=1.0, gid=f"ucl-{part}")
        _step(ax, px, points.lcl[idx], color=GREY, lw=1.0, gid=f"lcl-{part}")
    if target is not None:
        ax.axhline(target, color=QIC_CENTRE, lw=1.0, ls=":", gid="target")
    _annotate(ax, x, points.y, annotations)


def plot(
    result: QicResult | MDCResult,
    *,
    style: str | None = None,
    ax: Any = None,
    title: str | None = None,
    y_label: str = "",
    x_label: str = "",
    improvement: str = "increase",
    target: float | None = None,
    icons: bool = True,
    annotations: Mapping[int, str] | Sequence[tuple[int, str]] | None = None,
    size: tuple[float, float] = (8.0, 4.0),
) -> Any:
    """A matplotlib Figure of ``result``.

    ``style``: "mdc" (the house style, default) or "qicharts2". ``annotations``: ``{0-based point: text}``.
    ``improvement`` and ``target`` are for a qic() result drawn in the MDC style (an mdc() result has its
    own).
    """
    from openqi_spc.mdc import MDCResult

    fig, axes = _figure(ax, size)
    if isinstance(result, MDCResult):
        chosen = style or "mdc"
        _check_style(chosen)
        if chosen != "mdc":
            raise OptionError(
                "an mdc() result is drawn in the Making Data Count style; use qic() for qicharts2's"
            )
        draw_mdc(result, axes, icons=icons, annotations=annotations)
        name = "XmR" if result.chart == "xmr" else result.chart.upper()
    else:
        draw_qic(
            result,
            axes,
            style=style or "mdc",
            improvement=improvement,
            target=target,
            icons=icons,
            annotations=annotations,
        )
        name = result.chart.upper() if result.chart != "run" else "Run"
    axes.set_title(title if title is not None else f"{name} chart", fontsize=11, loc="left")
    axes.set_ylabel(y_label)
    axes.set_xlabel(x_label)
    axes.grid(axis="y", color="#E8EDEE", lw=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return fig


def plot_facets(
    results: Mapping[tuple[Hashable, ...], QicResult | MDCResult],
    facets: tuple[str, ...],
    *,
    style: str | None = None,
    ncol: int | None = None,
    scales: str = "fixed",
    title: str | None = None,
    size_per_panel: tuple[float, float] = (4.0, 2.6),
    **options: Any,
) -> Any:
    """One panel per facet (as qicharts2's and NHSRplotthedots' facets); ``scales="free_y"`` lets each
    panel choose its own y range (qicharts2's default is "fixed")."""
    if scales not in ("fixed", "free_y"):
        raise OptionError(f"scales must be 'fixed' or 'free_y'; got {scales!r}")
    if len(results) == 1 and not facets:
        only = next(iter(results.values()))
        return plot(only, style=style, title=title, **options)
    from openqi_spc.frames import require

    figure_module = require("matplotlib.figure")
    count = len(results)
    cols = ncol or math.ceil(math.sqrt(count))
    rows = math.ceil(count / cols)
    fig = figure_module.Figure(
        figsize=(size_per_panel[0] * cols, size_per_panel[1] * rows), layout="constrained"
    )
    axes = fig.subplots(rows, cols, squeeze=False, sharey=scales == "fixed")
    for ax, (key, result) in zip(axes.flat, results.items(), strict=False):
        plot(result, style=style, ax=ax, title=" | ".join(str(k) for k in key), **options)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    for ax in list(axes.flat)[count:]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    return fig


def _axes(ax: Any, size: tuple[float, float]) -> tuple[Any, Any]:
    fig, axes = _figure(ax, size)
    axes.grid(axis="y", color="#E8EDEE", lw=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return fig, axes


def plot_stack(
    charts: Mapping[str, QicResult], *, style: str = "qicharts2", size: tuple[float, float] = (8.0, 6.0)
) -> Any:
    """Charts one above the other sharing the x axis (an Xbar chart over its R chart)."""
    from openqi_spc.frames import require

    figure_module = require("matplotlib.figure")
    fig = figure_module.Figure(figsize=size, layout="constrained")
    axes = fig.subplots(len(charts), 1, sharex=True, squeeze=False)
    for ax, (title, result) in zip(axes.flat, charts.items(), strict=True):
        plot(result, style=style, ax=ax, title=title)
    return fig


def plot_cusum(
    result: Any, *, ax: Any = None, title: str = "Tabular CUSUM", size: tuple[float, float] = (8.0, 4.0)
) -> Any:
    """C+ above and -C- below zero, with the decision interval +/-H (Montgomery's CUSUM status chart)."""
    if result.y.ndim != 1:
        raise OptionError("plot one series at a time (index the result's arrays for many)")
    fig, axes = _axes(ax, size)
    x = np.arange(1, result.y.size + 1)
    axes.plot(x, result.c_plus, color=DARK, marker="o", ms=3, lw=1.2, gid="c-plus")
    axes.plot(x, -result.c_minus, color=GREY, marker="o", ms=3, lw=1.2, gid="c-minus")
    h = float(result.h[0])
    axes.axhline(h, color=QIC_SIGNAL, ls="--", lw=1.0, gid="h-upper")
    axes.axhline(-h, color=QIC_SIGNAL, ls="--", lw=1.0, gid="h-lower")
    axes.axhline(0, color=DARK, lw=0.8)
    hits = result.signal
    if hits.any():
        axes.scatter(
            x[result.signal_upper],
            result.c_plus[result.signal_upper],
            color=QIC_SIGNAL,
            zorder=3,
            gid="signals",
        )
        axes.scatter(x[result.signal_lower], -result.c_minus[result.signal_lower], color=QIC_SIGNAL, zorder=3)
    axes.set_title(title, fontsize=11, loc="left")
    return fig


def plot_ewma(
    result: Any, *, ax: Any = None, title: str = "EWMA chart", size: tuple[float, float] = (8.0, 4.0)
) -> Any:
    """The EWMA statistic with its (narrowing) limits and the values faintly behind it."""
    if result.y.ndim != 1:
        raise OptionError("plot one series at a time (index the result's arrays for many)")
    fig, axes = _axes(ax, size)
    x = np.arange(1, result.y.size + 1)
    axes.plot(x, result.y, color="#AEB7BD", marker=".", lw=0.8, gid="values")
    axes.plot(x, result.z, color=DARK, marker="o", ms=3, lw=1.2, gid="ewma")
    axes.plot(x, result.cl, color=QIC_CENTRE, lw=1.0, gid="centre")
    axes.plot(x, result.ucl, color=GREY, lw=1.0, drawstyle="steps-mid", gid="ucl")
    axes.plot(x, result.lcl, color=GREY, lw=1.0, drawstyle="steps-mid", gid="lcl")
    if result.signal.any():
        axes.scatter(x[result.signal], result.z[result.signal], color=QIC_SIGNAL, zorder=3, gid="signals")
    axes.set_title(title, fontsize=11, loc="left")
    return fig


def plot_funnel(
    result: Any,
    *,
    ax: Any = None,
    title: str = "Funnel plot",
    label_outliers: bool = True,
    size: tuple[float, float] = (7.0, 5.0),
) -> Any:
    """Units as points against their denominator, the target, and the 95% and 99.8% funnels."""
    fig, axes = _axes(ax, size)
    d = result.denominator
    grid = np.linspace(max(d.min() * 0.8, 1.0), d.max() * 1.05, 200)
    curves = result.limits_at(grid)
    axes.plot(grid, curves["upper_95"], color=GREY, ls="--", lw=1.0, gid="upper-95")
    axes.plot(grid, curves["lower_95"], color=GREY, ls="--", lw=1.0, gid="lower-95")
    axes.plot(grid, curves["upper_998"], color=DARK, lw=1.0, gid="upper-998")
    axes.plot(grid, curves["lower_998"], color=DARK, lw=1.0, gid="lower-998")
    axes.axhline(result.target, color=QIC_CENTRE, lw=1.0, gid="target")
    colours = [QIC_SIGNAL if out else GREY for out in result.outside_998]
    axes.scatter(d, result.value, c=colours, s=24, zorder=3, edgecolors=DARK, linewidths=0.5, gid="units")
    if label_outliers:
        for i in np.flatnonzero(result.outside_998):
            axes.annotate(
                str(result.labels[i]),
                (d[i], result.value[i]),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=8,
            )
    axes.set_xlabel("Expected" if result.kind == "ratio" else "Denominator")
    axes.set_ylabel("Observed / expected" if result.kind == "ratio" else "Proportion")
    axes.set_title(title, fontsize=11, loc="left")
    return fig


def to_plotly(
    result: QicResult | MDCResult,
    *,
    style: str | None = None,
    title: str | None = None,
    improvement: str = "increase",
    target: float | None = None,
) -> Any:
    """An interactive plotly Figure (needs ``pip install 'openqi-spc[plotly]'``): the same reading as
    :func:`plot` — Making Data Count colours and icons by default, qicharts2's look on request — with the
    point's status in its hover text."""
    from openqi_spc.frames import require
    from openqi_spc.mdc import MDCResult
    from openqi_spc.mdc_qic import mdc_from_qic

    go = require("plotly.graph_objects")
    chosen = style or "mdc"
    _check_style(chosen)
    fig = go.Figure()
    lines: list[tuple[str, Any, str, str]]
    if isinstance(result, MDCResult) or (chosen == "mdc" and result.chart not in ("run", "mr")):
        mdc_result = result if isinstance(result, MDCResult) else mdc_from_qic(result, improvement, target)
        points = mdc_result.points
        x = _x_values(points.x)
        colours = [POINT_COLOURS[t] for t in points.point_type]
        fig.add_scatter(x=x, y=points.y, mode="lines", line={"color": GREY}, name="Data", hoverinfo="skip")
        fig.add_scatter(
            x=x,
            y=points.y,
            mode="markers",
            marker={"color": colours, "line": {"color": DARK, "width": 0.5}, "size": 8},
            name="Points",
            text=[t.value.replace("_", " ") for t in points.point_type],
        )
        lines = [
            ("Mean", points.mean, DARK, "solid"),
            ("Upper process limit", points.upl, GREY, "dash"),
            ("Lower process limit", points.lpl, GREY, "dash"),
        ]
        if mdc_result.target is not None:
            lines.append(("Target", np.full(len(points), mdc_result.target), TARGET, "dashdot"))
        badges = [VARIATION_BADGES[mdc_result.variation_icon]]
        if mdc_result.assurance_icon is not None:
            badges.append(ASSURANCE_BADGES[mdc_result.assurance_icon])
        for slot, (letter, colour) in enumerate(reversed(badges)):
            fig.add_annotation(
                x=1 - 0.06 * slot,
                y=1.08,
                xref="paper",
                yref="paper",
                text=f"<b>{letter}</b>",
                showarrow=False,
                bgcolor=colour,
                font={"color": "white"},
                bordercolor=DARK,
            )
    else:
        qp = result.points
        x = _x_values(qp.x)
        fig.add_scatter(x=x, y=qp.y, mode="lines+markers", line={"color": GREY}, name="Data")
        signal = qp.sigma_signal
        fig.add_scatter(
            x=np.asarray(x, dtype=object)[signal],
            y=qp.y[signal],
            mode="markers",
            marker={"color": QIC_SIGNAL, "size": 9},
            name="Outside limits",
        )
        centre = QIC_SIGNAL if result.runs_signal else QIC_CENTRE
        lines = [
            ("Centre", qp.cl, centre, "dash" if result.runs_signal else "solid"),
            ("Upper limit", qp.ucl, GREY, "solid"),
            ("Lower limit", qp.lcl, GREY, "solid"),
        ]
    for name, values, colour, dash in lines:
        fig.add_scatter(
            x=x, y=values, mode="lines", name=name, line={"color": colour, "dash": dash, "shape": "hvh"}
        )
    fig.update_layout(
        title=title or f"{result.chart.upper()} chart", template="simple_white", showlegend=True
    )
    return fig
