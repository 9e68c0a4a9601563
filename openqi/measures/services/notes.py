"""Annotations: numbered notes on a chart's points. A note belongs to one project (its PDSA cycles and
story mean nothing to another team), so only that project's audit trail records it. (Not called
`annotations`, which `from __future__ import annotations` would shadow in every module importing it.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.measures.models import Annotation, Measure
from openqi.measures.services.changes import bump_data_version
from openqi.projects.models import PDSACycle, Project, StoryEntry


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
            by=by,
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
            by=by,
            action=AuditEvent.Action.DELETE,
            instance=note,
            organisation=measure.organisation,
            project=project,
            changes={"period": str(note.period), "text": note.text},
        )
        note.delete()
        bump_data_version(measure)
