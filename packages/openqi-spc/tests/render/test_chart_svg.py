"""The SVG: structure, accessibility, signals, escaping and determinism, on engine-built charts."""

from __future__ import annotations

import math
import re

import pytest
from openqi_spc.render import Annotation, ChartSpec, PointStatus, render_svg, spec_from_mdc, spec_from_qic
from openqi_spc.render.svg import YScale, nice_ticks

from render.helpers import SVG, by_class, parse, quiet_mdc, quiet_qic, shifted, stable, weeks


def _mdc_spec(**kwargs: object) -> ChartSpec:
    y = shifted()
    result = quiet_mdc(y, x=weeks(len(y)), improvement="increase", target=60)
    return spec_from_mdc(result, title="Completion rate", percent=True, period="weeks", **kwargs)  # type: ignore[arg-type]


def test_standalone_accessible_document() -> None:
    svg = render_svg(_mdc_spec(), chart_id="cbt")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "cbt-title cbt-desc"
    assert root.get("viewBox") == "0 0 720 360"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "cbt-title" and title.text == "Completion rate"
    assert desc is not None and desc.get("id") == "cbt-desc"
    assert desc.text and "36 weeks" in desc.text and "special cause improvement" in desc.text
    # Nothing that a Content Security Policy without 'unsafe-inline' would block, and no script.
    assert "<style" not in svg and "style=" not in svg and "<script" not in svg


def test_one_marker_per_observed_value_and_missing_values_break_the_line() -> None:
    y: list[float | None] = [float(v) for v in stable(20)]
    y[5] = None
    y[6] = math.nan
    spec = ChartSpec(title="t", x=weeks(20), y=y)
    root = parse(render_svg(spec))
    assert len(by_class(root, "point")) == 18
    (line,) = by_class(root, "data-line")
    assert line.get("d", "").count("M") == 2


def test_special_cause_points_have_class_colour_and_shape() -> None:
    spec = _mdc_spec()
    root = parse(render_svg(spec))
    improvement = by_class(root, "point improvement")
    concern = by_class(root, "point concern")
    common = by_class(root, "point common")
    expected = sum(1 for s in spec.status if s is PointStatus.IMPROVEMENT)
    assert expected >= 7 and len(improvement) == expected
    assert all(el.tag == f"{SVG}rect" and el.get("fill") == "#41B6E6" for el in improvement)
    assert all(el.tag == f"{SVG}circle" for el in common)
    assert len(improvement) + len(concern) + len(common) == len(spec.y)
    title = improvement[-1].find(f"{SVG}title")
    assert title is not None and "Special cause improvement" in (title.text or "")


def test_shapes_differ_for_every_status() -> None:
    statuses = [PointStatus.COMMON, PointStatus.IMPROVEMENT, PointStatus.CONCERN, PointStatus.NEUTRAL]
    spec = ChartSpec(title="t", x=[1, 2, 3, 4], y=[1.0, 2.0, 3.0, 4.0], status=statuses)
    root = parse(render_svg(spec))
    shapes = []
    for status in statuses:
        (el,) = by_class(root, f"point {status.value}")
        shapes.append((el.tag, el.get("d", "").count("L")))
    assert len(set(shapes)) == 4


def test_excluded_points_are_hollow() -> None:
    y = stable(30)
    spec = spec_from_qic(quiet_qic(y, chart="i", exclude=[4, 9]), title="t")
    root = parse(render_svg(spec))
    excluded = by_class(root, "point excluded")
    assert [el.get("data-index") for el in excluded] == ["4", "9"]
    assert all(el.get("fill") == "#FFFFFF" for el in excluded)
    assert all(el.get("fill") != "#FFFFFF" for el in by_class(root, "point") if el not in excluded)


def test_target_line_at_the_target_value() -> None:
    spec = _mdc_spec()
    svg = render_svg(spec)
    root = parse(svg)
    (line,) = by_class(root, "target")
    y_px = float(line.get("y1", "nan"))
    ticks = {
        float(t.text.rstrip("%")): float(t.get("y", "nan"))
        for t in root.iter(f"{SVG}text")
        if t.text and re.fullmatch(r"\d+%", t.text) and t.get("dy")
    }
    (lo, lo_y), (hi, hi_y) = min(ticks.items()), max(ticks.items())
    expected = lo_y + (60 - lo) * (hi_y - lo_y) / (hi - lo)
    assert y_px == pytest.approx(expected, abs=0.11)
    (label,) = by_class(root, "target-label")
    assert label.text == "Target 60.0%"


def test_runs_signal_draws_the_centre_line_dashed_red_in_that_part_only() -> None:
    y = stable(20, seed=1) + [v + 8 for v in stable(20, seed=2)]
    spec = spec_from_qic(quiet_qic(y, chart="run", part=[20]), title="t")
    spec_signal = ChartSpec(
        title="t", x=spec.x, y=spec.y, centre=spec.centre, rebase=[20], runs_signal=[False, True]
    )
    root = parse(render_svg(spec_signal))
    centres = by_class(root, "centre")
    assert len(centres) == 2
    assert "runs-signal" not in centres[0].get("class", "")
    assert "runs-signal" in centres[1].get("class", "") and centres[1].get("stroke") == "#DA291C"
    assert centres[1].get("stroke-dasharray")


def test_real_runs_signal_from_a_shift() -> None:
    result = quiet_qic(shifted(jump=12), chart="run")
    assert result.runs_signal
    root = parse(render_svg(spec_from_qic(result, title="t")))
    assert by_class(root, "centre runs-signal")


def test_baseline_and_rebase_markers() -> None:
    y = stable(40)
    frozen = spec_from_qic(quiet_qic(y, chart="i", freeze=20), title="t")
    assert frozen.baseline_end == 19
    root = parse(render_svg(frozen))
    assert len(by_class(root, "baseline")) == 1
    (label,) = by_class(root, "baseline-label")
    assert label.text == "Baseline"

    rebased = spec_from_mdc(quiet_mdc(y, rebase=[20]), title="t")
    assert rebased.rebase == (20,)
    root = parse(render_svg(rebased))
    assert len(by_class(root, "rebase")) == 1
    # One limit path per period, so the step at the rebase is not a sloped join.
    assert len(by_class(root, "limit upper")) == 2
    assert len(by_class(root, "centre")) == 2


def test_annotations_are_numbered_circles() -> None:
    spec = _mdc_spec(annotations=[(24, 1, "New booking letter"), Annotation(30, 2, "Text reminders")])
    root = parse(render_svg(spec))
    groups = by_class(root, "annotation")
    assert [g.get("data-number") for g in groups] == ["1", "2"]
    for g in groups:
        number = g.find(f"{SVG}text")
        assert number is not None and number.text == g.get("data-number")
        assert g.find(f"{SVG}circle") is not None
    tip = groups[0].find(f"{SVG}title")
    assert tip is not None and tip.text == "1. New booking letter"


def test_user_text_is_escaped() -> None:
    evil = '<script>alert("x")</script> & "quotes"\x00\x1b'
    spec = ChartSpec(
        title=evil, x=["<b>", "2"], y=[1.0, 2.0], y_label=evil, annotations=[(0, 1, evil)], description=evil
    )
    svg = render_svg(spec)
    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)  # would raise on an unescaped or control character
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == '<script>alert("x")</script> & "quotes"'


def test_no_nan_or_inf_in_output() -> None:
    y = [None, 1.0, math.nan, 3.0, math.inf, 2.0]
    spec = ChartSpec(
        title="t",
        x=list(range(6)),
        y=y,
        centre=[math.nan] * 6,
        lower=[None] * 6,
        upper=[math.inf] * 6,
        target=math.nan,
    )
    svg = render_svg(spec)
    assert not re.search(r"nan|inf", svg, re.IGNORECASE)
    for s in (spec_from_qic(quiet_qic(stable(30), chart="p", n=[100] * 30), title="p"),):
        assert "nan" not in render_svg(s).lower()


def test_empty_and_single_point_charts_render() -> None:
    for y in ([], [None, None], [5.0]):
        svg = render_svg(ChartSpec(title="t", x=list(range(len(y))), y=y))
        root = parse(svg)
        assert root.find(f"{SVG}title") is not None
    assert "No data yet" in render_svg(ChartSpec(title="t", x=[], y=[]))


def test_deterministic() -> None:
    a = render_svg(_mdc_spec(annotations=[(3, 1, "x")]))
    b = render_svg(_mdc_spec(annotations=[(3, 1, "x")]))
    assert a == b
    assert parse(a).get("aria-labelledby") == parse(b).get("aria-labelledby")


def test_date_labels_are_thinned_and_do_not_overlap() -> None:
    spec = ChartSpec(title="t", x=weeks(104), y=stable(104))
    root = parse(render_svg(spec, width=720))
    (axis,) = by_class(root, "x-axis")
    labels = [(float(t.get("x", "0")), t.text or "") for t in axis.iter(f"{SVG}text")]
    assert 4 <= len(labels) < 20
    assert labels[0][1] == "1 Jan 2024"
    for (x1, t1), (x2, t2) in zip(labels, labels[1:], strict=False):
        assert x2 - x1 > (len(t1) + len(t2)) / 2 * 11 * 0.56


def test_compact_mode_is_sparse() -> None:
    spec = _mdc_spec()
    root = parse(render_svg(spec, width=240, height=120, compact=True))
    assert root.get("class") == "openqi-chart compact"
    assert not by_class(root, "axis-title") and not by_class(root, "legend")
    (axis,) = by_class(root, "x-axis")
    assert len(list(axis.iter(f"{SVG}text"))) == 2
    assert not by_class(root, "point common")
    assert by_class(root, "point improvement")


def test_percent_axis_and_y_label() -> None:
    root = parse(render_svg(_mdc_spec(y_label="Completion rate")))
    (axis_title,) = by_class(root, "axis-title")
    assert axis_title.text == "Completion rate"
    (y_axis,) = by_class(root, "y-axis")
    assert all((t.text or "").endswith("%") for t in y_axis.iter(f"{SVG}text"))


def test_chart_id_is_validated() -> None:
    with pytest.raises(ValueError, match="chart_id"):
        render_svg(_mdc_spec(), chart_id='x" onload="alert(1)')


@pytest.mark.parametrize(
    ("lo", "hi", "count", "ticks"),
    [
        (0.0, 100.0, 6, [0, 20, 40, 60, 80, 100]),
        (279.8, 333.0, 6, [270, 280, 290, 300, 310, 320, 330, 340]),
        (0.0, 1.0, 6, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (5.0, 5.0, 6, None),
    ],
)
def test_nice_ticks(lo: float, hi: float, count: int, ticks: list[float] | None) -> None:
    got, _decimals = nice_ticks(lo, hi, count)
    assert got[0] <= lo and got[-1] >= hi
    if ticks is not None:
        assert got == pytest.approx(ticks)


def test_y_scale_maps_domain_to_pixels() -> None:
    ys = YScale(0, 100, top=10, bottom=110)
    assert ys(0) == 110 and ys(100) == 10 and ys(50) == 60


def test_neighbouring_annotations_do_not_overlap() -> None:
    spec = ChartSpec(
        title="t", x=weeks(100), y=stable(100), annotations=[(50, 1, "a"), (51, 2, "b"), (51, 3, "c")]
    )
    root = parse(render_svg(spec))
    circles = [
        (float(c.get("cx", "0")), float(c.get("cy", "0")))
        for g in by_class(root, "annotation")
        for c in g.iter(f"{SVG}circle")
    ]
    for i, (x1, y1) in enumerate(circles):
        for x2, y2 in circles[i + 1 :]:
            assert math.hypot(x2 - x1, y2 - y1) >= 16


def test_tick_count_stays_near_the_request() -> None:
    ticks, _ = nice_ticks(29.0, 71.0, 6)
    assert 4 <= len(ticks) <= 8
    ticks, decimals = nice_ticks(1200.0, 4800.0, 6)
    assert decimals == 0
    root = parse(render_svg(ChartSpec(title="t", x=[1, 2], y=[1200.0, 4800.0])))
    (y_axis,) = by_class(root, "y-axis")
    assert "5,000" in [t.text for t in y_axis.iter(f"{SVG}text")]
