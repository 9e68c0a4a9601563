"""Driver diagram views: the diagram (read-only below EDIT level), its print view, and plain-form
editing of drivers and change ideas. Every task works without JavaScript: moves and removals are POSTs,
removals go through a confirmation page. A rename or edit over someone else's newer save is refused,
with the person's text kept and the saved version shown."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openqi.core.concurrency import attempt_edit
from openqi.core.params import id_param
from openqi.projects.access import Level, project_for
from openqi.projects.forms.drivers import ChangeIdeaEditForm, ChangeIdeaForm, DriverForm, DriverRenameForm
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import ChangeIdea, Driver, Project
from openqi.projects.presenters.drivers import diagram
from openqi.projects.presenters.nav import project_context
from openqi.projects.services import drivers as services


def _driver(project: Project, driver_pk: int) -> Driver:
    return get_object_or_404(project.drivers.select_related("parent"), pk=driver_pk)


def _idea(project: Project, idea_pk: int) -> ChangeIdea:
    return get_object_or_404(project.change_ideas, pk=idea_pk)


def _render(
    request: HttpRequest, template: str, project: Project, level: Level, **extra: Any
) -> HttpResponse:
    return render(
        request, f"projects/drivers/{template}", project_context(project, level, "drivers", **extra)
    )


@login_required
def drivers(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    return _render(
        request, "diagram.jinja", project, level, diagram=diagram(project), can_edit=level >= Level.EDIT
    )


@login_required
def drivers_print(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    return _render(request, "print.jinja", project, level, diagram=diagram(project))


@login_required
def driver_add(request: HttpRequest, pk: int, parent_pk: int | None = None) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    parent = _driver(project, parent_pk) if parent_pk is not None else None
    if parent is not None and not parent.is_primary:
        raise Http404("Secondary drivers have no drivers under them")
    form = DriverForm(request.POST or None, **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        driver = services.add_driver(
            project, title=form.cleaned_data["title"], parent=parent, by=request.user
        )
        record_confirmation(form, by=request.user, project=project, instance=driver)
        kind = "Secondary" if parent else "Primary"
        messages.success(request, f"{kind} driver \u2018{driver.title}\u2019 added.")
        return redirect("projects:drivers", pk=project.pk)
    return _render(request, "driver_form.jinja", project, level, form=form, parent=parent, driver=None)


@login_required
def driver_rename(request: HttpRequest, pk: int, driver_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    driver = _driver(project, driver_pk)
    form = DriverRenameForm(request.POST or None, driver=driver, **guard_kwargs(project))
    latest: Driver | None = None
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: services.rename_driver(
                driver,
                title=form.cleaned_data["title"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=lambda: _driver(project, driver_pk),
        )
        latest = edit.latest
        driver = latest or driver
        if edit.saved:
            record_confirmation(form, by=request.user, project=project, instance=driver)
            messages.success(request, f"Driver renamed to \u2018{driver.title}\u2019.")
            return redirect("projects:drivers", pk=project.pk)
    return _render(
        request,
        "driver_form.jinja",
        project,
        level,
        form=form,
        parent=driver.parent,
        driver=driver,
        latest=latest,
    )


def _direction(request: HttpRequest) -> services.Direction:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404("Unknown direction")
    return direction  # type: ignore[return-value]


@require_POST
@login_required
def driver_move(request: HttpRequest, pk: int, driver_pk: int) -> HttpResponse:
    project, _ = project_for(request, pk, Level.EDIT)
    driver = _driver(project, driver_pk)
    direction = _direction(request)
    if services.move_driver(driver, direction=direction, by=request.user):
        messages.success(request, f"\u2018{driver.title}\u2019 moved {direction}.")
    return redirect(f"{_edit_url(project)}#driver-{driver.pk}")


def _edit_url(project: Project) -> str:
    return reverse("projects:drivers", kwargs={"pk": project.pk})


@login_required
def driver_remove(request: HttpRequest, pk: int, driver_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    driver = _driver(project, driver_pk)
    if request.method == "POST":
        removal = services.remove_driver(driver, by=request.user)
        also = f" and {len(removal.children)} secondary driver{'s' if len(removal.children) != 1 else ''}"
        messages.success(request, f"Removed \u2018{driver.title}\u2019{also if removal.children else ''}.")
        return redirect("projects:drivers", pk=project.pk)
    return _render(request, "driver_remove.jinja", project, level, removal=services.removal_of(driver))


@login_required
def change_idea_add(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    initial = {}
    if driver_id := id_param(request.GET.get("driver")):
        initial["drivers"] = [driver_id]
    form = ChangeIdeaForm(request.POST or None, initial=initial, project=project, **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        idea = services.add_change_idea(
            project,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            drivers=form.cleaned_data["drivers"],
            by=request.user,
        )
        record_confirmation(form, by=request.user, project=project, instance=idea)
        messages.success(request, f"Change idea \u2018{idea.title}\u2019 added.")
        return redirect("projects:drivers", pk=project.pk)
    return _render(request, "idea_form.jinja", project, level, form=form, idea=None)


@login_required
def change_idea_edit(request: HttpRequest, pk: int, idea_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    idea = _idea(project, idea_pk)
    form = ChangeIdeaEditForm(request.POST or None, idea=idea, project=project, **guard_kwargs(project))
    latest: ChangeIdea | None = None
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: services.update_change_idea(
                idea,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                drivers=form.cleaned_data["drivers"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=lambda: _idea(project, idea_pk),
        )
        latest = edit.latest
        idea = latest or idea
        if edit.saved:
            record_confirmation(form, by=request.user, project=project, instance=idea)
            messages.success(request, f"Change idea \u2018{idea.title}\u2019 saved.")
            return redirect("projects:drivers", pk=project.pk)
    return _render(request, "idea_form.jinja", project, level, form=form, idea=idea, latest=latest)


@require_POST
@login_required
def change_idea_move(request: HttpRequest, pk: int, idea_pk: int) -> HttpResponse:
    project, _ = project_for(request, pk, Level.EDIT)
    idea = _idea(project, idea_pk)
    direction = _direction(request)
    if services.move_change_idea(idea, direction=direction, by=request.user):
        messages.success(request, f"\u2018{idea.title}\u2019 moved {direction}.")
    return redirect(f"{_edit_url(project)}#idea-{idea.pk}")


@login_required
def change_idea_remove(request: HttpRequest, pk: int, idea_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    idea = _idea(project, idea_pk)
    if request.method == "POST":
        services.remove_change_idea(idea, by=request.user)
        messages.success(request, f"Removed the change idea \u2018{idea.title}\u2019.")
        return redirect("projects:drivers", pk=project.pk)
    return _render(
        request, "idea_remove.jinja", project, level, idea=idea, cycles=list(idea.pdsa_cycles.all())
    )
