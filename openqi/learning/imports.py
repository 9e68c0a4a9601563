"""Historic training records from a CSV or Excel file: staged, previewed row by row, imported whole or not
at all, as the measures import does it (its file reader and date reader are reused: openqi.measures.dataio).

Columns (the first row names them; order does not matter): email, programme, completed_on, and optionally
cohort, group ("staff" or "service user or carer") and directorate. A record is a completed enrolment in
the named cohort (by default "Records from before OpenQI"), which is made if missing and is never offered
to anyone (`Cohort.is_historic`)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openqi.accounts.models import User
from openqi.core import audit
from openqi.learning.models import (
    Cohort,
    CompletionSource,
    Enrolment,
    EnrolmentStatus,
    Group,
    Programme,
    RecordImportDraft,
)
from openqi.measures.dataio import messages as file_messages
from openqi.measures.dataio.dates import DateProblem, MonthFirst, parse_period_cell
from openqi.measures.dataio.importing import display
from openqi.measures.dataio.reading import Table, UploadError, read_table
from openqi.organisations.models import Directorate, Membership, Organisation

logger = logging.getLogger(__name__)

HISTORIC_COHORT = "Records from before OpenQI"
REQUIRED = ("email", "programme", "completed_on")
OPTIONAL = ("cohort", "group", "directorate")
_ALIASES = {
    "e-mail": "email",
    "e-mail address": "email",
    "email address": "email",
    "course": "programme",
    "program": "programme",
    "completed": "completed_on",
    "completed on": "completed_on",
    "date completed": "completed_on",
    "wave": "cohort",
}
_GROUPS = {
    "staff": Group.STAFF,
    "service user or carer": Group.PARTNER,
    "service user": Group.PARTNER,
    "carer": Group.PARTNER,
    "partner": Group.PARTNER,
}


@dataclass
class RecordRow:
    row_number: int
    source: dict[str, str]
    user: User | None = None
    programme: Programme | None = None
    cohort_name: str = HISTORIC_COHORT
    completed_on: date | None = None
    group: str = Group.STAFF
    directorate: Directorate | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class RecordPreview:
    rows: list[RecordRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(r.is_valid for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if not r.is_valid)

    def error_messages(self) -> list[str]:
        return [*self.file_errors, *(m for r in self.rows for m in r.errors)]


def _role(cell: Any) -> str | None:
    name = " ".join(display(cell).strip().lower().replace("_", " ").split())
    name = _ALIASES.get(name, name).replace(" ", "_")
    return name if name in REQUIRED + OPTIONAL else None


def _columns(table: Table) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, cell in enumerate(table.header):
        role = _role(cell)
        if role is not None and role not in index:
            index[role] = position
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        raise UploadError(
            "The first row must name the columns email, programme and completed_on "
            f"(and optionally cohort, group, directorate). Missing: {', '.join(missing)}."
        )
    return index


def preview_records(organisation: Organisation, filename: str, content: bytes) -> RecordPreview:
    """Every row checked against the organisation (people, programmes, directorates, records already
    held) with a fixed number of queries; problems never raise."""
    try:
        table = read_table(filename, content)
        columns = _columns(table)
    except UploadError as error:
        return RecordPreview(file_errors=[error.message])
    except Exception:
        logger.exception("unexpected error reading training records %r", filename)
        return RecordPreview(file_errors=[file_messages.UNEXPECTED])
    if not table.rows:
        return RecordPreview(file_errors=[file_messages.NO_ROWS])
    cells = [
        (number, {role: display(row[i]).strip() if i < len(row) else "" for role, i in columns.items()})
        for number, row in table.rows
    ]
    raw_dates = {
        number: row[columns["completed_on"]] if columns["completed_on"] < len(row) else None
        for number, row in table.rows
    }
    emails = {c["email"].lower() for _n, c in cells if c.get("email")}
    members = {
        m.user.email: m.user
        for m in Membership.objects.filter(organisation=organisation, user__email__in=emails).select_related(
            "user"
        )
    }
    programmes = {p.name.lower(): p for p in Programme.objects.filter(organisation=organisation)}
    programmes.update({p.short_name.lower(): p for p in programmes.values() if p.short_name})
    directorates = {d.name.lower(): d for d in Directorate.objects.filter(organisation=organisation)}
    held = set(
        Enrolment.objects.filter(
            cohort__programme__organisation=organisation, user__email__in=emails
        ).values_list("user__email", "cohort__programme_id", "cohort__name")
    )
    seen: dict[tuple[str, int, str], int] = {}
    rows = []
    for number, source in cells:
        row = _row(number, source, raw_dates[number], members, programmes, directorates)
        if row.user and row.programme and not row.errors:
            key = (row.user.email, row.programme.pk, row.cohort_name)
            if key in held:
                row.errors.append(
                    f"Row {number}: {row.user.email} already has a record of {row.programme.name} "
                    f"({row.cohort_name}). Remove the row."
                )
            elif key in seen:
                row.errors.append(f"Row {number}: the same record as row {seen[key]}. Remove one of them.")
            else:
                seen[key] = number
        rows.append(row)
    return RecordPreview(rows=rows)


def _row(
    number: int,
    source: dict[str, str],
    raw_date: Any,
    members: dict[str, User],
    programmes: dict[str, Programme],
    directorates: dict[str, Directorate],
) -> RecordRow:
    row = RecordRow(row_number=number, source=source)
    email = source.get("email", "").lower()
    if not email:
        row.errors.append(f"Row {number}: enter the person's e-mail address.")
    else:
        row.user = members.get(email)
        if row.user is None:
            row.errors.append(
                f"Row {number}: nobody in the organisation has the e-mail address {email}. "
                "Invite them first, or correct the address."
            )
    name = source.get("programme", "")
    row.programme = programmes.get(name.lower())
    if row.programme is None:
        row.errors.append(
            f"Row {number}: there is no programme called ‘{name[:60]}’. Use a name from the Learning page."
            if name
            else f"Row {number}: enter the programme."
        )
    parsed = parse_period_cell(raw_date)
    if isinstance(parsed, (DateProblem, MonthFirst)) or parsed.month_only:
        shown = source.get("completed_on", "")
        row.errors.append(
            f"Row {number}: enter the date completed as a real date, for example 17/03/2025"
            + (f" (not ‘{shown[:40]}’)." if shown else ".")
        )
    elif parsed.day > timezone.localdate():
        row.errors.append(f"Row {number}: the date completed must be today or in the past.")
    else:
        row.completed_on = parsed.day
    row.cohort_name = (source.get("cohort") or HISTORIC_COHORT)[:120]
    group = source.get("group", "").lower()
    if group:
        if group not in _GROUPS:
            row.errors.append(f"Row {number}: group must be ‘staff’ or ‘service user or carer’.")
        else:
            row.group = _GROUPS[group]
    directorate = source.get("directorate", "")
    if directorate:
        row.directorate = directorates.get(directorate.lower())
        if row.directorate is None:
            row.errors.append(f"Row {number}: there is no directorate called ‘{directorate[:60]}’.")
    return row


# --- staging and confirming ----------------------------------------------------------------------------


class ImportRefused(Exception):
    """The file no longer imports cleanly."""


def stage(organisation: Organisation, *, filename: str, content: bytes, by: Any) -> RecordImportDraft:
    RecordImportDraft.objects.filter(
        created_at__lt=timezone.now() - RecordImportDraft.DRAFT_LIFETIME
    ).delete()
    older = (
        RecordImportDraft.objects.filter(created_by=by)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    RecordImportDraft.objects.filter(pk__in=list(older[2:])).delete()
    return RecordImportDraft.objects.create(
        token=secrets.token_urlsafe(24),
        organisation=organisation,
        filename=filename[:255],
        content=content,
        created_by=by,
    )


def confirm(draft: RecordImportDraft, *, by: Any) -> int:
    """Import every row or none: the file is checked again inside the transaction."""
    with transaction.atomic():
        preview = preview_records(draft.organisation, draft.filename, bytes(draft.content))
        if not preview.is_valid:
            raise ImportRefused()
        count = save_records(preview.rows)
        audit.record(
            by=by,
            action="create",
            instance=draft,
            organisation=draft.organisation,
            changes={"training records imported": [None, count], "file": [None, draft.filename]},
        )
        draft.delete()
    return count


def save_records(rows: list[RecordRow]) -> int:
    cohorts: dict[tuple[int, str], Cohort] = {}
    for row in rows:
        assert row.programme is not None
        key = (row.programme.pk, row.cohort_name)
        if key not in cohorts:
            cohorts[key], _ = Cohort.objects.get_or_create(
                programme=row.programme,
                name=row.cohort_name,
                defaults={"is_historic": True, "self_enrolment": False, "capacity": 0},
            )
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                cohort=cohorts[(row.programme.pk, row.cohort_name)],  # type: ignore[union-attr]
                user=row.user,
                status=EnrolmentStatus.ENROLLED,
                group=row.group,
                directorate=row.directorate,
                requested_at=now,
                decided_at=now,
                completed_on=row.completed_on,
                completion_source=CompletionSource.RECORD,
            )
            for row in rows
        ],
        batch_size=500,
    )
    return len(rows)
