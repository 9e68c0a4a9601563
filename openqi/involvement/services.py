"""Involvement operations: logging time and claiming payment, deciding claims, the organisation's payment
bands, the partner onboarding checklist and co-production reflections. Each writes its audit record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from openqi.core import audit
from openqi.involvement.models import (
    ClaimStatus,
    CoproductionReflection,
    InvolvementEntry,
    PartnerOnboarding,
    PaymentSettings,
    week_of,
)
from openqi.organisations.models import Organisation
from openqi.projects.models import Project, TeamRole


class ClaimError(Exception):
    """A claim cannot be changed this way (already decided, or the person's own)."""


def payment_settings_for(organisation: Organisation) -> PaymentSettings:
    """The organisation's bands and limits; the defaults until its QI team changes them."""
    found, _created = PaymentSettings.objects.get_or_create(organisation=organisation)
    return found


@dataclass(frozen=True)
class WeekTotals:
    monday: dt.date
    amount: Decimal
    minutes: int


def week_totals(
    partner: Any, organisation: Organisation, day: dt.date, *, exclude: int | None = None
) -> WeekTotals:
    """What a partner has claimed in the organisation in the week of `day`, across all its projects:
    benefit rules count a person's earnings and hours per week, whichever project they came from."""
    monday, sunday = week_of(day)
    claims = InvolvementEntry.objects.filter(
        partner=partner,
        project__organisation=organisation,
        occurred_on__range=(monday, sunday),
    ).exclude(status=ClaimStatus.NOT_CLAIMED)
    if exclude is not None:
        claims = claims.exclude(pk=exclude)
    totals = claims.aggregate(amount=Sum("amount"), minutes=Sum("minutes"))
    return WeekTotals(monday, totals["amount"] or Decimal("0.00"), totals["minutes"] or 0)


def hours_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not rest:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".") + " hours"


def limit_warnings(rates: PaymentSettings, before: WeekTotals, amount: Decimal, minutes: int) -> list[str]:
    """Sentences saying which weekly limit this claim would take the partner past, before it is made."""
    warnings = []
    week = f"the week starting {before.monday.day} {before.monday:%B %Y}"
    if before.amount + amount > rates.weekly_amount_limit:
        warnings.append(
            f"This claim would take payments in {week} to £{before.amount + amount:.2f}, over the weekly "
            f"limit of £{rates.weekly_amount_limit:.2f} (£{before.amount:.2f} claimed already)."
        )
    if before.minutes + minutes > rates.weekly_minutes_limit:
        warnings.append(
            f"This claim would take involvement in {week} to {hours_text(before.minutes + minutes)}, over "
            f"the weekly limit of {hours_text(rates.weekly_minutes_limit)} "
            f"({hours_text(before.minutes)} claimed already)."
        )
    return warnings


def first_sponsor(project: Project) -> Any:
    """Who a claim goes to: the project's sponsor (the QI team admins see and decide it too)."""
    member = (
        project.team.filter(role=TeamRole.SPONSOR, left_on__isnull=True)
        .select_related("user")
        .order_by("joined_on", "id")
        .first()
    )
    return member.user if member else None


@dataclass(frozen=True)
class Proposed:
    """An entry before it is logged: what it would pay and which limits it would pass."""

    amount: Decimal
    warnings: list[str]


def propose(
    project: Project,
    *,
    partner: Any,
    occurred_on: dt.date,
    minutes: int,
    claim: bool,
    exclude: int | None = None,
) -> Proposed:
    if not claim:
        return Proposed(Decimal("0.00"), [])
    rates = payment_settings_for(project.organisation)
    amount = rates.amount_for(minutes)
    before = week_totals(partner, project.organisation, occurred_on, exclude=exclude)
    return Proposed(amount, limit_warnings(rates, before, amount, minutes))


@transaction.atomic
def log_involvement(
    project: Project,
    *,
    partner: Any,
    occurred_on: dt.date,
    activity: str,
    minutes: int,
    note: str = "",
    claim: bool = True,
    meeting: Any = None,
    by: Any,
) -> InvolvementEntry:
    """Record a partner's time; with `claim`, it is also a payment claim sent to the project's sponsor.
    The amount is fixed now, from the organisation's bands."""
    proposed = propose(project, partner=partner, occurred_on=occurred_on, minutes=minutes, claim=claim)
    entry = InvolvementEntry.objects.create(
        project=project,
        partner=partner,
        occurred_on=occurred_on,
        activity=activity,
        minutes=minutes,
        note=note.strip(),
        meeting=meeting,
        status=ClaimStatus.PENDING if claim else ClaimStatus.NOT_CLAIMED,
        amount=proposed.amount,
        approver=first_sponsor(project) if claim else None,
        logged_by=by,
    )
    audit.record(
        by=by,
        action="create",
        instance=entry,
        project=project,
        changes={
            "partner": [None, partner.display_name],
            "minutes": [None, minutes],
            "status": [None, entry.status],
            "amount": [None, str(entry.amount)],
        },
    )
    return entry


@transaction.atomic
def decide(entry: InvolvementEntry, *, approve: bool, query: str = "", by: Any) -> InvolvementEntry:
    """The approver approves a claim, or queries it with a question for the partner."""
    if entry.partner_id == getattr(by, "pk", None):
        raise ClaimError("You cannot decide your own claim.")
    current = InvolvementEntry.objects.select_for_update().get(pk=entry.pk)
    if current.status != ClaimStatus.PENDING:
        raise ClaimError(
            f"This claim has already been decided: it is {current.get_status_display().lower()}."
        )
    before = current.status
    current.status = ClaimStatus.APPROVED if approve else ClaimStatus.QUERIED
    current.query = "" if approve else query.strip()
    current.decided_by = by
    current.decided_at = timezone.now()
    current.version += 1
    current.save()
    audit.record(
        by=by,
        action="update",
        instance=current,
        project=current.project,
        changes={"status": [before, current.status]}
        | ({"query": [None, current.query]} if not approve else {}),
    )
    return current


@transaction.atomic
def resubmit(
    entry: InvolvementEntry,
    *,
    occurred_on: dt.date,
    activity: str,
    minutes: int,
    note: str,
    expected_version: int,
    by: Any,
) -> InvolvementEntry:
    """The partner answers a query: the corrected claim goes back to the approver, its amount re-banded."""
    if entry.status != ClaimStatus.QUERIED:
        raise ClaimError("Only a queried claim can be changed and sent again.")
    fields = ("occurred_on", "activity", "minutes", "note", "status", "amount")
    before = audit.snapshot(entry, fields)
    entry.occurred_on = occurred_on
    entry.activity = activity
    entry.minutes = minutes
    entry.note = note.strip()
    entry.status = ClaimStatus.PENDING
    entry.amount = payment_settings_for(entry.project.organisation).amount_for(minutes)
    entry.save_versioned(expected_version)
    audit.record(
        by=by,
        action="update",
        instance=entry,
        project=entry.project,
        changes=audit.diff(before, audit.snapshot(entry, fields)),
    )
    return entry


def _save_fields(
    instance: Any,
    values: Mapping[str, Any],
    fields: tuple[str, ...],
    *,
    expected_version: int | None,
    by: Any,
    project: Any = None,
    organisation: Any = None,
) -> None:
    """Create or update `instance` with `values` under optimistic locking, auditing what changed."""
    creating = instance.pk is None
    before = {} if creating else audit.snapshot(instance, fields)
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    if creating:
        instance.save()
    else:
        instance.save_versioned(expected_version if expected_version is not None else instance.version)
    audit.record(
        by=by,
        action="create" if creating else "update",
        instance=instance,
        project=project,
        organisation=organisation,
        changes=audit.diff(before, audit.snapshot(instance, fields)),
    )


@transaction.atomic
def save_payment_settings(
    rates: PaymentSettings, values: Mapping[str, Any], *, expected_version: int, by: Any
) -> PaymentSettings:
    _save_fields(
        rates,
        values,
        PaymentSettings.AUDITED_FIELDS,
        expected_version=expected_version,
        by=by,
        organisation=rates.organisation,
    )
    return rates


def onboarding_for(project: Project, partner: Any) -> PartnerOnboarding:
    """The partner's checklist on the project (an unsaved empty one until someone ticks something)."""
    found = project.partner_onboardings.filter(partner=partner).first()
    return found or PartnerOnboarding(project=project, partner=partner)


@transaction.atomic
def save_onboarding(
    checklist: PartnerOnboarding, values: Mapping[str, Any], *, expected_version: int | None, by: Any
) -> PartnerOnboarding:
    _save_fields(
        checklist,
        values,
        PartnerOnboarding.AUDITED_FIELDS,
        expected_version=expected_version,
        by=by,
        project=checklist.project,
    )
    return checklist


@transaction.atomic
def save_reflection(
    reflection: CoproductionReflection, values: Mapping[str, Any], *, expected_version: int | None, by: Any
) -> CoproductionReflection:
    if reflection.pk is None:
        reflection.recorded_by = by
    _save_fields(
        reflection,
        values,
        CoproductionReflection.AUDITED_FIELDS,
        expected_version=expected_version,
        by=by,
        project=reflection.project,
    )
    return reflection
