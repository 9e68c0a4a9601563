"""A measure's chart: from stored points to `openqi.spc` results, a `ChartSpec`, the SVG, the summary
sentences, the icons and the data table, cached per data version.

Which engine: XmR, T and G charts use `mdc()` (NHS Making Data Count: its rules, colours and icons);
run, P, P′, U, U′ and C charts use `qic()` (qicharts2: 3-sigma limits and Anhøj runs rules), because
MDC is defined for XmR charts only. An XmR chart with excluded points also uses `qic()`, since only
qicharts2 defines how exclusion works. See docs/adr/0102-measures.md.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from openqi.charts import (
    ChartSpec,
    data_table_headers,
    data_table_rows,
    render_png,
    render_svg,
    spec_from_mdc,
    spec_from_qic,
    summarise,
)
from openqi.measures.models import Annotation, DataPoint, LimitChange, LimitChangeKind, Measure
from openqi.measures.services import chart_to_draw
from openqi.spc import (
    AssuranceIcon,
    Improvement,
    MDCResult,
    PointType,
    QicResult,
    SPCError,
    VariationIcon,
    mdc,
    qic,
)
from openqi.spc.icons import assurance_icon, variation_icon

# Bump when the chart's look or the way it is computed changes: every cached chart is then redrawn.
CHART_SETTINGS_VERSION = 1
CACHE_SECONDS = 30 * 24 * 3600

FULL_SIZE = (760, 380)
CARD_SIZE = (340, 170)

MDC_CHARTS = {"i": "xmr", "t": "t", "g": "g"}

CHART_NAMES = {
    "run": "Run chart",
    "p": "P chart",
    "pp": "P′ chart",
    "u": "U chart",
    "up": "U′ chart",
    "c": "C chart",
    "i": "XmR chart",
    "t": "T chart",
    "g": "G chart",
}


@dataclass
class ComputedChart:
    """Everything drawn and said about one chart, before it is rendered."""

    spec: ChartSpec
    chart: str
    summary: list[str]
    variation: str | None
    assurance: str | None
    periods: list[dt.date]
    annotation_numbers: list[tuple[int, str, dt.date]] = field(default_factory=list)

    @property
    def concern(self) -> bool:
        return self.variation is not None and "concern" in self.variation


def _index_at_or_before(periods: Sequence[dt.date], when: dt.date) -> int | None:
    found = None
    for i, p in enumerate(periods):
        if p <= when:
            found = i
        else:
            break
    return found


def _index_at_or_after(periods: Sequence[dt.date], when: dt.date) -> int | None:
    return next((i for i, p in enumerate(periods) if p >= when), None)


def _trajectory(measure: Measure, periods: Sequence[dt.date]) -> list[float | None] | None:
    if None in (
        measure.trajectory_from_date,
        measure.trajectory_from_value,
        measure.target_date,
        measure.target_value,
    ):
        return None
    start, end = measure.trajectory_from_date, measure.target_date
    assert start is not None and end is not None
    if end <= start:
        return None
    v0, v1 = float(measure.trajectory_from_value or 0), float(measure.target_value or 0)
    span = (end - start).days
    return [v0 + (v1 - v0) * (p - start).days / span if start <= p <= end else None for p in periods]


def _qic_icons(
    result: QicResult, improvement: str, target: float | None, scale: float
) -> tuple[str | None, str | None]:
    """MDC-style icons for a qicharts2 chart: the latest point outside the limits decides, else a runs
    signal in the latest part (by the side of the centre the latest point is on), else common cause."""
    p = result.points
    y = p.y.tolist()
    observed = [i for i, v in enumerate(y) if v is not None and math.isfinite(v)]
    if not observed:
        return None, None
    last = observed[-1]
    direction = Improvement(improvement)
    cl, ucl, lcl = float(p.cl[last]), float(p.ucl[last]), float(p.lcl[last])
    point_type = PointType.COMMON_CAUSE
    high: bool | None = None
    if bool(p.sigma_signal[last]):
        high = y[last] > ucl
    else:
        part = int(p.part[last])
        summary = next((s for s in result.summary if s.part == part), None)
        if summary is not None and summary.runs_signal and math.isfinite(cl) and y[last] != cl:
            high = y[last] > cl
    if high is not None:
        if direction is Improvement.NEUTRAL:
            point_type = PointType.SPECIAL_CAUSE_NEUTRAL_HIGH if high else PointType.SPECIAL_CAUSE_NEUTRAL_LOW
        elif high == (direction is Improvement.INCREASE):
            point_type = PointType.SPECIAL_CAUSE_IMPROVEMENT
        else:
            point_type = PointType.SPECIAL_CAUSE_CONCERN
    variation = variation_icon(point_type, direction).value
    assurance: AssuranceIcon | None = None
    if result.chart != "run" and target is not None:
        assurance = assurance_icon(target / scale, lcl, ucl, direction)
    return variation, assurance.value if assurance else None


def _nan(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else v for v in values]


def _ratio(num: float | None, den: float | None) -> float | None:
    return None if num is None or not den else num / den


def compute_chart(
    measure: Measure,
    points: Sequence[DataPoint],
    limit_changes: Sequence[LimitChange] = (),
    annotations: Sequence[Annotation] = (),
) -> ComputedChart:
    points = sorted(points, key=lambda p: p.period)
    periods = [p.period for p in points]
    ratio = measure.has_denominator
    scale = 100.0 if measure.is_percent else 1.0
    target = float(measure.target_value) if measure.target_value is not None else None
    if ratio:
        y: list[float | None] = [float(p.numerator) if p.numerator is not None else None for p in points]
        n: list[float | None] | None = [
            float(p.denominator) if p.denominator is not None else None for p in points
        ]
        dens = [d for d in (n or []) if d]
        mean_den = sum(dens) / len(dens) if dens else None
    else:
        y = [float(p.value) if p.value is not None else None for p in points]
        n, mean_den = None, None
    n_points = sum(v is not None for v in y)
    chart = chart_to_draw(measure, n_points=n_points, mean_denominator=mean_den)
    excluded = [i for i, p in enumerate(points) if p.excluded]
    rebase = sorted(
        {
            i
            for c in limit_changes
            if c.kind == LimitChangeKind.REBASE
            for i in [_index_at_or_after(periods, c.period)]
            if i is not None and i > 0
        }
    )
    freezes = [c for c in limit_changes if c.kind == LimitChangeKind.FREEZE]
    freeze: int | None = None
    if freezes:
        idx = _index_at_or_before(periods, max(freezes, key=lambda c: (c.created_at, c.pk or 0)).period)
        freeze = idx + 1 if idx is not None and idx + 1 < len(points) else None
    notes = sorted(annotations, key=lambda a: (a.period, a.pk or 0))
    chart_notes: list[tuple[int, int, str]] = []
    numbered: list[tuple[int, str, dt.date]] = []
    for number, note in enumerate(notes, start=1):
        numbered.append((number, note.label, note.period))
        i = _index_at_or_before(periods, note.period)
        if i is None and periods:
            i = 0
        if i is not None:
            chart_notes.append((i, number, note.label))
    trajectory = _trajectory(measure, periods)
    title = measure.name
    common: dict[str, Any] = {
        "title": title,
        "x_labels": periods,
        "unit": measure.display_unit,
        "percent": measure.is_percent,
        "scale": scale,
        "period": measure.period_word,
        "target": target,
        "trajectory": trajectory,
        "annotations": chart_notes,
        "y_label": measure.display_unit,
    }
    result: QicResult | MDCResult
    with warnings.catch_warnings():
        # A FewPointsWarning is expected for young measures; the chart says so in words.
        warnings.simplefilter("ignore")
        if not points:
            return ComputedChart(
                spec=ChartSpec(title=title, x=[], y=[]),
                chart=chart,
                summary=[
                    f"No data yet: the chart appears once the first {measure.period_word[:-1]} is recorded."
                ],
                variation=None,
                assurance=None,
                periods=[],
                annotation_numbers=numbered,
            )
        try:
            if chart in MDC_CHARTS and not excluded:
                values = y if n is None else [_ratio(v, d) for v, d in zip(y, n, strict=True)]
                result = mdc(
                    _nan(values),
                    improvement=measure.improvement,
                    target=target / scale if target is not None else None,
                    rebase=rebase or None,
                    fix_after_n_points=freeze,
                    chart=MDC_CHARTS[chart],
                )
                spec = spec_from_mdc(
                    result,
                    title=title,
                    x_labels=periods,
                    y_label=common["y_label"],
                    unit=common["unit"],
                    percent=common["percent"],
                    scale=scale,
                    period=common["period"],
                    target=target,
                    trajectory=trajectory,
                    baseline_end=freeze - 1 if freeze else None,
                    annotations=chart_notes,
                )
                variation = result.variation_icon.value if result.variation_icon else None
                assurance = result.assurance_icon.value if result.assurance_icon else None
            else:
                result = qic(
                    _nan(y),
                    n=None if n is None else _nan(n),
                    chart=chart,
                    freeze=freeze,
                    part=rebase or None,
                    exclude=excluded or None,
                )
                spec = spec_from_qic(
                    result,
                    title=title,
                    x_labels=periods,
                    improvement=measure.improvement,
                    y_label=common["y_label"],
                    unit=common["unit"],
                    percent=common["percent"],
                    scale=scale,
                    period=common["period"],
                    target=target,
                    trajectory=trajectory,
                    annotations=chart_notes,
                )
                variation, assurance = _qic_icons(result, measure.improvement, target, scale)
            summary = summarise(
                result,
                periods,
                improvement=measure.improvement,
                period=measure.period_word,
                unit=measure.display_unit,
                percent=measure.is_percent,
                scale=scale,
                target=target,
            )
        except SPCError as error:
            # Data the engine cannot chart (a negative count, say) still gets a run chart and an explanation.
            result = qic(_nan(y), n=None if n is None else _nan(n), chart="run")
            spec = spec_from_qic(
                result,
                title=title,
                x_labels=periods,
                improvement=measure.improvement,
                unit=common["unit"],
                percent=common["percent"],
                scale=scale,
                period=common["period"],
                target=target,
                annotations=chart_notes,
            )
            name = CHART_NAMES.get(chart, chart)
            summary = [f"This data cannot be shown as a {name}: {error}. A run chart is shown instead."]
            chart = "run"
            variation, assurance = None, None
    return ComputedChart(
        spec=spec,
        chart=chart,
        summary=summary,
        variation=variation,
        assurance=assurance,
        periods=periods,
        annotation_numbers=numbered,
    )


def load_chart_inputs(
    measure: Measure, project_id: int | None
) -> tuple[list[DataPoint], list[LimitChange], list[Annotation]]:
    points = list(measure.points.all())
    changes = list(measure.limit_changes.all())
    notes_qs = measure.annotations.select_related("pdsa_cycle", "story_entry")
    notes = [a for a in notes_qs if a.project_id is None or a.project_id == project_id]
    return points, changes, notes


def cache_key(measure: Measure, project_id: int | None, variant: str) -> str:
    """Keyed by everything that changes the picture: data (and notes) version, definition version,
    project (annotations are per project) and the renderer's own version."""
    versions = f"{CHART_SETTINGS_VERSION}:{measure.data_version}:{measure.version}"
    return f"measures:chart:{measure.pk}:{versions}:{project_id or 0}:{variant}"


def _variation_label(value: str | None) -> str:
    return VariationIcon(value).description if value else ""


def _render_payloads(measure: Measure, project_id: int | None, chart_id: str) -> dict[str, dict[str, Any]]:
    computed = compute_chart(measure, *load_chart_inputs(measure, project_id))
    spec = computed.spec
    base = {
        "chart": computed.chart,
        "summary": computed.summary,
        "variation": computed.variation,
        "assurance": computed.assurance,
        "concern": computed.concern,
        "n_points": len(spec.y),
    }
    if len(spec.y):
        card_svg = render_svg(spec, *CARD_SIZE, compact=True, chart_id=f"card{chart_id}")
        full_svg = render_svg(spec, *FULL_SIZE, chart_id=f"chart{chart_id}")
        headers = data_table_headers(spec)
        rows = [[getattr(r, attr) for attr, _ in headers] for r in data_table_rows(spec)]
    else:
        card_svg = full_svg = ""
        headers, rows = [], []
    return {
        "card": {**base, "svg": card_svg},
        "full": {
            **base,
            "svg": full_svg,
            "table_headers": [h for _, h in headers],
            "table_rows": rows,
            "periods": [p.isoformat() for p in computed.periods],
            "annotations": [
                (num, label, when.isoformat()) for num, label, when in computed.annotation_numbers
            ],
        },
    }


def chart_payload(measure: Measure, project_id: int | None, variant: str, chart_id: str) -> dict[str, Any]:
    key = cache_key(measure, project_id, variant)
    payload = cache.get(key)
    if payload is None:
        payloads = _render_payloads(measure, project_id, chart_id)
        cache.set_many({cache_key(measure, project_id, v): p for v, p in payloads.items()}, CACHE_SECONDS)
        payload = payloads[variant]
    return payload  # type: ignore[no-any-return]


def card_payloads(items: Sequence[tuple[Measure, int | None, str]]) -> list[dict[str, Any]]:
    """Small-multiple payloads for many measures with one cache round trip (the project page)."""
    keys = [cache_key(m, pid, "card") for m, pid, _ in items]
    found = cache.get_many(keys)
    out = []
    for (measure, project_id, chart_id), key in zip(items, keys, strict=True):
        payload = found.get(key)
        if payload is None:
            payload = chart_payload(measure, project_id, "card", chart_id)
        out.append(payload)
    return out


def chart_files(measure: Measure, project_id: int | None, fmt: str) -> bytes:
    """The full chart as a standalone file for slides and reports."""
    svg = chart_payload(measure, project_id, "full", "x")["svg"] or render_svg(
        ChartSpec(title=measure.name, x=[], y=[])
    )
    if fmt == "png":
        return render_png(svg, 2)
    return svg.encode("utf-8")
