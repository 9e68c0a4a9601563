"""What learning pages and its plug-ins show: plain values, dates already in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from openqi.core.formatting import long_date
from openqi.learning.models import Cohort, Enrolment, EnrolmentStatus, Group, Programme, Session
from openqi.learning.pathway import Pathway, Standing, enrolments_of, group_of, next_cohorts
from openqi.organisations.models import Organisation
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level
from openqi.projects.models import Project, TeamRole


def when(session: Session) -> str:
    text = long_date(session.date)
    if session.starts_at:
        text += f", {session.starts_at:%H:%M}"
        if session.ends_at:
            text += f" to {session.ends_at:%H:%M}"
    return text


def cohort_dates(cohort: Cohort) -> str:
    if cohort.is_historic:
        return "Records from before OpenQI"
    if cohort.starts_on and cohort.ends_on and cohort.ends_on != cohort.starts_on:
        return f"{long_date(cohort.starts_on)} to {long_date(cohort.ends_on)}"
    return long_date(cohort.starts_on) or "Dates to be set"


@dataclass(frozen=True)
class Suggestion:
    programme: Programme
    cohort: Cohort | None

    @property
    def text(self) -> str:
        if self.cohort is None:
            return f"{self.programme.name}: no cohort open yet"
        return f"{self.programme.name}: {self.cohort.name}, starting {long_date(self.cohort.starts_on)}"

    @property
    def href(self) -> str | None:
        return reverse("learning:cohort", kwargs={"pk": self.cohort.pk}) if self.cohort else None


def suggestions_for(pathway: Pathway, standing: Standing, group: str, *, limit: int = 3) -> list[Suggestion]:
    programmes = pathway.suggestions(group, standing.completed_ids, standing.active_ids)[:limit]
    cohorts = next_cohorts(programmes)
    return [Suggestion(p, cohorts.get(p.pk)) for p in programmes]


# --- the project team page (plug-ins) ------------------------------------------------------------------


def _is_partner(member: Any) -> bool:
    return bool(member.role == TeamRole.PARTNER)


def training_column(project: Project, members: list[Any], level: Level) -> dict[int, str]:
    """Each current member's training in a word ("Introduction to QI ✓", "ILP wave 9 — in progress")."""
    enrolments = enrolments_of([m.user for m in members], project.organisation_id)
    return {m.pk: Standing.of(enrolments.get(m.user_id, [])).in_words() for m in members}


@dataclass(frozen=True)
class Untrained:
    name: str
    is_partner: bool
    suggestion: Suggestion | None


def team_panel(project: Project, level: Level) -> dict[str, Any] | None:
    """For the lead and coach (the team, who can act on it): members with no training yet, partners
    first, each with the next cohort to join. Hidden from readers outside the team, and when all are
    trained."""
    if level < Level.EDIT:
        return None
    members = list(
        project.team.filter(left_on__isnull=True).exclude(role=TeamRole.SPONSOR).select_related("user")
    )
    users = {m.user_id: m for m in sorted(members, key=lambda m: not _is_partner(m))}
    enrolments = enrolments_of([m.user for m in users.values()], project.organisation_id)
    pathway = Pathway.of(project.organisation_id)
    rows = []
    for user_id, member in users.items():
        standing = Standing.of(enrolments.get(user_id, []))
        if standing.has_training:
            continue
        group = group_of(enrolments.get(user_id, []), is_partner=_is_partner(member))
        suggestions = suggestions_for(pathway, standing, group, limit=1)
        rows.append(
            Untrained(
                member.user.display_name, group == Group.PARTNER, suggestions[0] if suggestions else None
            )
        )
    if not rows:
        return None
    return {"untrained": rows, "learning_href": reverse("learning:programmes")}


# --- a person's record ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrolmentLine:
    enrolment: Enrolment

    @property
    def programme(self) -> str:
        return self.enrolment.cohort.programme.name

    @property
    def cohort(self) -> str:
        return self.enrolment.cohort.name

    @property
    def status(self) -> str:
        if self.enrolment.completed_on:
            return f"Completed {long_date(self.enrolment.completed_on)}"
        return self.enrolment.get_status_display()

    @property
    def href(self) -> str:
        return reverse("learning:cohort", kwargs={"pk": self.enrolment.cohort_id})

    @property
    def certificate_href(self) -> str | None:
        if not self.enrolment.completed_on:
            return None
        return reverse("learning:certificate", kwargs={"pk": self.enrolment.pk})


@dataclass(frozen=True)
class CoachingLine:
    project_id: int
    title: str

    @property
    def href(self) -> str:
        return reverse("projects:detail", kwargs={"pk": self.project_id})


@dataclass
class LearningRecord:
    person: Any
    organisation: Organisation
    completed: list[EnrolmentLine]
    current: list[EnrolmentLine]
    suggestions: list[Suggestion]
    summary: str
    is_coach: bool
    coach_trained: list[EnrolmentLine]
    coaching: list[CoachingLine]

    @property
    def coaching_project_ids(self) -> list[int]:
        return [line.project_id for line in self.coaching]


def learning_record(person: Any, organisation: Organisation) -> LearningRecord:
    enrolments = enrolments_of([person], organisation).get(person.pk, [])
    standing = Standing.of(enrolments)
    membership = next(
        (m for m in scope_for(person).memberships if m.organisation_id == organisation.pk), None
    )
    partner_now = person.project_roles.filter(role=TeamRole.PARTNER, left_on__isnull=True).exists()
    group = group_of(enrolments, is_partner=partner_now or bool(membership and membership.is_guest))
    coach_roles = list(
        person.project_roles.filter(
            role=TeamRole.COACH, left_on__isnull=True, project__organisation=organisation
        )
        .exclude(project__lifecycle__in=("completed", "closed"))
        .select_related("project")
    )
    coach_trained = [
        EnrolmentLine(e) for e in enrolments if e.completed_on and e.cohort.programme.prepares_coaches
    ]
    is_coach = bool(coach_roles or coach_trained or (membership and membership.has_role("qi_coach")))
    return LearningRecord(
        person=person,
        organisation=organisation,
        completed=[EnrolmentLine(e) for e in enrolments if e.completed_on],
        current=[
            EnrolmentLine(e)
            for e in enrolments
            if not e.completed_on
            and e.status in (EnrolmentStatus.REQUESTED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)
        ],
        suggestions=suggestions_for(Pathway.of(organisation), standing, group),
        summary=standing.in_words(),
        is_coach=is_coach,
        coach_trained=coach_trained,
        coaching=[CoachingLine(r.project_id, r.project.title) for r in coach_roles],
    )
