"""Operations on PDSA cycles and their tasks. Cycles chain into ramps through `follows`; each stage is
saved with the version the editor started from, and so is a task edited on its own page, so two people
writing up the same cycle never overwrite each other silently."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import F

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.projects.models import ChangeIdea, PDSACycle, PDSATask, Project

_CYCLE_SUFFIX = re.compile(r"\s*\(cycle \d+\)\s*$")


class NotInThisRamp(ValueError):
    """A cycle can only follow an earlier cycle of the same project and change idea."""


def ramp_number(cycle: PDSACycle) -> int:
    """1 for the first cycle of a ramp, 2 for the one that follows it, and so on."""
    number, seen, current = 1, {cycle.pk}, cycle.follows
    while current is not None and current.pk not in seen:  # a loop in old data must not hang a page
        number += 1
        seen.add(current.pk)
        current = current.follows
    return number


def next_cycle_title(cycle: PDSACycle) -> str:
    """ "Text reminders" → "Text reminders (cycle 2)"; "Text reminders (cycle 2)" → "… (cycle 3)"."""
    base = _CYCLE_SUFFIX.sub("", cycle.title).strip() or cycle.title
    suffix = f" (cycle {ramp_number(cycle) + 1})"
    return base[: PDSACycle._meta.get_field("title").max_length - len(suffix)] + suffix  # type: ignore[operator]


def _check_ramp(project: Project, change_idea: ChangeIdea | None, follows: PDSACycle | None) -> None:
    if change_idea is not None and change_idea.project_id != project.pk:
        raise NotInThisRamp("change idea of another project")
    if follows is not None and (
        follows.project_id != project.pk or follows.change_idea_id != getattr(change_idea, "pk", None)
    ):
        raise NotInThisRamp("a cycle can only follow a cycle of the same change idea")


def create_cycle(
    project: Project,
    *,
    title: str,
    change_idea: ChangeIdea | None,
    by: Any,
    follows: PDSACycle | None = None,
    objective: str = "",
    prediction: str = "",
) -> PDSACycle:
    _check_ramp(project, change_idea, follows)
    with transaction.atomic():
        cycle = PDSACycle.objects.create(
            project=project,
            change_idea=change_idea,
            follows=follows,
            title=title.strip(),
            objective=objective.strip(),
            prediction=prediction.strip(),
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit.record(
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=cycle,
            project=project,
            changes=audit.diff(
                {}, {k: v for k, v in audit.snapshot(cycle, PDSACycle.AUDITED_FIELDS).items() if v}
            ),
        )
    return cycle


def update_cycle(cycle: PDSACycle, *, values: dict[str, Any], expected_version: int, by: Any) -> None:
    """Save one stage's answers. Raises EditConflict (and changes nothing) when someone else saved the
    cycle after `expected_version`."""
    unknown = set(values) - set(PDSACycle.AUDITED_FIELDS) - {"change_idea", "follows"}
    if unknown:
        raise ValueError(f"not cycle fields: {sorted(unknown)}")
    _check_ramp(
        cycle.project, values.get("change_idea", cycle.change_idea), values.get("follows", cycle.follows)
    )
    with transaction.atomic():
        # The state on record, not the instance: a ModelForm has already written the answers into it.
        before = audit.snapshot(PDSACycle.objects.get(pk=cycle.pk), PDSACycle.AUDITED_FIELDS)
        for name, value in values.items():
            setattr(cycle, name, value.strip() if isinstance(value, str) else value)
        attnames = [cycle._meta.get_field(name).attname for name in values]  # type: ignore[union-attr]
        cycle.save_versioned(expected_version, update_fields=attnames)
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=cycle,
            project=cycle.project,
            changes=audit.diff(before, audit.snapshot(cycle, PDSACycle.AUDITED_FIELDS)),
        )


def add_task(cycle: PDSACycle, *, description: str, owner: Any, due_on: dt.date | None, by: Any) -> PDSATask:
    with transaction.atomic():
        task = PDSATask.objects.create(
            cycle=cycle, description=description.strip(), owner=owner, due_on=due_on
        )
        audit.record(
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=task,
            project=cycle.project,
            changes=audit.diff({}, audit.snapshot(task, PDSATask.AUDITED_FIELDS)),
        )
    return task


def update_task(
    task: PDSATask,
    *,
    description: str,
    owner: Any,
    due_on: dt.date | None,
    done: bool,
    expected_version: int,
    by: Any,
) -> None:
    """Save a task from its edit form. Raises EditConflict (and changes nothing) when someone else
    saved it after `expected_version`."""
    with transaction.atomic():
        before = audit.snapshot(
            PDSATask.objects.select_related("owner").get(pk=task.pk), PDSATask.AUDITED_FIELDS
        )
        task.description, task.owner, task.due_on, task.done = description.strip(), owner, due_on, done
        task.save_versioned(expected_version, update_fields=["description", "owner_id", "due_on", "done"])
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=task,
            project=task.cycle.project,
            changes=audit.diff(before, audit.snapshot(task, PDSATask.AUDITED_FIELDS)),
        )


def set_task_done(task: PDSATask, *, done: bool, by: Any) -> None:
    """Tick a task done (or not) from the cycle page. Not checked against a version (the button says
    exactly what it does), but it counts as a new version: an edit form opened before the tick, which
    also holds "done", is then refused instead of silently undoing it."""
    with transaction.atomic():
        before = audit.snapshot(task, PDSATask.AUDITED_FIELDS)
        PDSATask.objects.filter(pk=task.pk).update(done=done, version=F("version") + 1)
        task.refresh_from_db(fields=["done", "version"])
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=task,
            project=task.cycle.project,
            changes=audit.diff(before, audit.snapshot(task, PDSATask.AUDITED_FIELDS)),
        )


def remove_task(task: PDSATask, *, by: Any) -> None:
    with transaction.atomic():
        audit.record(
            by=by,
            action=AuditEvent.Action.DELETE,
            instance=task,
            project=task.cycle.project,
            changes={k: [v, None] for k, v in audit.snapshot(task, PDSATask.AUDITED_FIELDS).items()},
        )
        task.delete()
