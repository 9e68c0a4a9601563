"""Importing a file: staged on the server, previewed row by row, then confirmed as a whole."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from openqi.measures.dataio import ImportPreview, parse_upload
from openqi.measures.models import DataKind, ImportDraft, Measure
from openqi.measures.services.data import SaveResult, save_rows
from openqi.privacy import find_personal_data
from openqi.projects.models import Project


class ImportRefused(Exception):
    """The file no longer imports cleanly (the stored data changed since the preview, or it had errors)."""


def delete_expired_drafts() -> int:
    """Remove every draft past its lifetime (on each upload, and by `manage.py delete_import_drafts`)."""
    deleted, _ = ImportDraft.objects.filter(
        created_at__lt=timezone.now() - ImportDraft.DRAFT_LIFETIME
    ).delete()
    return deleted


def stage_upload(measure: Measure, *, filename: str, content: bytes, by: Any) -> ImportDraft:
    """Keep an upload on the server until the person confirms its preview. Expired drafts go first, and
    the person's oldest beyond `ImportDraft.MAX_PER_PERSON`: a preview left unconfirmed is usually a file
    being fixed and uploaded again, and nobody can fill the database with drafts."""
    delete_expired_drafts()
    keep = ImportDraft.MAX_PER_PERSON - 1
    older = (
        ImportDraft.objects.filter(created_by=by).order_by("-created_at", "-pk").values_list("pk", flat=True)
    )
    ImportDraft.objects.filter(pk__in=list(older[keep:])).delete()
    return ImportDraft.objects.create(
        token=secrets.token_urlsafe(24),
        measure=measure,
        filename=filename[:255],
        content=content,
        created_by=by,
    )


def preview_draft(draft: ImportDraft) -> ImportPreview:
    """The upload parsed row by row, with the personal-data guard's findings in comments as row problems."""
    measure = draft.measure
    preview = parse_upload(
        draft.filename,
        bytes(draft.content),
        has_denominator=measure.has_denominator,
        frequency=measure.frequency,
        existing_periods=set(measure.points.values_list("period", flat=True)),
        numerator_may_exceed_denominator=measure.kind == DataKind.RATE,
    )
    return flag_personal_data(preview)


def flag_personal_data(preview: ImportPreview) -> ImportPreview:
    """The personal-data guard's findings in comments, as row problems (for a file and for the API's rows
    alike): the data is fixed and sent again, never confirmed row by row (ADR 0102)."""
    for row in preview.rows:
        if row.comment:
            for finding in find_personal_data(row.comment):
                problem = f"Row {row.row_number}: {finding.message}"
                if problem not in row.errors:
                    row.errors.append(problem)
    return preview


def confirm_import(
    draft: ImportDraft, *, include_updates: bool, by: Any, project: Project | None = None
) -> SaveResult:
    """Import the whole file or nothing. The file is parsed again here, inside the transaction, so the
    decision matches the data as it is now, not as it was when the preview was shown."""
    with transaction.atomic():
        preview = preview_draft(draft)
        if not preview.is_valid:
            raise ImportRefused()
        rows = preview.to_data_rows(include_updates=include_updates)
        result = save_rows(draft.measure, rows, by=by, project=project, source=f"import:{draft.filename}")
        draft.delete()
    return result
