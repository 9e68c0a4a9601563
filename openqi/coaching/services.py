"""Coaching operations that write: bringing and triaging ideas, logging coaching sessions (with their
actions and the next session's calendar invitation), the caseload flag settings, and preparing, editing
and sending sponsor updates. Each is atomic and writes its audit record (`by=` is the acting person)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openqi.coaching import report
from openqi.coaching.models import (
    CoachingSession,
    CoachingSettings,
    Idea,
    IdeaStatus,
    SessionKind,
    SponsorUpdate,
    SponsorUpdateProject,
    UpdateStatus,
)
from openqi.core import audit
from openqi.core.formatting import long_date
from openqi.meetings import calendar
from openqi.meetings.services import actions as action_services
from openqi.organisations.models import Organisation
from openqi.projects.models import ChangeIdea, Project, TeamRole
from openqi.projects.services import projects as project_services
from openqi.projects.services import team as team_services


class CoachingError(Exception):
    pass


# --- ideas ---------------------------------------------------------------------------------------------


@transaction.atomic
def bring_idea(
    *,
    organisation: Organisation,
    coach: Any,
    service: Any,
    title: str,
    problem: str,
    affects: str,
    could_try: str,
    by: Any,
) -> Idea:
    idea = Idea.objects.create(
        organisation=organisation,
        coach=coach,
        service=service,
        brought_by=by,
        title=title,
        problem=problem,
        affects=affects,
        could_try=could_try,
    )
    audit.record(
        by=by,
        action="create",
        instance=idea,
        organisation=organisation,
        changes=audit.diff({}, audit.snapshot(idea, Idea.AUDITED_FIELDS)),
    )
    return idea


TRIAGE_CHOICES = {
    IdeaStatus.TALKING: "Talk it through",
    IdeaStatus.PROJECT: "Turn it into a project",
    IdeaStatus.PARKED: "Park it",
    IdeaStatus.DECLINED: "Decline it",
}


@transaction.atomic
def triage_idea(idea: Idea, *, decision: str, note: str, by: Any, project_title: str = "") -> Idea:
    """Record the coach's decision. Turning an idea into a project makes its owner the lead and the coach
    the coach, and carries the problem and the idea into the project record and its first change idea."""
    if decision not in TRIAGE_CHOICES:
        raise CoachingError("Choose what to do with the idea.")
    if idea.status == IdeaStatus.PROJECT:
        raise CoachingError("This idea is a project already.")
    if decision == IdeaStatus.DECLINED and not note.strip():
        raise CoachingError("Give the reason for declining the idea.")
    before = audit.snapshot(idea, Idea.AUDITED_FIELDS)
    if decision == IdeaStatus.PROJECT:
        idea.project = _project_from(idea, title=project_title or idea.title, by=by)
    idea.status = decision
    idea.triage_note = note
    idea.triaged_by = by
    idea.triaged_at = timezone.now()
    idea.save()
    audit.record(
        by=by,
        action="update",
        instance=idea,
        organisation=idea.organisation,
        changes=audit.diff(before, audit.snapshot(idea, Idea.AUDITED_FIELDS)),
    )
    return idea


def _project_from(idea: Idea, *, title: str, by: Any) -> Project:
    problem = f"{idea.problem.strip()}\n\nWho it affects: {idea.affects.strip()}"
    directorate = idea.service.directorate if idea.service is not None else None
    project = project_services.create_project(
        organisation=idea.organisation,
        data={"title": title[:200], "problem": problem, "service": idea.service, "directorate": directorate},
        by=by,
        lead=idea.brought_by,
    )
    team_services.add_to_team(project, user=by, role=TeamRole.COACH, by=by)
    if idea.coach is not None and idea.coach.pk != by.pk:
        team_services.add_to_team(project, user=idea.coach, role=TeamRole.COACH, by=by)
    change = ChangeIdea.objects.create(project=project, title=idea.could_try.strip()[:300] or title[:300])
    if len(idea.could_try.strip()) > 300:
        change.description = idea.could_try.strip()
        change.save(update_fields=["description"])
    audit.record(
        by=by, action="create", instance=change, project=project, changes={"title": [None, change.title]}
    )
    return project


# --- coaching sessions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreedAction:
    description: str
    owner: Any
    due_on: dt.date | None


@dataclass(frozen=True)
class SessionRecord:
    held_on: dt.date
    kind: str
    participants: Sequence[Any]
    shared_notes: str
    private_notes: str
    next_on: dt.date | None
    next_time: dt.time | None
    actions: Sequence[AgreedAction] = ()


@transaction.atomic
def log_session(project: Project, record: SessionRecord, *, by: Any) -> CoachingSession:
    session = CoachingSession.objects.create(
        project=project,
        coach=by,
        held_on=record.held_on,
        kind=record.kind,
        shared_notes=record.shared_notes,
        private_notes=record.private_notes,
        next_on=record.next_on,
        next_time=record.next_time,
    )
    session.participants.set(record.participants)
    for agreed in record.actions:
        action = action_services.add_action(
            project, description=agreed.description, owner=agreed.owner, due_on=agreed.due_on, by=by
        )
        session.actions.add(action)
    audit.record(
        by=by,
        action="create",
        instance=session,
        project=project,
        changes={
            **audit.diff({}, _session_state(session)),
            "participants": [None, [p.display_name for p in record.participants]],
        },
    )
    if session.next_on is not None:
        invite_to_next_session(session)
    return session


def _session_state(session: CoachingSession) -> dict[str, Any]:
    # Private notes are named in the audit trail but not copied into it: the trail is read more widely.
    state = audit.snapshot(session, [f for f in CoachingSession.AUDITED_FIELDS if f != "private_notes"])
    state["private_notes"] = "(written)" if session.private_notes else ""
    state["next_time"] = f"{session.next_time:%H:%M}" if session.next_time else None
    return state


@transaction.atomic
def edit_session(
    session: CoachingSession, record: SessionRecord, *, expected_version: int, by: Any
) -> CoachingSession:
    before = _session_state(session)
    moved = (session.next_on, session.next_time) != (record.next_on, record.next_time)
    for name in ("held_on", "kind", "shared_notes", "private_notes", "next_on", "next_time"):
        setattr(session, name, getattr(record, name))
    if moved and record.next_on is not None:
        session.calendar_sequence += 1
    session.save_versioned(
        expected_version,
        update_fields=[
            "held_on",
            "kind",
            "shared_notes",
            "private_notes",
            "next_on",
            "next_time",
            "calendar_sequence",
        ],
    )
    session.participants.set(record.participants)
    changes = audit.diff(before, _session_state(session))
    if changes:
        audit.record(by=by, action="update", instance=session, project=session.project, changes=changes)
    if moved and session.next_on is not None:
        invite_to_next_session(session)
    return session


DEFAULT_TIME = dt.time(10, 0)
SESSION_MINUTES = 60


def next_session_event(session: CoachingSession) -> calendar.CalendarEvent:
    """The next session as a calendar event: its own UID, a SEQUENCE raised whenever its date moves."""
    assert session.next_on is not None
    start = timezone.make_aware(dt.datetime.combine(session.next_on, session.next_time or DEFAULT_TIME))
    project = session.project
    coach = session.coach
    return calendar.CalendarEvent(
        uid=session.calendar_uid,
        sequence=session.calendar_sequence,
        summary=f"Coaching: {project.title}",
        start=start,
        end=start + dt.timedelta(minutes=SESSION_MINUTES),
        description=f"{SessionKind(session.kind).label} – the next coaching session for {project.title}.",
        url=f"{settings.SITE_URL}/coaching/projects/{project.pk}/sessions/",
        organiser=(coach.display_name, coach.email) if coach is not None else None,
        attendees=[(p.display_name, p.email) for p in session.participants.all()],
    )


def invite_to_next_session(session: CoachingSession) -> None:
    """E-mail the next session's invitation (.ics) to everyone who took part, and the coach."""
    event = next_session_event(session)
    people = list(session.participants.all())
    if session.coach is not None:
        people.append(session.coach)
    calendar.send_invitation(
        event,
        [p.email for p in people],
        method="REQUEST",
        subject=f"Next coaching session: {session.project.title}, {long_date(session.next_on)}",
        text=(
            f"The next coaching session for {session.project.title} is on {long_date(session.next_on)}.\n"
            "The calendar entry is attached."
        ),
        organisation_id=session.project.organisation_id,
    )


# --- caseload flag settings -------------------------------------------------------------------------------


@transaction.atomic
def save_settings(organisation: Organisation, values: dict[str, Any], *, by: Any) -> CoachingSettings:
    saved, _created = CoachingSettings.objects.get_or_create(organisation=organisation)
    before = audit.snapshot(saved, CoachingSettings.AUDITED_FIELDS)
    for name in CoachingSettings.AUDITED_FIELDS:
        setattr(saved, name, values[name])
    saved.updated_by = by
    saved.save()
    changes = audit.diff(before, audit.snapshot(saved, CoachingSettings.AUDITED_FIELDS))
    if changes:
        audit.record(by=by, action="update", instance=saved, organisation=organisation, changes=changes)
    return saved


# --- sponsor updates ----------------------------------------------------------------------------------------


@transaction.atomic
def draft_sponsor_update(
    *, organisation: Organisation, sponsor: Any, month: dt.date, projects: Sequence[Project], by: Any
) -> SponsorUpdate:
    """The month's draft for this sponsor, built from the data of `projects` (those the preparer coaches
    for the sponsor). Preparing it again refreshes the facts of a draft; a sent update stays as sent."""
    month = month.replace(day=1)
    update, created = SponsorUpdate.objects.get_or_create(
        organisation=organisation, sponsor=sponsor, prepared_by=by, month=month
    )
    if update.is_sent:
        raise CoachingError(f"The update for {month:%B %Y} has been sent already.")
    for position, project in enumerate(projects):
        section, _new = SponsorUpdateProject.objects.get_or_create(update=update, project=project)
        section.position = position
        section.facts = report.facts_for(project, month)
        section.save()
    update.sections.exclude(project__in=projects).delete()
    if created:
        audit.record(
            by=by,
            action="create",
            instance=update,
            organisation=organisation,
            changes={"month": [None, f"{month:%B %Y}"], "projects": [None, [p.title for p in projects]]},
        )
    return update


@transaction.atomic
def edit_sponsor_update(
    update: SponsorUpdate, *, introduction: str, needs: str, notes: dict[int, str], by: Any
) -> SponsorUpdate:
    if update.is_sent:
        raise CoachingError("A sent update cannot be changed.")
    before = audit.snapshot(update, SponsorUpdate.AUDITED_FIELDS)
    update.introduction, update.needs = introduction, needs
    update.save(update_fields=["introduction", "needs", "updated_at"])
    changed = {}
    for section in update.sections.select_related("project"):
        if section.pk in notes and notes[section.pk] != section.coach_note:
            changed[section.project.title] = [section.coach_note, notes[section.pk]]
            section.coach_note = notes[section.pk]
            section.save(update_fields=["coach_note"])
    changes = {**audit.diff(before, audit.snapshot(update, SponsorUpdate.AUDITED_FIELDS)), **changed}
    if changes:
        audit.record(
            by=by, action="update", instance=update, organisation=update.organisation, changes=changes
        )
    return update


@transaction.atomic
def send_sponsor_update(update: SponsorUpdate, *, by: Any) -> SponsorUpdate:
    """Mark the update sent (so it is archived on each project) and e-mail it once the change commits."""
    if update.is_sent:
        raise CoachingError("This update has been sent already.")
    update.status = UpdateStatus.SENT
    update.sent_at = timezone.now()
    update.sent_by = by
    update.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
    for section in update.sections.select_related("project"):
        audit.record(
            by=by,
            action="update",
            instance=update,
            project=section.project,
            changes={"status": ["Draft", "Sent"], "sent_to": [None, update.sponsor.display_name]},
        )
    report.email_update(update)
    return update
