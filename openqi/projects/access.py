"""Who may see and change a project: the one place project permissions are decided.

Levels: NONE < VIEW < EDIT < ADMIN. They follow from project roles and organisation roles:

- The QI team admins of the organisation: ADMIN on every project in it.
- Improvement advisors: VIEW on every project in their organisation (they advise; teams own the work).
- Current team members: the project lead ADMIN; team members, partners, data leads and the QI coach EDIT;
  the sponsor VIEW. The QI coach may also manage the team (invite, end roles, hand over the lead):
  `can_manage_team`.
- Anyone else in the organisation: VIEW when the project's visibility is organisation or public, except
  guests (people invited into one project team), who see only the projects they are in.
- People outside the organisation: NONE (the public read-only page is a separate, name-light view).

Views call `project_for(request, pk, need)`, which gives 404 when the person may not even see the
project (so its existence is not disclosed) and 403 when they may see it but not do this.
Lists and search start from `visible_projects(user)`, so nothing leaks through counts or exports.
"""

from __future__ import annotations

import enum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from openqi.organisations.models import Role
from openqi.organisations.scoping import Scope, scope_for
from openqi.projects.models import Project, TeamMember, TeamRole, Visibility


class Level(enum.IntEnum):
    NONE = 0
    VIEW = 1
    EDIT = 2
    ADMIN = 3


TEAM_ROLE_LEVEL: dict[str, Level] = {
    TeamRole.LEAD: Level.ADMIN,
    TeamRole.MEMBER: Level.EDIT,
    TeamRole.PARTNER: Level.EDIT,
    TeamRole.DATA_LEAD: Level.EDIT,
    TeamRole.COACH: Level.EDIT,
    TeamRole.SPONSOR: Level.VIEW,
}


def _org_wide(scope: Scope, role: str) -> list[int]:
    return [m.organisation_id for m in scope.memberships if m.has_role(role)]


def visible_projects(user: Any) -> QuerySet[Project]:
    """Every project this person may see, for lists, search, counts and exports."""
    scope = scope_for(user)
    if not scope.memberships:
        return Project.objects.none()
    everything = _org_wide(scope, Role.QI_TEAM_ADMIN) + _org_wide(scope, Role.IMPROVEMENT_ADVISOR)
    members_of = [m.organisation_id for m in scope.memberships if not m.is_guest]
    return scope.filter(Project).filter(
        Q(organisation_id__in=everything)
        | Q(organisation_id__in=members_of, visibility__in=[Visibility.ORGANISATION, Visibility.PUBLIC])
        | on_the_team(user)
    )


def on_the_team(user: Any, *, role: str | None = None) -> Exists:
    """A condition on projects: the person is in the project's current team (in `role`, when given).
    EXISTS, not a join: a join gives a row per team member and needs DISTINCT over every column to undo,
    which at trust scale sorts thousands of wide rows for every list and count."""
    members = TeamMember.objects.filter(project=OuterRef("pk"), user=user, left_on__isnull=True)
    return Exists(members.filter(role=role) if role else members)


def current_roles(user: Any, project: Project) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cache: dict[int, set[str]] = user.__dict__.setdefault("_openqi_project_roles", {})
    if project.pk not in cache:
        cache[project.pk] = set(
            project.team.filter(user=user, left_on__isnull=True).values_list("role", flat=True)
        )
    return cache[project.pk]


def level(user: Any, project: Project) -> Level:
    scope = scope_for(user)
    membership = scope.membership(project.organisation)
    if membership is None:
        return Level.NONE
    best = Level.NONE
    if membership.has_role(Role.QI_TEAM_ADMIN):
        best = Level.ADMIN
    elif membership.has_role(Role.IMPROVEMENT_ADVISOR):
        best = Level.VIEW
    for role in current_roles(user, project):
        best = max(best, TEAM_ROLE_LEVEL[role])
    if project.visibility != Visibility.PRIVATE and not membership.is_guest:
        best = max(best, Level.VIEW)
    return best


def can_manage_team(user: Any, project: Project, have: Level) -> bool:
    """Inviting people, ending others' roles and handing over the lead: the project lead and the QI team
    (ADMIN), and the project's current QI coach, who sets teams up and sees them through changes of lead."""
    return have >= Level.ADMIN or (have >= Level.EDIT and TeamRole.COACH in current_roles(user, project))


def project_for(request: HttpRequest, pk: int, need: Level = Level.VIEW) -> tuple[Project, Level]:
    """The project and the person's level, or 404 (cannot see it) / 403 (can see, cannot do this)."""
    return project_for_user(request.user, pk, need)


def project_for_user(user: Any, pk: int, need: Level = Level.VIEW) -> tuple[Project, Level]:
    """`project_for` for a person without a page request (the API, where a token names the person)."""
    scope = scope_for(user)
    project = scope.get_or_404(
        Project.objects.select_related("organisation", "directorate", "service"), pk=pk
    )
    have = level(user, project)
    if have < Level.VIEW:
        raise Http404("Not found")
    if have < need:
        raise PermissionDenied("You can read this project but not change it.")
    return project, have


def public_project_or_404(pk: int) -> Project:
    """The public read-only page needs no sign-in, so it cannot use a person's scope: it shows only
    projects their team made public."""
    try:
        return Project.objects.select_related("organisation").get(pk=pk, visibility=Visibility.PUBLIC)
    except Project.DoesNotExist as exc:
        raise Http404("Not found") from exc
