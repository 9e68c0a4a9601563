"""A measure's definition and its place in a project's family of measures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.measures.models import Measure, MeasureType, ProjectMeasure
from openqi.measures.services.changes import record_for_every_project
from openqi.projects.models import PDSACycle, Project


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
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=measure,
            organisation=organisation,
            project=project,
            changes=audit.snapshot(measure, Measure.AUDITED_FIELDS),
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
            by=by,
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
        before = audit.snapshot(measure, Measure.AUDITED_FIELDS)
        for name, value in changes.items():
            setattr(measure, name, value)
        measure.save_versioned(expected_version)
        after = audit.snapshot(measure, Measure.AUDITED_FIELDS)
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
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=link,
            project=link.project,
            changes={
                "measure_type": measure_type,
                "order": order,
                "pdsa_cycles": [c.title for c in pdsa_cycles],
            },
        )
