"""Plots check what is drawn (points, lines, colours, icons), not only that a figure comes back."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgba
from openqi_spc import OptionError, cusum, ewma, funnel, mdc, qic, xbar_r
from openqi_spc.export import renderer
from openqi_spc.plotting import CONCERN, DARK, GREY, IMPROVEMENT, QIC_CENTRE, QIC_SIGNAL, TARGET

# 20 points around 10, then 3 high points: the last is far above the upper process limit.
STEADY = [
    10.0,
    11.0,
    9.0,
    10.5,
    9.5,
    10.0,
    11.0,
    9.0,
    10.0,
    10.5,
    9.5,
    10.0,
    11.0,
    9.0,
    10.0,
    10.5,
    9.5,
    10.0,
]
RISING = [*STEADY, 10.2, 10.4, 25.0]


def by_gid(ax, gid):  # type: ignore[no-untyped-def]
    found = [a for a in [*ax.lines, *ax.collections, *ax.texts] if a.get_gid() == gid]
    assert found, f"nothing drawn with gid {gid!r}"
    return found[0]


def test_mdc_plot_colours_each_point_by_its_type_and_draws_the_lines() -> None:
    result = mdc(RISING, improvement="increase", target=12)
    fig = result.plot()
    ax = fig.axes[0]
    points = by_gid(ax, "points")
    colours = [to_hex(c) for c in points.get_facecolors()]
    assert len(colours) == len(RISING)
    assert colours[-1] == IMPROVEMENT.lower()  # above the upper limit, improvement = increase
    assert colours[0] == GREY.lower()
    assert np.allclose(by_gid(ax, "mean").get_ydata(), result.points.mean)
    upper = by_gid(ax, "upl")
    assert upper.get_linestyle() == "--"
    assert np.allclose(upper.get_ydata(), result.points.upl)
    assert to_hex(by_gid(ax, "target").get_color()) == TARGET.lower()
    assert np.allclose(by_gid(ax, "data").get_ydata(), RISING)


def test_concern_is_orange_when_lower_is_better() -> None:
    fig = mdc(RISING, improvement="decrease").plot()
    colours = [to_hex(c) for c in by_gid(fig.axes[0], "points").get_facecolors()]
    assert colours[-1] == CONCERN.lower()


def test_mdc_plot_shows_the_variation_and_assurance_icons() -> None:
    result = mdc(RISING, improvement="increase", target=40)
    ax = result.plot().axes[0]
    variation = by_gid(ax, "variation-icon")
    assurance = by_gid(ax, "assurance-icon")
    assert variation.get_text() == "H"  # improvement, high
    assert to_hex(variation.get_bbox_patch().get_facecolor()) == IMPROVEMENT.lower()
    assert assurance.get_text() in {"F", "?", "P"}
    assert result.assurance_icon is not None
    no_icons = result.plot(icons=False).axes[0]
    assert not [t for t in no_icons.texts if t.get_gid() in ("variation-icon", "assurance-icon")]


def test_annotations_are_drawn_at_their_points() -> None:
    ax = mdc(RISING).plot(annotations={20: "New triage"}).axes[0]
    notes = [t for t in ax.texts if t.get_text() == "New triage"]
    assert len(notes) == 1
    assert notes[0].xy[1] == 25.0


def test_qicharts2_style_marks_signals_red_and_a_runs_signal_on_the_centre_line() -> None:
    shifted = [1.0, 2.0, 1.5, 1.0, 2.0, 1.5, 1.0, 2.0, 1.5, 1.0] + [
        5.0,
        5.5,
        5.2,
        5.1,
        5.4,
        5.3,
        5.5,
        5.6,
        5.2,
        5.3,
    ]
    result = qic([*shifted, 30.0], chart="i")
    assert result.runs_signal and result.sigma_signal
    ax = result.plot(style="qicharts2").axes[0]
    signals = by_gid(ax, "signals")
    assert len(signals.get_offsets()) == int(result.points.sigma_signal.sum())
    assert to_rgba(signals.get_facecolors()[0]) == to_rgba(QIC_SIGNAL)
    centre = by_gid(ax, "centre-1")
    assert to_hex(centre.get_color()) == QIC_SIGNAL.lower()
    assert centre.get_linestyle() == "--"
    calm = qic([1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0], chart="i")
    assert to_hex(by_gid(calm.plot(style="qicharts2").axes[0], "centre-1").get_color()) == QIC_CENTRE.lower()


def test_qic_results_default_to_the_house_style() -> None:
    ax = qic(RISING, chart="i").plot().axes[0]
    assert by_gid(ax, "points") is not None  # MDC's coloured points...
    assert by_gid(ax, "variation-icon").get_text() == "H"  # ...and icons, from mdc_from_qic


def test_facets_draw_one_panel_each() -> None:
    frame = pd.DataFrame({"v": RISING * 3, "unit": ["A"] * 21 + ["B"] * 21 + ["C"] * 21})
    fig = mdc(data=frame, y="v", facets="unit").plot()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in visible] == ["A", "B", "C"]


def test_unknown_style_is_an_option_error() -> None:
    with pytest.raises(OptionError, match="style must be one of"):
        qic(RISING, chart="i").plot(style="ggplot")


def test_a_figure_saves_as_png_and_svg() -> None:
    fig = mdc(RISING).plot()
    for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<?xml")):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt)
        assert buffer.getvalue().startswith(magic)


def test_xbar_r_plot_stacks_two_charts() -> None:
    rng = np.random.default_rng(5)
    fig = xbar_r(rng.normal(10, 1, size=(20, 5))).plot()
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["X-bar chart", "R chart"]


def test_cusum_ewma_and_funnel_plots_draw_their_statistics() -> None:
    y = [9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34]
    cu = cusum(y, 10, 1)
    ax = cu.plot().axes[0]
    assert np.allclose(by_gid(ax, "c-plus").get_ydata(), cu.c_plus)
    assert by_gid(ax, "h-upper").get_ydata()[0] == pytest.approx(5.0)
    ew = ewma(y, 10, 1, lam=0.1, L=2.7)
    ax = ew.plot().axes[0]
    assert np.allclose(by_gid(ax, "ewma").get_ydata(), ew.z)
    fu = funnel([100, 150, 180, 80, 120, 225], [108, 112, 165, 95, 100, 220])
    ax = fu.plot().axes[0]
    units = by_gid(ax, "units")
    assert len(units.get_offsets()) == 6
    colours = [to_hex(c) for c in units.get_facecolors()]
    assert colours == [QIC_SIGNAL.lower() if out else GREY.lower() for out in fu.outside_998]
    assert to_hex(by_gid(ax, "upper-998").get_color()) == DARK.lower()


def test_to_svg_is_the_web_apps_drawing() -> None:
    result = mdc(RISING, target=12)
    render = renderer()
    spec = render.spec_from_mdc(result, title="Waiting times")
    assert result.to_svg(title="Waiting times") == render.render_svg(spec)
    svg = qic(RISING, chart="i").to_svg(title="I chart of waits", style="qicharts2")
    assert svg.startswith("<svg") and "I chart of waits" in svg
    assert result.to_png().startswith(b"\x89PNG")


def test_plotly_figure_has_the_same_reading() -> None:
    result = mdc(RISING, improvement="increase", target=12)
    fig = result.to_plotly(title="Waits")
    points = next(trace for trace in fig.data if trace.name == "Points")
    assert [c.lower() for c in points.marker.color][-1] == IMPROVEMENT.lower()
    assert list(points.y) == RISING
    names = [trace.name for trace in fig.data]
    assert {"Mean", "Upper process limit", "Lower process limit", "Target"} <= set(names)
    assert [a.text for a in fig.layout.annotations][-1] == "<b>H</b>"  # variation icon, left of assurance
    qic_fig = qic(RISING, chart="i").to_plotly(style="qicharts2")
    outside = next(trace for trace in qic_fig.data if trace.name == "Outside limits")
    assert list(outside.y) == [25.0]
