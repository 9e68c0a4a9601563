"""Story log views: the log with its category filter, add, edit, delete (confirmation page, then POST) and
attachment downloads. Every view loads the project with access.project_for and the entry through the
project, so nothing outside the person's projects can be reached by changing a number in the URL."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from openqi.core.concurrency import attempt_edit
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, project_for
from openqi.projects.forms.story import StoryEntryForm
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import Project, StoryAttachment, StoryCategory, StoryEntry
from openqi.projects.presenters.nav import project_context
from openqi.projects.presenters.story import StoryEntryCard, category_options, may_change
from openqi.projects.services import story as services


def _entry_or_404(project: Project, entry_pk: int) -> StoryEntry:
    entry = project.story_entries.select_related("author").filter(pk=entry_pk).first()
    if entry is None:
        raise Http404("Not found")
    return entry


def _story_url(project: Project, entry: StoryEntry | None = None) -> str:
    url = reverse("projects:story", kwargs={"pk": project.pk})
    return f"{url}#entry-{entry.pk}" if entry is not None else url


def _change_from(form: StoryEntryForm) -> services.EntryChange:
    data = form.cleaned_data
    return services.EntryChange(
        occurred_on=data["occurred_on"],
        category=data["category"],
        title=data["title"],
        text=data["text"],
        add=data.get("attachments") or [],
        remove=data.get("remove_attachments") or [],
    )


@login_required
def story(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    category = request.GET.get("category", "")
    if category not in StoryCategory.values:
        category = ""
    entries = project.story_entries.select_related("author").prefetch_related("attachments")
    if category:
        entries = entries.filter(category=category)
    cards = [StoryEntryCard.of(e, request.user, level) for e in entries]
    return render(
        request,
        "projects/story/list.jinja",
        project_context(
            project,
            level,
            "story",
            entries=cards,
            category_options=category_options(category),
            category=category,
            category_label=StoryCategory(category).label if category else "",
            can_add=level >= Level.EDIT,
        ),
    )


@login_required
def add(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    form = StoryEntryForm(
        request.POST or None,
        request.FILES or None,
        initial={"category": StoryCategory.MEETING, "occurred_on": timezone.localdate()},
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        entry = services.add_entry(project, _change_from(form), by=request.user)
        record_confirmation(form, by=request.user, project=project, instance=entry)
        messages.success(request, f"Story entry ‘{entry.title}’ added.")
        return redirect(_story_url(project, entry))
    return render(
        request,
        "projects/story/form.jinja",
        project_context(project, level, "story", form=form, entry=None, latest=None),
    )


@login_required
def edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    entry = _entry_or_404(project, entry_pk)
    if not may_change(entry, request.user, level):
        raise PermissionDenied("Only the author or the project lead can change this entry.")
    existing = list(entry.attachments.all())
    initial: dict[str, Any] = {
        "occurred_on": entry.occurred_on,
        "category": entry.category,
        "title": entry.title,
        "text": entry.text,
        "version": entry.version,
    }
    form = StoryEntryForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        existing=existing,
        versioned=True,
        **guard_kwargs(project),
    )
    latest: StoryEntryCard | None = None
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: services.edit_entry(
                entry, _change_from(form), expected_version=form.cleaned_data["version"], by=request.user
            ),
            reload=lambda: _entry_or_404(project, entry_pk),
        )
        if edit.latest is not None:
            # Show what the other person saved next to the person's own (kept) text.
            entry = edit.latest
            latest = StoryEntryCard.of(entry, request.user, level)
        if edit.saved:
            record_confirmation(form, by=request.user, project=project, instance=entry)
            messages.success(request, f"Story entry ‘{entry.title}’ saved.")
            return redirect(_story_url(project, entry))
    return render(
        request,
        "projects/story/form.jinja",
        project_context(project, level, "story", form=form, entry=entry, latest=latest),
    )


@login_required
def delete(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    entry = _entry_or_404(project, entry_pk)
    if not may_change(entry, request.user, level):
        raise PermissionDenied("Only the author or the project lead can delete this entry.")
    if request.method == "POST":
        title = entry.title
        services.delete_entry(entry, by=request.user)
        messages.success(request, f"Story entry ‘{title}’ deleted.")
        return redirect(_story_url(project))
    return render(
        request,
        "projects/story/delete.jinja",
        project_context(
            project,
            level,
            "story",
            entry=StoryEntryCard.of(entry, request.user, level),
            attachment_count=entry.attachments.count(),
        ),
    )


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    project, _level = project_for(request, pk, Level.VIEW)
    found: StoryAttachment = scope_for(request.user).get_or_404(
        StoryAttachment, pk=attachment_pk, entry__project=project
    )
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Not found") from exc
    # Always a download, with the type we checked on upload: a file can never be shown as a page here.
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
