"""Coaching end to end through the pages and services: ideas become projects led by the person who
brought them, sessions give actions and a calendar invitation, private notes stay private, the caseload
flags what needs attention, and a sponsor update is drafted, edited, sent and archived."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openqi.coaching import caseload, services
from openqi.coaching.models import CoachingSettings, Idea, IdeaStatus, SponsorUpdate
from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
from openqi.meetings.models import Action
from openqi.organisations.tests.factories import MembershipFactory, UserFactory
from openqi.projects.models import Lifecycle, ProgressScoreChange, TeamRole
from openqi.projects.presenters.timeline import timeline_for
from openqi.projects.tests.factories import (
    PDSACycleFactory,
    ProjectFactory,
    StoryEntryFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def worker(world):  # type: ignore[no-untyped-def]
    user = UserFactory(email="recovery.worker@northshire.nhs.uk", name="Jo Recovery")
    MembershipFactory(organisation=world.trust, user=user, roles=[])
    return user


def test_a_colleague_brings_an_idea_and_the_coach_turns_it_into_a_project_they_lead(world, worker) -> None:  # type: ignore[no-untyped-def]
    page = client_for(worker).post(
        reverse("coaching:idea_new"),
        {
            "coach": str(world.coach.pk),
            "title": "Morning check-in calls",
            "problem": "People miss their first group session.",
            "affects": "People starting recovery groups",
            "could_try": "A phone call the morning before the first group",
        },
    )
    idea = Idea.objects.get()
    assert page.status_code == 302 and idea.coach == world.coach and idea.brought_by == worker
    assert idea.status == IdeaStatus.NEW
    # The worker sees its status; another colleague does not see the idea at all.
    assert (
        "Waiting for the coach"
        in client_for(worker).get(reverse("coaching:idea", args=[idea.pk])).content.decode()
    )
    assert client_for(world.member).get(reverse("coaching:idea", args=[idea.pk])).status_code == 404
    # Only the coach decides.
    assert (
        client_for(worker).post(reverse("coaching:idea", args=[idea.pk]), {"decision": "parked"}).status_code
        == 403
    )
    done = client_for(world.coach).post(
        reverse("coaching:idea", args=[idea.pk]),
        {"decision": "project", "note": "Let's test it", "project_title": "First-group attendance"},
    )
    idea.refresh_from_db()
    project = idea.project
    assert done.status_code == 302 and idea.status == IdeaStatus.PROJECT and project is not None
    roles = {(m.user_id, m.role) for m in project.team.filter(left_on__isnull=True)}
    assert roles == {(worker.pk, TeamRole.LEAD), (world.coach.pk, TeamRole.COACH)}
    assert "People miss their first group session." in project.problem
    assert project.change_ideas.get().title == "A phone call the morning before the first group"
    assert (
        "Turned into a project"
        in client_for(worker).get(reverse("coaching:idea", args=[idea.pk])).content.decode()
    )


def test_declining_needs_a_reason_which_the_person_sees(world, worker) -> None:  # type: ignore[no-untyped-def]
    idea = services.bring_idea(
        organisation=world.trust,
        coach=world.coach,
        service=None,
        title="Idea",
        problem="p",
        affects="a",
        could_try="c",
        by=worker,
    )
    page = client_for(world.coach).post(reverse("coaching:idea", args=[idea.pk]), {"decision": "declined"})
    assert page.status_code == 200 and "Enter the reason for declining the idea" in page.content.decode()
    client_for(world.coach).post(
        reverse("coaching:idea", args=[idea.pk]),
        {"decision": "declined", "note": "Another team is doing this"},
    )
    body = client_for(worker).get(reverse("coaching:idea", args=[idea.pk])).content.decode()
    assert "Declined" in body and "Another team is doing this" in body


def _session_post(world, **extra):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return {
        "held_on": f"{today.day}/{today.month}/{today.year}",
        "kind": "one_to_one",
        "participants": [str(world.lead.pk), str(world.partner.pk)],
        "shared_notes": "Agreed to start the reminder test next week.",
        "private_notes": "Lead seems stretched; raise capacity with the sponsor.",
        "action_1_description": "Draft the reminder script",
        "action_1_owner": str(world.lead.pk),
        "action_1_due_on": (today + dt.timedelta(days=7)).strftime("%d/%m/%Y"),
        "next_on": (today + dt.timedelta(days=14)).strftime("%d/%m/%Y"),
        "next_time": "14:30",
        **extra,
    }


def test_a_session_gives_actions_an_invitation_and_keeps_private_notes_private(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    with django_capture_on_commit_callbacks(execute=True):  # the invitations go once the session is saved
        response = client_for(world.coach).post(
            reverse("coaching:session_new", args=[project.pk]), _session_post(world)
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = project.coaching_sessions.get()
    action = Action.objects.get()
    assert action.owner == world.lead and action.project == project and session.actions.get() == action
    # The calendar invitation went to the people who took part, and the coach.
    invited = sorted(address for message in mail.outbox for address in message.to)
    assert invited == sorted([world.lead.email, world.partner.email, world.coach.email])
    ics = mail.outbox[0].attachments[0][1]
    assert "BEGIN:VCALENDAR" in (ics.decode() if isinstance(ics, bytes) else ics)
    # The lead sees the shared notes and the action, not the private notes; nor does the partner.
    for person in (world.lead, world.partner):
        body = (
            client_for(person).get(reverse("coaching:project_sessions", args=[project.pk])).content.decode()
        )
        assert "Agreed to start the reminder test" in body and "Draft the reminder script" in body
        assert "Lead seems stretched" not in body
    for person in (world.coach, world.admin, world.advisor):
        body = (
            client_for(person).get(reverse("coaching:project_sessions", args=[project.pk])).content.decode()
        )
        assert "Lead seems stretched" in body
    # The timeline carries the shared note only.
    items = [i for i in timeline_for(project) if i.kind == "coaching"]
    assert len(items) == 1 and items[0].detail == "Agreed to start the reminder test next week."
    timeline = client_for(world.lead).get(reverse("projects:timeline", args=[project.pk])).content.decode()
    assert "Lead seems stretched" not in timeline


def test_only_the_coach_or_the_qi_team_log_sessions(world, projects) -> None:  # type: ignore[no-untyped-def]
    url = reverse("coaching:session_new", args=[projects.shared.pk])
    assert client_for(world.lead).get(url).status_code == 403
    assert client_for(world.partner).post(url, _session_post(world)).status_code == 403
    assert client_for(world.admin).get(url).status_code == 200


def test_a_bad_session_form_shows_errors_not_a_crash(world, projects) -> None:  # type: ignore[no-untyped-def]
    page = client_for(world.coach).post(
        reverse("coaching:session_new", args=[projects.shared.pk]),
        _session_post(world, held_on="31/2/2025", action_1_description="", next_on="1/1/2020"),
    )
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body
    assert "Enter what was agreed for action 1" in body


def test_the_caseload_flags_what_needs_attention(world, projects) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    quiet, busy = projects.private, projects.shared
    for project in (quiet, busy):
        project.lifecycle = Lifecycle.ACTIVE
        project.progress_score = Decimal("2.5")
        project.progress_reviewed_at = timezone.now() - dt.timedelta(days=40)
        project.save()
    ProgressScoreChange.objects.create(
        project=quiet, score=Decimal("2.5"), note="n", changed_at=timezone.now() - dt.timedelta(days=130)
    )
    link = ProjectMeasureFactory(project=quiet)
    add_points(link.measure, [(9, 20), (10, 21)], start=today - dt.timedelta(weeks=30))
    services.log_session(
        busy,
        services.SessionRecord(today - dt.timedelta(days=3), "team", [world.lead], "ok", "", None, None),
        by=world.coach,
    )
    rows = {row.project.pk: row for row in caseload.caseload_rows([quiet, busy])}
    quiet_flags = {f.code for f in rows[quiet.pk].flags}
    assert quiet_flags == {"no_contact", "score_stale", "stalled", "no_data"}
    assert {f.code for f in rows[busy.pk].flags} == {"score_stale"}
    assert rows[busy.pk].last_contact == today - dt.timedelta(days=3)
    # The organisation's thresholds decide.
    CoachingSettings.objects.create(
        organisation=world.trust, score_review_days=60, stall_months=6, no_data_periods=52
    )
    rows = {row.project.pk: row for row in caseload.caseload_rows([quiet, busy])}
    assert {f.code for f in rows[quiet.pk].flags} == {"no_contact"}
    body = client_for(world.coach).get(reverse("coaching:caseload")).content.decode()
    assert "Private project" in body and "Shared project" in body and "2 projects, 1 flagged" in body


def test_the_qi_team_sees_every_coachs_caseload_and_others_are_refused(world, projects) -> None:  # type: ignore[no-untyped-def]
    body = (
        client_for(world.admin).get(reverse("coaching:caseload"), {"coach": world.coach.pk}).content.decode()
    )
    assert "Caseload of Dan Okafor" in body and "Private project" in body and "Each coach" in body
    assert (
        client_for(world.coach).get(reverse("coaching:caseload"), {"coach": world.admin.pk}).status_code
        == 404
    )
    assert client_for(world.member).get(reverse("coaching:caseload")).status_code == 403
    assert (
        client_for(world.outsider).get(reverse("coaching:caseload"), {"coach": world.coach.pk}).status_code
        == 404
    )


def test_a_sponsor_update_is_drafted_edited_sent_and_archived(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    today = timezone.localdate()
    link = ProjectMeasureFactory(project=project)
    add_points(
        link.measure, [(9, 20), (10, 21), (8, 19), (11, 20), (12, 20)], start=today - dt.timedelta(weeks=6)
    )
    PDSACycleFactory(project=project, title="Reminder calls", started_on=today.replace(day=1))
    StoryEntryFactory(
        project=project, occurred_on=today.replace(day=1), title="First calls made", category="milestone"
    )
    coach = client_for(world.coach)
    drafted = coach.post(
        reverse("coaching:update_new"),
        {"sponsor": str(world.sponsor.pk), "month": today.replace(day=1).isoformat()},
    )
    update = SponsorUpdate.objects.get()
    assert drafted.status_code == 302 and update.sections.count() == 2
    facts = update.sections.get(project=project).facts
    assert (
        facts["cycles_started"] == ["Reminder calls"] and "Milestone: First calls made" in facts["highlights"]
    )
    # The sponsor cannot read the draft.
    assert client_for(world.sponsor).get(reverse("coaching:update", args=[update.pk])).status_code == 404
    section = update.sections.get(project=project)
    post = {"introduction": "A good month.", "needs": "Protected time for the lead on Fridays."}
    post |= {f"note_{s.pk}": "" for s in update.sections.all()}
    post[f"note_{section.pk}"] = "Calls started; early signs are good."
    assert coach.post(reverse("coaching:update", args=[update.pk]), post).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        coach.post(reverse("coaching:update_send", args=[update.pk]))
    update.refresh_from_db()
    assert update.is_sent
    message = mail.outbox[-1]
    assert message.to == [world.sponsor.email]
    html = message.alternatives[0][0]
    assert "Protected time for the lead on Fridays." in html and "cid:chart-" in html
    names = [a[0] if isinstance(a, tuple) else a.get_filename() for a in message.attachments]
    assert any(n and n.endswith(".pdf") for n in names)
    pdf = next(a for a in message.attachments if isinstance(a, tuple) and a[0].endswith(".pdf"))
    assert pdf[1].startswith(b"%PDF")
    # Sent: the sponsor sees it on their page, and it is archived on the project.
    body = client_for(world.sponsor).get(reverse("coaching:sponsored")).content.decode()
    assert "Shared project" in body and "Calls started; early signs are good." in body
    archive = (
        client_for(world.lead).get(reverse("coaching:project_updates", args=[project.pk])).content.decode()
    )
    assert "Calls started; early signs are good." in archive
    assert coach.post(reverse("coaching:update", args=[update.pk]), post).status_code == 403


def test_a_coach_can_invite_to_and_manage_the_team_of_projects_they_coach(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    coach = client_for(world.coach)
    assert coach.get(reverse("projects:team_invite", args=[project.pk])).status_code == 200
    coach.post(
        reverse("projects:team_invite", args=[project.pk]),
        {"email": world.member.email, "name": "", "role": "member"},
    )
    assert project.team.filter(user=world.member, left_on__isnull=True).exists()
    other = ProjectFactory(organisation=world.trust, title="Not coached")
    TeamMemberFactory(project=other, user=world.lead, role=TeamRole.LEAD)
    assert coach.get(reverse("projects:team_invite", args=[other.pk])).status_code == 403
    # A partner on the team still cannot.
    assert (
        client_for(world.partner).get(reverse("projects:team_invite", args=[project.pk])).status_code == 403
    )


def test_private_notes_never_reach_another_organisation_through_any_page(world, projects) -> None:  # type: ignore[no-untyped-def]
    services.log_session(
        projects.shared,
        services.SessionRecord(timezone.localdate(), "team", [], "shared", "SECRET-NOTE", None, None),
        by=world.coach,
    )
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("coaching:project_sessions", args=[projects.shared.pk])).status_code == 404
    assert "SECRET-NOTE" not in outsider.get(reverse("coaching:caseload")).content.decode()
    # The audit trail names the private notes but does not copy them.
    audit = client_for(world.admin).get(reverse("projects:audit", args=[projects.shared.pk])).content.decode()
    assert "SECRET-NOTE" not in audit


def test_changing_a_session_moves_its_invitation_and_refuses_a_stale_edit(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    today = timezone.localdate()
    session = services.log_session(
        project,
        services.SessionRecord(
            today, "team", [world.lead], "Shared", "Private", today + dt.timedelta(days=7), None
        ),
        by=world.coach,
    )
    url = reverse("coaching:session_edit", args=[project.pk, session.pk])
    post = {
        "held_on": today.strftime("%d/%m/%Y"),
        "kind": "team",
        "participants": [str(world.lead.pk)],
        "shared_notes": "Shared, corrected",
        "private_notes": "Private",
        "next_on": (today + dt.timedelta(days=10)).strftime("%d/%m/%Y"),
        "next_time": "09:00",
        "version": str(session.version),
    }
    assert client_for(world.lead).get(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(world.coach).post(url, post).status_code == 302
    session.refresh_from_db()
    assert session.shared_notes == "Shared, corrected" and session.calendar_sequence == 1
    ics = mail.outbox[-1].attachments[0][1]
    text = ics.decode() if isinstance(ics, bytes) else ics
    assert "SEQUENCE:1" in text and session.calendar_uid in text
    # Someone saved in between: the page says so instead of overwriting.
    stale = client_for(world.coach).post(url, {**post, "shared_notes": "Older words"})
    assert stale.status_code == 200 and "There is a problem" in stale.content.decode()
    session.refresh_from_db()
    assert session.shared_notes == "Shared, corrected"
