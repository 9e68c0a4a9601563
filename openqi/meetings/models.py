"""Meetings, their papers, minutes and attendance; actions; people's calendar subscriptions and notification
preferences (docs/adr/0020-meetings-actions-and-calendars.md).

A recurring meeting is stored as one row per occurrence. The first occurrence is the series' *master*: it
holds the recurrence rule, and the others point at it (`series`). Every occurrence of a series shares the
master's calendar UID and carries its original start as `recurrence_id`, so a calendar program sees one
recurring event, and a moved or cancelled occurrence is an override of that one event (RFC 5545
RECURRENCE-ID). Each occurrence has its own papers, minutes, attendance and actions.
"""

from __future__ import annotations

import secrets
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models

from openqi.core.concurrency import VersionedModel


def new_uid() -> str:
    return f"{uuid.uuid4()}@openqi"


class Recurrence(models.TextChoices):
    NONE = "none", "Does not repeat"
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every 2 weeks"
    MONTHLY = "monthly", "Every month"


class Meeting(VersionedModel):
    organisation_path: ClassVar[str] = "project__organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = ("title", "start", "end", "place", "video_link", "agenda")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    start = models.DateTimeField()
    end = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    video_link = models.URLField(max_length=500, blank=True)
    agenda = models.TextField(blank=True)
    # The series: set on the master (the first occurrence) only.
    recurrence = models.CharField(max_length=16, choices=Recurrence.choices, default=Recurrence.NONE)
    recurrence_until = models.DateField(null=True, blank=True)
    recurrence_count = models.PositiveSmallIntegerField(null=True, blank=True)
    series = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="occurrences"
    )
    # The occurrence's start as the series first scheduled it (RECURRENCE-ID); None for a one-off meeting.
    recurrence_id = models.DateTimeField(null=True, blank=True)
    # An occurrence of a series changed on its own (moved, renamed): calendars get it as an override.
    is_override = models.BooleanField(default=False)
    uid = models.CharField(max_length=255, default=new_uid, db_index=True)
    # The master's is the series' SEQUENCE; an override's is its own.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(blank=True)
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["project", "start"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_recurring(self) -> bool:
        return self.recurrence_id is not None

    @property
    def master_id(self) -> int | None:
        """The id of the series' first occurrence (itself for the master and for one-off meetings)."""
        return self.series_id or self.pk


def paper_path(instance: MeetingPaper, filename: str) -> str:
    # As story attachments: a random stored name; the person's file name is kept apart, never a path.
    return f"meetings/{instance.meeting.project_id}/{uuid.uuid4().hex}"


class MeetingPaper(models.Model):
    """A paper for a meeting, checked and stored exactly as a story-log attachment is."""

    organisation_path: ClassVar[str] = "meeting__project__organisation"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    file = models.FileField(upload_to=paper_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Did not attend"


class Attendance(models.Model):
    """A person invited to a meeting, and whether they came."""

    organisation_path: ClassVar[str] = "meeting__project__organisation"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_attendance"
    )
    status = models.CharField(
        max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.INVITED
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}"


class Action(VersionedModel):
    """Something a person has agreed to do for a project, by a date; raised at a meeting, in a coaching
    session or on its own. Done when `done_on` is set."""

    organisation_path: ClassVar[str] = "project__organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = ("description", "owner", "due_on", "done_on")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["done_on", "due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_on"]), models.Index(fields=["project", "done_on"])]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar subscription: the secret in its URL is the only key, so it can be
    replaced (the old URL stops working at once)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"


class EmailFrequency(models.TextChoices):
    NONE = "none", "No e-mails"
    DAILY = "daily", "One daily digest"
    IMMEDIATE = "immediate", "Straight away"


class NotificationPreference(models.Model):
    """How often a person wants e-mail about meetings and actions. Invitations and cancellations always go
    (they carry the calendar entry); reminders follow `frequency`."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    frequency = models.CharField(max_length=16, choices=EmailFrequency.choices, default=EmailFrequency.DAILY)
    last_digest_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person}: {self.get_frequency_display()}"
