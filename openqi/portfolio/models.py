"""What the portfolio keeps: each signal scan of an organisation's measures with what it found per measure
(so the dashboard can say what changed since the scan before), and each QI forum pack with the forum's
decisions on the projects it presented. Dashboard figures are computed from projects, never stored."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from openqi.core.formatting import long_date
from openqi.measures.models import Measure
from openqi.organisations.models import Directorate, Organisation
from openqi.projects.models import Project, StoryEntry


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class SignalScan(models.Model):
    """One analysis of every measure of an organisation with the SPC engine's batch API."""

    organisation_path: ClassVar[str] = "organisation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signal_scans")
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    on_demand = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    measures_scanned = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "requested_at"])]

    def __str__(self) -> str:
        return f"Signal scan of {self.organisation} at {self.requested_at:%Y-%m-%d %H:%M}"


class MeasureSignal(models.Model):
    """What one scan found for one measure: the Making Data Count icons of its latest point, and whether
    its data has stopped coming in."""

    organisation_path: ClassVar[str] = "scan__organisation"

    scan = models.ForeignKey(SignalScan, on_delete=models.CASCADE, related_name="signals")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    variation = models.CharField(max_length=40, blank=True)
    assurance = models.CharField(max_length=40, blank=True)
    n_points = models.PositiveIntegerField(default=0)
    last_period = models.DateField(null=True, blank=True)
    no_recent_data = models.BooleanField(default=False)

    class Meta:
        ordering = ["measure_id"]
        constraints = [models.UniqueConstraint(fields=["scan", "measure"], name="signal_one_per_measure")]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.variation or 'no analysis'}"


class ForumPack(models.Model):
    """The papers for one directorate QI forum: made in the background (progress in `progress`), kept as
    PDF and PPTX so that what was presented is what is downloaded later."""

    organisation_path: ClassVar[str] = "organisation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="forum_packs")
    directorate = models.ForeignKey(Directorate, on_delete=models.CASCADE, related_name="forum_packs")
    forum_date = models.DateField()
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pptx = models.BinaryField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-forum_date", "-id"]

    def __str__(self) -> str:
        return f"{self.directorate} QI forum, {long_date(self.forum_date)}"


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve the project"
    CHANGES = "changes", "Ask for changes"


class ForumDecision(models.Model):
    """A forum's decision on a project seeking approval; it is also recorded on the project (its lifecycle
    moves, with the forum's note), so the project's own history tells it too."""

    organisation_path: ClassVar[str] = "pack__organisation"

    pack = models.ForeignKey(ForumPack, on_delete=models.CASCADE, related_name="decisions")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="forum_decisions")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.project}"


class StoryHighlight(models.Model):
    """A story entry the team chose for its storyboard, poster and showcase page."""

    organisation_path: ClassVar[str] = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="story_highlights")
    entry = models.ForeignKey(StoryEntry, on_delete=models.CASCADE, related_name="+")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-entry__occurred_on", "-entry_id"]
        constraints = [models.UniqueConstraint(fields=["project", "entry"], name="highlight_once")]

    def __str__(self) -> str:
        return f"Highlight {self.entry_id} of {self.project_id}"
