"""The project timeline: everything that happened to a project, newest first, grouped by month, with a
filter by kind (a GET form of checkboxes, so it works without JavaScript and can be bookmarked)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openqi.projects.access import Level, project_for
from openqi.projects.presenters.timeline import TIMELINE_KINDS, by_month, timeline_for
from openqi.projects.views.project import project_context


@login_required
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    chosen = [k for k in request.GET.getlist("kind") if k in TIMELINE_KINDS]
    items = timeline_for(project, chosen)
    kinds = [{"value": k, "text": label, "checked": k in chosen} for k, label in TIMELINE_KINDS.items()]
    return render(
        request,
        "projects/timeline/timeline.jinja",
        project_context(
            project,
            level,
            "timeline",
            months=by_month(items),
            count=len(items),
            kinds=kinds,
            filtered=bool(chosen),
        ),
    )
