"""Who may do what in learning: the one place these rules live (docs/adr/0022-learning.md).

Learning belongs to the organisation, so everything is reached through the scoping helper (`scope_for`):
rows of another organisation are a 404, as rows that do not exist.

- Everyone in the organisation (guests too: partners are trained as well) sees its programmes, cohorts
  and sessions, asks to join a cohort, gives feedback on sessions they are enrolled on, and sees their own
  learning record and certificates.
- The QI team (QI team admins and improvement advisors) runs the programme: programmes, cohorts, sessions,
  enrolments, registers, feedback summaries, reports, imports and everyone's records.
- Facilitators of a cohort or session take its registers and read its feedback.
- A person's record is also open to the lead and the QI coach of a project the person is in now.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from openqi.learning.models import Cohort, Enrolment, Programme, Session
from openqi.organisations.models import Organisation, Role
from openqi.organisations.scoping import scope_for
from openqi.projects.models import TeamMember, TeamRole

M = TypeVar("M", bound=models.Model)
QI_TEAM_ROLES = (Role.QI_TEAM_ADMIN, Role.IMPROVEMENT_ADVISOR)


def is_qi_team(user: Any, organisation: Organisation | int) -> bool:
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return any(
        m.organisation_id == organisation_id and any(m.has_role(r) for r in QI_TEAM_ROLES)
        for m in scope_for(user).memberships
    )


def qi_team_organisations(user: Any) -> list[Organisation]:
    return [m.organisation for m in scope_for(user).memberships if any(m.has_role(r) for r in QI_TEAM_ROLES)]


def qi_team_organisation_or_404(user: Any, slug: str | None) -> Organisation:
    """The organisation whose QI team the person is in: the one named, or their first."""
    organisations = qi_team_organisations(user)
    for organisation in organisations:
        if slug in (None, "", organisation.slug):
            return organisation
    raise Http404("Not found")


def get_or_404(user: Any, source: type[M] | models.QuerySet[M], **lookup: Any) -> M:
    return scope_for(user).get_or_404(source, **lookup)


def programme_or_404(user: Any, pk: int, *, manage: bool = False) -> Programme:
    programme = get_or_404(user, Programme.objects.select_related("organisation"), pk=pk)
    if manage and not is_qi_team(user, programme.organisation_id):
        raise PermissionDenied("Only the QI team can change programmes.")
    return programme


def cohort_or_404(user: Any, pk: int, *, manage: bool = False) -> Cohort:
    cohort = get_or_404(user, Cohort.objects.select_related("programme__organisation"), pk=pk)
    if manage and not is_qi_team(user, cohort.programme.organisation_id):
        raise PermissionDenied("Only the QI team can change cohorts.")
    return cohort


def enrolment_or_404(user: Any, pk: int) -> Enrolment:
    return get_or_404(
        user, Enrolment.objects.select_related("cohort__programme__organisation", "user"), pk=pk
    )


def runs_cohort(user: Any, cohort: Cohort) -> bool:
    """The QI team and the cohort's facilitators: who sees its people and reads its feedback."""
    return (
        is_qi_team(user, cohort.programme.organisation_id) or cohort.facilitators.filter(pk=user.pk).exists()
    )


def facilitates(user: Any, session: Session) -> bool:
    return (
        session.facilitators.filter(pk=user.pk).exists()
        or session.cohort.facilitators.filter(pk=user.pk).exists()
    )


def may_run_session(user: Any, session: Session) -> bool:
    return is_qi_team(user, session.cohort.programme.organisation_id) or facilitates(user, session)


def session_or_404(user: Any, pk: int, *, run: bool = False) -> Session:
    session = get_or_404(user, Session.objects.select_related("cohort__programme__organisation"), pk=pk)
    if run and not may_run_session(user, session):
        raise PermissionDenied("Only the session's facilitators and the QI team can do this.")
    return session


def may_see_record(viewer: Any, person: Any, organisation: Organisation) -> bool:
    """A person's learning record: themself, the QI team, and the lead or coach of a project they are in."""
    if viewer.pk == person.pk or is_qi_team(viewer, organisation):
        return True
    their_projects = TeamMember.objects.filter(
        user=person, left_on__isnull=True, project__organisation=organisation
    ).values("project_id")
    return TeamMember.objects.filter(
        user=viewer,
        left_on__isnull=True,
        role__in=[TeamRole.LEAD, TeamRole.COACH],
        project_id__in=their_projects,
    ).exists()


def record_organisation_or_404(viewer: Any, person: Any) -> Organisation:
    """The organisation both belong to in which the viewer may read the person's record."""
    shared = [
        m.organisation
        for m in scope_for(viewer).memberships
        if m.organisation_id in scope_for(person).organisation_ids
    ]
    for organisation in shared:
        if may_see_record(viewer, person, organisation):
            return organisation
    raise Http404("Not found")
