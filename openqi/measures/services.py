"""Business operations on measures. Each change runs in a transaction, writes its audit record and,
when the chart would look different, moves the measure's `data_version` on (which retires its cached
charts). Views call these; nothing here knows about requests or templates."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from openqi.core import audit
from openqi.core.concurrency import EditConflict
from openqi.core.models import AuditEvent
from openqi.measures.dataio import DataRow, ImportPreview, parse_upload
from openqi.measures.dataio.dates import normalise_period
from openqi.measures.models import (
    Annotation,
    ChartType,
    DataKind,
    DataPoint,
    ImportDraft,
    LimitChange,
    Measure,
    MeasureType,
    ProjectMeasure,
)
from openqi.privacy import find_personal_data
from openqi.projects.models import PDSACycle, Project, StoryEntry

# Definition fields a person edits; the audit trail records each change to them.
DEFINITION_FIELDS = (
    "name",
    "service",
    "definition",
    "data_source",
    "kind",
    "numerator_definition",
    "denominator_definition",
    "value_definition",
    "unit",
    "frequency",
    "improvement",
    "target_value",
    "target_date",
    "trajectory_from_value",
    "trajectory_from_date",
    "chart_type",
    "min_points_for_limits",
)

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


def next_period(period: dt.date, frequency: str) -> dt.date:
    if frequency == "weekly":
        return period + dt.timedelta(days=7)
    if frequency == "monthly":
        return (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return period + dt.timedelta(days=1)


def bump_data_version(measure: Measure) -> None:
    # F() so that two people saving data at once both move the version on.
    Measure.objects.filter(pk=measure.pk).update(data_version=F("data_version") + 1)
    measure.refresh_from_db(fields=["data_version"])


def _linked_projects(measure: Measure) -> list[Project]:
    return list(Project.objects.filter(project_measures__measure=measure).select_related("organisation"))


def record_for_every_project(
    measure: Measure,
    *,
    by: Any,
    action: str,
    instance: Any,
    changes: dict[str, Any],
    project: Project | None = None,
) -> None:
    """A change to what a measure shows changes the chart of every project using it, so each project's
    audit trail gets the event (`through_project` says which project it was made through)."""
    projects = _linked_projects(measure)
    if project is not None and all(p.pk != project.pk for p in projects):
        projects.append(project)
    if not projects:
        audit.record(
            actor=by, action=action, instance=instance, organisation=measure.organisation, changes=changes
        )
        return
    for each in projects:
        extra = {} if project is None or each.pk == project.pk else {"through_project": project.title}
        audit.record(
            actor=by,
            action=action,
            instance=instance,
            organisation=measure.organisation,
            project=each,
            changes={**changes, **extra},
        )


# --- definitions --------------------------------------------------------------------------------------


def create_measure(
    *,
    organisation: Any,
    by: Any,
    project: Project | None = None,
    measure_type: str = MeasureType.OUTCOME,
    **fields: Any,
) -> Measure:
    """A new library measure; with a project, it joins that project's family too."""
    with transaction.atomic():
        measure = Measure(organisation=organisation, created_by=by, **fields)
        measure.save()
        audit.record(
            actor=by,
            action=AuditEvent.Action.CREATE,
            instance=measure,
            organisation=organisation,
            project=project,
            changes=audit.snapshot(measure, DEFINITION_FIELDS),
        )
        if project is not None:
            add_to_project(project, measure, measure_type=measure_type, by=by)
    return measure


def add_to_project(project: Project, measure: Measure, *, measure_type: str, by: Any) -> ProjectMeasure:
    if measure.organisation_id != project.organisation_id:
        raise ValueError("a project can only use measures of its own organisation")
    with transaction.atomic():
        last = project.project_measures.aggregate(m=Max("order"))["m"]
        link, _ = ProjectMeasure.objects.get_or_create(
            project=project,
            measure=measure,
            defaults={"measure_type": measure_type, "order": (last or 0) + 1},
        )
        audit.record(
            actor=by,
            action=AuditEvent.Action.CREATE,
            instance=link,
            project=project,
            changes={"measure": measure.name, "measure_type": measure_type},
        )
    return link


def update_definition(
    measure: Measure,
    *,
    changes: dict[str, Any],
    expected_version: int,
    by: Any,
    project: Project | None = None,
) -> None:
    """Save a definition edit unless someone else saved since `expected_version` (EditConflict)."""
    with transaction.atomic():
        before = audit.snapshot(measure, DEFINITION_FIELDS)
        for name, value in changes.items():
            setattr(measure, name, value)
        measure.save_versioned(expected_version)
        after = audit.snapshot(measure, DEFINITION_FIELDS)
        record_for_every_project(
            measure,
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=measure,
            project=project,
            changes=audit.diff(before, after),
        )


def update_links(
    link: ProjectMeasure,
    *,
    measure_type: str,
    order: int,
    pdsa_cycles: Sequence[PDSACycle],
    change_ideas: Iterable[Any],
    by: Any,
) -> None:
    with transaction.atomic():
        link.measure_type = measure_type
        link.order = order
        link.save(update_fields=["measure_type", "order"])
        link.pdsa_cycles.set(pdsa_cycles)
        link.change_ideas.set(list(change_ideas))
        audit.record(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            instance=link,
            project=link.project,
            changes={
                "measure_type": measure_type,
                "order": order,
                "pdsa_cycles": [c.title for c in pdsa_cycles],
            },
        )


# --- data ---------------------------------------------------------------------------------------------


# An audit event lists each changed period's values before and after, up to this many periods.
AUDIT_PERIODS = 200


@dataclass(frozen=True)
class SaveResult:
    created: int
    updated: int
    unchanged: int
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


class DataConflict(EditConflict):
    """Someone else saved (or deleted) these periods after the person opened the grid; nothing was saved.
    `conflicts` pairs each period with what is stored now (None: no data)."""

    message = (
        "Someone else changed this data while you were editing it. Nothing has been saved: your values "
        "are kept below. Check the values now saved, then save again to replace them with yours."
    )

    def __init__(self, conflicts: list[tuple[dt.date, DataPoint | None]]) -> None:
        super().__init__()
        self.conflicts = conflicts


def _same(point: DataPoint, row: DataRow) -> bool:
    return (
        point.value == row.value
        and point.numerator == row.numerator
        and point.denominator == row.denominator
        and point.comment == row.comment
    )


def _as_stored(point: DataPoint | None) -> dict[str, str] | None:
    if point is None:
        return None
    values: dict[str, Decimal | str | None] = {
        "value": point.value,
        "numerator": point.numerator,
        "denominator": point.denominator,
        "comment": point.comment,
    }
    return {
        k: format(v.normalize(), "f") if isinstance(v, Decimal) else str(v)
        for k, v in values.items()
        if v not in (None, "")
    }


def save_rows(
    measure: Measure,
    rows: Sequence[DataRow],
    *,
    by: Any,
    project: Project | None = None,
    source: str = "grid",
    originals: Mapping[dt.date, DataRow | None] | None = None,
    deletes: Sequence[dt.date] = (),
) -> SaveResult:
    """Create or update one point per row and delete the `deletes` periods, all or nothing.

    `originals` (the grid's) holds, per period, what the person saw when they opened the page (None: no
    data). If what is stored now differs for any of those periods, someone else saved it in between:
    DataConflict, and nothing is saved. `data_version` moves only if something changed."""
    periods = [normalise_period(r.period, measure.frequency) for r in rows]
    gone = [normalise_period(d, measure.frequency) for d in deletes]
    seen = {normalise_period(d, measure.frequency): row for d, row in (originals or {}).items()}
    with transaction.atomic():
        existing = {
            p.period: p for p in measure.points.filter(period__in=[*periods, *gone]).select_for_update()
        }
        conflicts = []
        for period, original in sorted(seen.items()):
            point = existing.get(period)
            if (point is None) != (original is None) or (
                point is not None and original is not None and not _same(point, original)
            ):
                conflicts.append((period, point))
        if conflicts:
            raise DataConflict(conflicts)
        created = updated = unchanged = 0
        now = timezone.now()
        new_points: list[DataPoint] = []
        changed_points: list[DataPoint] = []
        history: dict[dt.date, dict[str, Any]] = {}
        for period, row in zip(periods, rows, strict=True):
            point = existing.get(period)
            if point is None:
                point = DataPoint(
                    measure=measure,
                    period=period,
                    value=row.value,
                    numerator=row.numerator,
                    denominator=row.denominator,
                    comment=row.comment,
                    updated_by=by,
                    updated_at=now,
                )
                new_points.append(point)
                history[period] = {"before": None, "after": _as_stored(point)}
                created += 1
            elif _same(point, row):
                unchanged += 1
            else:
                before = _as_stored(point)
                point.value, point.numerator, point.denominator = row.value, row.numerator, row.denominator
                point.comment, point.updated_by, point.updated_at = row.comment, by, now
                changed_points.append(point)
                history[period] = {"before": before, "after": _as_stored(point)}
                updated += 1
        removed = [existing[d] for d in gone if d in existing]
        for point in removed:
            history[point.period] = {"before": _as_stored(point), "after": None}
        DataPoint.objects.bulk_create(new_points)
        DataPoint.objects.bulk_update(
            changed_points, ["value", "numerator", "denominator", "comment", "updated_by", "updated_at"]
        )
        DataPoint.objects.filter(pk__in=[p.pk for p in removed]).delete()
        result = SaveResult(created, updated, unchanged, len(removed))
        if result.changed:
            bump_data_version(measure)
            listed = sorted(history)[:AUDIT_PERIODS]
            record_for_every_project(
                measure,
                by=by,
                action=AuditEvent.Action.UPDATE,
                instance=measure,
                project=project,
                changes={
                    "data": {
                        "source": source,
                        "created": created,
                        "updated": updated,
                        "deleted": len(removed),
                    },
                    "periods_changed": len(history),
                    "periods_not_listed": len(history) - len(listed),
                    "periods": {str(p): history[p] for p in listed},
                },
            )
    return result


def delete_point(point: DataPoint, *, by: Any, project: Project | None = None) -> None:
    with transaction.atomic():
        measure = point.measure
        record_for_every_project(
            measure,
            by=by,
            action=AuditEvent.Action.DELETE,
            instance=point,
            project=project,
            changes={"period": str(point.period), "before": _as_stored(point)},
        )
        point.delete()
        bump_data_version(measure)


def existing_periods(measure: Measure) -> set[dt.date]:
    return set(measure.points.values_list("period", flat=True))


def stage_upload(measure: Measure, *, filename: str, content: bytes, by: Any) -> ImportDraft:
    """Keep an upload on the server until the person confirms its preview; old drafts go first."""
    ImportDraft.objects.filter(created_at__lt=timezone.now() - ImportDraft.DRAFT_LIFETIME).delete()
    return ImportDraft.objects.create(
        token=secrets.token_urlsafe(24),
        measure=measure,
        filename=filename[:255],
        content=content,
        created_by=by,
    )


def preview_draft(draft: ImportDraft) -> ImportPreview:
    """The upload parsed row by row, with the personal-data guard's findings in comments as row
    problems: a file is fixed and uploaded again, never confirmed row by row (ADR 0102)."""
    measure = draft.measure
    preview = parse_upload(
        draft.filename,
        bytes(draft.content),
        has_denominator=measure.has_denominator,
        frequency=measure.frequency,
        existing_periods=existing_periods(measure),
        numerator_may_exceed_denominator=measure.kind == DataKind.RATE,
    )
    for row in preview.rows:
        if row.comment:
            for finding in find_personal_data(row.comment):
                problem = f"Row {row.row_number}: {finding.message}"
                if problem not in row.errors:
                    row.errors.append(problem)
    return preview


class ImportRefused(Exception):
    """The file no longer imports cleanly (the stored data changed since the preview, or it had errors)."""


def confirm_import(
    draft: ImportDraft, *, include_updates: bool, by: Any, project: Project | None = None
) -> SaveResult:
    """Import the whole file or nothing. The file is parsed again here, inside the transaction, so the
    decision matches the data as it is now, not as it was when the preview was shown."""
    with transaction.atomic():
        preview = preview_draft(draft)
        if not preview.is_valid:
            raise ImportRefused()
        rows = preview.to_data_rows(include_updates=include_updates)
        result = save_rows(draft.measure, rows, by=by, project=project, source=f"import:{draft.filename}")
        draft.delete()
    return result


# --- what the team says about the chart ---------------------------------------------------------------


def add_limit_change(
    measure: Measure, *, kind: str, period: dt.date, reason: str, by: Any, project: Project | None = None
) -> LimitChange:
    with transaction.atomic():
        change = LimitChange.objects.create(
            measure=measure, kind=kind, period=period, reason=reason, created_by=by
        )
        bump_data_version(measure)
        record_for_every_project(
            measure,
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=change,
            project=project,
            changes={"kind": kind, "period": str(period), "reason": reason},
        )
    return change


def remove_limit_change(change: LimitChange, *, by: Any, project: Project | None = None) -> None:
    with transaction.atomic():
        measure = change.measure
        record_for_every_project(
            measure,
            by=by,
            action=AuditEvent.Action.DELETE,
            instance=change,
            project=project,
            changes={"kind": change.kind, "period": str(change.period)},
        )
        change.delete()
        bump_data_version(measure)


def set_exclusion(
    point: DataPoint, *, excluded: bool, reason: str, by: Any, project: Project | None = None
) -> None:
    with transaction.atomic():
        point.excluded = excluded
        point.exclude_reason = reason if excluded else ""
        point.save(update_fields=["excluded", "exclude_reason"])
        bump_data_version(point.measure)
        record_for_every_project(
            point.measure,
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=point,
            project=project,
            changes={"excluded": excluded, "reason": reason},
        )


def add_annotation(
    measure: Measure,
    *,
    project: Project | None,
    period: dt.date,
    text: str = "",
    pdsa_cycle: PDSACycle | None = None,
    story_entry: StoryEntry | None = None,
    by: Any,
) -> Annotation:
    with transaction.atomic():
        note = Annotation.objects.create(
            measure=measure,
            project=project,
            period=period,
            text=text,
            pdsa_cycle=pdsa_cycle,
            story_entry=story_entry,
            created_by=by,
        )
        bump_data_version(measure)
        audit.record(
            actor=by,
            action=AuditEvent.Action.CREATE,
            instance=note,
            organisation=measure.organisation,
            project=project,
            changes={"period": str(period), "text": text, "pdsa_cycle": str(pdsa_cycle or "")},
        )
    return note


def remove_annotation(note: Annotation, *, by: Any, project: Project | None = None) -> None:
    with transaction.atomic():
        measure = note.measure
        audit.record(
            actor=by,
            action=AuditEvent.Action.DELETE,
            instance=note,
            organisation=measure.organisation,
            project=project,
            changes={"period": str(note.period), "text": note.text},
        )
        note.delete()
        bump_data_version(measure)


def decimal_or_none(value: float | int | str | Decimal | None) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))
