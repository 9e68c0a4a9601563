"""Actions: add, edit, mark done or not done, each audited; the open actions of a person and of a project.

The coaching app uses these too (an action agreed in a coaching session is the same kind of action)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.meetings.models import Action, Meeting
from openqi.meetings.services import notify
from openqi.projects.access import Level, visible_projects
from openqi.projects.models import Project


def _state(action: Action) -> dict[str, Any]:
    return audit.snapshot(action, Action.AUDITED_FIELDS)


@transaction.atomic
def add_action(
    project: Project,
    *,
    description: str,
    owner: Any,
    due_on: dt.date | None,
    by: Any,
    meeting: Meeting | None = None,
) -> Action:
    if meeting is not None and meeting.project_id != project.pk:
        raise ValueError("the meeting is not one of this project's")
    action = Action.objects.create(
        project=project,
        description=description,
        owner=owner,
        due_on=due_on,
        meeting=meeting,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    after = {k: v for k, v in _state(action).items() if v not in ("", None)}
    if meeting is not None:
        after["meeting"] = str(meeting)
    audit.record(
        by=by,
        action=AuditEvent.Action.CREATE,
        instance=action,
        project=project,
        changes=audit.diff({}, after),
    )
    if owner is not None and owner != by:
        notify.action_assigned(action, by=by)
    return action


@transaction.atomic
def edit_action(
    action: Action,
    *,
    description: str,
    owner: Any,
    due_on: dt.date | None,
    expected_version: int,
    by: Any,
) -> Action:
    """Save the changes, or raise EditConflict if someone saved in between."""
    before = _state(action)
    previous_owner_id = action.owner_id
    action.description = description
    action.owner = owner
    action.due_on = due_on
    action.save_versioned(expected_version, update_fields=["description", "owner", "due_on", "updated_at"])
    changes = audit.diff(before, _state(action))
    if changes:
        audit.record(
            by=by, action=AuditEvent.Action.UPDATE, instance=action, project=action.project, changes=changes
        )
    if owner is not None and owner.pk != previous_owner_id and owner != by:
        notify.action_assigned(action, by=by)
    return action


@transaction.atomic
def set_done(action: Action, *, done: bool, by: Any, on: dt.date | None = None) -> Action:
    """Mark the action done (today, or `on`) or not done. Marking it as it already is changes nothing."""
    if done == action.is_done:
        return action
    before = _state(action)
    action.done_on = (on or timezone.localdate()) if done else None
    action.version += 1
    action.save(update_fields=["done_on", "version", "updated_at"])
    audit.record(
        by=by,
        action=AuditEvent.Action.UPDATE,
        instance=action,
        project=action.project,
        changes=audit.diff(before, _state(action)),
    )
    return action


@transaction.atomic
def delete_action(action: Action, *, by: Any) -> None:
    before = _state(action)
    audit.record(
        by=by,
        action=AuditEvent.Action.DELETE,
        instance=action,
        project=action.project,
        changes={k: [v, None] for k, v in before.items() if v not in ("", None)},
    )
    action.delete()


def may_tick(action: Action, user: Any, level: Level) -> bool:
    """Who may mark an action done or not done: the project team (EDIT), and its owner whatever their
    level (a sponsor asked to unblock something ticks it off too)."""
    return level >= Level.EDIT or (
        action.owner_id is not None and action.owner_id == getattr(user, "pk", None)
    )


def open_actions_of(project: Project) -> QuerySet[Action]:
    """The project's actions not yet done, soonest due first (those without a date last)."""
    return (
        Action.objects.filter(project=project, done_on__isnull=True)
        .select_related("owner", "meeting")
        .order_by("due_on", "id")
    )


def open_actions_for(user: Any) -> QuerySet[Action]:
    """The person's own actions not yet done, in projects they can still see."""
    if not getattr(user, "is_authenticated", False):
        return Action.objects.none()
    return (
        Action.objects.filter(owner=user, done_on__isnull=True, project__in=visible_projects(user))
        .select_related("project")
        .order_by("due_on", "id")
    )


def overdue_actions_for(user: Any, today: dt.date | None = None) -> QuerySet[Action]:
    return open_actions_for(user).filter(due_on__lt=today or timezone.localdate())
