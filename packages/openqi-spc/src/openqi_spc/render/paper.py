"""A chart as a figure for a paper or a slide: title, data period, icons with their words, the plain
summary, the chart and the annotation key (number → text), in one standalone SVG.

A chart pasted into a forum paper loses the page around it; this figure keeps what the page says beside
the chart, so the numbered notes have their key and the icons their words. Sizes:

* ``standard``: 960 wide, as tall as it needs (downloads);
* ``a4``: 794 wide (the width of A4 at 96 dpi), as tall as it needs: rasterise at 300 dpi for print;
* ``slide``: 1280 × 720 (16:9), the chart on the left and the words in a column on the right.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from openqi_spc.render._format import esc
from openqi_spc.render.model import Annotation, ChartSpec
from openqi_spc.render.svg import AXIS, FONT, INK, render_svg

PAPER_SIZES = ("standard", "a4", "slide")

# The MDC icon tones, as on the chart page's badges.
TONES = {
    "improvement": "#005EB8",
    "pass": "#005EB8",
    "concern": "#B35900",
    "fail": "#B35900",
    "neutral": "#5A2A82",
    "common": "#4C6272",
    "inconsistent": "#4C6272",
    "withheld": "#4C6272",
}


@dataclass(frozen=True, slots=True)
class Badge:
    """An MDC icon with its words: ``kind`` "Variation" or "Assurance", ``letter`` H, L, P, F, ? or ""."""

    kind: str
    tone: str
    letter: str
    words: str


@dataclass(frozen=True, slots=True)
class _Layout:
    width: int
    margin: float
    title: float
    text: float
    chart_font: float


_LAYOUTS = {
    "standard": _Layout(960, 32, 24, 16, 13),
    "a4": _Layout(794, 28, 21, 14, 12),
    "slide": _Layout(1280, 40, 30, 17, 15),
}


def wrap(text: str, size: float, room: float, *, bold: bool = False) -> list[str]:
    """Greedy line breaks on spaces, from an estimate of Arial's advance (0.56 em; bold 0.6)."""
    per_char = size * (0.6 if bold else 0.56)
    limit = max(8, int(room / per_char))
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


class _Column:
    """Text blocks stacked downwards from ``y`` in a column ``x``..``x + room``."""

    def __init__(self, x: float, y: float, room: float) -> None:
        self.x = x
        self.y = y
        self.room = room
        self.out: list[str] = []

    def text(
        self, text: str, size: float, *, cls: str, bold: bool = False, colour: str = INK, gap: float = 0.5
    ) -> None:
        weight = ' font-weight="bold"' if bold else ""
        lines = wrap(text, size, self.room, bold=bold)
        self.out.append(f'<text class="{cls}" font-size="{size:g}" fill="{colour}"{weight}>')
        for line in lines:
            self.y += size * 1.3
            self.out.append(f'<tspan x="{self.x:.1f}" y="{self.y:.1f}">{esc(line)}</tspan>')
        self.out.append("</text>")
        self.y += size * gap

    def badges(self, badges: Sequence[Badge], size: float) -> None:
        r = size * 0.85
        for badge in badges:
            colour = TONES.get(badge.tone, AXIS)
            cx, cy = self.x + r + 1, self.y + r + 2
            mark = (
                f'<text x="{cx:.1f}" y="{cy:.1f}" dy="0.35em" text-anchor="middle" font-size="{size:g}" '
                f'font-weight="bold" fill="{colour}">{esc(badge.letter)}</text>'
                if badge.letter
                else f'<path d="M{cx - r * 0.6:.1f} {cy:.1f}l{r * 0.3:.1f} {-r * 0.35:.1f}l{r * 0.3:.1f} '
                f'{r * 0.5:.1f}l{r * 0.3:.1f} {-r * 0.55:.1f}l{r * 0.3:.1f} {r * 0.4:.1f}" fill="none" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
            self.out.append(
                f'<g class="badge" data-kind="{esc(badge.kind)}">'
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#FFFFFF" stroke="{colour}" '
                f'stroke-width="2.5"/>{mark}'
            )
            lines = wrap(f"{badge.kind}: {badge.words}", size, self.room - 2 * r - 10)
            text_y = self.y
            self.out.append(f'<text font-size="{size:g}" fill="{INK}">')
            for k, line in enumerate(lines):
                text_y += size * 1.3 if k else size * 1.25
                self.out.append(f'<tspan x="{self.x + 2 * r + 10:.1f}" y="{text_y:.1f}">{esc(line)}</tspan>')
            self.out.append("</text></g>")
            self.y = max(self.y + 2 * r + 4, text_y + size * 0.4) + size * 0.4

    def key(self, notes: Sequence[Annotation], labels: Sequence[str], size: float) -> None:
        """The annotation key: each chart number in its circle, then what it marks."""
        self.text("Annotations", size, cls="key-heading", bold=True, gap=0.3)
        r = size * 0.75
        for note in notes:
            period = labels[note.point] if note.point < len(labels) else ""
            words = f"{note.text} ({period})" if period else note.text
            lines = wrap(words, size, self.room - 2 * r - 10)
            cx, cy = self.x + r + 1, self.y + r + 3
            self.out.append(
                f'<g class="key-item" data-number="{note.number}">'
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#FFFFFF" stroke="{INK}"/>'
                f'<text x="{cx:.1f}" y="{cy:.1f}" dy="0.35em" text-anchor="middle" font-size="{size:g}" '
                f'font-weight="bold" fill="{INK}">{note.number}</text>'
                f'<text font-size="{size:g}" fill="{INK}">'
            )
            text_y = self.y
            for k, line in enumerate(lines):
                text_y += size * 1.3 if k else size * 1.2 + 3
                self.out.append(f'<tspan x="{self.x + 2 * r + 10:.1f}" y="{text_y:.1f}">{esc(line)}</tspan>')
            self.out.append("</text></g>")
            self.y = max(self.y + 2 * r + 6, text_y + size * 0.5)


def render_paper(
    spec: ChartSpec,
    *,
    size: str = "standard",
    headline: str = "",
    badges: Sequence[Badge] = (),
    period_text: str = "",
    point_labels: Sequence[str] = (),
    source: str = "",
) -> str:
    """The chart as a standalone figure (see the module's docstring). ``point_labels`` names each
    point's period for the annotation key; ``source`` is a line of small print at the foot."""
    if size not in _LAYOUTS:
        raise ValueError(f"size must be one of {', '.join(PAPER_SIZES)}")
    layout = _LAYOUTS[size]
    digest = hashlib.blake2b(repr((spec.title, spec.y, size)).encode(), digest_size=5).hexdigest()
    figure_id = f"figure-{digest}"
    notes = [Annotation._make(a) for a in spec.annotations]
    m = layout.margin
    width = layout.width
    head = _Column(m, m - layout.title * 0.3, width - 2 * m)
    head.text(spec.title, layout.title, cls="figure-title", bold=True, gap=0.2)
    if period_text:
        head.text(period_text, layout.text, cls="figure-period", colour=AXIS, gap=0.6)
    if size == "slide":
        height = 720
        side_w = 400.0
        chart_w = width - 2 * m - side_w - 24
        side = _Column(width - m - side_w, head.y + 4, side_w)
        _words(side, badges, headline, notes, point_labels, layout)
        chart_h = max(height - head.y - m - (layout.text * 2 if source else 0), 240)
        chart_y = head.y + 4
        body = side.out
        bottom = max(chart_y + chart_h, side.y)
        if bottom > height - m:
            height = int(bottom + m)
    else:
        chart_w = width - 2 * m
        chart_h = round(chart_w * 0.5)
        chart_y = head.y + 4
        below = _Column(m, chart_y + chart_h + layout.text, width - 2 * m)
        _words(below, badges, headline, notes, point_labels, layout)
        body = below.out
        bottom = below.y
        height = int(bottom + m + (layout.text * 2 if source else 0))
    chart = render_svg(
        spec,
        round(chart_w),
        round(chart_h),
        show_title=False,
        font_size=layout.chart_font,
        chart_id=f"{figure_id}-chart",
    )
    chart = chart.replace(
        '<svg xmlns="http://www.w3.org/2000/svg" ', f'<svg x="{m:.1f}" y="{chart_y:.1f}" ', 1
    )
    desc = " ".join(p for p in (headline, period_text) if p)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{figure_id}-title {figure_id}-desc" '
        f'class="openqi-figure {size}" font-family="{FONT}" font-size="{layout.text:g}">',
        f'<title id="{figure_id}-title">{esc(spec.title)}</title>',
        f'<desc id="{figure_id}-desc">{esc(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>',
        *head.out,
        chart,
        *body,
    ]
    if source:
        out.append(
            f'<text class="figure-source" x="{m:.1f}" y="{height - m * 0.6:.1f}" '
            f'font-size="{layout.text * 0.85:g}" fill="{AXIS}">{esc(source)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _words(
    column: _Column,
    badges: Sequence[Badge],
    headline: str,
    notes: Sequence[Annotation],
    point_labels: Sequence[str],
    layout: _Layout,
) -> None:
    if badges:
        column.badges(badges, layout.text)
    if headline:
        column.text(headline, layout.text, cls="figure-summary", gap=0.8)
    if notes:
        column.key(notes, point_labels, layout.text)
