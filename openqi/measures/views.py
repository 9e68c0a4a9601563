"""Measure pages. Thin, as elsewhere: `project_for` decides access (404 / 403), forms validate,
services change and audit, presenters and `charting` display."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from openqi.core.concurrency import EditConflict, show_conflict
from openqi.core.scoping import scope_for
from openqi.measures import charting, presenters, services
from openqi.measures.dataio import DataRow, write_csv, write_xlsx
from openqi.measures.dataio.dates import describe_period, normalise_period
from openqi.measures.forms import (
    DEFINITION_FORM_FIELDS,
    AnnotationForm,
    ConfirmImportForm,
    DataRowForm,
    ExcludeForm,
    LimitChangeForm,
    LinksForm,
    MeasureForm,
    NewProjectMeasureForm,
    UploadForm,
    decimal_text,
)
from openqi.measures.models import (
    Annotation,
    DataKind,
    DataPoint,
    ImportDraft,
    LimitChange,
    LimitChangeKind,
    Measure,
    ProjectMeasure,
)
from openqi.organisations.models import Role
from openqi.projects.access import Level, project_for, visible_projects
from openqi.projects.access import level as access_level
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import ChangeIdea, PDSACycle, Project, StoryEntry
from openqi.projects.views.project import project_context

# How many blank periods the grid offers: a week of daily data, or the next few weeks or months.
GRID_NEW_ROWS = 7
GRID_RECENT_ROWS = 8

_CHANGE_DONE: dict[str, str] = {
    LimitChangeKind.FREEZE: "Baseline frozen",
    LimitChangeKind.REBASE: "Limits recalculated",
}


def _link(request: HttpRequest, pk: int, pm: int, need: Level) -> tuple[Project, Level, ProjectMeasure]:
    project, level = project_for(request, pk, need)
    scope = scope_for(request.user)
    link = scope.get_or_404(
        scope.filter(ProjectMeasure).select_related("measure", "measure__service"), pk=pm, project=project
    )
    return project, level, link


def _offerable(user: Any, measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """The library measures this person may be offered (listed, attached to a project): those whose
    every project they can see, or that no project uses yet. A measure of a private project would
    otherwise carry that project's data to anyone who attaches it to their own project."""
    visible = visible_projects(user).values("pk")
    hidden = scope_for(user).filter(ProjectMeasure).exclude(project_id__in=visible).values("measure_id")
    return measures.exclude(pk__in=hidden)


SHARED_LOCKED_MESSAGE = "This measure is shared with a project you cannot change; ask its team."


def _refuse_shared_write(
    request: HttpRequest, project: Project, level: Level, link: ProjectMeasure
) -> HttpResponse | None:
    """A change to a shared measure's data, limits, exclusions or definition changes every project's
    chart, so it needs EDIT on every project the measure is in (or the organisation's QI team admin).
    None when the person may change it; otherwise the 403 page that says why."""
    scope = scope_for(request.user)
    membership = scope.membership(project.organisation)
    if membership is not None and membership.has_role(Role.QI_TEAM_ADMIN):
        return None
    others = scope.filter(Project).filter(project_measures__measure=link.measure_id).exclude(pk=project.pk)
    if all(access_level(request.user, other) >= Level.EDIT for other in others):
        return None
    return render(
        request,
        "measures/shared_locked.jinja",
        _ctx(project, level, link, message=SHARED_LOCKED_MESSAGE),
        status=403,
    )


def _ctx(project: Project, level: Level, link: ProjectMeasure | None = None, **extra: Any) -> dict[str, Any]:
    return project_context(
        project, level, "measures", link=link, measure=link.measure if link else None, **extra
    )


@login_required
def library(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    measures = _offerable(
        request.user,
        scope.filter(Measure)
        .select_related("organisation", "service")
        .order_by("organisation__name", "name"),
    )
    visible = {p.pk: p for p in visible_projects(request.user)}
    rows = []
    links = (
        scope.filter(ProjectMeasure)
        .filter(project_id__in=list(visible))
        .values_list("measure_id", "project_id")
    )
    used: dict[int, list[Project]] = {}
    for measure_id, project_id in links:
        used.setdefault(measure_id, []).append(visible[project_id])
    for m in measures:
        rows.append(
            presenters.LibraryRow(
                measure=m,
                service=m.service.name if m.service else "All services",
                kind=DataKind(m.kind).label.split(":")[0].split(" (")[0],
                frequency=m.get_frequency_display(),
                projects=[
                    (p.title, reverse("measures:project_measures", kwargs={"pk": p.pk}))
                    for p in used.get(m.pk, [])
                ],
            )
        )
    return render(request, "measures/library.jinja", {"rows": rows})


@login_required
def project_measures(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    family = presenters.family_for(project, level)
    return render(
        request, "measures/project_measures.jinja", project_context(project, level, "measures", family=family)
    )


@login_required
def add_measure(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    scope = scope_for(request.user)
    in_use = project.project_measures.values_list("measure_id", flat=True)
    library_measures = _offerable(
        request.user, scope.filter(Measure).filter(organisation=project.organisation).exclude(pk__in=in_use)
    )
    from openqi.measures.forms import UseLibraryMeasureForm

    use_form = UseLibraryMeasureForm(measures=library_measures)
    form = NewProjectMeasureForm(initial={"measure_type": "outcome"}, **guard_kwargs(project))
    if request.method == "POST":
        if request.POST.get("action") == "library":
            chosen = request.POST.get("library-measure", "")
            # Checked here as well as by the form's choices: a measure this person may not be offered
            # does not exist for them, whatever was posted.
            if chosen and not (chosen.isdigit() and library_measures.filter(pk=int(chosen)).exists()):
                raise Http404("Not found")
            use_form = UseLibraryMeasureForm(request.POST, measures=library_measures)
            if use_form.is_valid():
                link = services.add_to_project(
                    project,
                    use_form.cleaned_data["measure"],
                    measure_type=use_form.cleaned_data["measure_type"],
                    by=request.user,
                )
                messages.success(request, f"Added {link.measure.name} to the family of measures.")
                return redirect("measures:detail", pk=project.pk, pm=link.pk)
        else:
            form = NewProjectMeasureForm(request.POST, **guard_kwargs(project))
            if form.is_valid():
                fields = {name: form.cleaned_data[name] for name in DEFINITION_FORM_FIELDS}
                measure = services.create_measure(
                    organisation=project.organisation,
                    project=project,
                    by=request.user,
                    measure_type=form.cleaned_data["measure_type"],
                    service=project.service,
                    **fields,
                )
                record_confirmation(form, actor=request.user, project=project, instance=measure)
                link = project.project_measures.get(measure=measure)
                messages.success(request, f"Measure {measure.name} created. Now enter its data.")
                return redirect("measures:detail", pk=project.pk, pm=link.pk)
    return render(
        request,
        "measures/add.jinja",
        _ctx(project, level, form=form, use_form=use_form, has_library=library_measures.exists()),
    )


@login_required
def detail(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level, link = _link(request, pk, pm, Level.VIEW)
    page = presenters.measure_page(project, link)
    annotate_form = None
    if level >= Level.EDIT and page.n_points:
        annotate_form = _annotation_form(None, project, link.measure)
    return render(
        request, "measures/detail.jinja", _ctx(project, level, link, page=page, annotate_form=annotate_form)
    )


@login_required
def edit(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level, link = _link(request, pk, pm, Level.EDIT)
    if refused := _refuse_shared_write(request, project, level, link):
        return refused
    measure = link.measure
    latest: list[tuple[str, str]] = []
    form = MeasureForm(
        request.POST or None, instance=measure, initial={"version": measure.version}, **guard_kwargs(project)
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in DEFINITION_FORM_FIELDS}
        try:
            services.update_definition(
                measure,
                changes=changes,
                expected_version=form.cleaned_data["version"],
                by=request.user,
                project=project,
            )
        except EditConflict:
            saved = scope_for(request.user).get_or_404(Measure, pk=measure.pk)
            # Saving again, having read the message, is a deliberate choice: the form now carries the
            # version saved, and the page shows what it says next to what the person typed.
            show_conflict(form, saved.version)
            latest = _latest_definition(form, saved)
            link.measure = saved  # the page's heading shows the saved name, not the one typed
        else:
            record_confirmation(form, actor=request.user, project=project, instance=measure)
            messages.success(request, f"Saved the definition of {measure.name}.")
            return redirect("measures:detail", pk=project.pk, pm=link.pk)
    return render(request, "measures/edit.jinja", _ctx(project, level, link, form=form, latest=latest))


def _latest_definition(form: MeasureForm, saved: Measure) -> list[tuple[str, str]]:
    """The saved definition's answers that differ from what the person typed: (label, saved value)."""
    differ = []
    for name in DEFINITION_FORM_FIELDS:
        now = getattr(saved, name)
        if name in form.cleaned_data and form.cleaned_data[name] != now:
            display = getattr(saved, f"get_{name}_display", None)
            shown = display() if display else ("" if now is None else str(now))
            differ.append((str(form.fields[name].label or name), shown or "(blank)"))
    return differ


def _grid_periods(measure: Measure, start: dt.date | None) -> tuple[list[DataPoint], list[dt.date]]:
    recent = list(measure.points.order_by("-period")[:GRID_RECENT_ROWS])
    recent.reverse()
    stored = {p.period for p in recent}
    if start is None:
        if recent:
            start = services.next_period(recent[-1].period, measure.frequency)
        else:
            start = normalise_period(dt.date.today(), measure.frequency)
            for _ in range(GRID_NEW_ROWS - 1):
                start = _previous_period(start, measure.frequency)
    start = normalise_period(start, measure.frequency)
    new: list[dt.date] = []
    when = start
    while len(new) < GRID_NEW_ROWS:
        if when not in stored:
            new.append(when)
        when = services.next_period(when, measure.frequency)
    if start < (recent[0].period if recent else start):
        recent = []
    existing = {p.period: p for p in measure.points.filter(period__in=new)}
    points = recent + [existing[p] for p in new if p in existing]
    blank = [p for p in new if p not in existing]
    return sorted(points, key=lambda p: p.period), blank


def _previous_period(period: dt.date, frequency: str) -> dt.date:
    if frequency == "weekly":
        return period - dt.timedelta(days=7)
    if frequency == "monthly":
        return (period - dt.timedelta(days=1)).replace(day=1)
    return period - dt.timedelta(days=1)


@login_required
def data_entry(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level, link = _link(request, pk, pm, Level.EDIT)
    if refused := _refuse_shared_write(request, project, level, link):
        return refused
    measure = link.measure
    start = None
    if request.GET.get("from"):
        try:
            start = dt.date.fromisoformat(request.GET["from"])
        except ValueError:
            start = None
    points, blank = _grid_periods(measure, start)
    kwargs = {
        "has_denominator": measure.has_denominator,
        "allow_above": measure.kind == DataKind.RATE,
        **guard_kwargs(project),
    }
    initial_rows: list[tuple[dict[str, Any], bool]] = [
        ({"period": p.period, **_stored_fields(p)}, False) for p in points
    ] + [({"period": d}, True) for d in blank]
    data_version = measure.data_version
    conflict_errors: list[tuple[str, str]] = []
    if request.method == "POST":
        count = min(int(request.POST.get("rows", "0") or 0), 400)
        forms_ = [DataRowForm(request.POST, prefix=f"row-{i}", **kwargs) for i in range(count)]
        # Every row is validated (not just up to the first bad one), so every problem is shown.
        valid = sum(not f.is_valid() for f in forms_) == 0
        if valid:
            # Only the rows the person changed are saved, each checked against what they saw.
            changed = [f for f in forms_ if f.is_changed]
            try:
                result = services.save_rows(
                    measure,
                    [f.data_row() for f in changed if not f.cleaned_data["delete"]],
                    deletes=[f.cleaned_data["period"] for f in changed if f.cleaned_data["delete"]],
                    originals={f.cleaned_data["period"]: f.original() for f in changed},
                    by=request.user,
                    project=project,
                    source="grid",
                )
            except services.DataConflict as exc:
                forms_, conflict_errors = _after_conflict(request, measure, forms_, exc, kwargs)
                measure.refresh_from_db(fields=["data_version"])
                data_version = measure.data_version
            else:
                for f in changed:
                    if f.personal_data_confirmed:
                        record_confirmation(f, actor=request.user, project=project, instance=measure)
                seen = request.POST.get("data_version", "")
                _report_saved(request, result, others=seen.isdigit() and int(seen) != data_version)
                return redirect("measures:detail", pk=project.pk, pm=link.pk)
        grid = [
            presenters.GridRow(
                f,
                describe_period(f.cleaned_data.get("period") or _posted_period(f), measure.frequency),
                not f.had_data,
            )
            for f in forms_
        ]
    else:
        grid = [
            presenters.GridRow(
                DataRowForm(initial=init, prefix=f"row-{i}", **kwargs),
                describe_period(init["period"], measure.frequency),
                is_new,
            )
            for i, (init, is_new) in enumerate(initial_rows)
        ]
    first = "numerator" if measure.has_denominator else "value"
    errors = conflict_errors + [
        (f"{row.form.prefix}-{first if name == '__all__' else name}", str(e))
        for row in grid
        if row.form.is_bound
        for name, es in row.form.errors.items()
        for e in es
        if (name, str(e)) not in {("__all__", m) for _a, m in conflict_errors}
    ]
    return render(
        request,
        "measures/data.jinja",
        _ctx(project, level, link, grid=grid, grid_errors=errors, data_version=data_version),
    )


def _stored_fields(point: DataPoint | None) -> dict[str, str]:
    """A stored point as the grid shows it, and as the hidden record of what the person saw."""
    shown = {
        "value": decimal_text(point.value) if point else "",
        "numerator": decimal_text(point.numerator) if point else "",
        "denominator": decimal_text(point.denominator) if point else "",
        "comment": point.comment if point else "",
    }
    return {**shown, **{f"orig_{k}": v for k, v in shown.items()}}


def _describe_point(measure: Measure, point: DataPoint | None) -> str:
    if point is None:
        return "no data (it was deleted)"
    if measure.has_denominator:
        text = f"{decimal_text(point.numerator)} out of {decimal_text(point.denominator)}"
    else:
        text = decimal_text(point.value)
    return f"{text} with the comment \u2018{point.comment}\u2019" if point.comment else text


def _after_conflict(
    request: HttpRequest,
    measure: Measure,
    forms_: list[DataRowForm],
    exc: services.DataConflict,
    kwargs: dict[str, Any],
) -> tuple[list[DataRowForm], list[tuple[str, str]]]:
    """Nothing was saved. The grid is shown again: rows the person changed keep what they typed, and
    every row's record of what was seen becomes what is saved now, so saving again (having read the
    message) replaces the other person's values deliberately. Rows the person did not change show the
    values now saved."""
    saved = {
        p.period: p for p in measure.points.filter(period__in=[f.cleaned_data["period"] for f in forms_])
    }
    conflicted = dict(exc.conflicts)
    data = request.POST.copy()
    for f in forms_:
        stored = _stored_fields(saved.get(f.cleaned_data["period"]))
        keep_typed = f.is_changed
        for name, text in stored.items():
            if name.startswith("orig_") or not keep_typed:
                data[f.add_prefix(name)] = text
    rebuilt = [DataRowForm(data, prefix=f.prefix, **kwargs) for f in forms_]
    errors: list[tuple[str, str]] = [("", exc.message)]
    first = "numerator" if measure.has_denominator else "value"
    for f in rebuilt:
        f.is_valid()
        period = f.cleaned_data.get("period")
        if period in conflicted:
            message = (
                f"{describe_period(period, measure.frequency)}: someone else saved this period while you "
                f"were editing. It now says {_describe_point(measure, conflicted[period])}. Your value is "
                "kept below."
            )
            f.add_error(None, message)
            errors.append((f"{f.prefix}-{first}", message))
    return rebuilt, errors


def _report_saved(request: HttpRequest, result: services.SaveResult, *, others: bool) -> None:
    """`others`: the measure's data changed between opening the grid and saving (in rows this person
    did not change, or their save would have been refused), so the chart may hold more than they typed."""
    if not result.changed:
        messages.info(request, "Nothing changed: no data was saved.")
        return
    done = f"Saved {result.changed} {'period' if result.changed == 1 else 'periods'} of data."
    if result.deleted:
        done += f" Deleted {result.deleted}."
    if others:
        done += " Someone else also changed this measure's data while you had the page open: check the chart."
    messages.success(request, done)


def _posted_period(form: DataRowForm) -> dt.date:
    try:
        return dt.date.fromisoformat(str(form.data.get(f"{form.prefix}-period", "")))
    except ValueError:
        return dt.date.today()


@login_required
def upload(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level, link = _link(request, pk, pm, Level.EDIT)
    if refused := _refuse_shared_write(request, project, level, link):
        return refused
    form = UploadForm(request.POST or None, request.FILES or None, **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        draft = services.stage_upload(link.measure, filename=file.name, content=file.read(), by=request.user)
        return redirect("measures:import_preview", pk=project.pk, pm=link.pk, token=draft.token)
    return render(request, "measures/upload.jinja", _ctx(project, level, link, form=form))


@login_required
def import_preview(request: HttpRequest, pk: int, pm: int, token: str) -> HttpResponse:
    project, level, link = _link(request, pk, pm, Level.EDIT)
    if refused := _refuse_shared_write(request, project, level, link):
        return refused
    draft = scope_for(request.user).get_or_404(
        ImportDraft, token=token, measure=link.measure, created_by=request.user
    )
    if draft.is_expired:
        draft.delete()
        messages.error(request, "That upload has expired. Upload the file again.")
        return redirect("measures:upload", pk=project.pk, pm=link.pk)
    preview = services.preview_draft(draft)
    has_updates = preview.is_valid and preview.update_count > 0
    # An empty POST is a valid confirmation when there is nothing to choose, so bind on the method.
    form = ConfirmImportForm(request.POST if request.method == "POST" else None, has_updates=has_updates)
    if request.method == "POST" and preview.is_valid and form.is_valid():
        try:
            result = services.confirm_import(
                draft,
                include_updates=form.cleaned_data.get("existing") != "skip",
                by=request.user,
                project=project,
            )
        except services.ImportRefused:
            messages.error(request, "The file no longer imports cleanly. Check the preview again.")
            return redirect("measures:import_preview", pk=project.pk, pm=link.pk, token=token)
        messages.success(
            request,
            f"Imported {result.created} new and {result.updated} updated periods from {draft.filename}.",
        )
        return redirect("measures:detail", pk=project.pk, pm=link.pk)
    return render(
        request,
        "measures/preview.jinja",
        _ctx(project, level, link, draft=draft, preview=preview, form=form, has_updates=has_updates),
    )


@require_GET
@login_required
def export_data(request: HttpRequest, pk: int, pm: int, fmt: str) -> HttpResponse:
    project, _level, link = _link(request, pk, pm, Level.VIEW)
    measure = link.measure
    rows = [
        DataRow(
            period=p.period,
            value=p.value,
            numerator=p.numerator,
            denominator=p.denominator,
            comment=p.comment,
        )
        for p in measure.points.all()
    ]
    name = slugify(measure.name)[:60] or "measure"
    if fmt == "csv":
        body = write_csv(rows, has_denominator=measure.has_denominator)
        content_type = "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = write_xlsx(
            rows,
            has_denominator=measure.has_denominator,
            title=measure.name,
            metadata={
                "Measure": measure.name,
                "Project": project.title,
                "Operational definition": measure.definition,
                "Unit": measure.display_unit,
                "Frequency": measure.get_frequency_display(),
                "Exported": dt.date.today().isoformat(),
            },
        )
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404("Not found")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
@login_required
def chart_download(request: HttpRequest, pk: int, pm: int, fmt: str) -> HttpResponse:
    project, _level, link = _link(request, pk, pm, Level.VIEW)
    if fmt not in ("png", "svg"):
        raise Http404("Not found")
    body = charting.chart_files(link.measure, project.pk, fmt)
    response = HttpResponse(body, content_type="image/png" if fmt == "png" else "image/svg+xml")
    name = slugify(link.measure.name)[:60] or "chart"
    response["Content-Disposition"] = f'attachment; filename="{name}-chart.{fmt}"'
    return response


def _parse_period(measure: Measure, text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@login_required
def limits(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level, link = _link(request, pk, pm, Level.EDIT)
    if refused := _refuse_shared_write(request, project, level, link):
        return refused
    measure = link.measure
    scope = scope_for(request.user)
    if request.method == "POST" and request.POST.get("remove"):
        change = scope.get_or_404(LimitChange, pk=request.POST["remove"], measure=measure)
        services.remove_limit_change(change, by=request.user, project=project)
        messages.success(request, f"Removed: {change}.")
        return redirect("measures:limits", pk=project.pk, pm=link.pk)
    options = presenters.period_options(measure)
    form = LimitChangeForm(
        request.POST or None,
        periods=options,
        initial={"kind": LimitChangeKind.FREEZE},
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        change = services.add_limit_change(
            measure,
            kind=form.cleaned_data["kind"],
            period=_parse_period(measure, form.cleaned_data["period"]),
            reason=form.cleaned_data["reason"],
            by=request.user,
            project=project,
        )
        record_confirmation(form, actor=request.user, project=project, instance=change)
        messages.success(
            request,
            f"{_CHANGE_DONE[change.kind]} at {describe_period(change.period, measure.frequency)}.",
        )
        return redirect("measures:detail", pk=project.pk, pm=link.pk)
    changes = list(measure.limit_changes.all())
    return render(request, "measures/limits.jinja", _ctx(project, level, link, form=form, changes=changes))


@login_required
def exclude(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level, link = _link(request, pk, pm, Level.EDIT)
    if refused := _refuse_shared_write(request, project, level, link):
        return refused
    measure = link.measure
    scope = scope_for(request.user)
    if request.method == "POST" and request.POST.get("include"):
        point = scope.get_or_404(DataPoint, pk=request.POST["include"], measure=measure)
        services.set_exclusion(point, excluded=False, reason="", by=request.user, project=project)
        messages.success(request, f"{describe_period(point.period, measure.frequency)} is included again.")
        return redirect("measures:exclude", pk=project.pk, pm=link.pk)
    form = ExcludeForm(
        request.POST or None, periods=presenters.period_options(measure), **guard_kwargs(project)
    )
    if request.method == "POST" and form.is_valid():
        point = scope.get_or_404(
            DataPoint, measure=measure, period=_parse_period(measure, form.cleaned_data["period"])
        )
        services.set_exclusion(
            point, excluded=True, reason=form.cleaned_data["reason"], by=request.user, project=project
        )
        record_confirmation(form, actor=request.user, project=project, instance=point)
        messages.success(
            request, f"{describe_period(point.period, measure.frequency)} is excluded from the calculations."
        )
        return redirect("measures:detail", pk=project.pk, pm=link.pk)
    excluded = list(measure.points.filter(excluded=True))
    return render(request, "measures/exclude.jinja", _ctx(project, level, link, form=form, excluded=excluded))


def _annotation_form(data: Any, project: Project, measure: Measure) -> AnnotationForm:
    return AnnotationForm(
        data,
        periods=presenters.period_options(measure),
        cycles=project.pdsa_cycles.all(),
        entries=project.story_entries.all(),
        **guard_kwargs(project),
    )


@login_required
def annotate(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level, link = _link(request, pk, pm, Level.EDIT)
    measure = link.measure
    scope = scope_for(request.user)
    if request.method == "POST" and request.POST.get("remove"):
        note = scope.get_or_404(Annotation, pk=request.POST["remove"], measure=measure, project=project)
        services.remove_annotation(note, by=request.user, project=project)
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
        note = services.add_annotation(
            measure,
            project=project,
            period=_parse_period(measure, form.cleaned_data["period"]),
            text=form.cleaned_data["text"],
            pdsa_cycle=cycle,
            story_entry=entry,
            by=request.user,
        )
        record_confirmation(form, actor=request.user, project=project, instance=note)
        messages.success(request, f"Annotation added at {describe_period(note.period, measure.frequency)}.")
        return redirect("measures:detail", pk=project.pk, pm=link.pk)
    notes = list(
        scope.filter(Annotation)
        .filter(measure=measure, project=project)
        .select_related("pdsa_cycle", "story_entry")
    )
    return render(request, "measures/annotate.jinja", _ctx(project, level, link, form=form, notes=notes))


@login_required
def links(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level, link = _link(request, pk, pm, Level.EDIT)
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
        services.update_links(
            link,
            measure_type=form.cleaned_data["measure_type"],
            order=form.cleaned_data["order"],
            pdsa_cycles=[chosen_cycles[k] for k in form.cleaned_data["pdsa_cycles"]],
            change_ideas=[chosen_ideas[k] for k in form.cleaned_data["change_ideas"]],
            by=request.user,
        )
        messages.success(request, "Saved the measure's role and links.")
        return redirect("measures:detail", pk=project.pk, pm=link.pk)
    return render(request, "measures/links.jinja", _ctx(project, level, link, form=form))
