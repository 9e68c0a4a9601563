"""Meetings: schedule (one-off or a series), change, cancel, papers, minutes and attendance; each audited,
and each change that a calendar must hear of sends the invitation again with a higher SEQUENCE, or a
CANCEL (openqi.meetings.calendar)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from dateutil import rrule  # type: ignore[import-untyped,unused-ignore]  # stubs may or may not be installed
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.meetings import calendar
from openqi.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingPaper,
    Recurrence,
)
from openqi.meetings.services import notify
from openqi.projects.forms.story import AttachmentKind, clean_file_name
from openqi.projects.models import Project

# A series is stored as one row per occurrence: enough for two years of weekly meetings.
MAX_OCCURRENCES = 106

_RULES: dict[str, tuple[int, int, str]] = {
    Recurrence.WEEKLY: (rrule.WEEKLY, 1, "WEEKLY"),
    Recurrence.FORTNIGHTLY: (rrule.WEEKLY, 2, "WEEKLY"),
    Recurrence.MONTHLY: (rrule.MONTHLY, 1, "MONTHLY"),
}


class MeetingError(Exception):
    """A change the service refuses, with a message for the person."""


@dataclass(frozen=True)
class MeetingDetails:
    title: str
    start: dt.datetime
    end: dt.datetime
    place: str = ""
    video_link: str = ""
    agenda: str = ""


@dataclass(frozen=True)
class Repeat:
    """How a series repeats: every week, fortnight or month, until a date or for a number of meetings."""

    recurrence: str = Recurrence.NONE
    until: dt.date | None = None
    count: int | None = None


def _until_moment(until: dt.date) -> dt.datetime:
    """The end of the last day, local time (a meeting on that day is still in the series)."""
    return dt.datetime.combine(until, dt.time(23, 59, 59))


def occurrence_starts(start: dt.datetime, repeat: Repeat) -> list[dt.datetime]:
    """The starts of every meeting in the series, as calendar programs will expand its RRULE.

    Expanded in local wall-clock time, so a 10:00 meeting stays at 10:00 when the clocks change (its UTC
    time moves by an hour), which is what the VTIMEZONE tells calendar programs too."""
    if repeat.recurrence == Recurrence.NONE:
        return [start]
    freq, interval, _ = _RULES[repeat.recurrence]
    local = timezone.localtime(start)
    rule = rrule.rrule(
        freq,
        interval=interval,
        dtstart=local.replace(tzinfo=None),
        count=repeat.count,
        until=_until_moment(repeat.until) if repeat.until else None,
    )
    zone = local.tzinfo
    return [naive.replace(tzinfo=zone) for naive in islice(rule, MAX_OCCURRENCES + 1)]


def rrule_of(master: Meeting) -> dict[str, Any] | None:
    if master.recurrence == Recurrence.NONE:
        return None
    _, interval, freq = _RULES[master.recurrence]
    rule: dict[str, Any] = {"FREQ": freq}
    if interval > 1:
        rule["INTERVAL"] = interval
    if master.recurrence_count:
        rule["COUNT"] = master.recurrence_count
    elif master.recurrence_until:
        # With a DTSTART in a time zone, UNTIL must be in UTC (RFC 5545 3.3.10).
        local_end = _until_moment(master.recurrence_until).replace(tzinfo=timezone.get_current_timezone())
        rule["UNTIL"] = local_end.astimezone(dt.UTC)
    return rule


def _state(meeting: Meeting) -> dict[str, Any]:
    return audit.snapshot(meeting, Meeting.AUDITED_FIELDS)


def _display_name(person: Any) -> str:
    return str(person.display_name) if person is not None else ""


def _meeting_url(meeting: Meeting, base_url: str) -> str:
    return base_url.rstrip("/") + reverse(
        "meetings:detail", kwargs={"pk": meeting.project_id, "meeting_pk": meeting.pk}
    )


def _description(meeting: Meeting, base_url: str) -> str:
    parts = [f"{meeting.project.title}"]
    if meeting.video_link:
        parts.append(f"Video link: {meeting.video_link}")
    if meeting.agenda:
        parts.append(f"Agenda:\n{meeting.agenda}")
    parts.append(f"Details and papers: {_meeting_url(meeting, base_url)}")
    return "\n\n".join(parts)


def _attendees(meeting: Meeting) -> list[tuple[str, str]]:
    # .all() and a sort here, not order_by: the feed prefetches every meeting's attendance in one query.
    rows = sorted(meeting.attendance.all(), key=lambda a: a.pk)
    return [(_display_name(a.person), a.person.email) for a in rows if a.person.email]


def _organiser(meeting: Meeting) -> tuple[str, str] | None:
    person = meeting.created_by
    return (_display_name(person), person.email) if person is not None and person.email else None


def occurrence_event(
    meeting: Meeting, base_url: str, *, sequence: int | None = None
) -> calendar.CalendarEvent:
    """One meeting as a calendar event: a one-off meeting, or one occurrence of a series (an override)."""
    return calendar.CalendarEvent(
        uid=meeting.uid,
        sequence=meeting.sequence if sequence is None else sequence,
        summary=meeting.title,
        start=meeting.start,
        end=meeting.end,
        description=_description(meeting, base_url),
        location=meeting.place or meeting.video_link,
        url=_meeting_url(meeting, base_url),
        organiser=_organiser(meeting),
        attendees=_attendees(meeting),
        recurrence_id=meeting.recurrence_id,
        cancelled=meeting.is_cancelled,
    )


def series_events(master: Meeting, base_url: str) -> list[calendar.CalendarEvent]:
    """A series as calendars hold it: the recurring event (RRULE, EXDATE for cancelled meetings) and an
    override for each meeting changed on its own."""
    if master.recurrence_id is None:
        return [occurrence_event(master, base_url)]
    rows = [master, *sorted(master.occurrences.all(), key=lambda row: (row.start, row.pk))]
    assert master.recurrence_id is not None
    everything_cancelled = all(row.is_cancelled for row in rows)
    series = calendar.CalendarEvent(
        uid=master.uid,
        sequence=master.sequence,
        summary=master.title,
        start=master.recurrence_id,
        end=master.recurrence_id + (master.end - master.start),
        description=_description(master, base_url),
        location=master.place or master.video_link,
        url=_meeting_url(master, base_url),
        rrule=rrule_of(master),
        organiser=_organiser(master),
        attendees=_attendees(master),
        exdates=tuple(row.recurrence_id for row in rows if row.is_cancelled and row.recurrence_id)
        if not everything_cancelled
        else (),
        cancelled=everything_cancelled,
    )
    overrides = [
        occurrence_event(row, base_url)
        for row in rows
        if row.is_override and not row.is_cancelled and not everything_cancelled
    ]
    return [series, *overrides]


def _recipients(meeting: Meeting) -> list[str]:
    """Everyone invited, whatever their address; the organiser's own calendar already has it."""
    organiser = meeting.created_by_id
    return [
        a.person.email
        for a in meeting.attendance.select_related("person").order_by("id")
        if a.person.email and a.person_id != organiser
    ]


def _send(
    events: calendar.CalendarEvent | list[calendar.CalendarEvent],
    meeting: Meeting,
    *,
    method: calendar.Method,
    subject: str,
    text: str,
) -> None:
    recipients = _recipients(meeting)
    if recipients:
        calendar.send_invitation(
            events,
            recipients,
            method=method,
            subject=subject,
            text=text,
            organisation_id=meeting.project.organisation_id,
        )


def _when(meeting: Meeting) -> str:
    local_start = timezone.localtime(meeting.start)
    local_end = timezone.localtime(meeting.end)
    return f"{local_start.day} {local_start:%B %Y}, {local_start:%H:%M} to {local_end:%H:%M}"


def _invitation_text(meeting: Meeting, base_url: str, *, intro: str) -> str:
    where = []
    if meeting.place:
        where.append(f"Where: {meeting.place}")
    if meeting.video_link:
        where.append(f"Video link: {meeting.video_link}")
    repeat = ""
    if meeting.recurrence != Recurrence.NONE:
        repeat = f"Repeats: {meeting.get_recurrence_display().lower()}\n"
    return (
        f"{intro}\n\n{meeting.title}\nProject: {meeting.project.title}\nWhen: {_when(meeting)} (UK time)\n"
        f"{repeat}" + "\n".join(where) + "\n\n"
        "The calendar entry is attached: open it to add the meeting to your calendar (Outlook, Gmail, "
        "Apple and others).\n\n"
        f"The agenda and papers: {_meeting_url(meeting, base_url)}\n"
    )


@transaction.atomic
def schedule_meeting(
    project: Project,
    details: MeetingDetails,
    *,
    invitees: Sequence[Any],
    by: Any,
    base_url: str,
    repeat: Repeat | None = None,
) -> Meeting:
    """Create the meeting (every meeting of a series), invite people and e-mail them the invitation."""
    repeat = repeat or Repeat()
    if details.end <= details.start:
        raise MeetingError("The meeting must end after it starts")
    starts = occurrence_starts(details.start, repeat)
    if len(starts) > MAX_OCCURRENCES:
        raise MeetingError(f"A series can have up to {MAX_OCCURRENCES} meetings: choose an earlier end date")
    if not starts:
        raise MeetingError("The series has no meetings: its end date is before its first meeting")
    duration = details.end - details.start
    recurring = repeat.recurrence != Recurrence.NONE
    master = Meeting.objects.create(
        project=project,
        title=details.title,
        start=starts[0],
        end=starts[0] + duration,
        place=details.place,
        video_link=details.video_link,
        agenda=details.agenda,
        recurrence=repeat.recurrence,
        recurrence_until=repeat.until if recurring else None,
        recurrence_count=repeat.count if recurring else None,
        recurrence_id=starts[0] if recurring else None,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    rows = [master]
    if recurring:
        rows += Meeting.objects.bulk_create(
            [
                Meeting(
                    project=project,
                    title=details.title,
                    start=moment,
                    end=moment + duration,
                    place=details.place,
                    video_link=details.video_link,
                    agenda=details.agenda,
                    series=master,
                    recurrence_id=moment,
                    uid=master.uid,
                    created_by=master.created_by,
                )
                for moment in starts[1:]
            ]
        )
    people = list(dict.fromkeys(invitees))
    Attendance.objects.bulk_create(
        [Attendance(meeting=row, person=person) for row in rows for person in people]
    )
    after = {k: v for k, v in _state(master).items() if v not in ("", None)}
    if recurring:
        after["recurrence"] = f"{master.get_recurrence_display()}, {len(rows)} meetings"
    after["invited"] = sorted(_display_name(p) for p in people)
    audit.record(
        by=by,
        action=AuditEvent.Action.CREATE,
        instance=master,
        project=project,
        changes=audit.diff({}, after),
    )
    _send(
        series_events(master, base_url),
        master,
        method="REQUEST",
        subject=f"Invitation: {master.title}",
        text=_invitation_text(master, base_url, intro=f"{_display_name(by)} invites you to a meeting."),
    )
    return master


TIMING_FIELDS = ("title", "start", "end", "place", "video_link")


@transaction.atomic
def edit_meeting(
    meeting: Meeting,
    details: MeetingDetails,
    *,
    expected_version: int,
    by: Any,
    base_url: str,
    later_too: bool = False,
) -> Meeting:
    """Change one meeting (one occurrence of a series) or, with `later_too`, it and every later meeting of
    its series not cancelled (moved by as many days, to the new time). A change a calendar shows (time,
    place, title, link) sends the invitation again with a higher SEQUENCE for each meeting changed; raises
    EditConflict if someone saved the meeting first."""
    if meeting.is_cancelled:
        raise MeetingError("This meeting has been cancelled: it cannot be changed")
    if details.end <= details.start:
        raise MeetingError("The meeting must end after it starts")
    shift = timezone.localtime(details.start).date() - timezone.localtime(meeting.start).date()
    before = _state(meeting)
    for name in Meeting.AUDITED_FIELDS:
        setattr(meeting, name, getattr(details, name))
    moved = any(before[name] != audit.snapshot(meeting, [name])[name] for name in TIMING_FIELDS)
    fields = [*Meeting.AUDITED_FIELDS, "updated_at"]
    if moved:
        meeting.sequence = _next_sequence(meeting)
        fields.append("sequence")
        if meeting.recurrence_id is not None:
            meeting.is_override = True
            fields.append("is_override")
    meeting.save_versioned(expected_version, update_fields=fields)
    later = _change_later_meetings(meeting, details, shift=shift, moved=moved) if later_too else []
    changes = audit.diff(before, _state(meeting))
    if later:
        changes["later meetings changed too"] = [None, len(later)]
    if changes:
        audit.record(
            by=by, action=AuditEvent.Action.UPDATE, instance=meeting, project=meeting.project, changes=changes
        )
    if moved:
        intro = "This meeting has changed. The new details are below."
        if later:
            intro = f"This meeting and the {len(later)} after it have changed. The new details are below."
        _send(
            [occurrence_event(row, base_url) for row in [meeting, *later]],
            meeting,
            method="REQUEST",
            subject=f"Updated invitation: {meeting.title}",
            text=_invitation_text(meeting, base_url, intro=intro),
        )
    return meeting


def _change_later_meetings(
    meeting: Meeting, details: MeetingDetails, *, shift: dt.timedelta, moved: bool
) -> list[Meeting]:
    """Give the series' later meetings (not cancelled) the same details, `shift` days on and at the new
    local time; each becomes an override with a higher SEQUENCE when calendars must hear of it."""
    if meeting.recurrence_id is None:
        return []
    master_id = meeting.series_id or meeting.pk
    later = list(
        Meeting.objects.filter(
            Q(pk=master_id) | Q(series_id=master_id),
            cancelled_at__isnull=True,
            recurrence_id__gt=meeting.recurrence_id,
        )
        .exclude(pk=meeting.pk)
        .select_related("project", "series", "created_by")
        .prefetch_related("attendance__person")
        .order_by("start")
    )
    zone = timezone.get_current_timezone()
    start_time = timezone.localtime(details.start).time()
    duration = details.end - details.start
    for row in later:
        day = timezone.localtime(row.start).date() + shift
        row.start = dt.datetime.combine(day, start_time, tzinfo=zone)
        row.end = row.start + duration
        row.title, row.place, row.video_link, row.agenda = (
            details.title,
            details.place,
            details.video_link,
            details.agenda,
        )
        if moved:
            row.sequence = _next_sequence(row)
            row.is_override = True
        row.version += 1
    Meeting.objects.bulk_update(
        later,
        ["start", "end", "title", "place", "video_link", "agenda", "sequence", "is_override", "version"],
    )
    return later


def _next_sequence(meeting: Meeting) -> int:
    """Above the meeting's own and, for an occurrence, above its series' (calendars compare them)."""
    series_sequence = meeting.series.sequence if meeting.series_id and meeting.series else 0
    return max(meeting.sequence, series_sequence) + 1


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by: Any, base_url: str, whole_series: bool = False) -> list[Meeting]:
    """Cancel the meeting (or, from the series' master, every meeting of the series not yet held) and send
    METHOD:CANCEL. Returns the meetings cancelled."""
    if meeting.is_cancelled:
        return []
    now = timezone.now()
    if whole_series and meeting.recurrence_id is not None:
        master = meeting.series or meeting
        rows = [row for row in [master, *master.occurrences.all()] if not row.is_cancelled and row.end >= now]
        if not rows:
            return []
        for row in rows:
            row.cancelled_at = now
            row.version += 1
        Meeting.objects.bulk_update(rows, ["cancelled_at", "version"])
        master.refresh_from_db()
        master.sequence += 1
        master.save(update_fields=["sequence"])
        # CANCEL without a RECURRENCE-ID: calendars remove the whole series.
        event = dataclasses.replace(series_events(master, base_url)[0], cancelled=True, exdates=())
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=master,
            project=master.project,
            changes={"cancelled": [None, f"{len(rows)} meetings from {_when(rows[0])}"]},
        )
        _send(
            event,
            master,
            method="CANCEL",
            subject=f"Cancelled: {master.title} (every meeting)",
            text=f"Every remaining meeting of ‘{master.title}’ ({master.project.title}) is cancelled.\n",
        )
        return rows
    meeting.cancelled_at = now
    meeting.sequence = _next_sequence(meeting)
    meeting.version += 1
    meeting.save(update_fields=["cancelled_at", "sequence", "version", "updated_at"])
    audit.record(
        by=by,
        action=AuditEvent.Action.UPDATE,
        instance=meeting,
        project=meeting.project,
        changes={"cancelled": [None, date_and_time_text(now)]},
    )
    _send(
        occurrence_event(meeting, base_url),
        meeting,
        method="CANCEL",
        subject=f"Cancelled: {meeting.title}, {_when(meeting)}",
        text=f"The meeting ‘{meeting.title}’ ({meeting.project.title}) on {_when(meeting)} is cancelled.\n",
    )
    return [meeting]


def date_and_time_text(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes")


@transaction.atomic
def record_minutes(meeting: Meeting, minutes: str, *, expected_version: int, by: Any) -> Meeting:
    before = meeting.minutes
    meeting.minutes = minutes
    meeting.minutes_updated_at = timezone.now()
    meeting.minutes_by = by if getattr(by, "is_authenticated", False) else None
    meeting.save_versioned(
        expected_version, update_fields=["minutes", "minutes_updated_at", "minutes_by", "updated_at"]
    )
    if before != minutes:
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=meeting,
            project=meeting.project,
            changes={"minutes": [before, minutes]},
        )
    return meeting


@transaction.atomic
def invite_people(meeting: Meeting, people: Sequence[Any], *, by: Any, base_url: str) -> list[Any]:
    """Invite more people to the meeting and, for a series, to every later meeting of it not cancelled;
    each is e-mailed the invitation (the whole series). Returns the people newly invited."""
    if meeting.is_cancelled:
        raise MeetingError("This meeting has been cancelled: nobody can be invited to it")
    rows = [meeting]
    if meeting.recurrence_id is not None:
        master_id = meeting.series_id or meeting.pk
        rows += list(
            Meeting.objects.filter(
                Q(pk=master_id) | Q(series_id=master_id),
                cancelled_at__isnull=True,
                recurrence_id__gt=meeting.recurrence_id,
            )
        )
    already = set(meeting.attendance.values_list("person_id", flat=True))
    new = [p for p in dict.fromkeys(people) if p.pk not in already]
    if not new:
        return []
    Attendance.objects.bulk_create(
        [Attendance(meeting=row, person=person) for row in rows for person in new], ignore_conflicts=True
    )
    audit.record(
        by=by,
        action=AuditEvent.Action.UPDATE,
        instance=meeting,
        project=meeting.project,
        changes={"invited": [None, sorted(_display_name(p) for p in new)]},
    )
    master = meeting.series or meeting
    events = (
        series_events(master, base_url)
        if meeting.recurrence_id is not None
        else [occurrence_event(meeting, base_url)]
    )
    addresses = [p.email for p in new if p.email]
    if addresses:
        calendar.send_invitation(
            events,
            addresses,
            method="REQUEST",
            subject=f"Invitation: {meeting.title}",
            text=_invitation_text(meeting, base_url, intro=f"{_display_name(by)} invites you to a meeting."),
            organisation_id=meeting.project.organisation_id,
        )
    return new


@transaction.atomic
def record_attendance(meeting: Meeting, statuses: dict[int, str], *, by: Any) -> None:
    """Set each invited person's attendance (by attendance row id)."""
    changes: dict[str, list[str]] = {}
    for row in meeting.attendance.select_related("person"):
        status = statuses.get(row.pk)
        if status is None or status == row.status or status not in AttendanceStatus.values:
            continue
        changes[_display_name(row.person)] = [row.get_status_display(), AttendanceStatus(status).label]
        row.status = status
        row.save(update_fields=["status"])
    if changes:
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=meeting,
            project=meeting.project,
            changes={"attendance": changes},
        )


@transaction.atomic
def add_papers(
    meeting: Meeting,
    uploads: Sequence[tuple[UploadedFile, AttachmentKind]],
    *,
    by: Any,
    tell_people: bool = True,
) -> list[MeetingPaper]:
    """Store papers already checked by the story log's attachment checks (projects.forms.story), and tell
    the people invited who want to hear at once (not when the papers come with the invitation itself)."""
    papers = []
    for upload, kind in uploads:
        paper = MeetingPaper(
            meeting=meeting,
            original_name=clean_file_name(upload.name),
            content_type=kind.content_type,
            size=upload.size or 0,
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        upload.seek(0)
        paper.file.save("upload", upload, save=False)  # the name is ignored: paper_path picks a random one
        paper.save()
        papers.append(paper)
    if papers:
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=meeting,
            project=meeting.project,
            changes={"papers": [None, [p.original_name for p in papers]]},
        )
        if tell_people:
            notify.papers_added(meeting, papers, by=by)
    return papers


@transaction.atomic
def remove_paper(paper: MeetingPaper, *, by: Any) -> None:
    meeting = paper.meeting
    name, storage = paper.file.name, paper.file.storage
    audit.record(
        by=by,
        action=AuditEvent.Action.UPDATE,
        instance=meeting,
        project=meeting.project,
        changes={"papers": [paper.original_name, None]},
    )
    paper.delete()
    # As the story log: the file goes only once the change has committed.
    transaction.on_commit(lambda: storage.delete(name))


def meetings_of(project: Project) -> QuerySet[Meeting]:
    return Meeting.objects.filter(project=project).order_by("start", "id")


def invited(meeting: Meeting, person: Any) -> bool:
    return meeting.attendance.filter(person=person).exists()
