"""The story log: entries as the log shows them to anyone who may read the project, and new entries by the
team (the story form's checks, the personal-data guard included, and the story service, which audits)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from openqi.api.base import Out
from openqi.api.common import (
    BODY,
    Choice,
    PersonRef,
    form_problem,
    page_url,
    person_ref,
    project_or_404,
    responses,
)
from openqi.api.pagination import PageParams, paginate
from openqi.projects.access import Level
from openqi.projects.forms.story import StoryEntryForm
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import StoryCategory, StoryEntry
from openqi.projects.presenters.story import may_change
from openqi.projects.services import story as services
from openqi.projects.text import format_text

router = Router(tags=["Story log"])


class AttachmentOut(Out):
    name: str
    size: int
    page_url: str = Field(description="Download it from OpenQI (signed in).")


class StoryEntryOut(Out):
    id: int
    occurred_on: dt.date
    category: Choice
    title: str
    text: str = Field(description="As written (Markdown).")
    html: str = Field(description="As the story log shows it: formatted and sanitised.")
    author: PersonRef | None
    attachments: list[AttachmentOut]
    created_at: dt.datetime
    version: int
    you_may_change: bool = Field(description="The author or the project lead may edit or delete it.")


class StoryPage(Out):
    count: int
    next: str | None
    previous: str | None
    items: list[StoryEntryOut]


class StoryEntryIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "occurred_on": "2025-02-03",
                    "category": "learning",
                    "title": "Reminder calls help",
                    "text": "Calls the day before a session halved the number of missed sessions.",
                }
            ]
        }
    )

    occurred_on: dt.date = Field(description="When it happened: today or earlier.")
    category: StoryCategory
    title: str = Field(max_length=200)
    text: str = Field(max_length=20_000, description="Markdown: **bold**, lists and links.")
    confirm_no_personal_data: bool = Field(
        False, description="Send true after checking text the personal-data guard flagged identifies nobody."
    )


def entry_out(request: HttpRequest, entry: StoryEntry, level: Level) -> StoryEntryOut:
    return StoryEntryOut(
        id=entry.pk,
        occurred_on=entry.occurred_on,
        category=Choice(code=entry.category, label=entry.get_category_display()),
        title=entry.title,
        text=entry.text,
        html=str(format_text(entry.text)),
        author=person_ref(entry.author),
        attachments=[
            AttachmentOut(
                name=a.original_name,
                size=a.size,
                page_url=page_url(
                    request, "projects:story_attachment", pk=entry.project_id, attachment_pk=a.pk
                ),
            )
            for a in entry.attachments.all()
        ],
        created_at=entry.created_at,
        version=entry.version,
        you_may_change=may_change(entry, request.user, level),
    )


@router.get(
    "/projects/{project_id}/story-entries",
    response=responses({200: StoryPage}, 404, 422),
    url_name="story_entries",
    summary="A project's story log, newest first",
)
def story_entries(
    request: HttpRequest, project_id: int, paging: PageParams, category: StoryCategory | None = None
) -> dict[str, Any]:
    project, level = project_or_404(request, project_id)
    entries = project.story_entries.select_related("author").prefetch_related("attachments")
    if category:
        entries = entries.filter(category=category)
    page = paginate(request, entries, paging)
    return page.out(lambda e: entry_out(request, e, level))


@router.get(
    "/projects/{project_id}/story-entries/{entry_id}",
    response=responses({200: StoryEntryOut}, 404),
    url_name="story_entry",
    summary="One story entry",
)
def story_entry(request: HttpRequest, project_id: int, entry_id: int) -> StoryEntryOut:
    project, level = project_or_404(request, project_id)
    entry = project.story_entries.select_related("author").filter(pk=entry_id).first()
    if entry is None:
        raise Http404("Not found")
    return entry_out(request, entry, level)


@router.post(
    "/projects/{project_id}/story-entries",
    response=responses({201: StoryEntryOut}, *BODY, 403, 404),
    url_name="story_add",
    summary="Add a story entry",
)
def add_story_entry(request: HttpRequest, project_id: int, payload: StoryEntryIn) -> Status[StoryEntryOut]:
    project, level = project_or_404(request, project_id, Level.EDIT)
    form = StoryEntryForm(
        {
            "occurred_on": payload.occurred_on.isoformat(),
            "category": payload.category.value,
            "title": payload.title,
            "text": payload.text,
            **({"confirm_no_personal_data": "on"} if payload.confirm_no_personal_data else {}),
        },
        **guard_kwargs(project),
    )
    if not form.is_valid():
        raise form_problem(form, "The story entry was not saved: see `errors`.")
    data = form.cleaned_data
    entry = services.add_entry(
        project,
        services.EntryChange(
            occurred_on=data["occurred_on"], category=data["category"], title=data["title"], text=data["text"]
        ),
        by=request.user,
    )
    record_confirmation(form, by=request.user, project=project, instance=entry)
    return Status(201, entry_out(request, entry, level))
