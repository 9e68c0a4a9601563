"""The two chart styles (Making Data Count, the house style, and qicharts2), their keys, contrast, text
size, tap targets, and the figure for papers and slides read back from its SVG and PNG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from openqi_spc import mdc_from_qic
from openqi_spc.render import (
    Badge,
    ChartSpec,
    PointStatus,
    render_paper,
    render_png,
    render_svg,
    spec_from_mdc,
    spec_from_qic,
    summarise,
)
from openqi_spc.render.png import read_text, with_text
from openqi_spc.render.svg import TARGET_DASH

from render.helpers import SVG, by_class, decode_png, parse, quiet_mdc, quiet_qic, shifted, weeks


def contrast(colour: str, background: str = "#FFFFFF") -> float:
    """WCAG contrast ratio of two #RRGGBB colours."""

    def luminance(hex_colour: str) -> float:
        r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    hi, lo = sorted((luminance(colour), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _legend(root: ET.Element) -> list[str]:
    (legend,) = by_class(root, "legend")
    return [t.text or "" for t in legend.iter(f"{SVG}text")]


def _p_chart_spec(**kwargs: object) -> ChartSpec:
    n = [100] * 30
    y = [30, 32, 28, 31, 29, 30, 33, 27, 30, 31, 29, 30, 31, 28, 30] + [40, 41, 39, 42, 40] * 3
    result = mdc_from_qic(quiet_qic(y, n=n, chart="p"), "increase", target=0.5)
    return spec_from_mdc(
        result, title="Reminders sent", percent=True, scale=100, x_labels=weeks(30), **kwargs
    )  # type: ignore[arg-type]


def test_mdc_is_the_house_style_on_a_p_chart() -> None:
    spec = _p_chart_spec()
    assert spec.style == "mdc" and spec.centre_label == "Mean"
    root = parse(render_svg(spec))
    # Every point of the shift is coloured, not only those beyond the limits.
    improvement = by_class(root, "point improvement")
    assert len(improvement) == 15 and all(el.get("fill") == "#41B6E6" for el in improvement)
    assert _legend(root) == [
        "Special cause improvement",
        "Special cause concern",
        "Mean",
        "Process limits",
        "Target",
    ]
    (centre,) = by_class(root, "centre")
    assert "runs-signal" not in centre.get("class", "") and not centre.get("stroke-dasharray")
    assert all(line.get("stroke-dasharray") == "5 4" for line in by_class(root, "limit"))
    (target,) = by_class(root, "target")
    assert target.get("stroke-dasharray") == TARGET_DASH and target.get("stroke") != centre.get("stroke")
    (label,) = by_class(root, "target-label")
    assert label.text == "Target 50.0%"


def test_qicharts2_style_stays_available() -> None:
    y = shifted(jump=12)
    spec = spec_from_qic(
        quiet_qic(y, chart="i", x=weeks(len(y))), title="t", improvement="increase", target=60
    )
    assert spec.style == "qicharts2"
    root = parse(render_svg(spec))
    assert "Centre line, dashed red: runs signal" in _legend(root)
    assert "Control limits" in _legend(root)
    (signal,) = by_class(root, "centre runs-signal")
    assert signal.get("stroke") == "#DA291C"
    (target,) = by_class(root, "target")
    assert target.get("stroke") == "#007F3B" and target.get("stroke-dasharray") == TARGET_DASH
    # A point outside the limits is red, as in qicharts2, and keeps its shape.
    outside = by_class(root, "point improvement")
    assert outside and all(el.get("fill") == "#F15854" and el.tag == f"{SVG}rect" for el in outside)


@pytest.mark.parametrize("style", ["mdc", "qicharts2"])
def test_every_marker_outline_and_line_passes_non_text_contrast(style: str) -> None:
    statuses = [PointStatus.COMMON, PointStatus.IMPROVEMENT, PointStatus.CONCERN, PointStatus.NEUTRAL] * 3
    spec = ChartSpec(
        title="t",
        x=list(range(12)),
        y=[float(v) for v in range(12)],
        centre=[5.0] * 12,
        lower=[1.0] * 12,
        upper=[10.0] * 12,
        status=statuses,
        runs_signal=[True],
        target=8.0,
        style=style,
    )
    root = parse(render_svg(spec))
    strokes = {el.get("stroke") for el in by_class(root, "point")}
    strokes |= {
        el.get("stroke") for cls in ("centre", "limit", "target", "data-line") for el in by_class(root, cls)
    }
    assert len(strokes) >= 5
    assert all(contrast(str(colour)) >= 3 for colour in strokes), {
        c: round(contrast(str(c)), 2) for c in strokes
    }
    # Shapes as well as colours tell the statuses apart (nothing relies on colour alone).
    shapes = {status: by_class(root, f"point {status.value}")[0].tag for status in statuses[:4]}
    assert len({(tag, status is PointStatus.NEUTRAL) for status, tag in shapes.items()}) == 4


def _font_sizes(root: ET.Element) -> list[float]:
    """The size each <text> is drawn at: its own font-size or the nearest ancestor's."""
    sizes = []
    parents = {child: parent for parent in root.iter() for child in parent}
    for text in root.iter(f"{SVG}text"):
        el: ET.Element | None = text
        while el is not None and el.get("font-size") is None:
            el = parents.get(el)
        sizes.append(float((el if el is not None else root).get("font-size", "0")))
    return sizes


def test_font_size_is_the_smallest_text_everywhere() -> None:
    spec = _p_chart_spec(annotations=[(15, 1, "Reminders for everyone")])
    root = parse(render_svg(spec, 340, 300, font_size=14, show_title=False))
    assert min(_font_sizes(root)) == 14
    compact = parse(render_svg(spec, 300, 160, compact=True, show_title=False, font_size=14))
    assert min(_font_sizes(compact)) == 14
    # A narrow chart thins its date labels instead of overlapping them.
    (axis,) = by_class(root, "x-axis")
    assert 2 <= len(list(axis.iter(f"{SVG}text"))) <= 4


def test_tap_targets_cover_each_point_column() -> None:
    spec = _p_chart_spec()
    root = parse(render_svg(spec, tap_targets=True))
    taps = by_class(root, "tap")
    assert [el.get("data-index") for el in taps] == [str(i) for i in range(30)]
    assert all(el.tag == f"{SVG}rect" and float(el.get("height", "0")) > 100 for el in taps)
    assert not by_class(parse(render_svg(spec)), "tap")


def test_the_target_label_sits_where_it_covers_no_point() -> None:
    spec = _p_chart_spec()
    spec.target = 40.0  # right through the last points: the label moves to the other end
    root = parse(render_svg(spec))
    (label,) = by_class(root, "target-label")
    assert label.get("text-anchor") == "start"


def _figure(size: str) -> tuple[str, list[str]]:
    y = shifted(jump=12)
    result = quiet_mdc(y, x=weeks(len(y)), improvement="increase", target=58)
    spec = spec_from_mdc(
        result,
        title="Completion of Low Intensity CBT",
        unit="%",
        period="weeks",
        annotations=[(24, 1, "PDSA: Text reminders, whole team"), (30, 2, "Welcome pack")],
    )
    summary = summarise(result, weeks(len(y)), period="weeks", unit="%")
    svg = render_paper(
        spec,
        size=size,
        headline=summary[0],
        badges=[
            Badge("Variation", "improvement", "H", "Special cause improvement (higher)"),
            Badge("Assurance", "inconsistent", "?", "Target met only some of the time"),
        ],
        period_text="XmR chart · weekly data, 1 January 2024 to 2 September 2024 (36 weeks)",
        point_labels=[f"week {i + 1}" for i in range(len(y))],
        source="OpenQI",
    )
    return svg, summary


@pytest.mark.parametrize(("size", "width"), [("standard", 960), ("a4", 794), ("slide", 1280)])
def test_the_figure_carries_the_title_key_icons_summary_and_period(size: str, width: int) -> None:
    svg, summary = _figure(size)
    root = parse(svg)
    assert root.get("width") == str(width)
    if size == "slide":
        assert root.get("height") == "720"
    words = " ".join(s.strip() for s in root.itertext() if s.strip())
    assert "Completion of Low Intensity CBT" in words
    assert "weekly data, 1 January 2024 to 2 September 2024 (36 weeks)" in words
    assert "Variation: Special cause improvement (higher)" in words
    assert "Assurance: Target met only some of the time" in words
    key = {
        g.get("data-number"): " ".join(s.strip() for s in g.itertext()) for g in by_class(root, "key-item")
    }
    assert key == {"1": "1 PDSA: Text reminders, whole team (week 25)", "2": "2 Welcome pack (week 31)"}
    # The summary's first sentence, wrapped over lines.
    (paragraph,) = by_class(root, "figure-summary")
    assert " ".join(t.text or "" for t in paragraph.iter(f"{SVG}tspan")) == summary[0]
    # And the chart itself, with its numbered annotations.
    assert [g.get("data-number") for g in by_class(root, "annotation")] == ["1", "2"]


def test_the_figure_as_png_keeps_its_words() -> None:
    svg, summary = _figure("slide")
    png = with_text(
        render_png(svg, 1), {"Title": "Completion", "Description": summary[0], "Annotations": "1. PDSA"}
    )
    pixels = decode_png(png)
    assert pixels.shape[:2] == (720, 1280)
    assert read_text(png) == {"Title": "Completion", "Description": summary[0], "Annotations": "1. PDSA"}


def test_unknown_paper_size() -> None:
    with pytest.raises(ValueError, match="size"):
        render_paper(ChartSpec(title="t", x=[], y=[]), size="poster")
