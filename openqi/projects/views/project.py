"""Project record views: list and search, My projects, create, overview, edit, lifecycle, progress score,
and the public read-only page. Thin: forms validate, services change and audit, presenters display."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openqi.core.concurrency import attempt_edit
from openqi.core.pagecache import cached_page
from openqi.core.plugins import render_panels
from openqi.organisations.scoping import scope_for
from openqi.projects import filters, plugins
from openqi.projects.access import Level, project_for, public_project_or_404
from openqi.projects.forms.project import LifecycleForm, ProgressScoreForm, ProjectForm
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.presenters import projects as presenters
from openqi.projects.presenters.nav import project_context
from openqi.projects.services import projects as services


def _with_team(queryset: Any) -> Any:
    return queryset.select_related("organisation", "service").prefetch_related("team__user")


@login_required
@cached_page
def project_list(request: HttpRequest) -> HttpResponse:
    form = filters.filter_form(request.user, request.GET)
    projects = filters.filtered_projects(request.user, form)
    page = Paginator(_with_team(projects).order_by("title"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/list.jinja",
        {
            "form": form,
            "rows": [presenters.ProjectRow.of(p) for p in page],
            "page": page,
            "total": page.paginator.count,
            "can_create": any(not m.is_guest for m in scope_for(request.user).memberships),
            "query_string": _without_page(request),
        },
    )


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def my_projects(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/mine.jinja", {"rows": presenters.my_project_rows(request.user)})


def _record_data(form: ProjectForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in ProjectForm.Meta.fields if name in form.fields}


@login_required
def create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    full = [m for m in scope.memberships if not m.is_guest]
    if not full:
        return render(request, "errors/404.jinja", status=404)
    # A person in several organisations creates the project in the first; choosing is rare enough
    # that the organisation admin can move it.
    organisation = full[0].organisation
    form = ProjectForm(
        request.POST or None, organisation=organisation, block=organisation.block_personal_data
    )
    if request.method == "POST" and form.is_valid():
        project = services.create_project(organisation=organisation, data=_record_data(form), by=request.user)
        record_confirmation(form, by=request.user, project=project, instance=project)
        messages.success(request, "Project created. You are its project lead.")
        return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/form.jinja", {"form": form, "organisation": organisation, "project": None}
    )


@login_required
@cached_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    extra = {
        "overview": presenters.overview(project),
        # What apps above this one show on the overview (measures: the family of measures).
        "panels": render_panels(plugins.overview_panels, project, level),
    }
    return render(request, "projects/detail.jinja", project_context(project, level, "overview", **extra))


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    form = ProjectForm(
        request.POST or None, instance=project, organisation=project.organisation, **guard_kwargs(project)
    )
    if level < Level.ADMIN:
        # Making a project public (or private) is the lead's or the QI team's decision, not any editor's.
        del form.fields["visibility"]
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: services.update_project(
                project,
                data=_record_data(form),
                expected_version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=lambda: services.saved_project(project),
        )
        if edit.saved:
            record_confirmation(form, by=request.user, project=project, instance=project)
            messages.success(request, "Project record saved.")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.jinja", project_context(project, level, "overview", form=form))


@login_required
def lifecycle(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.ADMIN)
    form = LifecycleForm(request.POST or None, project=project, **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        edit = attempt_edit(
            form,
            lambda: services.change_lifecycle(
                project,
                to_state=data["to_state"],
                note=data["note"],
                expected_version=data["version"],
                by=request.user,
                approved_on=data["approved_on"],
                approved_by=data["approved_by"],
            ),
            reload=lambda: services.saved_project(project),
            refusals={services.LifecycleError: None},
        )
        if edit.saved:
            record_confirmation(form, by=request.user, project=project, instance=project)
            messages.success(request, f"The project is now {project.get_lifecycle_display().lower()}.")
            return redirect("projects:detail", pk=project.pk)
    history = project.lifecycle_changes.select_related("changed_by")
    return render(
        request,
        "projects/lifecycle.jinja",
        project_context(project, level, "overview", form=form, history=history),
    )


@login_required
def progress_score(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    initial = {
        "score": str(project.progress_score) if project.progress_score is not None else None,
        "version": project.version,
    }
    form = ProgressScoreForm(request.POST or None, initial=initial, **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: services.set_progress_score(
                project,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=lambda: services.saved_project(project),
        )
        if edit.saved and edit.result is not None:
            record_confirmation(form, by=request.user, project=project, instance=edit.result)
            messages.success(request, f"Progress score recorded: {project.progress_label}.")
            return redirect("projects:detail", pk=project.pk)
    history = project.score_changes.select_related("changed_by")
    chosen = str(form["score"].value() or "")
    items = [item | {"checked": item["value"] == chosen} for item in presenters.score_choices_with_hints()]
    return render(
        request,
        "projects/score.jinja",
        project_context(project, level, "overview", form=form, history=history, score_items=items),
    )


def public_page(request: HttpRequest, pk: int) -> HttpResponse:
    """No sign-in: the record and the names members agreed to show, nothing else."""
    project = public_project_or_404(pk)
    return render(request, "projects/public.jinja", {"page": presenters.public_page(project)})
