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


def stage_upload(measure: Measure, *, filename: str, content: bytes, by: Any) -> ImportDraft:
    """Keep an upload on the server until the person confirms its preview; old drafts go first."""
    ImportDraft.objects.filter(created_at__lt=timezone.now() - ImportDraft.DRAFT_LIFETIME).delete()
    return ImportDraft.objects.create(
        token=secrets.token_urlsafe(24),
        measure=measure,
        filename=filename[:255],
        content=content,
        created_by=by,
    )


def preview_draft(draft: ImportDraft) -> ImportPreview:
    """The upload parsed row by row, with the personal-data guard's findings in comments as row
    problems: a file is fixed and uploaded again, never confirmed row by row (ADR 0102)."""
    measure = draft.measure
    preview = parse_upload(
        draft.filename,
        bytes(draft.content),
        has_denominator=measure.has_denominator,
        frequency=measure.frequency,
        existing_periods=set(measure.points.values_list("period", flat=True)),
        numerator_may_exceed_denominator=measure.kind == DataKind.RATE,
    )
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
