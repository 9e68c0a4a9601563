"""The QI training pathway of an organisation: programmes and what comes next, cohorts (waves) with their
sessions, enrolments, attendance registers and feedback (docs/adr/0022-learning.md).

Completion is decided by the programme's rule (a share of the cohort's sessions attended) when a register
is saved, and stored on the enrolment with the date it was reached; historic records imported from a file
carry their completion date as recorded elsewhere (`CompletionSource.RECORD`)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from openqi.core.concurrency import VersionedModel
from openqi.organisations.models import Directorate, Organisation


class Audience(models.TextChoices):
    STAFF = "staff", "Staff"
    PARTNERS = "partners", "Service users and carers"
    BOTH = "both", "Staff, service users and carers"


class ProgrammeKind(models.TextChoices):
    COURSE = "course", "Course: people enrol one by one"
    TEAM = "team", "Team programme: teams join a cohort, each with its project"


class Group(models.TextChoices):
    """Who a learner is, for reports that count staff and service users and carers apart."""

    STAFF = "staff", "Staff"
    PARTNER = "partner", "Service user or carer"


class Programme(VersionedModel):
    organisation_path: ClassVar[str] = "organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "short_name",
        "audience",
        "kind",
        "length",
        "prepares_for",
        "completion_percent",
        "prepares_coaches",
        "next_programmes",
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(max_length=120)
    short_name = models.CharField(
        max_length=30, blank=True, help_text="Used where space is short, for example ILP"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.BOTH)
    kind = models.CharField(max_length=10, choices=ProgrammeKind.choices, default=ProgrammeKind.COURSE)
    length = models.CharField(max_length=80, blank=True, help_text="For example: half a day, 6 months")
    prepares_for = models.TextField("What it prepares you for", blank=True)
    completion_percent = models.PositiveSmallIntegerField(
        "Sessions to attend to complete (%)",
        default=80,
        help_text="A learner completes the programme once they have attended this share of the sessions.",
    )
    prepares_coaches = models.BooleanField(
        "Trains QI coaches",
        default=False,
        help_text="People who complete it are counted as trained coaches in reports.",
    )
    # The pathway: what the organisation suggests after this programme.
    next_programmes = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="previous")
    position = models.PositiveSmallIntegerField(default=0, help_text="Where it sits along the pathway.")

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="learning_programme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def is_for(self, group: str) -> bool:
        if self.audience == Audience.BOTH:
            return True
        return (self.audience == Audience.PARTNERS) == (group == Group.PARTNER)


class Cohort(VersionedModel):
    """One run of a programme (a wave, a cohort, a series)."""

    organisation_path: ClassVar[str] = "programme__organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "starts_on",
        "ends_on",
        "capacity",
        "self_enrolment",
        "facilitators",
    )

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120, help_text="For example: Wave 9, Cohort 3, January 2027")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    capacity = models.PositiveIntegerField(
        default=20, help_text="Places; people beyond it join a waiting list."
    )
    self_enrolment = models.BooleanField(
        "People may ask to join", default=True, help_text="The QI team approves each request."
    )
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # Made by an import of records kept before OpenQI: no sessions, not offered to anyone.
    is_historic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="learning_cohort_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} {self.name}"

    @property
    def short_name(self) -> str:
        return f"{self.programme.name} – {self.name}"

    def is_open(self, today: dt.date | None = None) -> bool:
        """People may still ask to join: not historic, self-enrolment on, and not started long ago."""
        today = today or timezone.localdate()
        if self.is_historic or not self.self_enrolment:
            return False
        return self.starts_on is None or self.starts_on >= today


class Session(models.Model):
    organisation_path: ClassVar[str] = "cohort__programme__organisation"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=160)
    date = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True, help_text="A room and building, or 'Online'")
    video_link = models.URLField(blank=True)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    register_taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class EnrolmentStatus(models.TextChoices):
    REQUESTED = "requested", "Asked to join"
    ENROLLED = "enrolled", "Enrolled"
    WAITING = "waiting", "On the waiting list"
    DECLINED = "declined", "Not this time"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CompletionSource(models.TextChoices):
    ATTENDANCE = "attendance", "Attendance registers"
    RECORD = "record", "Imported record"


class Enrolment(models.Model):
    organisation_path: ClassVar[str] = "cohort__programme__organisation"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(
        max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.REQUESTED
    )
    group = models.CharField("Taking part as", max_length=10, choices=Group.choices, default=Group.STAFF)
    directorate = models.ForeignKey(Directorate, null=True, blank=True, on_delete=models.SET_NULL)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completion_source = models.CharField(max_length=10, choices=CompletionSource.choices, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="learning_enrolment_once_per_cohort")
        ]
        indexes = [models.Index(fields=["user", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.cohort}"

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None


class CohortTeam(models.Model):
    """A team in a team programme's cohort, with the project it runs."""

    organisation_path: ClassVar[str] = "cohort__programme__organisation"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=160)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="learning_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    organisation_path: ClassVar[str] = "session__cohort__programme__organisation"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="learning_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.user} at {self.session}: {'present' if self.present else 'absent'}"


RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class Feedback(models.Model):
    """One learner's feedback on one session. Summaries never name who said what."""

    organisation_path: ClassVar[str] = "session__cohort__programme__organisation"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="feedback")
    useful = models.BooleanField()
    rating = models.PositiveSmallIntegerField(choices=RATING_CHOICES)  # 1 = poor, 5 = great
    usefulness = models.PositiveSmallIntegerField(choices=RATING_CHOICES)  # 1 = not useful, 5 = very useful
    comment = models.TextField(blank=True)
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="learning_feedback_once")
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.session}"


class RecordImportDraft(models.Model):
    """An uploaded file of historic training records between its preview and the confirmation, as the
    measures import keeps its drafts (a preview → confirm flow without JavaScript or a second upload)."""

    organisation_path: ClassVar[str] = "organisation"
    DRAFT_LIFETIME: ClassVar[dt.timedelta] = dt.timedelta(hours=2)

    token = models.CharField(max_length=64, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.filename

    @property
    def is_expired(self) -> bool:
        return timezone.now() - self.created_at > self.DRAFT_LIFETIME
