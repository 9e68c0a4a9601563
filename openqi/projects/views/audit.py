"""The project's audit trail: every recorded change, who made it and when, with before → after. Read-only
by design (nothing in the app edits or deletes an audit event); for the project lead and the
organisation's QI team admins (access Level.ADMIN)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from openqi.projects.access import Level, project_for
from openqi.projects.presenters.nav import project_context
from openqi.projects.presenters.timeline import AuditRow
from openqi.projects.services.story import audit_events_for

PER_PAGE = 50


@require_safe
@login_required
def audit_trail(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.ADMIN)
    page = Paginator(audit_events_for(project), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/audit/trail.jinja",
        project_context(project, level, "audit", page=page, rows=[AuditRow.of(e) for e in page.object_list]),
    )
