"""Co-production records: a partner's onboarding checklist, involvement entries and the payment claims
they make, the organisation's payment bands and weekly limits, and the team's co-production reflections.

Payment records (entries with a claim) are personal: only the partner, the claim's approver and the
organisation's QI team admins see them (`openqi.involvement.access`). No bank details are stored here:
they go on the organisation's own payment form.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from openqi.core.concurrency import VersionedModel
from openqi.organisations.models import Organisation
from openqi.projects.models import Project


class PaymentSettings(VersionedModel):
    """An organisation's payment bands and weekly limits. They change (benefit rules, the trust's own
    rates), so the QI team admin edits them; the defaults are a common NHS trust's."""

    organisation_path: ClassVar[str] = "organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = (
        "long_session_minutes",
        "short_session_amount",
        "long_session_amount",
        "weekly_amount_limit",
        "weekly_minutes_limit",
    )

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="payment_settings"
    )
    long_session_minutes = models.PositiveIntegerField(
        "A long session is at least (minutes)", default=120, validators=[MinValueValidator(1)]
    )
    short_session_amount = models.DecimalField(
        "Payment for a shorter session (£)", max_digits=7, decimal_places=2, default=Decimal("10.00")
    )
    long_session_amount = models.DecimalField(
        "Payment for a long session (£)", max_digits=7, decimal_places=2, default=Decimal("20.00")
    )
    weekly_amount_limit = models.DecimalField(
        "Weekly payment limit (£)", max_digits=7, decimal_places=2, default=Decimal("104.00")
    )
    weekly_minutes_limit = models.PositiveIntegerField("Weekly hours limit (in minutes)", default=15 * 60)

    def __str__(self) -> str:
        return f"Payment bands of {self.organisation}"

    def amount_for(self, minutes: int) -> Decimal:
        """The band a session of `minutes` falls in: a fixed amount per session, not per hour."""
        return self.long_session_amount if minutes >= self.long_session_minutes else self.short_session_amount


class Activity(models.TextChoices):
    MEETING = "meeting", "Meeting"
    PREPARATION = "preparation", "Preparation"
    TRAINING = "training", "Training"
    EVENT = "event", "Event"


class ClaimStatus(models.TextChoices):
    NOT_CLAIMED = "not_claimed", "Not claimed"
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    QUERIED = "queried", "Queried"


class InvolvementEntry(VersionedModel):
    """Time a partner gave to a project. With a claim, it is also a payment request to the approver (the
    amount is set from the organisation's bands when the claim is made, so a later change of rates does
    not change what was claimed)."""

    organisation_path: ClassVar[str] = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="involvement_entries")
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="involvement_entries"
    )
    occurred_on = models.DateField("Date")
    activity = models.CharField(max_length=16, choices=Activity.choices)
    minutes = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(24 * 60)])
    note = models.CharField(max_length=300, blank=True)
    # The team meeting the time was for, when there was one (the meetings app's record of it).
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="involvement_entries",
    )
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    amount = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0.00"))
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    query = models.CharField("Question for the partner", max_length=500, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["partner", "occurred_on"]),
            models.Index(fields=["approver", "status"]),
        ]
        verbose_name_plural = "involvement entries"

    def __str__(self) -> str:
        return f"{self.get_activity_display()} on {self.occurred_on} ({self.minutes} minutes)"

    @property
    def is_claim(self) -> bool:
        return self.status != ClaimStatus.NOT_CLAIMED


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday-to-Sunday week a day falls in: the week benefit rules count earnings and hours by."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


class OnboardingItem(models.TextChoices):
    CONTACT_METHOD = "contact_method_agreed", "Contact method agreed"
    MEETING_ACCESS = "meeting_access_tested", "Meeting access tested"
    PAPERS_ACCESS = "papers_access_tested", "Papers access tested"
    TRAINING = "training_offered", "Introduction to QI training offered"
    PAYMENT = "payment_explained", "Payment arrangement explained"


class PartnerOnboarding(VersionedModel):
    """The checklist that gets a partner without an NHS account able to take part before the work
    starts: each item ticked by the lead or coach, and a named contact in the team."""

    organisation_path: ClassVar[str] = "project__organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = (*OnboardingItem.values, "named_contact")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partner_onboardings")
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    contact_method_agreed = models.BooleanField(default=False)
    meeting_access_tested = models.BooleanField(default=False)
    papers_access_tested = models.BooleanField(default=False)
    training_offered = models.BooleanField(default=False)
    payment_explained = models.BooleanField(default=False)
    named_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "partner"], name="onboarding_one_per_partner")
        ]

    def __str__(self) -> str:
        return f"Onboarding of a partner on {self.project}"

    @property
    def done(self) -> int:
        return sum(bool(getattr(self, item)) for item in OnboardingItem.values) + int(
            self.named_contact_id is not None
        )

    TOTAL: ClassVar[int] = len(OnboardingItem.values) + 1

    @property
    def complete(self) -> bool:
        return self.done == self.TOTAL


class ReflectionStage(models.TextChoices):
    START = "start", "Start of the project"
    MID = "mid", "Midway"
    END = "end", "End of the project"


class ReflectionTheme(models.TextChoices):
    SHARED_POWER = "shared_power", "Power and decisions are shared"
    WHOLE_LIFE_SKILLS = "whole_life_skills", "Roles use each person's whole-life skills"
    TRAINING = "training", "Everyone was trained before starting"
    COMMUNICATION = "communication", "Communication methods work for partners"
    SUPPORT = "support", "Partners get the support they need"


class Agreement(models.IntegerChoices):
    NOT_YET = 1, "Not yet"
    PARTLY = 2, "Partly"
    MOSTLY = 3, "Mostly"
    FULLY = 4, "Fully"


class CoproductionReflection(VersionedModel):
    """The team's short structured reflection on how co-production is going, at the start, midway and
    at the end: one answer per theme, and what they will do about it."""

    organisation_path: ClassVar[str] = "project__organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = (
        "recorded_on",
        *ReflectionTheme.values,
        "actions",
    )

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="coproduction_reflections")
    stage = models.CharField(max_length=8, choices=ReflectionStage.choices)
    recorded_on = models.DateField()
    shared_power = models.PositiveSmallIntegerField(choices=Agreement.choices)
    whole_life_skills = models.PositiveSmallIntegerField(choices=Agreement.choices)
    training = models.PositiveSmallIntegerField(choices=Agreement.choices)
    communication = models.PositiveSmallIntegerField(choices=Agreement.choices)
    support = models.PositiveSmallIntegerField(choices=Agreement.choices)
    actions = models.TextField("What we will do next", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["recorded_on", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="reflection_one_per_stage")]

    def __str__(self) -> str:
        return f"Co-production reflection ({self.get_stage_display()}) on {self.project}"
