"""Who may see and change a measure. A measure lives in the organisation's library and may be used by
several projects, so on top of the project's own rules (`openqi.projects.access`) two more apply:

- A library measure is offered (listed, attached to a project) only to people who can see every project
  using it: otherwise attaching a private project's measure to one's own project would carry that
  project's data to anyone.
- A change to a shared measure's data, limits, exclusions or definition changes every project's chart,
  so it needs EDIT on every project the measure is in (or the organisation's QI team admin role).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from openqi.measures.models import Measure, ProjectMeasure
from openqi.organisations.models import Role
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, level, visible_projects
from openqi.projects.models import Project

SHARED_LOCKED_MESSAGE = "This measure is shared with a project you cannot change; ask its team."


def project_measure_or_404(user: Any, project: Project, pk: int) -> ProjectMeasure:
    """A measure in this project's family; 404 for any other, so a number changed in the URL reaches
    nothing through a project the person can see."""
    scope = scope_for(user)
    return scope.get_or_404(
        scope.filter(ProjectMeasure).select_related("measure", "measure__service"), pk=pk, project=project
    )


def offerable(user: Any, measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """The library measures this person may be offered: those whose every project they can see, or
    that no project uses yet."""
    visible = visible_projects(user).values("pk")
    hidden = scope_for(user).filter(ProjectMeasure).exclude(project_id__in=visible).values("measure_id")
    return measures.exclude(pk__in=hidden)


def may_change_shared(user: Any, project: Project, measure: Measure) -> bool:
    """Whether this person, working in `project`, may change what `measure` shows in every project."""
    scope = scope_for(user)
    membership = scope.membership(project.organisation)
    if membership is not None and membership.has_role(Role.QI_TEAM_ADMIN):
        return True
    others = scope.filter(Project).filter(project_measures__measure=measure.pk).exclude(pk=project.pk)
    return all(level(user, other) >= Level.EDIT for other in others)
