"""What every change to a measure does besides itself: retire the measure's cached charts, and tell
the audit trail of every project that uses it."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from openqi.core import audit
from openqi.core.tasks import enqueue_on_commit
from openqi.measures import tasks
from openqi.measures.models import Measure
from openqi.projects.models import Project


def bump_data_version(measure: Measure) -> None:
    """Move `data_version` on after anything the chart shows changed: it keys the chart cache."""
    # F() so that two people saving data at once both move the version on.
    Measure.objects.filter(pk=measure.pk).update(data_version=F("data_version") + 1)
    measure.refresh_from_db(fields=["data_version"])
    # The charts under the new version are drawn by the worker as soon as the change is saved, so the next
    # reader of the project page finds them cached rather than paying for them.
    enqueue_on_commit(tasks.draw_charts, organisation_id=measure.organisation_id, measure_id=measure.pk)


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
            by=by, action=action, instance=instance, organisation=measure.organisation, changes=changes
        )
        return
    for each in projects:
        extra = {} if project is None or each.pk == project.pk else {"through_project": project.title}
        audit.record(
            by=by,
            action=action,
            instance=instance,
            organisation=measure.organisation,
            project=each,
            changes={**changes, **extra},
        )
