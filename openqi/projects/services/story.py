"""Story log operations: add, edit and delete an entry with its attachments, each audited.

Files are written through Django's storage API under a random name (see models.attachment_path); a
removed file is deleted from storage only once the database change has committed, so a rolled-back
delete never leaves an entry pointing at a missing file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.projects.forms.story import AttachmentKind, clean_file_name
from openqi.projects.models import Project, StoryAttachment, StoryEntry

# What the audit trail compares for an entry; attachments are compared as a list of their names.


@dataclass(frozen=True)
class EntryChange:
    """What a person asked for: the entry's fields, files to add (already checked) and files to remove."""

    occurred_on: dt.date
    category: str
    title: str
    text: str
    add: Sequence[tuple[UploadedFile, AttachmentKind]] = ()
    remove: Sequence[int] = ()


def _state(entry: StoryEntry) -> dict[str, Any]:
    state = audit.snapshot(entry, StoryEntry.AUDITED_FIELDS)
    state["attachments"] = sorted(a.original_name for a in entry.attachments.all())
    return state


def _store(entry: StoryEntry, upload: UploadedFile, kind: AttachmentKind) -> StoryAttachment:
    attachment = StoryAttachment(
        entry=entry,
        original_name=clean_file_name(upload.name),
        content_type=kind.content_type,
        size=upload.size or 0,
    )
    upload.seek(0)
    # The name passed here is ignored by upload_to, which picks a random one.
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


def _delete_files_after_commit(names: list[str], storage: Any) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def add_entry(project: Project, change: EntryChange, *, by: Any) -> StoryEntry:
    entry = StoryEntry.objects.create(
        project=project,
        author=by,
        occurred_on=change.occurred_on,
        category=change.category,
        title=change.title,
        text=change.text,
    )
    for upload, kind in change.add:
        _store(entry, upload, kind)
    after = _state(entry)
    audit.record(
        by=by,
        action=AuditEvent.Action.CREATE,
        instance=entry,
        project=project,
        changes=audit.diff({}, {k: v for k, v in after.items() if v not in ("", [], None)}),
    )
    return entry


@transaction.atomic
def edit_entry(entry: StoryEntry, change: EntryChange, *, expected_version: int, by: Any) -> StoryEntry:
    """Save the person's changes, or raise EditConflict (nothing saved) if someone saved in between."""
    before = _state(entry)
    entry.occurred_on = change.occurred_on
    entry.category = change.category
    entry.title = change.title
    entry.text = change.text
    entry.save_versioned(expected_version, update_fields=[*StoryEntry.AUDITED_FIELDS])
    removed = list(entry.attachments.filter(pk__in=list(change.remove)))
    if removed:
        _delete_files_after_commit([a.file.name for a in removed], removed[0].file.storage)
        entry.attachments.filter(pk__in=[a.pk for a in removed]).delete()
    for upload, kind in change.add:
        _store(entry, upload, kind)
    changes = audit.diff(before, _state(entry))
    if changes:
        audit.record(
            by=by, action=AuditEvent.Action.UPDATE, instance=entry, project=entry.project, changes=changes
        )
    return entry


@transaction.atomic
def delete_entry(entry: StoryEntry, *, by: Any) -> None:
    project = entry.project
    before = _state(entry)
    attachments = list(entry.attachments.all())
    if attachments:
        _delete_files_after_commit([a.file.name for a in attachments], attachments[0].file.storage)
    audit.record(
        by=by,
        action=AuditEvent.Action.DELETE,
        instance=entry,
        project=project,
        changes={k: [v, None] for k, v in before.items() if v not in ("", [], None)},
    )
    entry.delete()


def audit_events_for(project: Project) -> QuerySet[AuditEvent]:
    """The project's audit trail, newest first. Call only after access.project_for has checked that the
    person is an ADMIN of the project: audit events are keyed by project id, not scoped by organisation."""
    return (
        AuditEvent.objects.filter(project_id=project.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
