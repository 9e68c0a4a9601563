"""The six tools drawn as standalone, accessible SVG, built as strings as the chart renderer does
(openqi_spc/render/svg.py): presentation attributes only (no <style>, no style=, so the site's Content
Security Policy holds and the drawing is the same inline, in a file, in a PNG or in a PDF), every text
escaped, a <title> and <desc> named by aria-labelledby, and a table or list beside it on the page as the
text alternative. Coordinates are whole pixels, so the output is deterministic.

Plain Python: every function takes the tool's items (anything with the ToolItem attributes)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openqi_spc import ParetoResult
from openqi_spc.render._format import esc

FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"
INK = "#212B32"
BLUE = "#005EB8"
DARK_BLUE = "#003087"
PALE = "#E8EDEE"
GREY = "#768692"
LINE = "#4C6272"
WHITE = "#FFFFFF"
WARM = "#FFF9C4"
RED = "#D5281B"
GREEN = "#007F3B"
# Marked items (causes the team will act on, root causes, the vital few) are bold, outlined dark blue and
# labelled in the text alternative: the colour is never the only sign.
MARK_FILL = "#FFEB99"


@dataclass(frozen=True)
class Svg:
    markup: str
    title: str
    description: str


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(4, width), break_long_words=True) or [""]


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 13,
    anchor: str = "start",
    bold: bool = False,
    fill: str = INK,
) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{weight}>'
        f"{esc(text)}</text>"
    )


def _lines(
    x: float,
    y: float,
    lines: Sequence[str],
    *,
    size: int = 13,
    anchor: str = "start",
    bold: bool = False,
    fill: str = INK,
) -> str:
    step = round(size * 1.3)
    return "".join(
        _text(x, y + i * step, line, size=size, anchor=anchor, bold=bold, fill=fill)
        for i, line in enumerate(lines)
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, stroke: str = "none", extra: str = "") -> str:
    return (
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" fill="{fill}" stroke="{stroke}"'
        f"{' ' + extra if extra else ''}/>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = "") -> str:
    return (
        f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="{stroke}"'
        f"{' ' + extra if extra else ''}/>"
    )


def _circle(cx: float, cy: float, r: float, fill: str, stroke: str) -> str:
    return f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="{r}" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'


def _document(key: str, width: int, height: int, title: str, description: str, body: Iterable[str]) -> Svg:
    ids = f"{key}-title {key}-desc"
    markup = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{ids}" font-family="{esc(FONT)}" '
        'class="openqi-tool-svg">'
        f'<title id="{key}-title">{esc(title)}</title><desc id="{key}-desc">{esc(description)}</desc>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{WHITE}"/>'
        f'<defs><marker id="{key}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{LINE}"/>'
        "</marker></defs>" + "".join(body) + "</svg>"
    )
    return Svg(markup, title, description)


def _arrow(key: str, points: Sequence[tuple[float, float]], *, dashed: bool = False) -> str:
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.0f},{y:.0f}" for i, (x, y) in enumerate(points))
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    marker = f' marker-end="url(#{key}-arrow)"'
    return f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="2"{dash}{marker}/>'


# --- process map ---------------------------------------------------------------------------------------

STEP_W, STEP_H, COL_W, LANE_H, LANE_HEAD = 150, 70, 190, 130, 130


def process_map(key: str, title: str, steps: Sequence[Any]) -> Svg:
    """Steps left to right in their order, each in its role's swimlane; a decision's other path is a
    dashed arrow with its label; "!" marks a pain point and "D" a step where data is collected."""
    lanes: list[str] = []
    for step in steps:
        lane = step.lane or "Not assigned"
        if lane not in lanes:
            lanes.append(lane)
    lanes = lanes or ["Not assigned"]
    columns = max(1, len(steps))
    width = LANE_HEAD + columns * COL_W + 20
    height = 30 + len(lanes) * LANE_H + 70
    body: list[str] = []
    for i, lane in enumerate(lanes):
        top = 30 + i * LANE_H
        fill = PALE if i % 2 == 0 else WHITE
        body.append(
            f'<rect x="0" y="{top}" width="{width}" height="{LANE_H}" fill="{fill}" stroke="{GREY}"/>'
        )
        body.append(_lines(10, top + 24, _wrap(lane, 16), bold=True))
    body.append(_text(10, 20, "Swimlane (who)", size=12, fill=LINE))
    centre: dict[int, tuple[float, float]] = {}
    for index, step in enumerate(steps):
        cx = LANE_HEAD + index * COL_W + COL_W / 2
        cy = 30 + lanes.index(step.lane or "Not assigned") * LANE_H + LANE_H / 2
        centre[step.pk] = (cx, cy)
    for index, step in enumerate(steps):
        cx, cy = centre[step.pk]
        if index + 1 < len(steps) and step.kind != "end":
            nx, ny = centre[steps[index + 1].pk]
            if abs(ny - cy) < 1:
                body.append(_arrow(key, [(cx + STEP_W / 2, cy), (nx - STEP_W / 2, ny)]))
            else:
                mid = (cx + nx) / 2
                body.append(_arrow(key, [(cx + STEP_W / 2, cy), (mid, cy), (mid, ny), (nx - STEP_W / 2, ny)]))
            if step.kind == "decision" and step.next_label:
                body.append(_text(cx + STEP_W / 2 + 4, cy - 6, step.next_label, size=12, bold=True))
        target = centre.get(step.branch_to_id) if step.kind == "decision" and step.branch_to_id else None
        if target is not None:
            tx, ty = target
            drop = cy + STEP_H / 2 + 18 if ty >= cy else cy - STEP_H / 2 - 18
            body.append(
                _arrow(
                    key,
                    [
                        (cx, cy + (STEP_H / 2 if ty >= cy else -STEP_H / 2)),
                        (cx, drop),
                        (tx, drop),
                        (tx, ty + (STEP_H / 2 if ty >= cy else -STEP_H / 2)),
                    ],
                    dashed=True,
                )
            )
            body.append(
                _text(cx + 6, drop - 4 if ty >= cy else drop + 14, step.branch_label, size=12, bold=True)
            )
    for index, step in enumerate(steps):
        cx, cy = centre[step.pk]
        body.append(_step_shape(step, cx, cy))
        body.append(
            _lines(
                cx, cy - 8 - 0 * STEP_H, _wrap(f"{index + 1}. {step.text}", 20)[:3], size=12, anchor="middle"
            )
        )
        if step.note:
            body.append(_circle(cx + STEP_W / 2 - 6, cy - STEP_H / 2 + 2, 10, WHITE, RED))
            body.append(
                _text(
                    cx + STEP_W / 2 - 6,
                    cy - STEP_H / 2 + 7,
                    "!",
                    size=13,
                    anchor="middle",
                    bold=True,
                    fill=RED,
                )
            )
        if step.data_collected:
            body.append(
                _rect(cx - STEP_W / 2 - 4, cy - STEP_H / 2 - 8, 18, 18, WHITE, GREEN, 'stroke-width="2"')
            )
            body.append(
                _text(
                    cx - STEP_W / 2 + 5,
                    cy - STEP_H / 2 + 6,
                    "D",
                    size=12,
                    anchor="middle",
                    bold=True,
                    fill=GREEN,
                )
            )
    legend_y = height - 30
    body.append(
        _text(
            10,
            legend_y,
            "Key: rounded = start or end; box = activity; diamond = decision; "
            "dashed box = wait or delay; ! = what goes wrong here; D = data collected.",
            size=12,
            fill=LINE,
        )
    )
    pains = sum(1 for s in steps if s.note)
    decisions = sum(1 for s in steps if s.kind == "decision")
    description = (
        f"Process map with {len(steps)} steps in {len(lanes)} swimlanes ({', '.join(lanes)}); "
        f"{decisions} decisions; {pains} steps where things go wrong. The table below lists every step."
    )
    return _document(key, width, height, title, description, body)


def _step_shape(step: Any, cx: float, cy: float) -> str:
    x, y, w, h = cx - STEP_W / 2, cy - STEP_H / 2, STEP_W, STEP_H
    common = f'fill="{WHITE}" stroke="{BLUE}" stroke-width="2"'
    if step.kind in ("start", "end"):
        return f'<rect x="{x:.0f}" y="{y:.0f}" width="{w}" height="{h}" rx="35" {common} fill-opacity="1"/>'
    if step.kind == "decision":
        points = (
            f"{cx:.0f},{y - 8:.0f} {x + w + 6:.0f},{cy:.0f} {cx:.0f},{y + h + 8:.0f} {x - 6:.0f},{cy:.0f}"
        )
        return f'<polygon points="{points}" fill="{WARM}" stroke="{DARK_BLUE}" stroke-width="2"/>'
    if step.kind == "wait":
        return _rect(x, y, w, h, PALE, LINE, 'stroke-width="2" stroke-dasharray="6 4"')
    return f'<rect x="{x:.0f}" y="{y:.0f}" width="{w}" height="{h}" rx="4" {common}/>'


# --- fishbone ------------------------------------------------------------------------------------------

RIB_W = 320


def fishbone(
    key: str, title: str, effect: str, categories: Sequence[Any], causes_of: dict[int, list[Any]]
) -> Svg:
    """The effect at the head on the right; categories on ribs above and below the spine; causes (and
    their sub-causes, indented) listed along each rib. Marked causes are bold on a yellow band, with ★."""

    def lines_of(item: Any, depth: int) -> list[tuple[int, Any]]:
        found = [(depth, item)]
        for child in causes_of.get(item.pk, []):
            found.extend(lines_of(child, depth + 1))
        return found

    ribs = [
        (category, [row for child in causes_of.get(category.pk, []) for row in lines_of(child, 0)])
        for category in categories
    ]
    top = ribs[0::2]
    bottom = ribs[1::2]
    per_side = max(1, len(top))
    tallest = max([len(rows) for _c, rows in ribs] + [2])
    half = 50 + tallest * 20
    width = 90 + per_side * RIB_W + 230
    spine_y = half + 20
    height = spine_y + half + 20
    body: list[str] = []
    head_x = 90 + per_side * RIB_W
    body.append(
        f'<line x1="20" y1="{spine_y}" x2="{head_x}" y2="{spine_y}" stroke="{LINE}" stroke-width="4"/>'
    )
    effect_lines = _wrap(effect or title, 24)[:6]
    box_h = max(60, 20 * len(effect_lines) + 20)
    body.append(_rect(head_x, spine_y - box_h / 2, 210, box_h, BLUE, extra='rx="6"'))
    body.append(
        _lines(head_x + 105, spine_y - box_h / 2 + 26, effect_lines, anchor="middle", bold=True, fill=WHITE)
    )
    for side, group in ((-1, top), (1, bottom)):
        for i, (category, rows) in enumerate(group):
            x_end = 90 + (i + 1) * RIB_W - 20
            x_start = x_end - 90
            y_far = spine_y + side * (half - 10)
            body.append(_line(x_start, y_far, x_end, spine_y, LINE, 'stroke-width="2"'))
            label_y = y_far - 8 if side < 0 else y_far + 18
            body.append(
                _text(x_start, label_y, category.text, size=14, anchor="middle", bold=True, fill=DARK_BLUE)
            )
            for j, (depth, cause) in enumerate(rows):
                y = (y_far + 26 + j * 20) if side < 0 else (spine_y + 26 + j * 20)
                # Causes hang off the rib: each line ends just left of where the rib is at its height.
                rib_x = x_start + (x_end - x_start) * (y - 5 - y_far) / (spine_y - y_far)
                right = rib_x - 8 - depth * 14
                label = ("– " if depth else "") + cause.text + (f" ({cause.votes})" if cause.votes else "")
                label = _clip(("★ " if cause.marked else "") + label, 38 - depth * 2)
                if cause.marked:
                    wide = round(len(label) * 7.2) + 10
                    body.append(
                        f'<rect x="{right - wide + 4:.0f}" y="{y - 14}" width="{wide}" height="19" '
                        f'fill="{MARK_FILL}" stroke="{DARK_BLUE}"/>'
                    )
                body.append(_text(right, y, label, size=12, anchor="end", bold=bool(cause.marked)))
    marked = sum(1 for _c, rows in ribs for _d, cause in rows if cause.marked)
    count = sum(len(rows) for _c, rows in ribs)
    description = (
        f"Cause and effect diagram of ‘{effect or title}’: {len(categories)} categories "
        f"({', '.join(c.text for c in categories)}), {count} causes, {marked} marked for action. "
        "The list below gives every cause."
    )
    return _document(key, width, height, title, description, body)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Pareto chart --------------------------------------------------------------------------------------


def pareto_chart(key: str, title: str, result: ParetoResult | None, vital: int) -> Svg:
    """Bars in order of frequency (the vital few dark blue), the cumulative percentage line with its
    axis on the right, and a dashed line at 80%."""
    bars = result.bars if result else ()
    left, right, top, plot_h = 60, 60, 30, 260
    bar_w = 80
    width = left + max(1, len(bars)) * bar_w + right
    height = top + plot_h + 110
    body: list[str] = []
    peak = max([b.count for b in bars] + [1])
    step = _nice_step(peak)
    y_max = step * math.ceil(peak / step)
    base = top + plot_h
    for k in range(0, int(y_max / step) + 1):
        value = k * step
        y = base - plot_h * value / y_max
        body.append(f'<line x1="{left}" y1="{y:.0f}" x2="{width - right}" y2="{y:.0f}" stroke="{PALE}"/>')
        body.append(_text(left - 6, y + 4, f"{value:,}", size=12, anchor="end", fill=LINE))
    for pct in (0, 20, 40, 60, 80, 100):
        y = base - plot_h * pct / 100
        body.append(_text(width - right + 6, y + 4, f"{pct}%", size=12, fill=LINE))
    y80 = base - plot_h * 0.8
    body.append(_line(left, y80, width - right, y80, GREY, 'stroke-dasharray="4 4"'))
    points = []
    for i, bar in enumerate(bars):
        x = left + i * bar_w + 10
        h = plot_h * bar.count / y_max
        fill = DARK_BLUE if i < vital else "#88BDE6"
        body.append(_rect(x, base - h, bar_w - 20, h, fill, DARK_BLUE))
        body.append(
            _text(x + (bar_w - 20) / 2, base - h - 6, f"{bar.count:,}", size=12, anchor="middle", bold=True)
        )
        body.append(
            _lines(x + (bar_w - 20) / 2, base + 16, _wrap(bar.category, 11)[:4], size=12, anchor="middle")
        )
        points.append((x + (bar_w - 20) / 2, base - plot_h * bar.cumulative_proportion))
    if points:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.0f},{y:.0f}" for i, (x, y) in enumerate(points))
        body.append(f'<path d="{path}" fill="none" stroke="{INK}" stroke-width="2"/>')
        body.extend(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="4" fill="{INK}"/>' for x, y in points)
    body.append(
        f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="{LINE}" stroke-width="2"/>'
    )
    body.append(_text(left, 18, "Count (bars)", size=12, fill=LINE))
    body.append(_text(width - 4, 18, "Cumulative % (line)", size=12, anchor="end", fill=LINE))
    if result:
        few = ", ".join(b.category for b in bars[:vital])
        description = (
            (
                f"Pareto chart of {result.total:,} counts in {len(bars)} categories, most frequent first, "
                f"with the cumulative percentage. The vital few ({few}) make "
                f"{bars[vital - 1].cumulative_percentage:.0f}% "
                "of the total. The table below gives every count and percentage."
            )
            if vital
            else f"Pareto chart of {result.total:,} counts in {len(bars)} categories."
        )
    else:
        description = "Pareto chart with no counts yet."
    return _document(key, width, height, title, description, body)


def _nice_step(peak: int) -> int:
    raw = max(1.0, peak / 5)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return int(factor * power)
    return int(10 * power)


# --- 5 whys --------------------------------------------------------------------------------------------

WHY_W, WHY_H, WHY_COL, WHY_ROW = 200, 64, 250, 84


def five_whys(key: str, title: str, problem: str, children_of: dict[int | None, list[Any]]) -> Svg:
    """The problem on the left; each answer to "why?" to the right of what it explains; root causes
    bold on yellow with ★. Branches stack downwards."""
    placed: list[tuple[int, int, Any]] = []  # (depth, row, item)
    rows = [0]

    def place(parent: int | None, depth: int) -> None:
        for child in children_of.get(parent, []):
            placed.append((depth, rows[0], child))
            if children_of.get(child.pk):
                place(child.pk, depth + 1)
            else:
                rows[0] += 1

    place(None, 1)
    depth_max = max([d for d, _r, _i in placed] + [0])
    n_rows = max(1, rows[0])
    width = 20 + (depth_max + 1) * WHY_COL
    height = 30 + n_rows * WHY_ROW + 20
    body: list[str] = []
    where: dict[int | None, tuple[float, float]] = {None: (20, 30 + WHY_H / 2)}
    body.append(f'<rect x="20" y="30" width="{WHY_W}" height="{WHY_H}" rx="6" fill="{BLUE}"/>')
    body.append(
        _lines(
            20 + WHY_W / 2,
            52,
            _wrap(problem or title, 26)[:3],
            size=12,
            anchor="middle",
            bold=True,
            fill=WHITE,
        )
    )
    for depth, row, item in placed:
        x = 20 + depth * WHY_COL
        y = 30 + row * WHY_ROW
        where[item.pk] = (x, y + WHY_H / 2)
    for _depth, _row, item in placed:
        left, cy = where[item.pk]
        px, py = where[item.parent_id] if item.parent_id in where else where[None]
        if abs(py - cy) < 1:
            path = [(px + WHY_W, py), (left, cy)]
        else:  # a branch below: down the gap between the columns, then across
            path = [(px + WHY_W, py), (left - 30, py), (left - 30, cy), (left, cy)]
        body.append(_arrow(key, path))
        body.append(_text(left - 24, cy - 6, "why?", size=12, anchor="middle", fill=LINE))
        fill, stroke = (MARK_FILL, DARK_BLUE) if item.marked else (WHITE, BLUE)
        width_attr = f'rx="4" stroke-width="{3 if item.marked else 2}"'
        body.append(_rect(left, cy - WHY_H / 2, WHY_W, WHY_H, fill, stroke, width_attr))
        label = ("★ Root cause: " if item.marked else "Because ") + item.text
        body.append(
            _lines(left + 8, cy - WHY_H / 2 + 18, _wrap(label, 30)[:3], size=12, bold=bool(item.marked))
        )
    roots = [i for _d, _r, i in placed if i.marked]
    description = (
        f"5 whys from the problem ‘{problem or title}’: {len(placed)} answers, {depth_max} levels deep, "
        f"{len(roots)} root causes ({', '.join(i.text for i in roots) or 'none marked yet'}). "
        "The list below gives every answer."
    )
    return _document(key, width, height, title, description, body)


# --- stakeholder analysis ------------------------------------------------------------------------------


def stakeholder_grid(key: str, title: str, stakeholders: Sequence[Any]) -> Svg:
    """Interest across (1 to 5), influence up (1 to 5), in four quadrants; each stakeholder is a
    numbered marker (a square for service users and carers) keyed in the list on the right."""
    size, left, top = 380, 70, 30
    cell = size / 5
    width = left + size + 330
    height = max(top + size + 60, top + 24 * len(stakeholders) + 40)
    body: list[str] = []
    # Levels 3 to 5 are high (see `quadrant`): the quadrants divide between levels 2 and 3.
    split = 2 * cell
    quadrants = (
        (left, top, size - split, size - split, "Keep satisfied", PALE),
        (left + split, top, size - split, size - split, "Manage closely", WHITE),
        (left, top + size - split, split, split, "Monitor", WHITE),
        (left + split, top + size - split, size - split, split, "Keep informed", PALE),
    )
    for qx, qy, qw, qh, label, fill in quadrants:
        body.append(_rect(qx, qy, qw, qh, fill, GREY))
        body.append(_text(qx + 8, qy + 18, label, size=12, bold=True, fill=LINE))
    body.append(
        _text(
            left + size / 2, top + size + 40, "Interest in the project →", size=13, anchor="middle", bold=True
        )
    )
    body.append(
        f'<text x="20" y="{top + size / 2:.0f}" font-size="13" font-weight="700" text-anchor="middle" '
        f'fill="{INK}" '
        f'transform="rotate(-90 20 {top + size / 2:.0f})">Influence →</text>'
    )
    for k in range(1, 6):
        body.append(
            _text(left + (k - 0.5) * cell, top + size + 18, str(k), size=12, anchor="middle", fill=LINE)
        )
        body.append(
            _text(left - 8, top + size - (k - 0.5) * cell + 4, str(k), size=12, anchor="end", fill=LINE)
        )
    crowd: dict[tuple[int, int], int] = {}
    for number, person in enumerate(stakeholders, start=1):
        influence, interest = person.influence or 1, person.interest or 1
        slot = crowd.get((influence, interest), 0)
        crowd[(influence, interest)] = slot + 1
        cx = left + (interest - 0.5) * cell + (0, 22, -22)[slot % 3]
        cy = top + size - (influence - 0.5) * cell + (slot // 3) * 22
        if person.is_service_user:
            body.append(_rect(cx - 10, cy - 10, 20, 20, MARK_FILL, DARK_BLUE, 'stroke-width="2"'))
        else:
            body.append(_circle(cx, cy, 11, BLUE, DARK_BLUE))
        body.append(
            _text(
                cx,
                cy + 4,
                str(number),
                size=12,
                anchor="middle",
                bold=True,
                fill=INK if person.is_service_user else WHITE,
            )
        )
        body.append(
            _text(
                left + size + 24,
                top + 10 + (number - 1) * 24,
                _clip(
                    f"{number}. {person.text}"
                    + (" (service users/carers)" if person.is_service_user else ""),
                    46,
                ),
                size=12,
            )
        )
    description = (
        f"Stakeholder grid of {len(stakeholders)} people or groups by influence and interest. "
        "The table below gives each one's influence, interest and how the team will involve them."
    )
    return _document(key, width, height, title, description, body)


def quadrant(influence: int | None, interest: int | None) -> str:
    high_influence, high_interest = (influence or 0) >= 3, (interest or 0) >= 3
    if high_influence and high_interest:
        return "Manage closely"
    if high_influence:
        return "Keep satisfied"
    if high_interest:
        return "Keep informed"
    return "Monitor"


# --- affinity diagram ----------------------------------------------------------------------------------

NOTE_W, NOTE_H, THEME_COL = 180, 58, 200


def affinity(key: str, title: str, themes: Sequence[tuple[str, bool, Sequence[Any]]]) -> Svg:
    """A column per theme (its name on top, its notes below as sticky notes); notes in no theme yet in
    a last column. A theme that seeded a primary driver says so."""
    columns = max(1, len(themes))
    tallest = max([len(notes) for _t, _d, notes in themes] + [1])
    width = 20 + columns * THEME_COL
    height = 90 + tallest * (NOTE_H + 10) + 20
    body: list[str] = []
    for i, (name, seeded, notes) in enumerate(themes):
        x = 20 + i * THEME_COL
        body.append(f'<rect x="{x}" y="20" width="{NOTE_W}" height="50" rx="4" fill="{DARK_BLUE}"/>')
        body.append(
            _lines(x + NOTE_W / 2, 40, _wrap(name, 22)[:2], size=13, anchor="middle", bold=True, fill=WHITE)
        )
        if seeded:
            body.append(_text(x + NOTE_W / 2, 84, "→ primary driver", size=12, anchor="middle", fill=LINE))
        for j, note in enumerate(notes):
            y = 92 + j * (NOTE_H + 10)
            body.append(
                f'<rect x="{x}" y="{y}" width="{NOTE_W}" height="{NOTE_H}" fill="{WARM}" stroke="{GREY}"/>'
            )
            body.append(_lines(x + 8, y + 18, _wrap(note.text, 26)[:3], size=12))
    count = sum(len(notes) for _t, _d, notes in themes)
    description = (
        f"Affinity diagram: {count} notes in {len(themes)} groups ({', '.join(t for t, _d, _n in themes)}). "
        "The list below gives every note under its theme."
    )
    return _document(key, width, height, title, description, body)
