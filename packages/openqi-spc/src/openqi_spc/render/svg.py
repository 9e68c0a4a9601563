"""ChartSpec → standalone, accessible SVG, built as a string.

Presentation attributes (``fill=``, ``stroke=``) are used instead of ``<style>`` or ``style=``: a
``<style>`` element in inline SVG applies to the whole HTML page, and ``style=`` attributes would need
``'unsafe-inline'`` in the site's Content Security Policy. Classes are kept for tests and print CSS only.
Coordinates are rounded to 0.1 px, which keeps the output small and byte-for-byte deterministic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable, Sequence

from openqi_spc.render._format import (
    MONTHS,
    auto_decimals,
    count_periods,
    date_granularity,
    esc,
    fmt_number,
    fmt_value,
    long_label,
)
from openqi_spc.render.model import STATUS_TEXT, Annotation, ChartSpec, PointStatus

FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"

# Making Data Count colours: grey = common cause, blue = improvement, orange = concern, purple = neither.
# The light fills alone fail the 3:1 non-text contrast of WCAG 1.4.11 on white (the orange especially), so
# every marker also has a dark outline (at least 3:1, tested) and a shape of its own, which keeps the chart
# readable in greyscale print and for colour-blind readers.
COLOURS: dict[PointStatus, tuple[str, str]] = {
    PointStatus.COMMON: ("#768692", "#425563"),
    PointStatus.IMPROVEMENT: ("#41B6E6", "#005EB8"),
    PointStatus.CONCERN: ("#FFB81C", "#8A4B00"),
    PointStatus.NEUTRAL: ("#7030A0", "#361475"),
}
# qicharts2 marks a point outside the limits red, whichever way it points (the shape still says which).
QIC_SIGNAL_POINT = ("#F15854", "#8A1538")
SHAPES: dict[PointStatus, str] = {
    PointStatus.COMMON: "circle",
    PointStatus.IMPROVEMENT: "square",
    PointStatus.CONCERN: "triangle",
    PointStatus.NEUTRAL: "diamond",
}
INK = "#212B32"
AXIS = "#4C6272"
GRID = "#E8EDEE"
DATA_LINE = "#768692"
CENTRE = "#425563"
SIGNAL = "#DA291C"
LIMIT = "#768692"
NEAR = "#AEB7BD"
# The target must never be mistaken for a limit or the centre line: its own colour, a dash-dot pattern of
# its own, and a "Target …" label on the line (pink in the MDC style, green as in qicharts2).
TARGET = "#AE2573"
QIC_TARGET = "#007F3B"
TARGET_DASH = "10 3 2 3"
# A white outline painted under the glyphs keeps labels legible where they cross lines or points.
HALO = ' stroke="#FFFFFF" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'

CHART_NAMES = {
    "run": "Run chart",
    "i": "I chart",
    "mr": "Moving range chart",
    "xbar": "X-bar chart",
    "s": "S chart",
    "t": "T chart",
    "c": "C chart",
    "u": "U chart",
    "up": "U′ chart",
    "p": "P chart",
    "pp": "P′ chart",
    "g": "G chart",
    "np": "np chart",
    "r": "R chart",
    "xmr": "XmR chart (Making Data Count)",
}

_DATE_LABEL_CHARS = {"day": 11, "month": 8, "year": 4}
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
_LABEL_STEPS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 13, 20, 24, 26, 52, 104)


def _f(v: float) -> str:
    return f"{v:.1f}"


def nice_ticks(lo: float, hi: float, count: int) -> tuple[list[float], int]:
    """Round-number ticks covering [lo, hi], ``count - 2`` to ``count + 2`` of them, and their decimals.

    Of the 1/2/2.5/5 × 10^k steps that give few enough ticks, the one wasting least of the axis wins
    (ties: the tick count nearest ``count``), so data of 280-333 gets 270-340, not 260-340.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi <= lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    exponent = math.floor(math.log10((hi - lo) / max(count - 1, 1)))
    best: tuple[float, int, int, int, float, int] | None = None
    for e in (exponent - 1, exponent, exponent + 1):
        for mantissa in _NICE_STEPS:
            step = mantissa * 10.0**e
            start = math.floor(lo / step + 1e-9)
            end = math.ceil(hi / step - 1e-9)
            n_ticks = end - start + 1
            if n_ticks > count + 2 or n_ticks < max(2, count - 2):
                continue
            decimals = max(0, -e + (1 if mantissa == 2.5 else 0))
            key = (
                round((end - start) * step / (hi - lo), 6),
                abs(n_ticks - count),
                start,
                end,
                step,
                decimals,
            )
            if best is None or key[:2] < best[:2]:
                best = key
    assert best is not None  # the coarsest step always gives 2-3 ticks
    _waste, _distance, start, end, step, decimals = best
    ticks = [round(k * step, decimals + 2) for k in range(start, end + 1)]
    return ticks, decimals


def _text_width(text: str, size: float) -> float:
    # Average advance of Arial/Liberation Sans is ~0.55 em; an estimate is enough to avoid overlaps.
    return len(text) * size * 0.56


def _chart_id(spec: ChartSpec) -> str:
    digest = hashlib.blake2b(repr((spec.title, spec.y, spec.x)).encode(), digest_size=5).hexdigest()
    return f"chart-{digest}"


def _tick_label(label: object, granularity: str, show_year: bool) -> str:
    if isinstance(label, dt.date):
        if granularity == "year":
            return str(label.year)
        if granularity == "month":
            month = MONTHS[label.month - 1][:3]
            return f"{month} {label.year}" if show_year else month
        month = MONTHS[label.month - 1][:3]
        return f"{label.day} {month} {label.year}" if show_year else f"{label.day} {month}"
    text = long_label(label, granularity)
    return text if len(text) <= 14 else text[:13] + "…"


def _x_tick_labels(x: Sequence[object], plot_w: float, font: float, compact: bool) -> list[tuple[int, str]]:
    n = len(x)
    if n == 0:
        return []
    granularity = date_granularity(x)
    if compact:
        chosen = [0] if n == 1 else [0, n - 1]
    else:
        # Every date label of one granularity has about the same width ("30 Sep 2024"); only free text
        # needs measuring.
        widest = _DATE_LABEL_CHARS.get(granularity) or max(len(_tick_label(v, granularity, True)) for v in x)
        slots = max(1, int(plot_w // (widest * font * 0.56 + 10)))
        step = next((s for s in _LABEL_STEPS if math.ceil(n / s) <= slots), math.ceil(n / slots))
        chosen = list(range(0, n, step))
    out: list[tuple[int, str]] = []
    last_year: int | None = None
    for i in chosen:
        v = x[i]
        year = v.year if isinstance(v, dt.date) else None
        out.append((i, _tick_label(v, granularity, year != last_year)))
        last_year = year
    return out


def _step_paths(
    values: Sequence[float | None], parts: Sequence[int], edges: Sequence[str], yf: Callable[[float], str]
) -> list[tuple[int, str]]:
    """Per-point horizontal steps (point i spans edges[i]..edges[i+1]), one path per part.

    A path breaks where a value is missing; equal neighbours share one ``H`` segment, so a constant
    centre line is a single short path rather than one segment per point.
    """
    paths: dict[int, list[str]] = {}
    n = len(values)
    i = 0
    while i < n:
        v = values[i]
        if v is None:
            i += 1
            continue
        part = parts[i]
        d = paths.setdefault(part, [])
        d.append(f"M{edges[i]} {yf(v)}")
        while True:
            k = i + 1
            while k < n and values[k] == v and parts[k] == part:
                k += 1
            d.append(f"H{edges[k]}")
            nxt = values[k] if k < n else None
            if nxt is None or parts[k] != part:
                break
            v = nxt
            d.append(f"V{yf(v)}")
            i = k
        i = k
    return [(part, "".join(d)) for part, d in paths.items()]


class YScale:
    __slots__ = ("lo", "bottom", "k")

    def __init__(self, lo: float, hi: float, top: float, bottom: float) -> None:
        self.lo = lo
        self.bottom = bottom
        self.k = (bottom - top) / (hi - lo)

    def __call__(self, v: float) -> float:
        return self.bottom - (v - self.lo) * self.k


def _marker(status: PointStatus, x: float, y: float, r: float, fill: str, stroke: str) -> tuple[str, str]:
    """The marker's start tag without its closing ``>`` (so callers can add attributes) and its tag name."""
    shape = SHAPES[status]
    paint = f'fill="{fill}" stroke="{stroke}"'
    if shape == "circle":
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" {paint}', "circle"
    if shape == "square":
        s = r * 0.9
        return (
            f'<rect x="{_f(x - s)}" y="{_f(y - s)}" width="{_f(2 * s)}" height="{_f(2 * s)}" {paint}',
            "rect",
        )
    if shape == "triangle":
        t = r * 1.25
        d = f"M{_f(x)} {_f(y - t)}L{_f(x + t)} {_f(y + t * 0.8)}L{_f(x - t)} {_f(y + t * 0.8)}Z"
        return f'<path d="{d}" {paint}', "path"
    t = r * 1.3
    d = f"M{_f(x)} {_f(y - t)}L{_f(x + t)} {_f(y)}L{_f(x)} {_f(y + t)}L{_f(x - t)} {_f(y)}Z"
    return f'<path d="{d}" {paint}', "path"


def _legend_items(spec: ChartSpec, show_near: bool) -> list[tuple[str, str]]:
    """(kind, label) for everything drawn; kind picks the swatch."""
    items: list[tuple[str, str]] = []
    statuses = set(spec.status)
    for status in (PointStatus.COMMON, PointStatus.IMPROVEMENT, PointStatus.CONCERN, PointStatus.NEUTRAL):
        if status in statuses:
            label = STATUS_TEXT[status]
            if spec.style == "qicharts2" and status is not PointStatus.COMMON:
                label = f"Outside the limits: {label[0].lower()}{label[1:]}"
            items.append((f"point:{status.value}", label))
    if any(spec.excluded):
        items.append(("point:excluded", "Excluded from calculations"))
    if spec.centre is not None:
        parts_drawn = {spec.part[i] for i, v in enumerate(spec.centre) if v is not None}
        if any(not spec.part_has_runs_signal(part) for part in parts_drawn):
            items.append(("line:centre", spec.centre_label))
        if any(spec.part_has_runs_signal(part) for part in parts_drawn):
            items.append(("line:signal", f"{spec.centre_label}, dashed red: runs signal"))
    if spec.upper is not None and any(v is not None for v in spec.upper):
        mdc_words = spec.style == "mdc" or spec.chart == "xmr"
        items.append(("line:limit", "Process limits" if mdc_words else "Control limits"))
    if show_near and spec.upper_2s is not None and any(v is not None for v in spec.upper_2s):
        items.append(("line:near", "2σ lines"))
    if spec.target is not None:
        items.append(("line:target", "Target"))
    if spec.trajectory is not None and any(v is not None for v in spec.trajectory):
        items.append(("line:trajectory", "Trajectory"))
    return items


def _target_colour(spec: ChartSpec) -> str:
    return QIC_TARGET if spec.style == "qicharts2" else TARGET


def _point_paint(spec: ChartSpec, status: PointStatus) -> tuple[str, str]:
    if spec.style == "qicharts2" and status is not PointStatus.COMMON:
        return QIC_SIGNAL_POINT
    return COLOURS[status]


def _line_style(spec: ChartSpec, kind: str) -> tuple[str, str, str]:
    if kind == "line:target":
        return (_target_colour(spec), "2", TARGET_DASH)
    if kind == "line:trajectory":
        return (_target_colour(spec), "1.5", "2 3")
    return _LINE_STYLE[kind]


_LINE_STYLE = {
    "line:centre": (CENTRE, "1.5", ""),
    "line:signal": (SIGNAL, "1.5", "6 4"),
    "line:limit": (LIMIT, "1.2", "5 4"),
    "line:near": (NEAR, "1", "2 3"),
}


def _label_place(
    points: Sequence[tuple[float, float]],
    line_y: float,
    width: float,
    font: float,
    left: float,
    plot_w: float,
    ceiling: float,
) -> tuple[float, float, str]:
    """(x, baseline y, text-anchor) for a label on a horizontal line: at the right or left end, above or
    below the line, wherever it covers the fewest points (ties: right end, above)."""
    right, start = left + plot_w - 2, left + 2
    options = []
    for x, anchor in ((right, "end"), (start, "start")):
        for y in (line_y - 4, line_y + font + 2):
            if y - font < ceiling:
                continue
            x0 = x - width if anchor == "end" else x
            covered = sum(x0 - 4 <= px <= x0 + width + 4 and y - font - 4 <= py <= y + 4 for px, py in points)
            options.append((covered, x, y, anchor))
    if not options:
        return right, line_y + font + 2, "end"
    _covered, x, y, anchor = min(options, key=lambda o: o[0])
    return x, y, anchor


def _dash(dash: str) -> str:
    return f' stroke-dasharray="{dash}"' if dash else ""


def _describe(spec: ChartSpec, decimals: int) -> str:
    if spec.description:
        return spec.description
    n = len(spec.y)
    name = CHART_NAMES.get(spec.chart, "Chart")
    granularity = date_granularity(spec.x)
    observed = [i for i, v in enumerate(spec.y) if v is not None]
    if not observed:
        return f"{name} of {spec.title}: no data yet."
    first, last = spec.x[0], spec.x[-1]
    parts = [
        f"{name} of {spec.title}: {count_periods(n, spec.period)} from "
        f"{long_label(first, granularity)} to {long_label(last, granularity)}."
    ]
    i = observed[-1]
    parts.append(
        f"Latest value {fmt_value(spec.y[i], decimals, spec.unit)} ({long_label(spec.x[i], granularity)})."
    )
    if spec.centre is not None and spec.centre[i] is not None:
        parts.append(f"{spec.centre_label} {fmt_value(spec.centre[i], decimals, spec.unit)}.")
    if spec.lower is not None and spec.upper is not None and spec.upper[i] is not None:
        low = spec.lower[i]
        low_text = fmt_value(low, decimals, spec.unit) if low is not None else "none"
        parts.append(f"Limits {low_text} to {fmt_value(spec.upper[i], decimals, spec.unit)}.")
    counts = dict.fromkeys(PointStatus, 0)
    for s in spec.status:
        counts[PointStatus(s)] += 1
    special = [f"{counts[s]} {STATUS_TEXT[s].lower()}" for s in PointStatus if s is not PointStatus.COMMON]
    special = [t for t in special if not t.startswith("0 ")]
    parts.append(
        ("Special-cause points: " + ", ".join(special) + ".") if special else "No special-cause points."
    )
    if any(spec.runs_signal):
        parts.append(f"Runs signal (non-random pattern around the {spec.centre_label.lower()}).")
    if spec.target is not None:
        parts.append(f"Target {fmt_value(spec.target, decimals, spec.unit)}.")
    if spec.annotations:
        parts.append(f"{len(spec.annotations)} numbered annotations.")
    return " ".join(parts)


def render_svg(
    spec: ChartSpec,
    width: int = 720,
    height: int = 360,
    *,
    compact: bool = False,
    show_title: bool = True,
    show_legend: bool | None = None,
    show_near_limits: bool = False,
    chart_id: str | None = None,
    font_size: float | None = None,
    tap_targets: bool = False,
) -> str:
    """The chart as a standalone SVG document (no XML declaration, so it can be inlined in HTML).

    ``compact`` is for small multiples: three y ticks, first/last x labels only, markers only for
    special-cause and excluded points, no axis title and no legend. ``chart_id`` prefixes the ids of
    ``<title>``/``<desc>``; pass a unique one when several charts share a page (default: derived from the
    spec's content). ``font_size`` is the size of the smallest text in SVG units (default 11, compact 9):
    a page that shows the chart scaled to a width W should pass at least ``12 * width / W`` so that no text
    renders under 12 CSS px; x labels are thinned to fit it. ``tap_targets`` adds an invisible column per
    point (``class="tap"``, with the point's ``data-index``) so a finger can pick a point.
    """
    if chart_id is None:
        chart_id = _chart_id(spec)
    elif not _ID.match(chart_id):
        raise ValueError(f"chart_id must match {_ID.pattern}: {chart_id!r}")
    legend = (not compact) if show_legend is None else show_legend
    font = font_size if font_size is not None else (9.0 if compact else 11.0)
    title_size = font + 2 if compact else font + 4
    n = len(spec.y)
    unit = spec.unit
    y_vals = spec.y
    decimals = spec.decimals if spec.decimals is not None else auto_decimals(y_vals)

    # Y domain: everything that is drawn must fit.
    domain: list[float] = [v for v in y_vals if v is not None]
    for series in (spec.centre, spec.lower, spec.upper, spec.trajectory):
        if series is not None:
            domain.extend(v for v in series if v is not None)
    if show_near_limits:
        for series in (spec.lower_2s, spec.upper_2s):
            if series is not None:
                domain.extend(v for v in series if v is not None)
    if spec.target is not None:
        domain.append(spec.target)
    has_data = any(v is not None for v in y_vals)
    lo, hi = (min(domain), max(domain)) if domain else (0.0, 1.0)
    ticks, tick_dec = nice_ticks(lo, hi, 3 if compact else 6)
    if spec.percent and lo >= 0 and hi <= 100:
        ticks = [t for t in ticks if 0 <= t <= 100] or ticks
    y_lo, y_hi = ticks[0], ticks[-1]
    tick_unit = "%" if unit == "%" else ""
    tick_text = [fmt_number(t, tick_dec) + tick_unit for t in ticks]

    # Layout.
    axis_title = "" if compact else spec.y_label
    if axis_title and unit and unit != "%" and unit not in axis_title:
        axis_title = f"{axis_title} ({unit})"
    top = (title_size + 14 if show_title else 6) + (0 if compact else 8)
    left = max(_text_width(t, font) for t in tick_text) + (8 if compact else 12) + (18 if axis_title else 0)
    right = 8 if compact else 16
    legend_items = _legend_items(spec, show_near_limits) if legend else []
    legend_rows: list[list[tuple[str, str, float]]] = []
    if legend_items:
        row: list[tuple[str, str, float]] = []
        used = 0.0
        for kind, label in legend_items:
            w = 26 + _text_width(label, font) + 20
            if row and used + w > width - 16:
                legend_rows.append(row)
                row, used = [], 0.0
            row.append((kind, label, w))
            used += w
        legend_rows.append(row)
    bottom = height - (font + 10) - len(legend_rows) * (font + 9) - (4 if legend_rows else 2)
    plot_w = max(width - left - right, 10.0)
    if bottom - top < 20:
        bottom = top + 20
    # Annotation numbers sit in a strip above the plot with a leader to their point: drawn next to the
    # point they would cover other points and lines.
    ar = round(font * 0.75, 1)
    strip_y = top + ar
    if spec.annotations:
        top += 2 * ar + 6
    ys = YScale(y_lo, y_hi, top, bottom)
    step = plot_w / max(n, 1)
    half = step / 2
    xs = [left + (i + 0.5) * step for i in range(n)]
    edges = [_f(left + i * step) for i in range(n + 1)]
    y_text: dict[float, str] = {}

    def yf(v: float) -> str:
        # Limits repeat the same few values across a part: format each once.
        text = y_text.get(v)
        if text is None:
            text = y_text[v] = _f(ys(v))
        return text

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'class="openqi-chart{" compact" if compact else ""}" font-family="{FONT}" font-size="{_f(font)}">',
        f'<title id="{title_id}">{esc(spec.title)}</title>',
        f'<desc id="{desc_id}">{esc(_describe(spec, decimals))}</desc>',
        f'<rect class="background" width="{width}" height="{height}" fill="#FFFFFF"/>',
    ]
    if show_title:
        shown = spec.title
        room = width - 16
        if _text_width(shown, title_size) > room:
            keep = max(1, int(room / (title_size * 0.56)) - 1)
            shown = shown[:keep].rstrip() + "…"
        out.append(
            f'<text class="chart-title" x="8" y="{_f(title_size + 6)}" font-size="{_f(title_size)}" '
            f'font-weight="bold" fill="{INK}">{esc(shown)}</text>'
        )

    # Grid and y axis.
    out.append(f'<g class="y-axis" fill="{AXIS}" text-anchor="end">')
    for t, label in zip(ticks, tick_text, strict=True):
        y = _f(ys(t))
        out.append(
            f'<line x1="{_f(left)}" x2="{_f(left + plot_w)}" y1="{y}" y2="{y}" stroke="{GRID}"/>'
            f'<text x="{_f(left - 6)}" y="{y}" dy="0.32em">{esc(label)}</text>'
        )
    out.append("</g>")
    if axis_title:
        mid_y = _f((top + bottom) / 2)
        out.append(
            f'<text class="axis-title" transform="translate(12 {mid_y}) rotate(-90)" text-anchor="middle" '
            f'fill="{INK}">{esc(axis_title)}</text>'
        )
    out.append(
        f'<line class="x-axis-line" x1="{_f(left)}" x2="{_f(left + plot_w)}" y1="{_f(bottom)}" '
        f'y2="{_f(bottom)}" stroke="{AXIS}"/>'
    )
    out.append(f'<g class="x-axis" fill="{AXIS}" text-anchor="middle">')
    label_y = _f(bottom + font + 5)
    for i, label in _x_tick_labels(spec.x, plot_w, font, compact):
        anchor = ""
        x = xs[i]
        if compact and n > 1:
            anchor = ' text-anchor="start"' if i == 0 else ' text-anchor="end"'
            x = left if i == 0 else left + plot_w
        out.append(
            f'<line x1="{_f(xs[i])}" x2="{_f(xs[i])}" y1="{_f(bottom)}" y2="{_f(bottom + 4)}" '
            f'stroke="{AXIS}"/><text x="{_f(x)}" y="{label_y}"{anchor}>{esc(label)}</text>'
        )
    out.append("</g>")

    if not has_data:
        out.append(
            f'<text class="no-data" x="{_f(left + plot_w / 2)}" y="{_f((top + bottom) / 2)}" '
            f'text-anchor="middle" fill="{AXIS}">No data yet</text>'
        )

    # Period boundaries: baseline (freeze) and re-based limits.
    for i in spec.rebase:
        rx = edges[i]
        out.append(
            f'<line class="rebase" x1="{rx}" x2="{rx}" y1="{_f(top)}" y2="{_f(bottom)}" stroke="{NEAR}"/>'
        )
    if spec.baseline_end is not None and spec.baseline_end < n - 1:
        bx = xs[spec.baseline_end] + half
        label_w = _text_width("Baseline", font)
        lx, anchor = (bx - 4, "end") if bx - 4 - label_w >= left else (bx + 4, "start")
        out.append(
            f'<line class="baseline" x1="{_f(bx)}" x2="{_f(bx)}" y1="{_f(top)}" y2="{_f(bottom)}" '
            f'stroke="{AXIS}" stroke-dasharray="3 3"/>'
            f'<text class="baseline-label" x="{_f(lx)}" y="{_f(top + font)}" text-anchor="{anchor}" '
            f'fill="{AXIS}"{HALO}>Baseline</text>'
        )

    # Limit and centre lines.
    line_specs: list[tuple[str, Sequence[float | None] | None, str, str, str]] = []
    if show_near_limits:
        line_specs.append(("near-limit lower", spec.lower_2s, NEAR, "1", "2 3"))
        line_specs.append(("near-limit upper", spec.upper_2s, NEAR, "1", "2 3"))
    line_specs.append(("limit lower", spec.lower, LIMIT, "1.2", "5 4"))
    line_specs.append(("limit upper", spec.upper, LIMIT, "1.2", "5 4"))
    for cls, series, colour, stroke_w, dash in line_specs:
        if series is None:
            continue
        for _part, d in _step_paths(series, spec.part, edges, yf):
            out.append(
                f'<path class="{cls}" d="{d}" fill="none" stroke="{colour}" stroke-width="{stroke_w}"'
                f"{_dash(dash)}/>"
            )
    if spec.centre is not None:
        for part, d in _step_paths(spec.centre, spec.part, edges, yf):
            if spec.part_has_runs_signal(part):
                attrs = f'class="centre runs-signal" stroke="{SIGNAL}" stroke-dasharray="6 4"'
            else:
                attrs = f'class="centre" stroke="{CENTRE}"'
            out.append(f'<path {attrs} d="{d}" fill="none" stroke-width="1.5"/>')

    target_colour = _target_colour(spec)
    if spec.trajectory is not None:
        for _part, d in _step_paths(spec.trajectory, (1,) * n, edges, yf):
            out.append(
                f'<path class="trajectory" d="{d}" fill="none" stroke="{target_colour}" stroke-width="1.5" '
                'stroke-dasharray="2 3"/>'
            )
    target_label = ""
    if spec.target is not None and n:
        ty = ys(spec.target)
        out.append(
            f'<line class="target" x1="{_f(left)}" x2="{_f(left + plot_w)}" y1="{_f(ty)}" y2="{_f(ty)}" '
            f'stroke="{target_colour}" stroke-width="2" stroke-dasharray="{TARGET_DASH}"/>'
        )
        if not compact:
            label = f"Target {fmt_value(spec.target, decimals, unit)}"
            # Drawn over the points (after them), where it covers the fewest.
            points = [(xs[i], ys(v)) for i, v in enumerate(y_vals) if v is not None]
            ceiling = (title_size + 12 if show_title else 2) + font
            lx, ly, anchor = _label_place(
                points, ty, _text_width(label, font) * 1.08, font, left, plot_w, ceiling
            )
            target_label = (
                f'<text class="target-label" x="{_f(lx)}" y="{_f(ly)}" text-anchor="{anchor}" '
                f'fill="{target_colour}" font-weight="bold"{HALO}>{esc(label)}</text>'
            )

    # Data line, broken where a value is missing.
    segments: list[str] = []
    pen_down = False
    for i, v in enumerate(y_vals):
        if v is None:
            pen_down = False
            continue
        segments.append(f"{'L' if pen_down else 'M'}{_f(xs[i])} {_f(ys(v))}")
        pen_down = True
    if segments:
        out.append(
            f'<path class="data-line" d="{"".join(segments)}" fill="none" stroke="{DATA_LINE}" '
            'stroke-width="1.5" stroke-linejoin="round"/>'
        )

    if tap_targets and has_data:
        # Under the markers, so a marker keeps its own tooltip; a tap anywhere in a point's column picks it.
        out.append('<g class="tap-targets" fill="#FFFFFF" fill-opacity="0">')
        plot_h = _f(bottom - top)
        out.extend(
            f'<rect class="tap" x="{edges[i]}" y="{_f(top)}" width="{_f(step)}" height="{plot_h}" '
            f'data-index="{i}"/>'
            for i, v in enumerate(y_vals)
            if v is not None
        )
        out.append("</g>")

    # Markers, each with a tooltip (<title>) readable without JavaScript.
    granularity = date_granularity(spec.x)
    radius = 2.6 if compact else 3.6
    status_seq = spec.status
    excluded_seq = spec.excluded
    signal_seq = spec.signal_text
    out.append('<g class="points" stroke-width="1.2">')
    for i, v in enumerate(y_vals):
        if v is None:
            continue
        status = status_seq[i]
        excluded = excluded_seq[i]
        if compact and status is PointStatus.COMMON and not excluded:
            continue
        fill, stroke = _point_paint(spec, status)
        r = radius if status is PointStatus.COMMON else radius + 0.9
        cls = f"point {status.value}"
        if excluded:
            cls += " excluded"
            fill = "#FFFFFF"
        tip = f"{long_label(spec.x[i], granularity)}: {fmt_value(v, decimals, unit)}"
        signal = signal_seq[i] if signal_seq is not None else ""
        if signal:
            tip += f" ({signal})"
        elif status is not PointStatus.COMMON:
            tip += f" ({STATUS_TEXT[status]})"
        if excluded:
            tip += " (excluded from calculations)"
        tag, name = _marker(status, xs[i], ys(v), r, fill, stroke)
        out.append(f'{tag} class="{cls}" data-index="{i}"><title>{esc(tip)}</title></{name}>')
    out.append("</g>")
    out.append(target_label)

    # Annotations: numbered circles in the strip; a circle that would overlap one already placed moves
    # down a row, so neighbouring annotated points stay readable.
    if spec.annotations:
        placed: list[tuple[float, int]] = []
        out.append(f'<g class="annotations" font-size="{_f(font)}" font-weight="bold" text-anchor="middle">')
        for a in map(Annotation._make, spec.annotations):
            px = xs[a.point]
            level = 0
            while any(r == level and abs(x - px) < 2 * ar + 2 for x, r in placed):
                level += 1
            placed.append((px, level))
            cy = strip_y + level * (2 * ar + 3)
            v = y_vals[a.point]
            end_y = ys(v) - radius - 3 if v is not None else bottom
            leader = ""
            if end_y > cy + ar:
                leader = (
                    f'<line x1="{_f(px)}" x2="{_f(px)}" y1="{_f(cy + ar)}" y2="{_f(end_y)}" stroke="{AXIS}" '
                    'stroke-width="0.8" stroke-dasharray="2 2"/>'
                )
            out.append(
                f'<g class="annotation" data-number="{a.number}" data-index="{a.point}">'
                f"<title>{esc(f'{a.number}. {a.text}')}</title>{leader}"
                f'<circle cx="{_f(px)}" cy="{_f(cy)}" r="{_f(ar)}" fill="#FFFFFF" stroke="{INK}"/>'
                f'<text x="{_f(px)}" y="{_f(cy)}" dy="0.35em" fill="{INK}">{a.number}</text></g>'
            )
        out.append("</g>")

    if legend_rows:
        out.append(f'<g class="legend" fill="{INK}">')
        ly = bottom + font + 10 + font + 4
        for legend_row in legend_rows:
            lx = 8.0
            for kind, label, item_w in legend_row:
                cy = ly - font * 0.35
                if kind.startswith("point:"):
                    status_name = kind[6:]
                    if status_name == "excluded":
                        st, paint = PointStatus.COMMON, ("#FFFFFF", COLOURS[PointStatus.COMMON][1])
                    else:
                        st = PointStatus(status_name)
                        paint = _point_paint(spec, st)
                    r = radius if st is PointStatus.COMMON else radius + 0.9
                    swatch = _marker(st, lx + 10, cy, r, *paint)[0] + "/>"
                else:
                    colour, sw, dash = _line_style(spec, kind)
                    swatch = (
                        f'<line x1="{_f(lx)}" x2="{_f(lx + 20)}" y1="{_f(cy)}" y2="{_f(cy)}" '
                        f'stroke="{colour}" stroke-width="{sw}"{_dash(dash)}/>'
                    )
                out.append(f'{swatch}<text x="{_f(lx + 26)}" y="{_f(ly)}">{esc(label)}</text>')
                lx += item_w
            ly += font + 9
        out.append("</g>")

    out.append("</svg>")
    return "".join(out)
