"""Coaching as pages show it: caseload rows, sessions (private notes only for those who may read them),
ideas and their status, sponsor updates, and the coaching contributions to other apps' pages (the
header item, the project overview panel, the timeline, the home page panels)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openqi.coaching import access
from openqi.coaching.caseload import FLAG_LABELS, CaseloadRow
from openqi.coaching.models import CoachingSession, Idea, IdeaStatus, SponsorUpdate, SponsorUpdateProject
from openqi.coaching.report import score_change_text
from openqi.core.formatting import long_date
from openqi.organisations.models import Role
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level
from openqi.projects.models import Lifecycle, Project

STATUS_TAG = {
    IdeaStatus.NEW: "nhsuk-tag--blue",
    IdeaStatus.TALKING: "nhsuk-tag--yellow",
    IdeaStatus.PROJECT: "nhsuk-tag--green",
    IdeaStatus.PARKED: "nhsuk-tag--grey",
    IdeaStatus.DECLINED: "nhsuk-tag--red",
}


def is_coach(user: Any) -> bool:
    """Whether the header shows "Coaching": people with the QI coach role and the QI team. Asked on every
    page, so it reads only the memberships the request has loaded (a coach of a project without the
    role still reaches the caseload from the project's Coaching tab)."""
    if not getattr(user, "is_authenticated", False):
        return False
    memberships = [m for m in scope_for(user).memberships if not m.is_guest]
    return any(m.has_role(Role.QI_COACH) for m in memberships) or bool(access.qi_team_organisations(user))


def is_sponsor(user: Any) -> bool:
    """Whether the header shows "Sponsoring": people with the sponsor role."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.has_role(Role.SPONSOR) for m in scope_for(user).memberships)


@dataclass(frozen=True)
class CaseloadLine:
    row: CaseloadRow
    href: str
    stage: str
    score: str
    review: str
    last_contact: str
    next_contact: str


def caseload_lines(rows: Iterable[CaseloadRow]) -> list[CaseloadLine]:
    lines = []
    for row in rows:
        days = row.days_since_review
        lines.append(
            CaseloadLine(
                row=row,
                href=reverse("coaching:project_sessions", kwargs={"pk": row.project.pk}),
                stage=Lifecycle(row.project.lifecycle).label,
                score=str(row.project.progress_score)
                if row.project.progress_score is not None
                else "Not scored",
                review="Never reviewed" if days is None else f"{days} days ago",
                last_contact=long_date(row.last_contact) or "None yet",
                next_contact=long_date(row.next_contact) or "Not booked",
            )
        )
    return lines


def flag_options(chosen: str) -> list[dict[str, Any]]:
    return [{"value": "", "text": "Any or none", "selected": not chosen}] + [
        {"value": code, "text": label, "selected": code == chosen} for code, label in FLAG_LABELS.items()
    ]


def stage_options(chosen: str) -> list[dict[str, Any]]:
    return [{"value": "", "text": "Any stage", "selected": not chosen}] + [
        {"value": value, "text": label, "selected": value == chosen} for value, label in Lifecycle.choices
    ]


@dataclass(frozen=True)
class SessionCard:
    session: CoachingSession
    title: str
    when: str
    participants: list[str]
    shared_notes: str
    private_notes: str | None  # None: this reader may not see them
    next_session: str
    actions: list[dict[str, Any]]
    edit_href: str | None


def session_cards(sessions: Iterable[CoachingSession], *, private: bool, may_edit: bool) -> list[SessionCard]:
    cards = []
    for session in sessions:
        cards.append(
            SessionCard(
                session=session,
                title=session.get_kind_display(),
                when=long_date(session.held_on),
                participants=[p.display_name for p in session.participants.all()],
                shared_notes=session.shared_notes,
                private_notes=session.private_notes if private else None,
                next_session=long_date(session.next_on)
                + (f" at {session.next_time:%H:%M}" if session.next_on and session.next_time else ""),
                actions=[
                    {
                        "description": a.description,
                        "owner": a.owner.display_name if a.owner else "No one yet",
                        "due": long_date(a.due_on),
                        "done": a.is_done,
                    }
                    for a in session.actions.all()
                ],
                edit_href=reverse(
                    "coaching:session_edit", kwargs={"pk": session.project_id, "session_pk": session.pk}
                )
                if may_edit
                else None,
            )
        )
    return cards


@dataclass(frozen=True)
class TimelineEvent:
    """A coaching session on the project timeline: its shared notes only, never the private ones."""

    kind: str
    date: Any
    title: str
    detail: str
    link: str
    at: Any


def session_events(project: Project) -> list[TimelineEvent]:
    link = reverse("coaching:project_sessions", kwargs={"pk": project.pk})
    return [
        TimelineEvent(
            kind="coaching",
            date=session.held_on,
            title=f"Coaching session: {session.get_kind_display()}",
            detail=session.shared_notes,
            link=link,
            at=session.created_at,
        )
        for session in project.coaching_sessions.all()
    ]


def overview_panel(project: Project, level: Level) -> dict[str, Any] | None:
    """The project overview's coaching panel: for the team (the sessions are theirs), not every reader."""
    if level < Level.EDIT:
        return None
    dates = project.coaching_sessions.aggregate(
        last=Max("held_on"), next=Min("next_on", filter=Q(next_on__gte=timezone.localdate()))
    )
    return {
        "last": long_date(dates["last"]),
        "next": long_date(dates["next"]),
        "href": reverse("coaching:project_sessions", kwargs={"pk": project.pk}),
    }


@dataclass(frozen=True)
class IdeaLine:
    idea: Idea
    href: str
    status: str
    tag: str
    brought: str
    coach: str


def idea_lines(ideas: Iterable[Idea]) -> list[IdeaLine]:
    return [
        IdeaLine(
            idea=idea,
            href=reverse("coaching:idea", kwargs={"idea_pk": idea.pk}),
            status=IdeaStatus(idea.status).label,
            tag=STATUS_TAG[IdeaStatus(idea.status)],
            brought=f"{idea.brought_by.display_name}, {long_date(idea.created_at)}",
            coach=idea.coach.display_name if idea.coach else "Any coach",
        )
        for idea in ideas
    ]


def ideas_home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """On the home page: ideas waiting for this coach, and the status of the person's own ideas."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    ideas = list(access.ideas_for(user).select_related("brought_by", "coach")[:50])
    waiting = [i for i in ideas if i.coach_id == user.pk and i.status == IdeaStatus.NEW]
    mine = [i for i in ideas if i.brought_by_id == user.pk][:5]
    if not waiting and not mine and not scope_for(user).memberships:
        return None
    return {"waiting": idea_lines(waiting), "mine": idea_lines(mine)}


@dataclass(frozen=True)
class UpdateSectionView:
    section: SponsorUpdateProject
    title: str
    score: str
    facts: dict[str, Any]
    note: str


def update_sections(update: SponsorUpdate) -> list[UpdateSectionView]:
    return [
        UpdateSectionView(
            section=section,
            title=section.project.title,
            score=score_change_text(section.facts),
            facts=section.facts,
            note=section.coach_note,
        )
        for section in update.sections.select_related("project")
    ]


def update_line(update: SponsorUpdate) -> dict[str, Any]:
    return {
        "update": update,
        "month": f"{update.month:%B %Y}",
        "sponsor": update.sponsor.display_name,
        "coach": update.prepared_by.display_name if update.prepared_by else "",
        "status": update.get_status_display(),
        "sent": long_date(update.sent_at),
        "href": reverse("coaching:update", kwargs={"update_pk": update.pk}),
    }
