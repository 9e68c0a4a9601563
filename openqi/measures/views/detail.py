"""A measure's chart page, and what the team says about the chart: baseline freezes and rebases, points
left out of the calculation, annotations; and the chart as a file to download."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from openqi_spc.render import PAPER_SIZES

from openqi.core.pagecache import cached_page
from openqi.measures import access, charting, presenters
from openqi.measures.dataio.dates import describe_period
from openqi.measures.forms import AnnotationForm, ExcludeForm, LimitChangeForm
from openqi.measures.models import Annotation, DataPoint, LimitChange, LimitChangeKind, Measure
from openqi.measures.services.limits import add_limit_change, remove_limit_change, set_exclusion
from openqi.measures.services.notes import add_annotation, remove_annotation
from openqi.measures.views.pages import refuse_shared_write
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, project_for
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import PDSACycle, Project, StoryEntry

_CHANGE_DONE: dict[str, str] = {
    LimitChangeKind.FREEZE: "Baseline frozen",
    LimitChangeKind.REBASE: "Limits recalculated",
}


def _annotation_form(data: Any, project: Project, measure: Measure) -> AnnotationForm:
    return AnnotationForm(
        data,
        periods=presenters.period_options(measure),
        cycles=project.pdsa_cycles.all(),
        entries=project.story_entries.all(),
        **guard_kwargs(project),
    )


@login_required
@cached_page
def detail(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    link = access.project_measure_or_404(request.user, project, pm)
    page = presenters.measure_page(project, link)
    if page.recalculation is not None and level >= Level.EDIT:
        page.can_recalculate = access.may_change_shared(request.user, project, link.measure)
    # Annotating starts on the chart page, once there is a point to annotate.
    annotate_form = (
        _annotation_form(None, project, link.measure) if level >= Level.EDIT and page.n_points else None
    )
    return render(
        request,
        "measures/detail.jinja",
        presenters.page_context(project, level, link, page=page, annotate_form=annotate_form),
    )


@require_GET
@login_required
@cached_page
def chart_download(request: HttpRequest, pk: int, pm: int, fmt: str) -> HttpResponse:
    project, _level = project_for(request, pk, Level.VIEW)
    link = access.project_measure_or_404(request.user, project, pm)
    size = request.GET.get("size", "standard")
    if fmt not in ("png", "svg") or size not in PAPER_SIZES:
        raise Http404("Not found")
    response = HttpResponse(
        charting.chart_file(link, fmt, size), content_type="image/png" if fmt == "png" else "image/svg+xml"
    )
    name = slugify(link.measure.name)[:60] or "chart"
    suffix = "" if size == "standard" else f"-{size}"
    response["Content-Disposition"] = f'attachment; filename="{name}-chart{suffix}.{fmt}"'
    return response


@login_required
def limits(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    link = access.project_measure_or_404(request.user, project, pm)
    if refused := refuse_shared_write(request, project, level, link):
        return refused
    measure = link.measure
    if request.method == "POST" and request.POST.get("remove"):
        change = scope_for(request.user).get_or_404(LimitChange, pk=request.POST["remove"], measure=measure)
        remove_limit_change(change, by=request.user, project=project)
        messages.success(request, f"Removed: {change}.")
        return redirect("measures:limits", pk=project.pk, pm=link.pk)
    form = LimitChangeForm(
        request.POST or None,
        periods=presenters.period_options(measure),
        initial={"kind": LimitChangeKind.FREEZE},
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        change = add_limit_change(
            measure,
            kind=form.cleaned_data["kind"],
            period=dt.date.fromisoformat(form.cleaned_data["period"]),
            reason=form.cleaned_data["reason"],
            by=request.user,
            project=project,
        )
        record_confirmation(form, by=request.user, project=project, instance=change)
        messages.success(
            request, f"{_CHANGE_DONE[change.kind]} at {describe_period(change.period, measure.frequency)}."
        )
        return redirect("measures:detail", pk=project.pk, pm=link.pk)
    changes = list(measure.limit_changes.all())
    return render(
        request,
        "measures/limits.jinja",
        presenters.page_context(project, level, link, form=form, changes=changes),
    )


@login_required
def exclude(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    link = access.project_measure_or_404(request.user, project, pm)
    if refused := refuse_shared_write(request, project, level, link):
        return refused
    measure = link.measure
    scope = scope_for(request.user)
    if request.method == "POST" and request.POST.get("include"):
        point = scope.get_or_404(DataPoint, pk=request.POST["include"], measure=measure)
        set_exclusion(point, excluded=False, reason="", by=request.user, project=project)
        messages.success(request, f"{describe_period(point.period, measure.frequency)} is included again.")
        return redirect("measures:exclude", pk=project.pk, pm=link.pk)
    form = ExcludeForm(
        request.POST or None, periods=presenters.period_options(measure), **guard_kwargs(project)
    )
    if request.method == "POST" and form.is_valid():
        point = scope.get_or_404(
            DataPoint, measure=measure, period=dt.date.fromisoformat(form.cleaned_data["period"])
        )
        set_exclusion(
            point, excluded=True, reason=form.cleaned_data["reason"], by=request.user, project=project
        )
        record_confirmation(form, by=request.user, project=project, instance=point)
        messages.success(
            request, f"{describe_period(point.period, measure.frequency)} is excluded from the calculations."
        )
        return redirect("measures:detail", pk=project.pk, pm=link.pk)
    excluded = list(measure.points.filter(excluded=True))
    return render(
        request,
        "measures/exclude.jinja",
        presenters.page_context(project, level, link, form=form, excluded=excluded),
    )


@login_required
def annotate(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    link = access.project_measure_or_404(request.user, project, pm)
    measure = link.measure
    scope = scope_for(request.user)
    if request.method == "POST" and request.POST.get("remove"):
        note = scope.get_or_404(Annotation, pk=request.POST["remove"], measure=measure, project=project)
        remove_annotation(note, by=request.user, project=project)
        messages.success(request, "Annotation removed.")
        return redirect("measures:annotate", pk=project.pk, pm=link.pk)
    form = _annotation_form(request.POST or None, project, measure)
    initial_period = request.GET.get("period")
    if initial_period and not form.is_bound:
        form.initial["period"] = initial_period
    if request.method == "POST" and form.is_valid():
        cycle = (
            scope.get_or_404(PDSACycle, pk=form.cleaned_data["pdsa_cycle"], project=project)
            if form.cleaned_data["pdsa_cycle"]
            else None
        )
        entry = (
            scope.get_or_404(StoryEntry, pk=form.cleaned_data["story_entry"], project=project)
            if form.cleaned_data["story_entry"]
            else None
        )
        note = add_annotation(
            measure,
            project=project,
            period=dt.date.fromisoformat(form.cleaned_data["period"]),
            text=form.cleaned_data["text"],
            pdsa_cycle=cycle,
            story_entry=entry,
            by=request.user,
        )
        record_confirmation(form, by=request.user, project=project, instance=note)
        messages.success(request, f"Annotation added at {describe_period(note.period, measure.frequency)}.")
        return redirect("measures:detail", pk=project.pk, pm=link.pk)
    notes = list(
        scope.filter(Annotation)
        .filter(measure=measure, project=project)
        .select_related("pdsa_cycle", "story_entry")
    )
    return render(
        request,
        "measures/annotate.jinja",
        presenters.page_context(project, level, link, form=form, notes=notes),
    )
