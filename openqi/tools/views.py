"""Tool pages. Every page loads the project through access.project_for (404 for people who may not
see it, 403 for those who may see but not change it) and the tool and its items through the project,
so nothing of another project can be reached by changing a number in the URL. Every change is a plain
form (no JavaScript needed); changes carry the tool's version, and a save over someone else's newer
change is refused with the person's text kept (core.concurrency.attempt_edit)."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openqi.core.concurrency import EditConflict, attempt_edit
from openqi.measures.dataio.reading import UploadError
from openqi.projects.access import Level, project_for
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import Project
from openqi.projects.presenters.nav import project_context
from openqi.tools import exports, forms, importing, presenters, services
from openqi.tools.models import ItemKind, Tool, ToolItem, ToolKind

FORMATS = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
}


def _tool(project: Project, tool_pk: int) -> Tool:
    return get_object_or_404(project.tools.select_related("project"), pk=tool_pk)


def _item(tool: Tool, item_pk: int) -> ToolItem:
    item = get_object_or_404(tool.items, pk=item_pk)
    item.tool = tool
    return item


def _render(
    request: HttpRequest, template: str, project: Project, level: Level, **extra: Any
) -> HttpResponse:
    return render(request, f"tools/{template}", project_context(project, level, "tools", **extra))


def _detail(tool: Tool, anchor: str = "") -> HttpResponse:
    return redirect(presenters.url("detail", tool) + (f"#{anchor}" if anchor else ""))


def _version_from(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


@login_required
def project_tools(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    return _render(
        request,
        "list.jinja",
        project,
        level,
        cards=presenters.cards(project),
        kinds=[(kind.label, presenters.KIND_HELP[kind]) for kind in ToolKind],
        can_edit=level >= Level.EDIT,
    )


@login_required
def create(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    form = forms.ToolForm(
        request.POST or None, initial={"kind": request.GET.get("kind")}, **guard_kwargs(project)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tool = services.create_tool(
            project, kind=data["kind"], title=data["title"], subject=data["subject"], by=request.user
        )
        record_confirmation(form, by=request.user, project=project, instance=tool)
        messages.success(request, f"{tool.get_kind_display()} ‘{tool.title}’ started.")
        return _detail(tool)
    return _render(request, "new.jinja", project, level, form=form)


@login_required
def detail(request: HttpRequest, pk: int, tool: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    found = _tool(project, tool)
    links = list(found.links.select_related("cycle", "story_entry"))
    return _render(
        request,
        "detail.jinja",
        project,
        level,
        view=presenters.view_of(found),
        tool=found,
        links=links,
        link_form=forms.LinkForm(project=project) if level >= Level.EDIT else None,
        can_edit=level >= Level.EDIT,
        can_delete=presenters.may_delete(found, request.user, level),
        item_types=[name for name, (kind, _i, _f) in forms.ITEM_FORMS.items() if kind == found.kind],
        item_type_of=lambda item: forms.item_type_of(found, item),
    )


@login_required
def edit(request: HttpRequest, pk: int, tool: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    form = forms.ToolEditForm(
        request.POST or None,
        initial={
            "title": found.title,
            "subject": found.subject,
            "include_in_storyboard": found.include_in_storyboard,
            "version": found.version,
        },
        **guard_kwargs(project),
    )
    latest = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        attempt = attempt_edit(
            form,
            lambda: services.edit_tool(
                found,
                title=data["title"],
                subject=data["subject"],
                include_in_storyboard=data["include_in_storyboard"],
                expected_version=data["version"],
                by=request.user,
            ),
            reload=lambda: _tool(project, tool),
        )
        latest = attempt.latest
        if attempt.saved:
            record_confirmation(form, by=request.user, project=project, instance=found)
            messages.success(request, f"‘{found.title}’ saved.")
            return _detail(found)
    return _render(request, "edit.jinja", project, level, form=form, tool=found, latest=latest)


@login_required
def delete(request: HttpRequest, pk: int, tool: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    if not presenters.may_delete(found, request.user, level):
        raise PermissionDenied("Only the person who started this tool or the project lead can delete it.")
    if request.method == "POST":
        title = found.title
        services.delete_tool(found, by=request.user)
        messages.success(request, f"‘{title}’ deleted.")
        return redirect("tools:project_tools", pk=project.pk)
    return _render(request, "delete.jinja", project, level, tool=found)


def _item_form(kind_name: str, tool: Tool) -> tuple[ItemKind | None, type[forms._ItemForm]]:
    entry = forms.ITEM_FORMS.get(kind_name)
    if entry is None or entry[0] != tool.kind:
        raise Http404("Not found")
    return entry[1], entry[2]


@login_required
def item_add(request: HttpRequest, pk: int, tool: int, item_type: str) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    item_kind, form_class = _item_form(item_type, found)
    initial: dict[str, Any] = {"version": found.version}
    if "parent" in request.GET:
        initial["parent"] = request.GET["parent"]
    form = form_class(request.POST or None, tool=found, initial=initial, **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        values = form.values()
        kind = values.pop("kind", None) or item_kind
        attempt = attempt_edit(
            form,
            lambda: services.add_item(
                found,
                kind=str(kind),
                values=values,
                expected_version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=lambda: _tool(project, tool),
        )
        if attempt.saved and attempt.result is not None:
            record_confirmation(form, by=request.user, project=project, instance=attempt.result)
            messages.success(request, f"‘{attempt.result.text}’ added.")
            return _detail(found, f"item-{attempt.result.pk}")
    return _render(
        request, "item_form.jinja", project, level, form=form, tool=found, item=None, item_type=item_type
    )


@login_required
def item_edit(request: HttpRequest, pk: int, tool: int, item: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    thing = _item(found, item)
    item_type = forms.item_type_of(found, thing)
    _kind, form_class = _item_form(item_type, found)
    form = form_class(
        request.POST or None,
        tool=found,
        item=thing,
        initial=forms.initial_of(form_class, thing, found),
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        attempt = attempt_edit(
            form,
            lambda: services.edit_item(
                thing, values=form.values(), expected_version=form.cleaned_data["version"], by=request.user
            ),
            reload=lambda: _tool(project, tool),
        )
        if attempt.saved:
            record_confirmation(form, by=request.user, project=project, instance=thing)
            messages.success(request, f"‘{thing.text}’ saved.")
            return _detail(found, f"item-{thing.pk}")
    return _render(
        request, "item_form.jinja", project, level, form=form, tool=found, item=thing, item_type=item_type
    )


@login_required
def item_remove(request: HttpRequest, pk: int, tool: int, item: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    thing = _item(found, item)
    if request.method == "POST":
        try:
            services.remove_item(thing, expected_version=_version_from(request), by=request.user)
        except EditConflict:
            messages.error(
                request,
                "Someone else changed this tool while you were looking at it. Check it, then try again.",
            )
            return _detail(found)
        messages.success(request, f"‘{thing.text}’ removed.")
        return _detail(found)
    below = len(forms.descendants(thing))
    return _render(request, "item_remove.jinja", project, level, tool=found, item=thing, below=below)


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int, tool: int, item: int) -> HttpResponse:
    project, _level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    thing = _item(found, item)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404("Not found")
    try:
        services.move_item(
            thing, direction=direction, expected_version=_version_from(request), by=request.user
        )
    except EditConflict:
        messages.error(
            request, "Someone else changed this tool while you were looking at it. Check it, then try again."
        )
    return _detail(found, f"item-{thing.pk}")


@login_required
@require_POST
def seed_driver(request: HttpRequest, pk: int, tool: int, item: int) -> HttpResponse:
    project, _level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    theme = _item(found, item)
    if found.kind != ToolKind.AFFINITY or theme.kind != ItemKind.THEME or theme.driver_id:
        raise Http404("Not found")
    try:
        driver = services.seed_primary_driver(theme, expected_version=_version_from(request), by=request.user)
    except EditConflict:
        messages.error(
            request, "Someone else changed this tool while you were looking at it. Check it, then try again."
        )
        return _detail(found)
    messages.success(request, f"‘{driver.title}’ is now a primary driver of the driver diagram.")
    return _detail(found, f"item-{theme.pk}")


@login_required
def notes_add(request: HttpRequest, pk: int, tool: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    if found.kind != ToolKind.AFFINITY:
        raise Http404("Not found")
    form = forms.AffinityNotesForm(
        request.POST or None, initial={"version": found.version}, **guard_kwargs(project)
    )
    if request.method == "POST" and form.is_valid():
        attempt = attempt_edit(
            form,
            lambda: services.add_notes(
                found, form.lines(), expected_version=form.cleaned_data["version"], by=request.user
            ),
            reload=lambda: _tool(project, tool),
        )
        if attempt.saved:
            record_confirmation(form, by=request.user, project=project, instance=found)
            messages.success(request, f"{attempt.result} notes added. Group them into themes.")
            return _detail(found)
    return _render(request, "notes.jinja", project, level, form=form, tool=found)


@login_required
def counts_upload(request: HttpRequest, pk: int, tool: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    if found.kind != ToolKind.PARETO:
        raise Http404("Not found")
    form = forms.CountsUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": found.version},
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = importing.read_counts(upload.name or "", upload.read())
        except UploadError as problem:
            form.add_error("file", problem.message)
        else:
            attempt = attempt_edit(
                form,
                lambda: services.set_counts(
                    found,
                    rows,
                    replace=form.cleaned_data["replace"],
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                ),
                reload=lambda: _tool(project, tool),
            )
            if attempt.saved:
                record_confirmation(form, by=request.user, project=project, instance=found)
                messages.success(request, f"{attempt.result} counts imported.")
                return _detail(found)
    return _render(request, "upload.jinja", project, level, form=form, tool=found)


@login_required
def print_view(request: HttpRequest, pk: int, tool: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    found = _tool(project, tool)
    return _render(request, "print.jinja", project, level, view=presenters.view_of(found), tool=found)


@login_required
def export(request: HttpRequest, pk: int, tool: int, fmt: str) -> HttpResponse:
    project, _level = project_for(request, pk, Level.VIEW)
    found = _tool(project, tool)
    if fmt not in FORMATS:
        raise Http404("Not found")
    view = presenters.view_of(found)
    body = {"svg": exports.svg_file, "png": exports.png_file, "pdf": exports.pdf_file}[fmt](view)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(found, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def history(request: HttpRequest, pk: int, tool: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    found = _tool(project, tool)
    return _render(request, "history.jinja", project, level, tool=found, versions=presenters.history(found))


@login_required
@require_POST
def link(request: HttpRequest, pk: int, tool: int) -> HttpResponse:
    project, _level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    form = forms.LinkForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, "Select one PDSA cycle or one story entry to link.")
        return _detail(found, "links")
    with suppress(IntegrityError):  # linked twice at the same moment: once is enough
        services.link(
            found, cycle=form.cleaned_data["cycle"], entry=form.cleaned_data["story_entry"], by=request.user
        )
    messages.success(request, "Linked.")
    return _detail(found, "links")


@login_required
@require_POST
def unlink(request: HttpRequest, pk: int, tool: int, link: int) -> HttpResponse:
    project, _level = project_for(request, pk, Level.EDIT)
    found = _tool(project, tool)
    services.unlink(get_object_or_404(found.links, pk=link), by=request.user)
    messages.success(request, "Link removed.")
    return _detail(found, "links")


@login_required
@require_POST
def cycle_link(request: HttpRequest, pk: int, cycle: int) -> HttpResponse:
    project, _level = project_for(request, pk, Level.EDIT)
    the_cycle = get_object_or_404(project.pdsa_cycles, pk=cycle)
    form = forms.CycleLinkForm(request.POST, project=project)
    if form.is_valid():
        with suppress(IntegrityError):  # linked twice at the same moment: once is enough
            services.link(form.cleaned_data["tool"], cycle=the_cycle, by=request.user)
        messages.success(request, f"‘{form.cleaned_data['tool'].title}’ linked to this cycle.")
    else:
        messages.error(request, "Select one of the project’s tools to link.")
    return redirect("projects:pdsa_detail", pk=project.pk, cycle_pk=the_cycle.pk)


@login_required
@require_POST
def cycle_unlink(request: HttpRequest, pk: int, cycle: int, link: int) -> HttpResponse:
    project, _level = project_for(request, pk, Level.EDIT)
    the_cycle = get_object_or_404(project.pdsa_cycles, pk=cycle)
    services.unlink(
        get_object_or_404(the_cycle.tool_links.filter(tool__project=project), pk=link), by=request.user
    )
    messages.success(request, "Tool unlinked from this cycle.")
    return redirect("projects:pdsa_detail", pk=project.pk, cycle_pk=the_cycle.pk)
