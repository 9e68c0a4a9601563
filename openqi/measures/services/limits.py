"""What the team decides about a chart's calculation: baseline freezes and rebases, and points left
out of it. Each changes every project's chart, so each is in every project's audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from openqi.core.models import AuditEvent
from openqi.measures.models import DataPoint, LimitChange, Measure
from openqi.measures.services.changes import bump_data_version, record_for_every_project
from openqi.projects.models import Project


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
