"""Measures as pages show them: the family of measures (small multiples with icons), one measure's
chart page, the data grid rows, and the links from PDSA cycles and the project timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from openqi.measures import charting
from openqi.measures.dataio.dates import describe_period
from openqi.measures.forms import decimal_text
from openqi.measures.models import TYPE_ORDER, DataKind, Measure, MeasureType, ProjectMeasure
from openqi.projects.access import Level
from openqi.projects.models import PDSACycle, Project


@dataclass(frozen=True)
class Icon:
    """An MDC icon as an accessible badge: a drawn symbol (decorative) and its words."""

    code: str
    tone: str  # improvement, concern, neutral, common, pass, fail, inconsistent
    letter: str
    label: str
    description: str


_VARIATION: dict[str, tuple[str, str, str]] = {
    "common_cause": ("common", "", "Common cause variation"),
    "special_cause_improvement_high": ("improvement", "H", "Special cause improvement (higher)"),
    "special_cause_improvement_low": ("improvement", "L", "Special cause improvement (lower)"),
    "special_cause_concern_high": ("concern", "H", "Special cause concern (higher)"),
    "special_cause_concern_low": ("concern", "L", "Special cause concern (lower)"),
    "special_cause_neutral_high": ("neutral", "H", "Special cause, neither improvement nor concern (higher)"),
    "special_cause_neutral_low": ("neutral", "L", "Special cause, neither improvement nor concern (lower)"),
}
_ASSURANCE: dict[str, tuple[str, str, str]] = {
    "consistently_pass": ("pass", "P", "Target consistently met"),
    "consistently_fail": ("fail", "F", "Target consistently missed"),
    "inconsistent": ("inconsistent", "?", "Target met only some of the time"),
}


def variation_icon(code: str | None) -> Icon | None:
    if not code:
        return None
    from openqi.spc import VariationIcon

    tone, letter, label = _VARIATION[code]
    return Icon(code, tone, letter, label, VariationIcon(code).description)


def assurance_icon(code: str | None) -> Icon | None:
    if not code:
        return None
    from openqi.spc import AssuranceIcon

    tone, letter, label = _ASSURANCE[code]
    return Icon(code, tone, letter, label, AssuranceIcon(code).description)


def _target_text(measure: Measure) -> str:
    if measure.target_value is None:
        return ""
    unit = measure.display_unit
    value = decimal_text(measure.target_value)
    text = f"{value}{unit}" if unit == "%" else f"{value} {unit}".strip()
    if measure.target_date:
        text += f" by {measure.target_date.day} {measure.target_date:%B %Y}"
    return text


@dataclass
class MeasureCard:
    """One small multiple of the family."""

    link: ProjectMeasure
    href: str
    name: str
    measure_type: str
    type_label: str
    svg: str
    headline: str
    variation: Icon | None
    assurance: Icon | None
    concern: bool
    target: str
    chart_name: str
    n_points: int

    @property
    def highlight(self) -> bool:
        """A balancing measure showing concern is what a team must not miss."""
        return self.measure_type == MeasureType.BALANCING and self.concern


@dataclass
class FamilyGroup:
    measure_type: str
    heading: str
    hint: str
    cards: list[MeasureCard]


_HINTS = {
    MeasureType.OUTCOME: "Is the aim being achieved?",
    MeasureType.PROCESS: "Are the changes happening as planned?",
    MeasureType.BALANCING: "Is something else getting worse as a result?",
}
_HEADINGS = {
    MeasureType.OUTCOME: "Outcome measures",
    MeasureType.PROCESS: "Process measures",
    MeasureType.BALANCING: "Balancing measures",
}


@dataclass
class FamilyOfMeasures:
    project: Project
    can_edit: bool
    groups: list[FamilyGroup] = field(default_factory=list)

    @property
    def cards(self) -> list[MeasureCard]:
        return [c for g in self.groups for c in g.cards]

    @property
    def concerns(self) -> list[MeasureCard]:
        return [c for c in self.cards if c.highlight]

    @property
    def is_empty(self) -> bool:
        return not self.cards

    @property
    def href(self) -> str:
        return reverse("measures:project_measures", kwargs={"pk": self.project.pk})


def family_for(project: Project, level: Level) -> FamilyOfMeasures:
    """The project's family of measures, outcome first, then process, then balancing. Charts come from
    the cache (one round trip for all of them) and are drawn only when a measure's data changed."""
    links = sorted(
        project.project_measures.select_related("measure"),
        key=lambda link: (TYPE_ORDER[MeasureType(link.measure_type)], link.order, link.pk),
    )
    payloads = charting.card_payloads([(link.measure, project.pk, f"pm{link.pk}") for link in links])
    family = FamilyOfMeasures(project=project, can_edit=level >= Level.EDIT)
    by_type: dict[str, list[MeasureCard]] = {t.value: [] for t in MeasureType}
    for link, payload in zip(links, payloads, strict=True):
        m = link.measure
        by_type[link.measure_type].append(
            MeasureCard(
                link=link,
                href=reverse("measures:detail", kwargs={"pk": project.pk, "pm": link.pk}),
                name=m.name,
                measure_type=link.measure_type,
                type_label=MeasureType(link.measure_type).label,
                svg=payload["svg"],
                headline=payload["summary"][0] if payload["summary"] else "",
                variation=variation_icon(payload["variation"]),
                assurance=assurance_icon(payload["assurance"]),
                concern=payload["concern"],
                target=_target_text(m),
                chart_name=charting.CHART_NAMES.get(payload["chart"], payload["chart"]),
                n_points=payload["n_points"],
            )
        )
    family.groups = [
        FamilyGroup(t.value, _HEADINGS[t], _HINTS[t], by_type[t.value])
        for t in MeasureType
        if by_type[t.value]
    ]
    return family


@dataclass
class MeasurePage:
    """One measure's chart page in a project."""

    link: ProjectMeasure
    measure: Measure
    svg: str
    summary: list[str]
    variation: Icon | None
    assurance: Icon | None
    chart_name: str
    table_headers: list[str]
    table_rows: list[list[str]]
    annotations: list[tuple[int, str, str]]
    definition_rows: list[dict[str, Any]]
    limit_changes: list[Any]
    excluded: list[Any]
    cycles: list[PDSACycle]
    ideas: list[Any]
    n_points: int
    # The period of each point in chart order (ISO dates), so a click on point i can pick period i.
    periods: list[str]


def _row(key: str, value: str) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value or "Not recorded"}}


def definition_rows(measure: Measure, link: ProjectMeasure) -> list[dict[str, Any]]:
    rows = [
        _row("Role in this project", MeasureType(link.measure_type).label),
        _row("Operational definition", measure.definition),
        _row("Data source", measure.data_source),
        _row("Type of data", DataKind(measure.kind).label),
    ]
    if measure.has_denominator:
        rows += [
            _row("Numerator", measure.numerator_definition),
            _row("Denominator", measure.denominator_definition),
        ]
    else:
        rows.append(_row("Each value", measure.value_definition))
    rows += [
        _row("Unit", measure.display_unit),
        _row("Frequency", measure.get_frequency_display()),
        _row("Improvement", measure.get_improvement_display()),
        _row("Target", _target_text(measure)),
        _row("Service", measure.service.name if measure.service else ""),
    ]
    return rows


def measure_page(project: Project, link: ProjectMeasure) -> MeasurePage:
    measure = link.measure
    payload = charting.chart_payload(measure, project.pk, "full", f"pm{link.pk}")
    return MeasurePage(
        link=link,
        measure=measure,
        svg=payload["svg"],
        summary=payload["summary"],
        variation=variation_icon(payload["variation"]),
        assurance=assurance_icon(payload["assurance"]),
        chart_name=charting.CHART_NAMES.get(payload["chart"], payload["chart"]),
        table_headers=payload["table_headers"],
        table_rows=payload["table_rows"],
        annotations=[
            (n, label, describe_period(dt.date.fromisoformat(when), measure.frequency))
            for n, label, when in payload["annotations"]
        ],
        definition_rows=definition_rows(measure, link),
        limit_changes=list(measure.limit_changes.all()),
        excluded=list(measure.points.filter(excluded=True)),
        cycles=list(link.pdsa_cycles.all()),
        ideas=list(link.change_ideas.all()),
        n_points=payload["n_points"],
        periods=[p.isoformat() for p in measure.points.values_list("period", flat=True)],
    )


def period_options(measure: Measure) -> list[tuple[str, str]]:
    """The periods with data, newest first, for the "at which point" selects."""
    periods = sorted(measure.points.values_list("period", flat=True), reverse=True)
    return [(p.isoformat(), describe_period(p, measure.frequency)) for p in periods]


@dataclass(frozen=True)
class CycleMeasure:
    name: str
    href: str
    measure_type: str


def measures_for_cycle(cycle: PDSACycle) -> list[CycleMeasure]:
    """The measures a PDSA cycle is linked to (directly, or through an annotation on their chart), for
    the cycle's page: `{% for m in measures %}<a href="{{ m.href }}">{{ m.name }}</a>{% endfor %}`."""
    links = {link.pk: link for link in cycle.project_measures.select_related("measure")}
    annotated_measures = set(cycle.measure_annotations.values_list("measure_id", flat=True))
    if annotated_measures:
        for link in cycle.project.project_measures.filter(measure_id__in=annotated_measures).select_related(
            "measure"
        ):
            links.setdefault(link.pk, link)
    ordered = sorted(
        links.values(), key=lambda link: (TYPE_ORDER[MeasureType(link.measure_type)], link.order, link.pk)
    )
    return [
        CycleMeasure(
            name=link.measure.name,
            href=reverse("measures:detail", kwargs={"pk": cycle.project_id, "pm": link.pk}),
            measure_type=MeasureType(link.measure_type).label,
        )
        for link in ordered
    ]


@dataclass(frozen=True)
class TimelineAnnotation:
    """A chart annotation as a timeline event (the timeline's source registry reads these)."""

    date: dt.date
    kind: str
    title: str
    text: str
    href: str


def annotation_timeline_events(project: Project) -> list[TimelineAnnotation]:
    links = {link.measure_id: link for link in project.project_measures.select_related("measure")}
    if not links:
        return []
    notes = (
        project.measure_annotations.select_related("measure", "pdsa_cycle", "story_entry")
        .filter(measure_id__in=list(links))
        .order_by("period", "pk")
    )
    return [
        TimelineAnnotation(
            date=note.period,
            kind="measure_annotation",
            title=f"Chart note on {note.measure.name}",
            text=note.label,
            href=reverse("measures:detail", kwargs={"pk": project.pk, "pm": links[note.measure_id].pk}),
        )
        for note in notes
    ]


@dataclass
class GridRow:
    form: Any
    label: str
    is_new: bool


@dataclass
class LibraryRow:
    measure: Measure
    service: str
    kind: str
    frequency: str
    projects: list[tuple[str, str]]
