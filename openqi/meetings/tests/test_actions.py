"""Actions: added, changed and done through the services, audited; the open actions of a person and a
project; an owner who asked for it hears at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from openqi.core.concurrency import EditConflict
from openqi.core.models import AuditEvent
from openqi.meetings.models import Action, EmailFrequency
from openqi.meetings.services import notify
from openqi.meetings.services.actions import (
    add_action,
    edit_action,
    open_actions_for,
    open_actions_of,
    overdue_actions_for,
    set_done,
)

pytestmark = pytest.mark.django_db


def test_add_action_is_audited_and_open(world, projects) -> None:  # type: ignore[no-untyped-def]
    action = add_action(
        projects.shared,
        description="Ask the admin team for last month's completions",
        owner=world.partner,
        due_on=dt.date(2026, 12, 10),
        by=world.lead,
    )
    assert not action.is_done and action.created_by == world.lead
    row = AuditEvent.objects.get(object_type="meetings.action", object_id=str(action.pk))
    assert row.action == AuditEvent.Action.CREATE and row.project_id == projects.shared.pk
    assert row.changes["description"] == [None, "Ask the admin team for last month's completions"]
    assert list(open_actions_of(projects.shared)) == [action]
    assert list(open_actions_for(world.partner)) == [action]
    assert list(open_actions_for(world.lead)) == []


def test_set_done_and_undo(world, projects) -> None:  # type: ignore[no-untyped-def]
    action = add_action(
        projects.shared, description="Print leaflets", owner=world.lead, due_on=None, by=world.lead
    )
    set_done(action, done=True, by=world.lead, on=dt.date(2026, 12, 1))
    action.refresh_from_db()
    assert action.done_on == dt.date(2026, 12, 1)
    assert list(open_actions_of(projects.shared)) == []
    set_done(action, done=False, by=world.partner)
    action.refresh_from_db()
    assert action.done_on is None
    changes = [
        e.changes["done_on"]
        for e in AuditEvent.objects.filter(
            object_id=str(action.pk), action=AuditEvent.Action.UPDATE
        ).order_by("id")
    ]
    assert changes == [[None, "2026-12-01"], ["2026-12-01", None]]


def test_a_stale_edit_is_refused(world, projects) -> None:  # type: ignore[no-untyped-def]
    action = add_action(
        projects.shared, description="Draft the poster", owner=None, due_on=None, by=world.lead
    )
    edit_action(
        action,
        description="Draft the A1 poster",
        owner=world.coach,
        due_on=None,
        expected_version=1,
        by=world.lead,
    )
    stale = Action.objects.get(pk=action.pk)
    with pytest.raises(EditConflict):
        edit_action(stale, description="Other", owner=None, due_on=None, expected_version=1, by=world.partner)
    assert Action.objects.get(pk=action.pk).description == "Draft the A1 poster"


def test_open_actions_for_leave_out_projects_the_person_no_longer_sees(world, projects) -> None:  # type: ignore[no-untyped-def]
    action = add_action(
        projects.private, description="Book a room", owner=world.partner, due_on=None, by=world.lead
    )
    assert list(open_actions_for(world.partner)) == [action]
    projects.private.team.filter(user=world.partner).update(left_on=dt.date(2026, 11, 1))
    world.partner.__dict__.pop("_openqi_project_roles", None)
    assert list(open_actions_for(world.partner)) == []


def test_overdue_actions(world, projects) -> None:  # type: ignore[no-untyped-def]
    late = add_action(
        projects.shared, description="Late", owner=world.lead, due_on=dt.date(2026, 11, 1), by=world.lead
    )
    add_action(
        projects.shared, description="Not yet", owner=world.lead, due_on=dt.date(2026, 12, 31), by=world.lead
    )
    assert list(overdue_actions_for(world.lead, dt.date(2026, 12, 1))) == [late]


def test_an_owner_who_wants_it_straight_away_is_told_at_once(
    world,
    projects,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    notify.set_frequency(world.partner, EmailFrequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        add_action(
            projects.shared,
            description="Test the video link",
            owner=world.partner,
            due_on=None,
            by=world.lead,
        )
        add_action(projects.shared, description="Coach's own", owner=world.coach, due_on=None, by=world.lead)
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    assert "Test the video link" in mail.outbox[0].body and "Tom Price" in mail.outbox[0].body
