"""The project timeline: everything that happened to a project, newest first, grouped by month, with a
filter by kind (a GET form of checkboxes, so it works without JavaScript and can be bookmarked)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openqi.core.pagecache import cached_page
from openqi.projects.access import Level, project_for
from openqi.projects.presenters.nav import project_context
from openqi.projects.presenters.timeline import by_month, kind_choices, timeline_for


@login_required
@cached_page
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    everything = timeline_for(project)
    kinds = kind_choices(everything, request.GET.getlist("kind"))
    # Only kinds the filter offers count, so a bookmarked URL with a stale kind shows everything.
    chosen = {k["value"] for k in kinds if k["checked"]}
    items = [item for item in everything if item.kind in chosen] if chosen else everything
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
