"""PDSA cycle views: ramps by change idea, starting a cycle, the cycle page, one page per stage, tasks.
Thin: forms validate, services change and audit, presenters display."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openqi.core.concurrency import attempt_edit
from openqi.core.params import id_param
from openqi.projects.access import Level, project_for
from openqi.projects.forms.pdsa import STAGE_FORMS, CycleStartForm, TaskEditForm, TaskForm
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import PDSACycle, PDSATask, Project
from openqi.projects.presenters import pdsa as presenters
from openqi.projects.presenters.nav import project_context
from openqi.projects.services import pdsa as services


def _cycle(project: Project, cycle_pk: int) -> PDSACycle:
    return get_object_or_404(project.pdsa_cycles.select_related("change_idea", "follows"), pk=cycle_pk)


def _task(cycle: PDSACycle, task_pk: int) -> PDSATask:
    return get_object_or_404(cycle.tasks.select_related("owner"), pk=task_pk)


def _render(
    request: HttpRequest, template: str, project: Project, level: Level, **extra: Any
) -> HttpResponse:
    return render(request, f"projects/pdsa/{template}", project_context(project, level, "pdsa", **extra))


@login_required
def pdsa_list(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    return _render(
        request,
        "list.jinja",
        project,
        level,
        groups=presenters.by_change_idea(project),
        can_edit=level >= Level.EDIT,
    )


@login_required
def pdsa_ramp(request: HttpRequest, pk: int, idea_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    idea = get_object_or_404(project.change_ideas.prefetch_related("drivers"), pk=idea_pk)
    return _render(
        request,
        "ramp.jinja",
        project,
        level,
        idea=idea,
        group=presenters.idea_ramps(project, idea),
        can_edit=level >= Level.EDIT,
    )


def _start_initial(project: Project, request: HttpRequest) -> dict[str, Any]:
    """Prefill from the link that led here: a change idea's ramp, or "Start the next cycle"."""
    initial: dict[str, Any] = {}
    follows_pk, idea_pk = id_param(request.GET.get("follows")), id_param(request.GET.get("change_idea"))
    if follows_pk:
        follows = _cycle(project, follows_pk)
        initial = {"follows": follows.pk, "change_idea": follows.change_idea_id}
        initial["title"] = services.next_cycle_title(follows)
    elif idea_pk:
        initial["change_idea"] = idea_pk
    return initial


@login_required
def pdsa_create(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    form = CycleStartForm(
        request.POST or None,
        initial=_start_initial(project, request),
        project=project,
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        cycle = services.create_cycle(
            project,
            title=form.cleaned_data["title"],
            change_idea=form.cleaned_data["change_idea"],
            follows=form.cleaned_data["follows"],
            objective=form.cleaned_data["objective"],
            prediction=form.cleaned_data["prediction"],
            by=request.user,
        )
        record_confirmation(form, by=request.user, project=project, instance=cycle)
        messages.success(request, f"PDSA cycle \u2018{cycle.title}\u2019 started. Complete the plan next.")
        return redirect("projects:pdsa_detail", pk=project.pk, cycle_pk=cycle.pk)
    has_ideas = project.change_ideas.exists()
    return _render(request, "start.jinja", project, level, form=form, has_ideas=has_ideas)


@login_required
def pdsa_detail(request: HttpRequest, pk: int, cycle_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    cycle = _cycle(project, cycle_pk)
    return _render(
        request,
        "cycle.jinja",
        project,
        level,
        page=presenters.cycle_page(project, cycle, level),
        can_edit=level >= Level.EDIT,
    )


@login_required
def pdsa_stage(request: HttpRequest, pk: int, cycle_pk: int, stage: str) -> HttpResponse:
    if stage not in STAGE_FORMS:
        raise Http404("No such stage")
    project, level = project_for(request, pk, Level.EDIT)
    cycle = _cycle(project, cycle_pk)
    form_class = STAGE_FORMS[stage]
    form = form_class(request.POST or None, instance=cycle, **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: services.update_cycle(
                cycle, values=form.values(), expected_version=form.cleaned_data["version"], by=request.user
            ),
            reload=lambda: _cycle(project, cycle_pk),
        )
        if edit.saved:
            record_confirmation(form, by=request.user, project=project, instance=cycle)
            messages.success(request, f"{form.heading} saved.")
            return redirect(f"{presenters.cycle_href(cycle)}#{stage}")
    # The prediction as it is on record (the form may hold the person's unsaved text in `cycle`).
    saved = project.pdsa_cycles.get(pk=cycle.pk)
    return _render(request, "stage.jinja", project, level, form=form, cycle=saved, stage=stage)


@login_required
def pdsa_task_add(request: HttpRequest, pk: int, cycle_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    cycle = _cycle(project, cycle_pk)
    form = TaskForm(request.POST or None, project=project, **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        task = services.add_task(
            cycle,
            description=form.cleaned_data["description"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
            by=request.user,
        )
        record_confirmation(form, by=request.user, project=project, instance=task)
        messages.success(request, f"Task \u2018{task.description}\u2019 added.")
        return redirect(f"{presenters.cycle_href(cycle)}#tasks")
    return _render(request, "task_form.jinja", project, level, form=form, cycle=cycle, task=None)


@login_required
def pdsa_task_edit(request: HttpRequest, pk: int, cycle_pk: int, task_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    cycle = _cycle(project, cycle_pk)
    task = _task(cycle, task_pk)
    form = TaskEditForm(request.POST or None, task=task, project=project, **guard_kwargs(project))
    latest: PDSATask | None = None
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: services.update_task(
                task,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                done=form.cleaned_data["done"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=lambda: _task(cycle, task_pk),
        )
        latest = edit.latest
        if latest is not None:
            task = latest
        if edit.saved:
            record_confirmation(form, by=request.user, project=project, instance=task)
            messages.success(request, f"Task \u2018{task.description}\u2019 saved.")
            return redirect(f"{presenters.cycle_href(cycle)}#tasks")
    return _render(
        request, "task_form.jinja", project, level, form=form, cycle=cycle, task=task, latest=latest
    )


@require_POST
@login_required
def pdsa_task_done(request: HttpRequest, pk: int, cycle_pk: int, task_pk: int) -> HttpResponse:
    project, _ = project_for(request, pk, Level.EDIT)
    cycle = _cycle(project, cycle_pk)
    task = _task(cycle, task_pk)
    done = request.POST.get("done") == "1"
    services.set_task_done(task, done=done, by=request.user)
    messages.success(
        request, f"Task \u2018{task.description}\u2019 marked as {'done' if done else 'not done'}."
    )
    return redirect(f"{presenters.cycle_href(cycle)}#tasks")
