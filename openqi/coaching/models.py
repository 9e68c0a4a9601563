"""Coaching: the thresholds of a coach's caseload flags (per organisation), ideas people bring to their
coach, coaching sessions (with the actions agreed, which are the meetings app's actions) and the monthly
sponsor updates with their archived copies on each project (docs/adr/0021-coaching.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from openqi.core.concurrency import VersionedModel
from openqi.core.formatting import long_date
from openqi.meetings.models import new_uid
from openqi.organisations.models import Organisation, Service


class CoachingSettings(models.Model):
    """When a project on a caseload is flagged. One row per organisation; without one the defaults hold
    (the rules NHS QI programmes use: a contact a month, a score reviewed monthly, improvement expected
    within about three months of reaching 2.5)."""

    organisation_path: ClassVar[str] = "organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = (
        "no_contact_days",
        "score_review_days",
        "stall_score",
        "stall_months",
        "no_data_periods",
    )

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="coaching_settings"
    )
    no_contact_days = models.PositiveSmallIntegerField(
        "No coaching contact for (days)",
        default=28,
        help_text="Flag a project when its last coaching session was longer ago than this.",
    )
    score_review_days = models.PositiveSmallIntegerField(
        "Progress score not reviewed for (days)",
        default=30,
        help_text="Flag a project whose progress score has not been reviewed for this long.",
    )
    stall_score = models.DecimalField(
        "Stalled from progress score",
        max_digits=2,
        decimal_places=1,
        default=Decimal("2.5"),
        help_text="A project at this score or above, with no improvement on its outcome measure, may stall.",
    )
    stall_months = models.PositiveSmallIntegerField(
        "Stalled after (months)",
        default=3,
        help_text="Months at that score without special-cause improvement on the outcome measure.",
    )
    no_data_periods = models.PositiveSmallIntegerField(
        "No new data for (periods)",
        default=6,
        help_text="Flag a measure whose latest data is this many of its periods (weeks, months) old.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "caseload flag settings"
        verbose_name_plural = "caseload flag settings"

    def __str__(self) -> str:
        return f"Caseload flags of {self.organisation}"


class IdeaStatus(models.TextChoices):
    NEW = "new", "Waiting for the coach"
    TALKING = "talking", "Talking it through"
    PROJECT = "project", "Turned into a project"
    PARKED = "parked", "Parked"
    DECLINED = "declined", "Declined"


class Idea(models.Model):
    """A change idea a colleague (staff or partner) brings to their service's coach, and what the coach
    decided: talk it through, turn it into a project, park it, or decline it with a reason."""

    organisation_path: ClassVar[str] = "organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = (
        "title",
        "problem",
        "affects",
        "could_try",
        "status",
        "triage_note",
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="coaching_ideas")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="ideas_to_coach"
    )
    brought_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ideas_brought"
    )
    title = models.CharField("A short name for your idea", max_length=200)
    problem = models.TextField("What is the problem?")
    affects = models.TextField("Who does it affect?")
    could_try = models.TextField("What could we try?")
    status = models.CharField(max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.NEW)
    triage_note = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="from_ideas"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.title


class SessionKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "1:1 with the lead"
    TEAM = "team", "Team meeting"
    DROP_IN = "drop_in", "Drop-in"
    FORUM_PREP = "forum_prep", "Forum preparation"


class CoachingSession(VersionedModel):
    """One coaching contact with a project. `shared_notes` go to the team (and the project timeline);
    `private_notes` only to the project's coaches and the QI team. What was agreed is the meetings app's
    actions (`actions`), so they show wherever actions show."""

    organisation_path: ClassVar[str] = "project__organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = (
        "held_on",
        "kind",
        "shared_notes",
        "private_notes",
        "next_on",
        "next_time",
    )

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="coaching_sessions"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="coaching_given"
    )
    held_on = models.DateField()
    kind = models.CharField(max_length=16, choices=SessionKind.choices, default=SessionKind.ONE_TO_ONE)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coaching_sessions"
    )
    shared_notes = models.TextField("Notes for the team", blank=True)
    private_notes = models.TextField("Private notes for coaches and the QI team", blank=True)
    next_on = models.DateField("Next session", null=True, blank=True)
    next_time = models.TimeField(null=True, blank=True)
    # The next session's calendar entry: one UID, its SEQUENCE raised when the date changes.
    calendar_uid = models.CharField(max_length=255, default=new_uid)
    calendar_sequence = models.PositiveIntegerField(default=0)
    actions = models.ManyToManyField("meetings.Action", blank=True, related_name="coaching_sessions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["project", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {long_date(self.held_on)}"


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"


class SponsorUpdate(models.Model):
    """One month's update to one sponsor on the projects a coach coaches for them: built from the data as
    a draft, edited by the coach, then sent (e-mail with charts and a PDF) and archived on each project."""

    organisation_path: ClassVar[str] = "organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = ("introduction", "needs", "status")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sponsor_updates")
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sponsor_updates_received"
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="sponsor_updates_prepared",
    )
    month = models.DateField(help_text="The first day of the month the update covers.")
    status = models.CharField(max_length=8, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT)
    introduction = models.TextField(blank=True)
    needs = models.TextField("What I need from you", blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sponsor", "prepared_by", "month"], name="one_sponsor_update_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"Sponsor update for {self.sponsor} – {self.month:%B %Y}"

    @property
    def is_sent(self) -> bool:
        return self.status == UpdateStatus.SENT


class SponsorUpdateProject(models.Model):
    """One project's part of a sponsor update: the facts taken from the data when the draft was made
    (kept as they were, so the archive says what the sponsor was told) and the coach's words."""

    organisation_path: ClassVar[str] = "update__organisation"

    update = models.ForeignKey(SponsorUpdate, on_delete=models.CASCADE, related_name="sections")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="sponsor_updates")
    position = models.PositiveSmallIntegerField(default=0)
    facts = models.JSONField(default=dict)
    coach_note = models.TextField("The coach's summary", blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["update", "project"], name="one_section_per_project")]

    def __str__(self) -> str:
        return f"{self.project} in {self.update}"
