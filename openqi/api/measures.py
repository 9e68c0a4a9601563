"""A project's measures: the family (each with its headline and icons), a measure's definition, its data
(read, and written as a bulk upload by period), its analysis — what the chart page shows, from the same
cached computation — and its annotations."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.params.functions import Header as ParamHeader
from pydantic import ConfigDict, Field

from openqi.api import problems
from openqi.api.analysis import Analysis, Icon, icon_out, with_icons
from openqi.api.base import Out
from openqi.api.common import (
    BODY,
    Choice,
    PersonRef,
    Ref,
    form_problem,
    page_url,
    person_ref,
    project_or_404,
    responses,
)
from openqi.measures import access, charting, presenters
from openqi.measures.dataio import MAX_ROWS, ImportPreview
from openqi.measures.forms import AnnotationForm
from openqi.measures.models import Annotation, Measure, ProjectMeasure
from openqi.measures.services import bulk
from openqi.measures.services.notes import add_annotation
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import PDSACycle, Project, StoryEntry

router = Router(tags=["Measures"])

MEASURE = "/projects/{project_id}/measures/{measure_id}"


# --- shapes -------------------------------------------------------------------------------------------


class MeasureLinks(Out):
    definition: str
    data: str
    analysis: str
    annotations: str
    page_url: str


class MeasureSummary(Out):
    id: int
    name: str
    measure_type: Choice = Field(description="Outcome, process or balancing, in this project's family.")
    chart_name: str
    headline: str = Field(description="The first sentence of the chart's summary.")
    variation: Icon | None
    assurance: Icon | None
    concern: bool = Field(description="A balancing measure showing concern: what a team must not miss.")
    target: str
    n_points: int
    links: MeasureLinks


class MeasureDefinition(Out):
    id: int
    name: str
    measure_type: Choice
    kind: Choice
    definition: str
    data_source: str
    numerator_definition: str
    denominator_definition: str
    value_definition: str
    unit: str
    frequency: Choice
    improvement: Choice
    target_value: float | None
    target_date: dt.date | None
    trajectory_from_value: float | None
    trajectory_from_date: dt.date | None
    chart_type: Choice
    min_points_for_limits: int
    service: Ref | None
    version: int = Field(description="The definition's version.")
    data_version: int = Field(description="Moves on with every change to what the chart shows.")
    pdsa_cycle_ids: list[int]
    change_idea_ids: list[int]
    links: MeasureLinks


class DataPointOut(Out):
    period: dt.date
    value: float | None
    numerator: float | None
    denominator: float | None
    comment: str
    excluded: bool
    exclude_reason: str
    updated_at: dt.datetime


class MeasureData(Out):
    measure_id: int
    data_version: int = Field(
        description="Send it back as If-Match (or expected_data_version) to write safely."
    )
    frequency: str
    has_denominator: bool = Field(description="Proportions and rates: numerator and denominator, not value.")
    points: list[DataPointOut]


Number = float | None


class DataPointIn(Schema):
    period: str = Field(
        max_length=40,
        description="The period's date, e.g. 2025-03-03 (day first also works, as in a file: 03/03/2025). "
        "Moved to the start of its week or month, as the measure's frequency says.",
    )
    value: Number = Field(None, allow_inf_nan=False, description="For measures of one value per period.")
    numerator: Number = Field(None, allow_inf_nan=False, description="For proportions and rates.")
    denominator: Number = Field(None, allow_inf_nan=False, description="For proportions and rates.")
    comment: str = Field("", max_length=2000, description="At most 500 characters; no patient details.")


class DataUpload(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "points": [
                        {"period": "2025-02-03", "numerator": 31, "denominator": 52},
                        {
                            "period": "2025-02-10",
                            "numerator": 35,
                            "denominator": 55,
                            "comment": "New leaflet",
                        },
                    ],
                    "existing": "update",
                }
            ]
        }
    )

    points: list[DataPointIn] = Field(min_length=1, max_length=MAX_ROWS)
    existing: Literal["skip", "update"] = Field(
        "skip", description="Periods already stored with other values: leave them (skip) or replace them."
    )
    expected_data_version: int | None = Field(
        None, description="Refuse the write (409) if the data changed since this version was read."
    )


class DataSaved(Out):
    created: int
    updated: int
    unchanged: int
    skipped: list[dt.date] = Field(description="Periods left as stored (send existing=update to replace).")
    data_version: int
    analysis: str


class MeasureAnalysis(Analysis):
    measure_id: int
    project_id: int
    data_version: int
    page_url: str
    limit_changes: list[LimitChangeOut]
    exclusions: list[ExclusionOut]


class LimitChangeOut(Out):
    kind: Literal["freeze", "rebase"]
    label: str
    period: dt.date
    reason: str


class ExclusionOut(Out):
    period: dt.date
    reason: str


MeasureAnalysis.model_rebuild()


class AnnotationOut(Out):
    id: int
    period: dt.date
    text: str
    label: str = Field(description="As numbered on the chart: the note, or the PDSA cycle or story entry.")
    pdsa_cycle_id: int | None
    story_entry_id: int | None
    created_by: PersonRef | None
    created_at: dt.datetime


class AnnotationIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"period": "2025-01-06", "text": "Reminder calls began"}]}
    )

    period: dt.date = Field(description="The period of a point with data.")
    text: str = Field("", max_length=300)
    pdsa_cycle_id: int | None = None
    story_entry_id: int | None = None
    confirm_no_personal_data: bool = Field(
        False, description="Send true after checking text the personal-data guard flagged identifies nobody."
    )


# --- helpers ------------------------------------------------------------------------------------------


def _link(request: HttpRequest, project: Project, measure_id: int) -> ProjectMeasure:
    """The measure in this project's family, by the measure's id; 404 for any other."""
    scope = scope_for(request.user)
    return scope.get_or_404(
        scope.filter(ProjectMeasure).select_related("measure", "measure__service"),
        project=project,
        measure_id=measure_id,
    )


def _links(request: HttpRequest, link: ProjectMeasure) -> MeasureLinks:
    kwargs = {"project_id": link.project_id, "measure_id": link.measure_id}

    def api(name: str) -> str:
        return request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))

    return MeasureLinks(
        definition=api("measure"),
        data=api("measure_data"),
        analysis=api("measure_analysis"),
        annotations=api("measure_annotations"),
        page_url=page_url(request, "measures:detail", pk=link.project_id, pm=link.pk),
    )


def _choice(obj: Any, name: str) -> Choice:
    return Choice(code=getattr(obj, name), label=getattr(obj, f"get_{name}_display")())


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def _changeable(request: HttpRequest, project_id: int, measure_id: int) -> tuple[Project, ProjectMeasure]:
    """Changing what a measure shows needs EDIT on the project, and on every other project using it
    (or the QI team admin role): `openqi.measures.access`, as the pages."""
    project, _level = project_or_404(request, project_id, Level.EDIT)
    link = _link(request, project, measure_id)
    if not access.may_change_shared(request.user, project, link.measure):
        raise problems.Problem(403, access.SHARED_LOCKED_MESSAGE)
    return project, link


def _row_problems(preview: ImportPreview) -> problems.Problem:
    """Every problem of every row, each on its item of `points`, in the import's words ("Row 2: …")."""
    return problems.invalid(
        f"{preview.error_count} of {len(preview.rows)} rows have problems; nothing was saved. "
        "Row 1 is the first item of `points`.",
        [
            problems.FieldError(field=f"points[{row.row_number - 1}]", row=row.row_number, message=message)
            for row in preview.rows
            for message in row.errors
        ],
    )


_ETAG = re.compile(r'^(?:W/)?"?(\d{1,12})"?$')


def _if_match(value: str | None) -> int | None:
    """The data version an If-Match header names (ETags here are the data version, e.g. "12"); None when
    there is no header or it is `*`. Anything else cannot match, so the write is refused (412)."""
    if value is None or value.strip() == "*":
        return None
    found = _ETAG.match(value.strip())
    if found is None:
        raise problems.Problem(
            412, 'If-Match must be the data version as an ETag, e.g. "12".', type=problems.STALE_DATA
        )
    return int(found.group(1))


def _etag(response: HttpResponse, data_version: int) -> None:
    response["ETag"] = f'"{data_version}"'


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/projects/{project_id}/measures",
    response=responses({200: list[MeasureSummary]}, 404),
    url_name="measures",
    summary="A project's family of measures: outcome, process and balancing",
)
def measure_list(request: HttpRequest, project_id: int) -> list[MeasureSummary]:
    project, level = project_or_404(request, project_id)
    family = presenters.family_for(project, level)
    return [
        MeasureSummary(
            id=card.link.measure_id,
            name=card.name,
            measure_type=Choice(code=card.measure_type, label=card.type_label),
            chart_name=card.chart_name,
            headline=card.headline,
            variation=icon_out(card.variation),
            assurance=icon_out(card.assurance),
            concern=card.highlight,
            target=card.target,
            n_points=card.n_points,
            links=_links(request, card.link),
        )
        for card in family.cards
    ]


@router.get(
    MEASURE,
    response=responses({200: MeasureDefinition}, 404),
    url_name="measure",
    summary="A measure's definition",
)
def measure_detail(request: HttpRequest, project_id: int, measure_id: int) -> MeasureDefinition:
    project, _level = project_or_404(request, project_id)
    link = _link(request, project, measure_id)
    m: Measure = link.measure
    return MeasureDefinition(
        id=m.pk,
        name=m.name,
        measure_type=_choice(link, "measure_type"),
        kind=_choice(m, "kind"),
        definition=m.definition,
        data_source=m.data_source,
        numerator_definition=m.numerator_definition,
        denominator_definition=m.denominator_definition,
        value_definition=m.value_definition,
        unit=m.display_unit,
        frequency=_choice(m, "frequency"),
        improvement=_choice(m, "improvement"),
        target_value=_float(m.target_value),
        target_date=m.target_date,
        trajectory_from_value=_float(m.trajectory_from_value),
        trajectory_from_date=m.trajectory_from_date,
        chart_type=_choice(m, "chart_type"),
        min_points_for_limits=m.min_points_for_limits,
        service=Ref(id=m.service.pk, name=m.service.name) if m.service else None,
        version=m.version,
        data_version=m.data_version,
        pdsa_cycle_ids=list(link.pdsa_cycles.values_list("pk", flat=True)),
        change_idea_ids=list(link.change_ideas.values_list("pk", flat=True)),
        links=_links(request, link),
    )


@router.get(
    f"{MEASURE}/data",
    response=responses({200: MeasureData}, 404),
    url_name="measure_data",
    summary="A measure's data points, oldest first (ETag: the data version)",
)
def measure_data(
    request: HttpRequest, project_id: int, measure_id: int, response: HttpResponse
) -> MeasureData:
    project, _level = project_or_404(request, project_id)
    measure = _link(request, project, measure_id).measure
    _etag(response, measure.data_version)
    return MeasureData(
        measure_id=measure.pk,
        data_version=measure.data_version,
        frequency=measure.frequency,
        has_denominator=measure.has_denominator,
        points=[
            DataPointOut(
                period=p.period,
                value=_float(p.value),
                numerator=_float(p.numerator),
                denominator=_float(p.denominator),
                comment=p.comment,
                excluded=p.excluded,
                exclude_reason=p.exclude_reason,
                updated_at=p.updated_at,
            )
            for p in measure.points.all()
        ],
    )


@router.post(
    f"{MEASURE}/data",
    response=responses({200: DataSaved}, *BODY, 403, 404, 409, 412),
    url_name="measure_data_upload",
    summary="Add or update data points by period, all or nothing",
    description=(
        "Each row is checked as a row of an uploaded file is. If any row has a problem nothing is saved and "
        "the 422 response lists every problem with its row. Sending the same rows again changes nothing. A "
        "period already stored with other values is replaced only with `existing: update`. With If-Match "
        '(the data version as an ETag, e.g. "12") or `expected_data_version`, the write is refused if the '
        "data changed since (412 or 409)."
    ),
)
def upload_data(
    request: HttpRequest,
    project_id: int,
    measure_id: int,
    payload: DataUpload,
    if_match: Annotated[str | None, ParamHeader(None, alias="If-Match")] = None,
) -> DataSaved:
    project, link = _changeable(request, project_id, measure_id)
    measure = link.measure
    header_version = _if_match(if_match)
    # Each point's fields are the roles of a file's columns (period, value or numerator and denominator,
    # comment), so the rows are checked by the import's own code.
    preview = bulk.check_rows(measure, enumerate((p.model_dump() for p in payload.points), start=1))
    if not preview.is_valid:
        raise _row_problems(preview)
    expected = header_version if header_version is not None else payload.expected_data_version
    try:
        result = bulk.upsert_points(
            measure,
            preview,
            update_existing=payload.existing == "update",
            expected_data_version=expected,
            by=request.user,
            project=project,
        )
    except bulk.StaleData as stale:
        raise problems.Problem(
            412 if header_version is not None else 409,
            f"The data changed since you read it: it is now at version {stale.current}. Nothing was saved. "
            "Read it again, then send your rows again.",
            type=problems.STALE_DATA,
        ) from stale
    return DataSaved(
        created=result.saved.created,
        updated=result.saved.updated,
        unchanged=result.saved.unchanged,
        skipped=result.skipped,
        data_version=result.data_version,
        analysis=request.build_absolute_uri(
            reverse("api:measure_analysis", kwargs={"project_id": project.pk, "measure_id": measure.pk})
        ),
    )


@router.get(
    f"{MEASURE}/analysis",
    response=responses({200: MeasureAnalysis}, 404),
    url_name="measure_analysis",
    summary="The chart's analysis: limits and signals per point, icons and summary, as the chart page shows",
)
def measure_analysis(
    request: HttpRequest, project_id: int, measure_id: int, response: HttpResponse
) -> dict[str, Any]:
    project, _level = project_or_404(request, project_id)
    link = _link(request, project, measure_id)
    data = charting.payloads_for([(link.measure, project.pk, charting.chart_id_for(link))], "analysis")[0]
    _etag(response, data["data_version"])
    return {
        **with_icons(data),
        "measure_id": link.measure_id,
        "project_id": project.pk,
        "page_url": page_url(request, "measures:detail", pk=project.pk, pm=link.pk),
    }


def _annotation_out(note: Annotation) -> AnnotationOut:
    return AnnotationOut(
        id=note.pk,
        period=note.period,
        text=note.text,
        label=note.label,
        pdsa_cycle_id=note.pdsa_cycle_id,
        story_entry_id=note.story_entry_id,
        created_by=person_ref(note.created_by),
        created_at=note.created_at,
    )


@router.get(
    f"{MEASURE}/annotations",
    response=responses({200: list[AnnotationOut]}, 404),
    url_name="measure_annotations",
    summary="This project's annotations on the measure's chart",
)
def annotation_list(request: HttpRequest, project_id: int, measure_id: int) -> list[AnnotationOut]:
    project, _level = project_or_404(request, project_id)
    link = _link(request, project, measure_id)
    notes = (
        scope_for(request.user)
        .filter(Annotation)
        .filter(measure=link.measure, project=project)
        .select_related("pdsa_cycle", "story_entry", "created_by")
    )
    return [_annotation_out(n) for n in notes]


_FORM_TO_API = {"pdsa_cycle": "pdsa_cycle_id", "story_entry": "story_entry_id"}


@router.post(
    f"{MEASURE}/annotations",
    response=responses({201: AnnotationOut}, *BODY, 403, 404),
    url_name="measure_annotate",
    summary="Annotate a point of the chart",
)
def annotate(
    request: HttpRequest, project_id: int, measure_id: int, payload: AnnotationIn
) -> Status[AnnotationOut]:
    project, _level = project_or_404(request, project_id, Level.EDIT)
    link = _link(request, project, measure_id)
    measure = link.measure
    form = AnnotationForm(
        {
            "period": payload.period.isoformat(),
            "text": payload.text,
            "pdsa_cycle": str(payload.pdsa_cycle_id or ""),
            "story_entry": str(payload.story_entry_id or ""),
            **({"confirm_no_personal_data": "on"} if payload.confirm_no_personal_data else {}),
        },
        periods=presenters.period_options(measure),
        cycles=project.pdsa_cycles.all(),
        entries=project.story_entries.all(),
        **guard_kwargs(project),
    )
    if not form.is_valid():
        raise form_problem(form, "The annotation was not saved: see `errors`.", names=_FORM_TO_API)
    scope = scope_for(request.user)
    cycle = (
        scope.get_or_404(PDSACycle, pk=payload.pdsa_cycle_id, project=project)
        if payload.pdsa_cycle_id
        else None
    )
    entry = (
        scope.get_or_404(StoryEntry, pk=payload.story_entry_id, project=project)
        if payload.story_entry_id
        else None
    )
    note = add_annotation(
        measure,
        project=project,
        period=payload.period,
        text=form.cleaned_data["text"],
        pdsa_cycle=cycle,
        story_entry=entry,
        by=request.user,
    )
    record_confirmation(form, by=request.user, project=project, instance=note)
    return Status(201, _annotation_out(note))
