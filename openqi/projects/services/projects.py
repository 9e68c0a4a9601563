"""Operations on the project record. Each is atomic and writes its audit record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from openqi.core import audit
from openqi.organisations.models import Organisation
from openqi.projects.models import (
    LIFECYCLE_NEXT,
    Lifecycle,
    LifecycleChange,
    ProgressScoreChange,
    Project,
    TeamMember,
    TeamRole,
)


class LifecycleError(Exception):
    pass


@transaction.atomic
def create_project(*, organisation: Organisation, data: dict[str, Any], by: Any, lead: Any = None) -> Project:
    """A new project in the idea stage, with its creator as project lead, or `lead` when someone sets a
    project up for another person (a coach turning a colleague's idea into a project)."""
    priorities = data.pop("priorities", [])
    project = Project.objects.create(organisation=organisation, created_by=by, **data)
    project.priorities.set(priorities)
    TeamMember.objects.create(project=project, user=lead or by, role=TeamRole.LEAD)
    audit.record(
        by=by,
        action="create",
        instance=project,
        project=project,
        changes=audit.diff({}, audit.snapshot(project, Project.RECORD_FIELDS)),
    )
    return project


@transaction.atomic
def update_project(project: Project, *, data: dict[str, Any], expected_version: int, by: Any) -> None:
    """Save an edit unless someone else saved first (EditConflict)."""
    fresh = Project.objects.get(pk=project.pk)
    before = audit.snapshot(fresh, Project.RECORD_FIELDS)
    priorities = data.pop("priorities", None)
    for name, value in data.items():
        setattr(project, name, value)
    project.save_versioned(expected_version, update_fields=[*data.keys(), "updated_at"])
    if priorities is not None:
        project.priorities.set(priorities)
    after = audit.snapshot(project, Project.RECORD_FIELDS)
    changes = audit.diff(before, after)
    if changes:
        audit.record(by=by, action="update", instance=project, project=project, changes=changes)


@transaction.atomic
def change_lifecycle(
    project: Project,
    *,
    to_state: str,
    note: str,
    expected_version: int,
    by: Any,
    approved_on: Any = None,
    approved_by: str = "",
) -> LifecycleChange:
    if to_state not in LIFECYCLE_NEXT[project.lifecycle]:
        raise LifecycleError(
            f"A project cannot move from {Lifecycle(project.lifecycle).label.lower()} to "
            f"{Lifecycle(to_state).label.lower()}."
        )
    before = audit.snapshot(project, ["lifecycle", "approved_on", "approved_by", "closed_reason"])
    from_state = project.lifecycle
    project.lifecycle = to_state
    fields = ["lifecycle"]
    if to_state == Lifecycle.APPROVED:
        project.approved_on, project.approved_by = approved_on, approved_by
        fields += ["approved_on", "approved_by"]
        # The change keeps its own record of the approval, so a later re-approval does not rewrite it.
        approval = f"Approved by {approved_by} on {approved_on:%-d %B %Y}."
        note = f"{approval} {note}".strip()
    if to_state == Lifecycle.CLOSED:
        project.closed_reason = note
        fields.append("closed_reason")
    project.save_versioned(expected_version, update_fields=fields)
    change = LifecycleChange.objects.create(
        project=project, from_state=from_state, to_state=to_state, note=note, changed_by=by
    )
    audit.record(
        by=by,
        action="update",
        instance=project,
        project=project,
        changes=audit.diff(
            before, audit.snapshot(project, ["lifecycle", "approved_on", "approved_by", "closed_reason"])
        )
        | ({"note": [None, note]} if note else {}),
    )
    return change


@transaction.atomic
def set_progress_score(
    project: Project, *, score: Any, note: str, expected_version: int, by: Any
) -> ProgressScoreChange:
    """Record a review of the progress score (the same score again still counts as a review)."""
    previous = project.progress_score
    now = timezone.now()
    project.progress_score = score
    project.progress_reviewed_at = now
    project.save_versioned(expected_version, update_fields=["progress_score", "progress_reviewed_at"])
    change = ProgressScoreChange.objects.create(
        project=project, score=score, previous_score=previous, note=note, changed_by=by, changed_at=now
    )
    audit.record(
        by=by,
        action="update",
        instance=project,
        project=project,
        changes={
            "progress_score": [str(previous) if previous is not None else None, str(score)],
            "note": [None, note],
        },
    )
    return change


def saved_project(project: Project) -> Project:
    """The project as now saved (someone else's edit included), for a form re-shown after a conflict."""
    return Project.objects.get(pk=project.pk)
