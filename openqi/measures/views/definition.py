"""A measure's definition (shared by every project using it) and its role and links in this project."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openqi.core.concurrency import attempt_edit
from openqi.measures import access, presenters
from openqi.measures.forms import LinksForm, MeasureForm
from openqi.measures.models import Measure
from openqi.measures.services.definitions import update_definition, update_links
from openqi.measures.views.pages import refuse_shared_write
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, project_for
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import ChangeIdea, PDSACycle


@login_required
def edit(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    link = access.project_measure_or_404(request.user, project, pm)
    if refused := refuse_shared_write(request, project, level, link):
        return refused
    measure = link.measure
    form = MeasureForm(
        request.POST or None, instance=measure, initial={"version": measure.version}, **guard_kwargs(project)
    )
    latest: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: update_definition(
                measure,
                changes=form.definition(),
                expected_version=form.cleaned_data["version"],
                by=request.user,
                project=project,
            ),
            reload=lambda: scope_for(request.user).get_or_404(Measure, pk=measure.pk),
        )
        if edit.saved:
            record_confirmation(form, by=request.user, project=project, instance=measure)
            messages.success(request, f"Saved the definition of {measure.name}.")
            return redirect("measures:detail", pk=project.pk, pm=link.pk)
        if edit.latest is not None:
            # The page shows what the saved version says next to what the person typed, and its
            # heading the saved name, not the one typed.
            latest = presenters.definition_differences(form, edit.latest)
            link.measure = edit.latest
    return render(
        request,
        "measures/edit.jinja",
        presenters.page_context(project, level, link, form=form, latest=latest),
    )


@login_required
def links(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    link = access.project_measure_or_404(request.user, project, pm)
    scope = scope_for(request.user)
    cycles = list(scope.filter(PDSACycle).filter(project=project))
    ideas = list(scope.filter(ChangeIdea).filter(project=project))
    initial = {
        "measure_type": link.measure_type,
        "order": link.order,
        "pdsa_cycles": [str(c.pk) for c in link.pdsa_cycles.all()],
        "change_ideas": [str(i.pk) for i in link.change_ideas.all()],
    }
    form = LinksForm(request.POST or None, initial=initial, cycles=cycles, ideas=ideas)
    if request.method == "POST" and form.is_valid():
        chosen_cycles = {str(c.pk): c for c in cycles}
        chosen_ideas = {str(i.pk): i for i in ideas}
        update_links(
            link,
            measure_type=form.cleaned_data["measure_type"],
            order=form.cleaned_data["order"],
            pdsa_cycles=[chosen_cycles[k] for k in form.cleaned_data["pdsa_cycles"]],
            change_ideas=[chosen_ideas[k] for k in form.cleaned_data["change_ideas"]],
            by=request.user,
        )
        messages.success(request, "Saved the measure's role and links.")
        return redirect("measures:detail", pk=project.pk, pm=link.pk)
    return render(request, "measures/links.jinja", presenters.page_context(project, level, link, form=form))
