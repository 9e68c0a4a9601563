"""The filters of the projects list, for the list page and the API alike: one form validates them (its
choices are the person's own organisations' directorates, services, priorities and coaches) and one
function applies them, always to what the person may see."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from openqi.organisations.scoping import scope_for
from openqi.projects import search
from openqi.projects.access import on_the_team, visible_projects
from openqi.projects.forms.project import ProjectFilterForm
from openqi.projects.models import Project, TeamMember, TeamRole


def filter_form(user: Any, data: Mapping[str, Any] | None) -> ProjectFilterForm:
    """The filter form for this person, bound to `data` (a page's or an API request's query) if given."""
    scope = scope_for(user)
    # The coaches to filter by, each once. For a member of the organisation: everyone coaching any of its
    # projects (coaching is an organisation role, and a coach's name says nothing of a project the person
    # cannot see); deciding visibility project by project for this list cost a trust of 5,000 projects more
    # than the rest of the page. A guest sees only the coaches of the projects they are in.
    full = [m.organisation_id for m in scope.memberships if not m.is_guest]
    coaching = scope.filter(TeamMember).filter(role=TeamRole.COACH, left_on__isnull=True)
    coaching = coaching.filter(
        Q(project__organisation_id__in=full) | Q(project__in=visible_projects(user).values("pk"))
        if len(full) < len(scope.memberships)
        else Q(project__organisation_id__in=full)
    )
    coach_rows = coaching.order_by().values_list("user_id", "user__name", "user__email").distinct()
    coaches = sorted(((str(pk), name or email) for pk, name, email in coach_rows), key=lambda c: c[1])
    return ProjectFilterForm(data or None, organisation_ids=sorted(scope.organisation_ids), coaches=coaches)


def filtered_projects(user: Any, form: ProjectFilterForm) -> QuerySet[Project]:
    """The projects this person may see, narrowed by the form's filters when it is valid."""
    projects = visible_projects(user)
    if not (form.is_bound and form.is_valid()):
        return projects
    data = form.cleaned_data
    if data.get("directorate"):
        projects = projects.filter(directorate=data["directorate"])
    if data.get("service"):
        projects = projects.filter(service=data["service"])
    if data.get("lifecycle"):
        projects = projects.filter(lifecycle=data["lifecycle"])
    if data.get("score"):
        projects = projects.filter(progress_score__gte=data["score"])
    if data.get("priority"):
        projects = projects.filter(priorities=data["priority"])
    if data.get("coproduction"):
        projects = projects.filter(coproduction=data["coproduction"])
    if data.get("coach"):
        projects = projects.filter(on_the_team(data["coach"], role=TeamRole.COACH))
    if data.get("q"):
        projects = search.search(projects, data["q"])
    return projects
