"""Measures as pages show them: the family of measures (small multiples with icons), one measure's
chart page, the library, the data grid rows, a definition's differences after a conflict, and the links
from PDSA cycles and the project timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from openqi.measures import charting
from openqi.measures.dataio.dates import describe_period
from openqi.measures.forms import MeasureForm, decimal_text
from openqi.measures.grid import DataGrid
from openqi.measures.icons import Icon, shown_assurance, variation_icon
from openqi.measures.models import TYPE_ORDER, DataKind, Measure, MeasureType, ProjectMeasure
from openqi.measures.recalculation import Recalculation
from openqi.projects.access import Level
from openqi.projects.models import PDSACycle, Project
from openqi.projects.presenters.nav import project_context


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
    payloads = charting.card_payloads(
        [(link.measure, project.pk, charting.chart_id_for(link)) for link in links]
    )
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
                assurance=_assurance(payload),
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


def _assurance(payload: dict[str, Any]) -> Icon | None:
    """The assurance badge, or the withheld one while the limits should be recalculated."""
    return shown_assurance(payload["assurance"], recalculation=payload.get("recalculation"))


@dataclass
class MeasurePage:
    """One measure's chart page in a project."""

    link: ProjectMeasure
    measure: Measure
    svg: str
    # The chart drawn for each width of the page (charting.VARIANTS), narrowest first.
    svg_variants: dict[str, str]
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
    # Where the limits should be recalculated, and whether this person may do it from the page.
    recalculation: Recalculation | None = None
    can_recalculate: bool = False
    style: str = "mdc"

    @property
    def headline(self) -> str:
        """The summary's first layer: for anyone."""
        return self.summary[0] if self.summary else ""

    @property
    def details(self) -> list[str]:
        """The summary's second layer: rules, limits, counts."""
        return self.summary[1:]

    @property
    def recalculate_period(self) -> str:
        if self.recalculation is None:
            return ""
        return describe_period(self.recalculation.period, self.measure.frequency)


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


def measure_page(project: Project, link: ProjectMeasure, *, can_change_limits: bool = False) -> MeasurePage:
    measure = link.measure
    payload = charting.chart_payload(measure, project.pk, "full", charting.chart_id_for(link))
    suggestion = Recalculation.from_payload(payload.get("recalculation"))
    return MeasurePage(
        link=link,
        measure=measure,
        svg=payload["svg"],
        svg_variants=payload.get("svg_variants") or {"wide": payload["svg"]},
        summary=payload["summary"],
        variation=variation_icon(payload["variation"]),
        assurance=_assurance(payload),
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
        recalculation=suggestion,
        can_recalculate=can_change_limits and suggestion is not None,
        style=payload.get("style", "mdc"),
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


def page_context(
    project: Project, level: Level, link: ProjectMeasure | None = None, **extra: Any
) -> dict[str, Any]:
    """The context every measures page inside a project shares (the project's layout and tabs)."""
    return project_context(
        project, level, "measures", link=link, measure=link.measure if link else None, **extra
    )


@dataclass
class GridRow:
    form: Any
    label: str
    is_new: bool


def grid_rows(grid: DataGrid) -> list[GridRow]:
    frequency = grid.measure.frequency
    return [
        GridRow(form, describe_period(grid.period_of(form), frequency), is_new)
        for form, is_new in zip(grid.forms, grid.new, strict=True)
    ]


def grid_errors(grid: DataGrid) -> list[tuple[str, str]]:
    """The error summary: (the id of the box to link to, or "" for none; the message). A row's error
    that repeats a conflict message already listed is not listed twice."""
    listed = {("__all__", message) for _anchor, message in grid.conflict_errors}
    return grid.conflict_errors + [
        (f"{form.prefix}-{grid.first_field if name == '__all__' else name}", str(e))
        for form in grid.forms
        if form.is_bound
        for name, errors in form.errors.items()
        for e in errors
        if (name, str(e)) not in listed
    ]


def definition_differences(form: MeasureForm, saved: Measure) -> list[tuple[str, str]]:
    """After a conflict, the saved definition's answers that differ from what the person typed:
    (label, saved value)."""
    differ = []
    for name in Measure.DEFINITION_FIELDS:
        now = getattr(saved, name)
        if name in form.cleaned_data and form.cleaned_data[name] != now:
            display = getattr(saved, f"get_{name}_display", None)
            shown = display() if display else ("" if now is None else str(now))
            differ.append((str(form.fields[name].label or name), shown or "(blank)"))
    return differ


@dataclass
class LibraryRow:
    measure: Measure
    service: str
    kind: str
    frequency: str
    projects: list[tuple[str, str]]


def library_rows(measures: Iterable[Measure], used_by: dict[int, list[Project]]) -> list[LibraryRow]:
    """The organisation's library, each measure with the projects (of those the person can see) that
    use it."""
    return [
        LibraryRow(
            measure=m,
            service=m.service.name if m.service else "All services",
            # The kind's short name: "Proportion", not its explanation.
            kind=DataKind(m.kind).label.split(":")[0].split(" (")[0],
            frequency=m.get_frequency_display(),
            projects=[
                (p.title, reverse("measures:project_measures", kwargs={"pk": p.pk}))
                for p in used_by.get(m.pk, [])
            ],
        )
        for m in measures
    ]


def family_panel(project: Project, level: Level) -> dict[str, Any]:
    """The project overview's panel: the family of measures as small multiples."""
    return {"family": family_for(project, level)}


def cycle_panel(cycle: PDSACycle, level: Level) -> dict[str, Any]:
    """A PDSA cycle page's panel: the measures the cycle is linked to."""
    return {"measures": measures_for_cycle(cycle)}
