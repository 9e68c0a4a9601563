"""The organisation's measure library, a project's family of measures, and adding a measure to it (one
from the library, or a new one)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openqi.core.pagecache import cached_page
from openqi.core.params import id_param
from openqi.measures import access, presenters
from openqi.measures.forms import NewProjectMeasureForm, UseLibraryMeasureForm
from openqi.measures.models import Measure, ProjectMeasure
from openqi.measures.services.definitions import add_to_project, create_measure
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, project_for, visible_projects
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import Project
from openqi.projects.presenters.nav import project_context


@login_required
def library(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    measures = access.offerable(
        request.user,
        scope.filter(Measure)
        .select_related("organisation", "service")
        .order_by("organisation__name", "name"),
    )
    visible = {p.pk: p for p in visible_projects(request.user)}
    used_by: dict[int, list[Project]] = {}
    links = scope.filter(ProjectMeasure).filter(project_id__in=list(visible))
    for measure_id, project_id in links.values_list("measure_id", "project_id"):
        used_by.setdefault(measure_id, []).append(visible[project_id])
    return render(request, "measures/library.jinja", {"rows": presenters.library_rows(measures, used_by)})


@login_required
@cached_page
def project_measures(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    family = presenters.family_for(project, level)
    return render(
        request, "measures/project_measures.jinja", project_context(project, level, "measures", family=family)
    )


@login_required
def add_measure(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    in_use = project.project_measures.values_list("measure_id", flat=True)
    library_measures = access.offerable(
        request.user,
        scope_for(request.user)
        .filter(Measure)
        .filter(organisation=project.organisation)
        .exclude(pk__in=in_use),
    )
    use_form = UseLibraryMeasureForm(measures=library_measures)
    form = NewProjectMeasureForm(initial={"measure_type": "outcome"}, **guard_kwargs(project))
    if request.method == "POST" and request.POST.get("action") == "library":
        chosen = request.POST.get("library-measure", "")
        # Checked here as well as by the form's choices: a measure this person may not be offered
        # does not exist for them, whatever was posted.
        chosen_id = id_param(chosen)
        if chosen and not (chosen_id and library_measures.filter(pk=chosen_id).exists()):
            raise Http404("Not found")
        use_form = UseLibraryMeasureForm(request.POST, measures=library_measures)
        if use_form.is_valid():
            link = add_to_project(
                project,
                use_form.cleaned_data["measure"],
                measure_type=use_form.cleaned_data["measure_type"],
                by=request.user,
            )
            messages.success(request, f"Added {link.measure.name} to the family of measures.")
            return redirect("measures:detail", pk=project.pk, pm=link.pk)
    elif request.method == "POST":
        form = NewProjectMeasureForm(request.POST, **guard_kwargs(project))
        if form.is_valid():
            measure = create_measure(
                organisation=project.organisation,
                project=project,
                by=request.user,
                measure_type=form.cleaned_data["measure_type"],
                service=project.service,
                **form.definition(),
            )
            record_confirmation(form, by=request.user, project=project, instance=measure)
            link = project.project_measures.get(measure=measure)
            messages.success(request, f"Measure {measure.name} created. Now enter its data.")
            return redirect("measures:detail", pk=project.pk, pm=link.pk)
    return render(
        request,
        "measures/add.jinja",
        presenters.page_context(
            project, level, form=form, use_form=use_form, has_library=library_measures.exists()
        ),
    )
