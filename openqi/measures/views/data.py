"""A measure's data: the grid, uploading a file (preview, then confirm) and exporting the data."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from openqi.core.params import count_param, date_param
from openqi.measures import access, charting, presenters
from openqi.measures.dataio import DataRow, write_csv, write_xlsx
from openqi.measures.forms import ConfirmImportForm, UploadForm
from openqi.measures.grid import DataGrid
from openqi.measures.models import ImportDraft
from openqi.measures.periods import EARLIEST_PERIOD, LATEST_PERIOD
from openqi.measures.services.data import DataConflict, SaveResult, save_rows
from openqi.measures.services.imports import ImportRefused, confirm_import, preview_draft, stage_upload
from openqi.measures.views.pages import refuse_shared_write
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, project_for
from openqi.projects.guard import guard_kwargs, record_confirmation

START_NOT_A_PERIOD = (
    f"Enter a real date between {EARLIEST_PERIOD.year} and {LATEST_PERIOD.year} to start the empty rows "
    "from, like 03/03/2025"
)


def _start_asked_for(request: HttpRequest) -> tuple[dt.date | None, str]:
    """The period the person asked the grid's new rows to start from (None: the usual rows), and the
    error message when what they sent is not a date data can be entered for."""
    text = request.GET.get("from", "").strip()
    if not text:
        return None, ""
    start = date_param(text, earliest=EARLIEST_PERIOD, latest=LATEST_PERIOD)
    return (start, "") if start else (None, START_NOT_A_PERIOD)


def _report_saved(request: HttpRequest, result: SaveResult, *, others: bool) -> None:
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


@login_required
def data_entry(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    link = access.project_measure_or_404(request.user, project, pm)
    if refused := refuse_shared_write(request, project, level, link):
        return refused
    measure = link.measure
    data_version = measure.data_version
    start_error = ""
    if request.method != "POST":
        start, start_error = _start_asked_for(request)
        grid = DataGrid.stored(measure, start, guard=guard_kwargs(project))
    else:
        grid = DataGrid.posted(measure, request.POST, guard=guard_kwargs(project))
        if grid.is_valid():
            try:
                result = save_rows(
                    measure,
                    grid.rows_to_save(),
                    deletes=grid.periods_to_delete(),
                    originals=grid.originals(),
                    by=request.user,
                    project=project,
                    source="grid",
                )
            except DataConflict as conflict:
                grid = grid.after_conflict(conflict)
                measure.refresh_from_db(fields=["data_version"])
                data_version = measure.data_version
            else:
                for form in grid.changed:
                    record_confirmation(form, by=request.user, project=project, instance=measure)
                seen = count_param(request.POST.get("data_version", ""))
                _report_saved(request, result, others=seen is not None and seen != data_version)
                return redirect("measures:detail", pk=project.pk, pm=link.pk)
    return render(
        request,
        "measures/data.jinja",
        presenters.page_context(
            project,
            level,
            link,
            grid=presenters.grid_rows(grid),
            grid_errors=presenters.grid_errors(grid),
            start_error=start_error,
            data_version=data_version,
        ),
        status=400 if start_error else 200,
    )


@login_required
def upload(request: HttpRequest, pk: int, pm: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    link = access.project_measure_or_404(request.user, project, pm)
    if refused := refuse_shared_write(request, project, level, link):
        return refused
    form = UploadForm(request.POST or None, request.FILES or None, **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        draft = stage_upload(link.measure, filename=file.name, content=file.read(), by=request.user)
        return redirect("measures:import_preview", pk=project.pk, pm=link.pk, token=draft.token)
    return render(request, "measures/upload.jinja", presenters.page_context(project, level, link, form=form))


@login_required
def import_preview(request: HttpRequest, pk: int, pm: int, token: str) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    link = access.project_measure_or_404(request.user, project, pm)
    if refused := refuse_shared_write(request, project, level, link):
        return refused
    draft = scope_for(request.user).get_or_404(
        ImportDraft, token=token, measure=link.measure, created_by=request.user
    )
    if draft.is_expired:
        draft.delete()
        messages.error(request, "That upload has expired. Upload the file again.")
        return redirect("measures:upload", pk=project.pk, pm=link.pk)
    preview = preview_draft(draft)
    has_updates = preview.is_valid and preview.update_count > 0
    # An empty POST is a valid confirmation when there is nothing to choose, so bind on the method.
    form = ConfirmImportForm(request.POST if request.method == "POST" else None, has_updates=has_updates)
    if request.method == "POST" and preview.is_valid and form.is_valid():
        try:
            result = confirm_import(
                draft,
                include_updates=form.cleaned_data.get("existing") != "skip",
                by=request.user,
                project=project,
            )
        except ImportRefused:
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
        presenters.page_context(
            project, level, link, draft=draft, preview=preview, form=form, has_updates=has_updates
        ),
    )


@require_GET
@login_required
def export_data(request: HttpRequest, pk: int, pm: int, fmt: str) -> HttpResponse:
    project, _level = project_for(request, pk, Level.VIEW)
    measure = access.project_measure_or_404(request.user, project, pm).measure
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
    # Beside the data: what the chart says about each period (centre line, limits, signal).
    analysis, unit, decimals = charting.export_columns(measure, project.pk)
    if fmt == "csv":
        body = write_csv(
            rows, has_denominator=measure.has_denominator, analysis=analysis, unit=unit, decimals=decimals
        )
        content_type = "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = write_xlsx(
            rows,
            has_denominator=measure.has_denominator,
            analysis=analysis,
            unit=unit,
            decimals=decimals,
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
