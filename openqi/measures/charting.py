"""A measure's chart: which chart to draw, then from stored points to `openqi_spc` results, a
`ChartSpec`, the SVG, the summary sentences, the icons and the data table, cached per data version.

Which engine: the limits of run, P, P′, U, U′ and C charts come from `qic()` (qicharts2), those of
XmR, T and G charts from `mdc()` (NHS Making Data Count) unless points are excluded (only qicharts2
defines exclusion). How the chart is read depends on the measure's `chart_style`: Making Data Count
(the house style: MDC's rules, colours and icons on every chart type, `mdc_from_qic`) or qicharts2
(3-sigma and Anhøj runs rules). When a sustained shift calls for new limits, the chart suggests
recalculating them (`recalculation.py`) and withholds the assurance icon until the team does. See
docs/adr/0102-measures.md and 0103-chart-style-and-recalculation.md.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.core.cache import caches
from openqi_spc import (
    AssuranceIcon,
    Improvement,
    MDCResult,
    PointType,
    QicResult,
    SPCError,
    mdc,
    mdc_from_qic,
    qic,
)
from openqi_spc import icons as mdc_icons
from openqi_spc.render import (
    Badge,
    ChartSpec,
    data_table_headers,
    data_table_rows,
    render_paper,
    render_png,
    render_svg,
    spec_from_mdc,
    spec_from_qic,
    summarise,
)
from openqi_spc.render.model import XLabel
from openqi_spc.render.png import with_text

from openqi.measures import recalculation
from openqi.measures.dataio.dates import describe_period
from openqi.measures.dataio.exporting import ChartColumns
from openqi.measures.icons import Icon, shown_assurance, variation_icon
from openqi.measures.models import (
    Annotation,
    ChartStyle,
    ChartType,
    DataKind,
    DataPoint,
    LimitChange,
    LimitChangeKind,
    Measure,
    ProjectMeasure,
)

# Bump when the chart's look or the way it is computed changes: every cached chart is then redrawn.
CHART_SETTINGS_VERSION = 2
CACHE_SECONDS = 30 * 24 * 3600

# The chart page draws each chart at three widths and shows the one that fits its column (CSS container
# queries in measures.css), each with text large enough that, scaled to any column width it is shown
# at, no text renders under 12 CSS px: (width, height, font size, narrowest column it is shown in).
# measures.css repeats each variant's and the card's aspect ratio (a test keeps them in step).
VARIANTS = {
    "narrow": (320, 300, 14.0, 0),
    "medium": (520, 320, 13.0, 480),
    "wide": (760, 380, 13.0, 720),
}
# A card's chart is drawn 300 wide and shown 262-420 px wide (measures.css).
CARD_SIZE = (300, 160)
CARD_FONT = 14.0
# Downloads for papers and slides: PNG scale per size (slide 1920 x 1080, A4 width at 300 dpi).
PAPER_SCALE = {"standard": 2.0, "slide": 1.5, "a4": 300 / 96}

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
    """The control chart for this kind of data (the SPC references' table; docs/spc.md of openqi-spc)."""
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
    # "mdc" (Making Data Count) or "qic" (qicharts2): whose rules made the limits and signals.
    engine: str = ""
    # How the chart is read: "mdc" (the house style) or "qicharts2".
    style: str = ChartStyle.MDC.value
    # Where the limits should be recalculated (the assurance icon is withheld until they are), or None.
    recalculation: recalculation.Recalculation | None = None

    @property
    def concern(self) -> bool:
        return self.variation is not None and "concern" in self.variation


@dataclass(frozen=True)
class Series:
    """A measure's points, oldest first, as the SPC engines take them: `y` holds the values, or the
    numerators of a proportion or rate, whose denominators are in `n`; `periods` label the points (a
    measure's dates, or whatever x a posted series came with)."""

    periods: Sequence[XLabel]
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
    x_labels: Sequence[XLabel]
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

    @property
    def engine(self) -> str:
        return "mdc" if isinstance(self.result, MDCResult) else "qic"


def _nan(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else v for v in values]


def _mdc_chart(improvement: str, chart: str, series: Series, limits: Limits, look: Look) -> Drawn:
    result = mdc(
        _nan(series.values()),
        improvement=improvement,
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


def _qic_spec(improvement: str, result: QicResult, look: Look) -> ChartSpec:
    return spec_from_qic(result, improvement=improvement, **look.spec_arguments())


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
    variation = mdc_icons.variation_icon(point_type, direction).value
    assurance: AssuranceIcon | None = None
    if result.chart != "run" and target is not None:
        assurance = mdc_icons.assurance_icon(target / scale, lcl, ucl, direction)
    return variation, assurance.value if assurance else None


def _qic_result(chart: str, series: Series, limits: Limits) -> QicResult:
    """The engine's qicharts2 analysis of the series with the team's limits: both styles start from it."""
    return qic(
        _nan(series.y),
        n=None if series.n is None else _nan(series.n),
        chart=chart,
        freeze=limits.freeze,
        part=limits.rebase or None,
        exclude=series.excluded or None,
    )


def _qic_chart(improvement: str, chart: str, series: Series, limits: Limits, look: Look) -> Drawn:
    result = _qic_result(chart, series, limits)
    variation, assurance = _qic_icons(result, improvement, look.target, look.scale)
    return Drawn(result, _qic_spec(improvement, result, look), variation, assurance)


def _house_chart(improvement: str, chart: str, series: Series, limits: Limits, look: Look) -> Drawn:
    """The Making Data Count reading of a qicharts2 chart: its limits, MDC's rules, colours and icons."""
    computed = _qic_result(chart, series, limits)
    result = mdc_from_qic(computed, improvement, look.target_fraction)
    baseline = computed.points.baseline.tolist()
    frozen = any(baseline) and not all(baseline)
    baseline_end = max(i for i, b in enumerate(baseline) if b) if frozen else None
    spec = spec_from_mdc(
        result,
        baseline_end=baseline_end,
        excluded=(~computed.points.include).tolist(),
        **look.spec_arguments(),
    )
    variation = result.variation_icon.value
    assurance = result.assurance_icon.value if result.assurance_icon else None
    return Drawn(result, spec, variation, assurance)


def _run_chart_instead(measure: Measure, series: Series, look: Look) -> Drawn:
    """For data the engine cannot chart as asked (a negative count, say): a plain run chart, which
    any numbers make, without the icons a run chart of this kind cannot justify."""
    result = qic(_nan(series.y), n=None if series.n is None else _nan(series.n), chart="run")
    return Drawn(result, _qic_spec(measure.improvement, result, look), None, None)


def _summary(
    improvement: str, result: QicResult | MDCResult, look: Look, recalculate_from: int | None = None
) -> list[str]:
    return summarise(
        result,
        look.x_labels,
        improvement=improvement,
        period=look.period,
        unit=look.unit,
        percent=look.percent,
        scale=look.scale,
        target=look.target,
        recalculate_from=recalculate_from,
    )


def _drawing(chart: str, series: Series, limits: Limits, look: Look, improvement: str, style: str) -> Drawn:
    """`series` as a `chart` with the team's `limits`, read in `style`. SPCError when the data cannot
    make the chart."""
    with warnings.catch_warnings():
        # A FewPointsWarning is expected for young measures; the chart says so in words.
        warnings.simplefilter("ignore")
        if style == ChartStyle.QICHARTS2:
            return _qic_chart(improvement, chart, series, limits, look)
        if chart in MDC_CHARTS and not series.excluded:
            return _mdc_chart(improvement, chart, series, limits, look)
        return _house_chart(improvement, chart, series, limits, look)


def draw(
    chart: str,
    series: Series,
    limits: Limits,
    look: Look,
    improvement: str,
    style: str = ChartStyle.MDC,
) -> tuple[Drawn, list[str]]:
    """`series` as a `chart` with the team's `limits`, and its summary: in the Making Data Count style
    (MDC's rules and icons on every chart type) unless `style` asks for qicharts2's. SPCError when the
    data cannot make it."""
    drawn = _drawing(chart, series, limits, look, improvement, style)
    return drawn, _summary(improvement, drawn.result, look)


def compute_chart(
    measure: Measure,
    points: Sequence[DataPoint],
    limit_changes: Sequence[LimitChange] = (),
    annotations: Sequence[Annotation] = (),
    cycles: Sequence[recalculation.KnownChange] = (),
) -> ComputedChart:
    """The measure's chart: its points as a series, the chart to draw for them, the team's limits and
    notes, then the engine's result in words and pictures, and whether the limits should be recalculated
    (after a shift that lines up with `annotations` or adopted `cycles`, preferably)."""
    ordered = sorted(points, key=lambda p: p.period)
    periods = [p.period for p in ordered]
    series = Series.of(measure, ordered)
    chart = chart_to_draw(measure, n_points=series.n_points, mean_denominator=series.mean_denominator)
    notes, numbered = _numbered_notes(periods, annotations)
    if not periods:
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
    look = Look.of(measure, periods, notes)
    limits = Limits.of(periods, limit_changes)
    suggestion = None
    try:
        drawn = _drawing(chart, series, limits, look, measure.improvement, measure.chart_style)
        if chart != ChartType.RUN:
            suggestion = recalculation.suggest(
                drawn.result,
                periods,
                # On a tie the adopted PDSA cycle names the change (the engine picks the first).
                [*cycles, *recalculation.known_changes(annotations)],
                frequency=measure.frequency,
                period_word=measure.period_word,
                min_points=measure.min_points_for_limits,
                excluded=series.excluded,
                baseline=limits.freeze or 0,
            )
        if suggestion is not None:
            # Judged against limits that span a change, the target's assurance would be about a process
            # that no longer exists: withheld until the limits are recalculated.
            drawn = replace(drawn, assurance=None)
        start = periods.index(suggestion.period) if suggestion is not None else None
        summary = _summary(measure.improvement, drawn.result, look, recalculate_from=start)
    except SPCError as error:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
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
        periods=periods,
        annotation_numbers=numbered,
        engine=drawn.engine,
        style=measure.chart_style,
        recalculation=suggestion,
    )


def analyse_series(
    *,
    y: Sequence[float | None],
    n: Sequence[float | None] | None = None,
    x: Sequence[XLabel] | None = None,
    chart: str,
    freeze: int | None = None,
    part: Sequence[int] = (),
    exclude: Sequence[int] = (),
    improvement: str = "increase",
    target: float | None = None,
    unit: str = "",
    period: str = "points",
) -> ComputedChart:
    """A series that is no measure's (the API's /spc/analyse), analysed exactly as a measure's is: the same
    engines, limits and words. Proportions (P and P′ charts) are shown as percentages, as a proportion
    measure's are, and `target` is in those units. SPCError when the data cannot make the chart asked for
    (a measure's page draws a run chart instead; a caller asking for this chart is told why)."""
    labels: list[XLabel] = list(x) if x is not None else list(range(1, len(y) + 1))
    percent = chart in ("p", "pp")
    series = Series(labels, list(y), list(n) if n is not None else None, sorted(set(exclude)))
    look = Look(
        title="",
        x_labels=labels,
        y_label=unit,
        unit=unit,
        percent=percent,
        scale=100.0 if percent else 1.0,
        period=period,
        target=target,
        trajectory=None,
        annotations=[],
    )
    drawn, summary = draw(chart, series, Limits(sorted(set(part)), freeze), look, improvement)
    return ComputedChart(
        spec=drawn.spec,
        chart=chart,
        summary=summary,
        variation=drawn.variation,
        assurance=drawn.assurance,
        periods=[],
        engine=drawn.engine,
    )


# --- the analysis as data -----------------------------------------------------------------------------


def _label(value: XLabel) -> XLabel:
    return value.isoformat() if isinstance(value, dt.date) else value


def _at(line: Sequence[float | None] | None, i: int) -> float | None:
    return None if line is None else line[i]


def analysis_data(computed: ComputedChart) -> dict[str, Any]:
    """What a chart shows, as plain data for programs (the API): per point its value, centre line, limits,
    part, baseline and exclusion, status and signal (in the data table's words), then the icons and the
    summary. Made from the ComputedChart the chart is drawn from, so it says exactly what the page says."""
    spec = computed.spec
    points = [
        {
            "x": _label(spec.x[row.index]),
            "value": spec.y[row.index],
            "centre": _at(spec.centre, row.index),
            "lower": _at(spec.lower, row.index),
            "upper": _at(spec.upper, row.index),
            "lower_2s": _at(spec.lower_2s, row.index),
            "upper_2s": _at(spec.upper_2s, row.index),
            "trajectory": _at(spec.trajectory, row.index),
            "part": spec.part[row.index],
            "baseline": spec.baseline_end is not None and row.index <= spec.baseline_end,
            "excluded": row.excluded,
            "status": row.status,
            "signal": row.signal,
        }
        for row in (data_table_rows(spec) if len(spec.y) else [])
    ]
    parts = sorted(set(spec.part))
    return {
        "chart": computed.chart,
        "chart_name": CHART_NAMES.get(computed.chart, computed.chart),
        "engine": computed.engine,
        "style": computed.style,
        "recalculation": computed.recalculation.to_payload() if computed.recalculation else None,
        "centre_label": spec.centre_label,
        "unit": spec.unit,
        "percent": spec.percent,
        "improvement": spec.improvement,
        "target": spec.target,
        "summary": computed.summary,
        "variation": computed.variation,
        "assurance": computed.assurance,
        "baseline_end": spec.baseline_end,
        "parts": [
            {"part": p, "start": spec.part.index(p), "runs_signal": spec.part_has_runs_signal(p)}
            for p in parts
        ],
        "annotations": [
            {"number": number, "label": label, "x": when.isoformat()}
            for number, label, when in computed.annotation_numbers
        ],
        "points": points,
    }


def _measure_analysis(measure: Measure, inputs: ChartInputs, computed: ComputedChart) -> dict[str, Any]:
    """A measure's analysis: the chart's, with the team's freezes, rebases and exclusions, and why."""
    points, changes, _notes = inputs
    return {
        **analysis_data(computed),
        "data_version": measure.data_version,
        "limit_changes": [
            {
                "kind": c.kind,
                "label": c.get_kind_display(),
                "period": c.period.isoformat(),
                "reason": c.reason,
            }
            for c in changes
        ],
        "exclusions": [
            {"period": p.period.isoformat(), "reason": p.exclude_reason} for p in points if p.excluded
        ],
    }


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


def _page_variants(spec: ChartSpec, chart_id: str) -> dict[str, str]:
    """The chart at each width the page may show it (VARIANTS), without a title (the page has it)."""
    return {
        name: render_svg(
            spec,
            width,
            height,
            show_title=False,
            font_size=font,
            tap_targets=True,
            chart_id=f"chart{chart_id}" if name == "wide" else f"chart{chart_id}-{name}",
        )
        for name, (width, height, font, _column) in VARIANTS.items()
    }


def _render_payloads(
    measure: Measure,
    inputs: ChartInputs,
    chart_id: str,
    cycles: Sequence[recalculation.KnownChange] = (),
) -> dict[str, dict[str, Any]]:
    computed = compute_chart(measure, *inputs, cycles=cycles)
    spec = computed.spec
    base = {
        "chart": computed.chart,
        "summary": computed.summary,
        "variation": computed.variation,
        "assurance": computed.assurance,
        "concern": computed.concern,
        "n_points": len(spec.y),
        "style": computed.style,
        "recalculation": computed.recalculation.to_payload() if computed.recalculation else None,
    }
    if len(spec.y):
        card_svg = render_svg(
            spec,
            *CARD_SIZE,
            compact=True,
            show_title=False,
            font_size=CARD_FONT,
            chart_id=f"card{chart_id}",
        )
        variants = _page_variants(spec, chart_id)
        headers = data_table_headers(spec)
        rows = [[getattr(r, attr) for attr, _ in headers] for r in data_table_rows(spec)]
    else:
        card_svg = ""
        variants = dict.fromkeys(VARIANTS, "")
        headers, rows = [], []
    return {
        # For programs: the same computation as data (openqi/api), cached and warmed with the pictures.
        "analysis": _measure_analysis(measure, inputs, computed),
        "card": {**base, "svg": card_svg},
        "full": {
            **base,
            "svg": variants["wide"],
            "svg_variants": variants,
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
        cycles = recalculation.adopted_cycles([m.pk for m, _ in wanted], project_id)
        for measure, chart_id in wanted:
            payloads = _render_payloads(measure, inputs[measure.pk], chart_id, cycles[measure.pk])
            for v, payload in payloads.items():
                written[cache_key(measure, project_id, v, chart_id)] = payload
    if written:
        charts.set_many(written, CACHE_SECONDS)
    found.update(written)
    return [found[key] for key in keys]


def warm_charts(measure: Measure) -> int:
    """Draw and cache the charts of every project that uses `measure`, so that the first reader after a
    change of its data finds them ready (a task, queued once the change is committed). Returns how many."""
    links = list(measure.project_links.all())
    payloads_for([(measure, link.project_id, chart_id_for(link)) for link in links], "full")
    return len(links)


def chart_file(link: ProjectMeasure, fmt: str, size: str = "standard") -> bytes:
    """The chart as a figure for a paper or a slide (`size`: standard, slide or a4): its title, data
    period, icons with their words, the plain summary and the annotation key beside the chart, as SVG
    or PNG; a PNG carries the same words as text chunks. Cached like the page's charts: rasterising is
    nearly all of a PNG's cost."""
    measure = link.measure
    key = cache_key(measure, link.project_id, f"{fmt}-{size}", chart_id_for(link))
    cached = caches["charts"].get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    inputs = load_chart_inputs(measure, link.project_id)
    cycles = recalculation.adopted_cycles([measure.pk], link.project_id)[measure.pk]
    computed = compute_chart(measure, *inputs, cycles=cycles)
    svg = figure_svg(measure, computed, size, source=link.project.title)
    if fmt == "png":
        data = with_text(render_png(svg, PAPER_SCALE[size]), figure_text(measure, computed))
    else:
        data = svg.encode("utf-8")
    caches["charts"].set(key, data, CACHE_SECONDS)
    return data


def export_columns(measure: Measure, project_id: int | None) -> tuple[dict[dt.date, ChartColumns], str, int]:
    """What the chart says about each period, for the columns beside the data in CSV and Excel exports:
    (columns by period, unit, decimal places: 2 for percentages, else about four significant digits)."""
    inputs = load_chart_inputs(measure, project_id)
    cycles = recalculation.adopted_cycles([measure.pk], project_id)[measure.pk]
    computed = compute_chart(measure, *inputs, cycles=cycles)
    spec = computed.spec
    if not len(spec.y):
        return {}, spec.unit, 2
    rows = data_table_rows(spec)

    def at(line: Sequence[float | None] | None, i: int) -> float | None:
        return None if line is None else line[i]

    columns = {
        computed.periods[row.index]: ChartColumns(
            value=spec.y[row.index],
            centre=at(spec.centre, row.index),
            lower=at(spec.lower, row.index),
            upper=at(spec.upper, row.index),
            signal=row.signal,
        )
        for row in rows
    }
    return columns, spec.unit, 2 if spec.percent else _export_decimals(spec.y)


def _export_decimals(values: Sequence[float | None]) -> int:
    """Places that keep about four significant digits of the largest value (0 to 4)."""
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    if largest == 0:
        return 2
    return max(0, min(4, 3 - math.floor(math.log10(largest))))


def badges(computed: ComputedChart) -> list[Icon]:
    """The icons shown with a chart: variation, then assurance (withheld while a recalculation stands)."""
    shown = [
        variation_icon(computed.variation),
        shown_assurance(computed.assurance, recalculation=computed.recalculation),
    ]
    return [icon for icon in shown if icon is not None]


def data_period(measure: Measure, computed: ComputedChart) -> str:
    """ "P chart (Making Data Count) · weekly data, 15 September 2025 to 27 July 2026 (46 weeks)"."""
    name = CHART_NAMES.get(computed.chart, computed.chart)
    style = "Making Data Count" if computed.style == ChartStyle.MDC else "qicharts2"
    if not computed.periods:
        return f"{name} ({style})"
    first, last = computed.periods[0], computed.periods[-1]
    n = len(computed.periods)
    count = f"{n} {measure.period_word if n != 1 else measure.period_word[:-1]}"
    frequency = measure.get_frequency_display().lower()
    return (
        f"{name} ({style}) · {frequency} data, {first.day} {first:%B %Y} to {last.day} {last:%B %Y} ({count})"
    )


def figure_svg(measure: Measure, computed: ComputedChart, size: str, *, source: str = "") -> str:
    """The figure for papers and slides (openqi_spc.render.render_paper) of a computed chart."""
    spec = computed.spec
    if not len(spec.y):
        spec = ChartSpec(title=measure.name, x=[], y=[])
    return render_paper(
        spec,
        size=size,
        headline=computed.summary[0] if computed.summary else "",
        badges=[
            Badge(kind, icon.tone, icon.letter, icon.label)
            for kind, icon in zip(("Variation", "Assurance"), badges(computed), strict=False)
        ],
        period_text=data_period(measure, computed),
        point_labels=[describe_period(p, measure.frequency) for p in computed.periods],
        source=f"OpenQI · {source}" if source else "OpenQI",
    )


def figure_text(measure: Measure, computed: ComputedChart) -> dict[str, str]:
    """The words of the figure, for a PNG's text chunks: what a document's alt text needs."""
    key = "; ".join(f"{number}. {label}" for number, label, _when in computed.annotation_numbers)
    return {
        "Title": measure.name,
        "Description": " ".join(computed.summary[:1]),
        "Comment": data_period(measure, computed),
        **({"Annotations": key} if key else {}),
    }
