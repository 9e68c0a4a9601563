"""What every measure page shares: the page a person sees instead of changing a shared measure."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openqi.measures import access, presenters
from openqi.measures.models import ProjectMeasure
from openqi.projects.access import Level
from openqi.projects.models import Project


def refuse_shared_write(
    request: HttpRequest, project: Project, level: Level, link: ProjectMeasure
) -> HttpResponse | None:
    """None when the person may change what this measure shows in every project; otherwise the 403
    page that says why (see `measures.access`)."""
    if access.may_change_shared(request.user, project, link.measure):
        return None
    return render(
        request,
        "measures/shared_locked.jinja",
        presenters.page_context(project, level, link, message=access.SHARED_LOCKED_MESSAGE),
        status=403,
    )
