"""A measure's chart: which chart to draw, then from stored points to `openqi.spc` results, a
`ChartSpec`, the SVG, the summary sentences, the icons and the data table, cached per data version.

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
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.cache import caches

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
from openqi.measures.models import (
    Annotation,
    ChartType,
    DataKind,
    DataPoint,
    LimitChange,
    LimitChangeKind,
    Measure,
    ProjectMeasure,
)
from openqi.spc import (
    AssuranceIcon,
    Improvement,
    MDCResult,
    PointType,
    QicResult,
    SPCError,
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


# --- which chart --------------------------------------------------------------------------------------

# A P or U chart's limits get so narrow with very large denominators that nearly every point signals
# (over-dispersion); Laney's P′/U′ is then the chart to use. A mean denominator in the thousands (e.g. A&E
# attendances) is where that typically starts.
LARGE_DENOMINATOR = 1000

_SUGGESTED = {
    DataKind.PROPORTION: ChartType.P,
    DataKind.RATE: ChartType.U,
    DataKind.COUNT: ChartType.C,
    DataKind.CONTINUOUS: ChartType.I,
    DataKind.TIME_BETWEEN: ChartType.T,
    DataKind.CASES_BETWEEN: ChartType.G,
}


def suggest_chart(kind: str, *, mean_denominator: float | None = None) -> str:
    """The control chart for this kind of data (the SPC references' table; docs/spc.md)."""
    chart = _SUGGESTED[DataKind(kind)]
    if mean_denominator is not None and mean_denominator >= LARGE_DENOMINATOR:
        chart = {ChartType.P: ChartType.PP, ChartType.U: ChartType.UP}.get(chart, chart)
    return chart.value


def chart_to_draw(measure: Measure, *, n_points: int, mean_denominator: float | None = None) -> str:
    """The chart actually drawn: the team's choice or the suggestion, but a run chart until there are
    enough points for meaningful limits (`min_points_for_limits`). T and G charts are for rare events,
    where every point is precious, so they follow the same rule."""
    chart = measure.chart_type
    if chart == ChartType.AUTO:
        chart = suggest_chart(measure.kind, mean_denominator=mean_denominator)
    if chart != ChartType.RUN and n_points < max(measure.min_points_for_limits, 2):
        return ChartType.RUN.value
    return str(chart)


# --- from points to a computed chart ------------------------------------------------------------------


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


@dataclass(frozen=True)
class Series:
    """A measure's points, oldest first, as the SPC engines take them: `y` holds the values, or the
    numerators of a proportion or rate, whose denominators are in `n`."""

    periods: list[dt.date]
    y: list[float | None]
    n: list[float | None] | None
    excluded: list[int]

    @classmethod
    def of(cls, measure: Measure, points: Sequence[DataPoint]) -> Series:
        def number(value: Any) -> float | None:
            return None if value is None else float(value)

        if measure.has_denominator:
            y = [number(p.numerator) for p in points]
            n: list[float | None] | None = [number(p.denominator) for p in points]
        else:
            y, n = [number(p.value) for p in points], None
        excluded = [i for i, p in enumerate(points) if p.excluded]
        return cls([p.period for p in points], y, n, excluded)

    @property
    def n_points(self) -> int:
        return sum(v is not None for v in self.y)

    @property
    def mean_denominator(self) -> float | None:
        dens = [d for d in (self.n or []) if d]
        return sum(dens) / len(dens) if dens else None

    def values(self) -> list[float | None]:
        """One value per point: for a proportion or rate, numerator over denominator."""
        if self.n is None:
            return self.y
        return [None if v is None or not d else v / d for v, d in zip(self.y, self.n, strict=True)]


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


@dataclass(frozen=True)
class Limits:
    """The team's decisions about the limits, as point indexes: new limit periods start at each of
    `rebase`; with `freeze`, the baseline limits come from the first `freeze` points."""

    rebase: list[int]
    freeze: int | None

    @classmethod
    def of(cls, periods: Sequence[dt.date], changes: Sequence[LimitChange]) -> Limits:
        rebase = sorted(
            {
                i
                for c in changes
                if c.kind == LimitChangeKind.REBASE
                for i in [_index_at_or_after(periods, c.period)]
                if i is not None and i > 0
            }
        )
        freezes = [c for c in changes if c.kind == LimitChangeKind.FREEZE]
        freeze: int | None = None
        if freezes:
            # The latest freeze the team made is the one in force.
            latest = max(freezes, key=lambda c: (c.created_at, c.pk or 0))
            idx = _index_at_or_before(periods, latest.period)
            freeze = idx + 1 if idx is not None and idx + 1 < len(periods) else None
        return cls(rebase, freeze)


def _numbered_notes(
    periods: Sequence[dt.date], annotations: Sequence[Annotation]
) -> tuple[list[tuple[int, int, str]], list[tuple[int, str, dt.date]]]:
    """Annotations numbered in period order: (point index, number, label) for the chart, where a note
    before the first point goes on the first point, and (number, label, period) for the list below it."""
    on_chart: list[tuple[int, int, str]] = []
    numbered: list[tuple[int, str, dt.date]] = []
    for number, note in enumerate(sorted(annotations, key=lambda a: (a.period, a.pk or 0)), start=1):
        numbered.append((number, note.label, note.period))
        i = _index_at_or_before(periods, note.period)
        if i is None and periods:
            i = 0
        if i is not None:
            on_chart.append((i, number, note.label))
    return on_chart, numbered


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


@dataclass(frozen=True)
class Look:
    """How a measure's chart reads whichever engine computed it: title, axis, units, target, trajectory
    and numbered notes. Its fields are the keyword arguments `spec_from_mdc` and `spec_from_qic` share."""

    title: str
    x_labels: list[dt.date]
    y_label: str
    unit: str
    percent: bool
    scale: float
    period: str
    target: float | None
    trajectory: list[float | None] | None
    annotations: list[tuple[int, int, str]]

    @classmethod
    def of(cls, measure: Measure, periods: list[dt.date], notes: list[tuple[int, int, str]]) -> Look:
        return cls(
            title=measure.name,
            x_labels=periods,
            y_label=measure.display_unit,
            unit=measure.display_unit,
            percent=measure.is_percent,
            # Proportions are computed as fractions and shown as percentages.
            scale=100.0 if measure.is_percent else 1.0,
            period=measure.period_word,
            target=float(measure.target_value) if measure.target_value is not None else None,
            trajectory=_trajectory(measure, periods),
            annotations=notes,
        )

    def spec_arguments(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def target_fraction(self) -> float | None:
        """The target in the units the engines compute in."""
        return self.target / self.scale if self.target is not None else None


@dataclass(frozen=True)
class Drawn:
    """One engine's result, the chart made from it, and its icons."""

    result: QicResult | MDCResult
    spec: ChartSpec
    variation: str | None
    assurance: str | None


def _nan(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else v for v in values]


def _mdc_chart(measure: Measure, chart: str, series: Series, limits: Limits, look: Look) -> Drawn:
    result = mdc(
        _nan(series.values()),
        improvement=measure.improvement,
        target=look.target_fraction,
        rebase=limits.rebase or None,
        fix_after_n_points=limits.freeze,
        chart=MDC_CHARTS[chart],
    )
    spec = spec_from_mdc(
        result,
        baseline_end=limits.freeze - 1 if limits.freeze else None,
        **look.spec_arguments(),
    )
    variation = result.variation_icon.value if result.variation_icon else None
    assurance = result.assurance_icon.value if result.assurance_icon else None
    return Drawn(result, spec, variation, assurance)


def _qic_spec(measure: Measure, result: QicResult, look: Look) -> ChartSpec:
    return spec_from_qic(result, improvement=measure.improvement, **look.spec_arguments())


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


def _qic_chart(measure: Measure, chart: str, series: Series, limits: Limits, look: Look) -> Drawn:
    result = qic(
        _nan(series.y),
        n=None if series.n is None else _nan(series.n),
        chart=chart,
        freeze=limits.freeze,
        part=limits.rebase or None,
        exclude=series.excluded or None,
    )
    variation, assurance = _qic_icons(result, measure.improvement, look.target, look.scale)
    return Drawn(result, _qic_spec(measure, result, look), variation, assurance)


def _run_chart_instead(measure: Measure, series: Series, look: Look) -> Drawn:
    """For data the engine cannot chart as asked (a negative count, say): a plain run chart, which
    any numbers make, without the icons a run chart of this kind cannot justify."""
    result = qic(_nan(series.y), n=None if series.n is None else _nan(series.n), chart="run")
    return Drawn(result, _qic_spec(measure, result, look), None, None)


def _summary(measure: Measure, result: QicResult | MDCResult, look: Look) -> list[str]:
    return summarise(
        result,
        look.x_labels,
        improvement=measure.improvement,
        period=look.period,
        unit=look.unit,
        percent=look.percent,
        scale=look.scale,
        target=look.target,
    )


def compute_chart(
    measure: Measure,
    points: Sequence[DataPoint],
    limit_changes: Sequence[LimitChange] = (),
    annotations: Sequence[Annotation] = (),
) -> ComputedChart:
    """The measure's chart: its points as a series, the chart to draw for them, the team's limits and
    notes, then the engine's result in words and pictures."""
    series = Series.of(measure, sorted(points, key=lambda p: p.period))
    chart = chart_to_draw(measure, n_points=series.n_points, mean_denominator=series.mean_denominator)
    notes, numbered = _numbered_notes(series.periods, annotations)
    if not series.periods:
        return ComputedChart(
            spec=ChartSpec(title=measure.name, x=[], y=[]),
            chart=chart,
            summary=[
                f"No data yet: the chart appears once the first {measure.period_word[:-1]} is recorded."
            ],
            variation=None,
            assurance=None,
            periods=[],
            annotation_numbers=numbered,
        )
    look = Look.of(measure, series.periods, notes)
    limits = Limits.of(series.periods, limit_changes)
    with warnings.catch_warnings():
        # A FewPointsWarning is expected for young measures; the chart says so in words.
        warnings.simplefilter("ignore")
        try:
            if chart in MDC_CHARTS and not series.excluded:
                drawn = _mdc_chart(measure, chart, series, limits, look)
            else:
                drawn = _qic_chart(measure, chart, series, limits, look)
            summary = _summary(measure, drawn.result, look)
        except SPCError as error:
            drawn = _run_chart_instead(measure, series, look)
            name = CHART_NAMES.get(chart, chart)
            summary = [f"This data cannot be shown as a {name}: {error}. A run chart is shown instead."]
            chart = "run"
    return ComputedChart(
        spec=drawn.spec,
        chart=chart,
        summary=summary,
        variation=drawn.variation,
        assurance=drawn.assurance,
        periods=series.periods,
        annotation_numbers=numbered,
    )


# --- rendered and cached ------------------------------------------------------------------------------


ChartInputs = tuple[list[DataPoint], list[LimitChange], list[Annotation]]


def load_chart_inputs(measure: Measure, project_id: int | None) -> ChartInputs:
    return load_many_chart_inputs([measure], project_id)[measure.pk]


def load_many_chart_inputs(measures: Sequence[Measure], project_id: int | None) -> dict[int, ChartInputs]:
    """What the charts of these measures are computed from, in three queries however many measures
    (a project page with a dozen uncached charts must not cost a dozen round trips of each)."""
    ids = [m.pk for m in measures]
    inputs: dict[int, ChartInputs] = {pk: ([], [], []) for pk in ids}
    for point in DataPoint.objects.filter(measure_id__in=ids).order_by("measure_id", "period"):
        inputs[point.measure_id][0].append(point)
    for change in LimitChange.objects.filter(measure_id__in=ids).order_by("measure_id", "period", "pk"):
        inputs[change.measure_id][1].append(change)
    notes = Annotation.objects.filter(measure_id__in=ids).select_related("pdsa_cycle", "story_entry")
    for note in notes.order_by("measure_id", "period", "pk"):
        if note.project_id is None or note.project_id == project_id:
            inputs[note.measure_id][2].append(note)
    return inputs


def chart_id_for(link: ProjectMeasure) -> str:
    """The id a project measure's chart carries wherever it is drawn (the SVG's `<title>` and `<desc>`
    ids are made from it): unique on any page, since a project uses a measure once."""
    return f"pm{link.pk}"


def cache_key(measure: Measure, project_id: int | None, variant: str, chart_id: str) -> str:
    """Keyed by everything that changes what is cached: data (and notes) version, definition version,
    project (annotations are per project), the renderer's own version, and the chart id. The cached SVG
    holds element ids made from the chart id, so a chart cached under one id must never be served under
    another: keyed without it, one download (drawn with a throwaway id) gave every card on the next page
    the same ids, and two charts the same accessible name."""
    versions = f"{CHART_SETTINGS_VERSION}:{measure.data_version}:{measure.version}"
    return f"measures:chart:{measure.pk}:{versions}:{project_id or 0}:{chart_id}:{variant}"


def _render_payloads(measure: Measure, inputs: ChartInputs, chart_id: str) -> dict[str, dict[str, Any]]:
    computed = compute_chart(measure, *inputs)
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
    return payloads_for([(measure, project_id, chart_id)], variant)[0]


def card_payloads(items: Sequence[tuple[Measure, int | None, str]]) -> list[dict[str, Any]]:
    """Small-multiple payloads for many measures (the project page)."""
    return payloads_for(items, "card")


def payloads_for(items: Sequence[tuple[Measure, int | None, str]], variant: str) -> list[dict[str, Any]]:
    """The `variant` payload of each (measure, project, chart id): one cache read for all of them; those
    not cached are computed from one load of their inputs and written back in one cache write (both
    variants, since the other is wanted next: the card's reader opens the chart)."""
    charts = caches["charts"]
    keys = [cache_key(m, pid, variant, cid) for m, pid, cid in items]
    found = charts.get_many(keys)
    missing = [(item, key) for item, key in zip(items, keys, strict=True) if key not in found]
    written: dict[str, Any] = {}
    for project_id in {pid for (_, pid, _), _ in missing}:
        wanted = [(m, cid) for (m, pid, cid), _ in missing if pid == project_id]
        inputs = load_many_chart_inputs([m for m, _ in wanted], project_id)
        for measure, chart_id in wanted:
            for v, payload in _render_payloads(measure, inputs[measure.pk], chart_id).items():
                written[cache_key(measure, project_id, v, chart_id)] = payload
    if written:
        charts.set_many(written, CACHE_SECONDS)
    found.update(written)
    return [found[key] for key in keys]


def warm_charts(measure: Measure) -> None:
    """Draw and cache the charts of every project that uses `measure`, so that the first reader after a
    change of its data finds them ready (called once the change is committed)."""
    links = list(measure.project_links.all())
    payloads_for([(measure, link.project_id, chart_id_for(link)) for link in links], "full")


def chart_file(link: ProjectMeasure, fmt: str) -> bytes:
    """The full chart as a standalone file for slides and reports: the chart the page shows, from the
    same cache entry. PNG bytes are cached too: rasterising is nearly all of a PNG's cost."""
    measure = link.measure
    chart_id = chart_id_for(link)
    if fmt == "png":
        key = cache_key(measure, link.project_id, "png", chart_id)
        png = caches["charts"].get(key)
        if png is None:
            png = render_png(_chart_svg(link), 2)
            caches["charts"].set(key, png, CACHE_SECONDS)
        return png  # type: ignore[no-any-return]
    return _chart_svg(link).encode("utf-8")


def _chart_svg(link: ProjectMeasure) -> str:
    measure = link.measure
    svg: str = chart_payload(measure, link.project_id, "full", chart_id_for(link))["svg"]
    return svg or render_svg(ChartSpec(title=measure.name, x=[], y=[]))
