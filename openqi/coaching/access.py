"""Who may do what in coaching, on top of the project access policy (openqi.projects.access):

- The caseload: people who coach (the QI coach role, or the coach of a project) and the QI team (QI team
  admins and improvement advisors), who see every coach's caseload in their organisation.
- Coaching sessions: the team (EDIT on the project) reads them with their shared notes; the private notes
  only the project's current coaches and the QI team read. Partners and other organisations never do.
- Logging a session, preparing a sponsor update: the project's current coach, or a QI team admin.
- Ideas: the person who brought one, the coach it was brought to, and the organisation's QI team.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from openqi.accounts.models import User
from openqi.coaching.models import Idea
from openqi.organisations.models import Membership, Organisation, Role
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, current_roles, on_the_team, visible_projects
from openqi.projects.models import Project, TeamRole

QI_TEAM_ROLES = (Role.QI_TEAM_ADMIN, Role.IMPROVEMENT_ADVISOR)


def qi_team_organisations(user: Any) -> list[Organisation]:
    """The organisations in which this person is in the central QI team."""
    return [
        m.organisation
        for m in scope_for(user).memberships
        if not m.is_guest and any(m.has_role(role) for role in QI_TEAM_ROLES)
    ]


def is_qi_team(user: Any, organisation: Organisation) -> bool:
    scope = scope_for(user)
    return any(scope.has_role(organisation, role) for role in QI_TEAM_ROLES)


def coaches_anything(user: Any) -> bool:
    """Whether the header shows "Coaching": coaches and the QI team."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    if any(m.has_role(Role.QI_COACH) for m in scope.memberships if not m.is_guest):
        return True
    if qi_team_organisations(user):
        return True
    return visible_projects(user).filter(on_the_team(user, role=TeamRole.COACH)).exists()


def coaches(user: Any, project: Project) -> bool:
    return TeamRole.COACH in current_roles(user, project)


def may_read_sessions(user: Any, project: Project, have: Level) -> bool:
    """The team (EDIT) and the QI team (improvement advisors read every project)."""
    return have >= Level.EDIT or (have >= Level.VIEW and is_qi_team(user, project.organisation))


def may_read_private_notes(user: Any, project: Project, have: Level) -> bool:
    """The project's coaches and the QI team; never partners, never other organisations."""
    if have < Level.VIEW:
        return False
    return coaches(user, project) or is_qi_team(user, project.organisation)


def may_coach(user: Any, project: Project, have: Level) -> bool:
    """Log coaching sessions and prepare sponsor updates for this project."""
    if have < Level.EDIT:
        return False
    return coaches(user, project) or scope_for(user).has_role(project.organisation, Role.QI_TEAM_ADMIN)


def caseload_projects(user: Any, coach: Any) -> QuerySet[Project]:
    """The projects `coach` coaches now, as far as `user` may see them."""
    return visible_projects(user).filter(on_the_team(coach, role=TeamRole.COACH))


def coaches_user_may_see(user: Any) -> list[Any]:
    """Whose caseloads this person may open: their own, and every coach's in the organisations where
    they are in the QI team (anyone with the QI coach role, or coaching a project there now)."""
    orgs = [o.pk for o in qi_team_organisations(user)]
    if not orgs:
        return [user]
    coaching_now = Q(
        project_roles__project__organisation_id__in=orgs,
        project_roles__role=TeamRole.COACH,
        project_roles__left_on__isnull=True,
    )
    # Roles are a JSON list, which SQLite cannot search inside: read the few memberships holding any.
    holders = (
        Membership.objects.filter(organisation_id__in=orgs).exclude(roles=[]).values_list("user_id", "roles")
    )
    with_role = Q(pk__in=[pk for pk, roles in holders if Role.QI_COACH in roles])
    found = list(User.objects.filter(coaching_now | with_role).distinct().order_by("name", "email"))
    return found if any(u.pk == user.pk for u in found) else [user, *found]


def ideas_for(user: Any) -> QuerySet[Idea]:
    """The ideas this person may open: theirs, those brought to them, and all of their organisation's
    when they are in its QI team."""
    scope = scope_for(user)
    qi_team = [o.pk for o in qi_team_organisations(user)]
    return scope.filter(Idea).filter(Q(brought_by=user) | Q(coach=user) | Q(organisation_id__in=qi_team))


def may_triage(user: Any, idea: Idea) -> bool:
    """The coach it was brought to (any of the organisation's coaches when it names none) and the QI team
    admins."""
    scope = scope_for(user)
    if idea.coach_id is not None and idea.coach_id == getattr(user, "pk", None):
        return True
    if idea.coach_id is None and scope.has_role(idea.organisation, Role.QI_COACH):
        return True
    return scope.has_role(idea.organisation, Role.QI_TEAM_ADMIN)
