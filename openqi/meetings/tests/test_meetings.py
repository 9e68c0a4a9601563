"""Scheduling, moving and cancelling meetings: the rows, the audit and the invitations people receive."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from openqi.core.models import AuditEvent
from openqi.meetings.models import Meeting, Recurrence
from openqi.meetings.services import feeds
from openqi.meetings.services.meetings import (
    MeetingDetails,
    MeetingError,
    Repeat,
    add_papers,
    cancel_meeting,
    edit_meeting,
    invite_people,
    occurrence_starts,
    rrule_of,
    schedule_meeting,
)
from openqi.projects.forms.story import attachment_kind

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
BASE = "https://openqi.example"


def details(**changes: object) -> MeetingDetails:
    values: dict[str, object] = {
        "title": "QI team meeting",
        "start": dt.datetime(2027, 3, 18, 10, 0, tzinfo=LONDON),
        "end": dt.datetime(2027, 3, 18, 11, 0, tzinfo=LONDON),
        "place": "Wellbeing Centre",
        "video_link": "https://meet.example/abc",
        "agenda": "1. Data\n2. Next PDSA",
    }
    values.update(changes)
    return MeetingDetails(**values)  # type: ignore[arg-type]


def ics_of(message) -> icalendar.Calendar:  # type: ignore[no-untyped-def]
    content = next(c for name, c, _t in message.attachments if name.endswith(".ics"))
    return icalendar.Calendar.from_ical(content)


def team(world):  # type: ignore[no-untyped-def]
    return [world.lead, world.partner, world.coach]


def test_weekly_occurrences_keep_their_local_time_across_the_clock_change() -> None:
    starts = occurrence_starts(
        dt.datetime(2027, 3, 18, 10, 0, tzinfo=LONDON), Repeat(Recurrence.WEEKLY, until=dt.date(2027, 4, 8))
    )
    assert [s.date() for s in starts] == [
        dt.date(2027, 3, 18),
        dt.date(2027, 3, 25),
        dt.date(2027, 4, 1),
        dt.date(2027, 4, 8),
    ]
    assert {s.astimezone(LONDON).hour for s in starts} == {10}
    assert [s.astimezone(dt.UTC).hour for s in starts] == [10, 10, 9, 9]


def test_scheduling_a_series_makes_a_row_per_meeting_and_invites_everyone_else(
    world,
    projects,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        master = schedule_meeting(
            projects.shared,
            details(),
            repeat=Repeat(Recurrence.FORTNIGHTLY, until=dt.date(2027, 5, 31)),
            invitees=team(world),
            by=world.lead,
            base_url=BASE,
        )
    rows = list(Meeting.objects.filter(project=projects.shared).order_by("start"))
    assert len(rows) == 6 and rows[0] == master
    assert {r.uid for r in rows} == {master.uid}
    assert all(r.series_id == master.pk for r in rows[1:])
    assert [r.recurrence_id for r in rows] == [r.start for r in rows]
    assert all(r.attendance.count() == 3 for r in rows)
    # The lead organises; the partner (personal address) and the coach are sent the invitation.
    assert sorted(m.to[0] for m in mail.outbox) == ["coach@northshire.nhs.uk", "sam@example.com"]
    calendar = ics_of(mail.outbox[0])
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == master.uid and event["SEQUENCE"] == 0
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["INTERVAL"] == [2]
    assert event["RRULE"]["UNTIL"][0].tzinfo is not None
    assert f"{BASE}/meetings/projects/{projects.shared.pk}/{master.pk}/" in str(event["DESCRIPTION"])
    assert AuditEvent.objects.filter(
        object_type="meetings.meeting", action="create", object_id=str(master.pk)
    ).exists()


def test_a_series_rule_until_covers_the_last_day() -> None:
    master = Meeting(recurrence=Recurrence.MONTHLY, recurrence_until=dt.date(2027, 12, 31))
    rule = rrule_of(master)
    assert rule is not None and rule["FREQ"] == "MONTHLY"
    assert rule["UNTIL"] == dt.datetime(2027, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def test_moving_one_meeting_of_a_series_sends_an_override_with_a_higher_sequence(
    world,
    projects,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    master = schedule_meeting(
        projects.shared,
        details(),
        repeat=Repeat(Recurrence.WEEKLY, until=dt.date(2027, 4, 15)),
        invitees=team(world),
        by=world.lead,
        base_url=BASE,
    )
    second = master.occurrences.order_by("start").first()
    assert second is not None
    original = second.start
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit_meeting(
            second,
            details(start=original + dt.timedelta(hours=4), end=original + dt.timedelta(hours=5)),
            expected_version=second.version,
            by=world.lead,
            base_url=BASE,
        )
    second.refresh_from_db()
    assert second.is_override and second.sequence == 1
    assert {m.to[0] for m in mail.outbox} == {"coach@northshire.nhs.uk", "sam@example.com"}
    event = ics_of(mail.outbox[0]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == master.uid
    assert event.decoded("RECURRENCE-ID") == original
    assert event.decoded("DTSTART") == original + dt.timedelta(hours=4)
    # The feed shows the series and the moved meeting as an override of it.
    vevents = icalendar.Calendar.from_ical(feeds.feed_ics(world.partner, BASE)).walk("VEVENT")
    assert len(vevents) == 2 and {str(v["UID"]) for v in vevents} == {master.uid}


def test_changing_only_the_agenda_sends_nothing(world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    meeting = schedule_meeting(projects.shared, details(), invitees=team(world), by=world.lead, base_url=BASE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit_meeting(meeting, details(agenda="New agenda"), expected_version=1, by=world.lead, base_url=BASE)
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and meeting.agenda == "New agenda"
    assert mail.outbox == []


def test_cancelling_sends_cancel_with_the_same_uid(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    meeting = schedule_meeting(projects.shared, details(), invitees=team(world), by=world.lead, base_url=BASE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_meeting(meeting, by=world.lead, base_url=BASE)
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.sequence == 1
    calendar = ics_of(mail.outbox[0])
    assert calendar["METHOD"] == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == 1 and str(event["STATUS"]) == "CANCELLED"
    with pytest.raises(MeetingError):
        edit_meeting(meeting, details(), expected_version=meeting.version, by=world.lead, base_url=BASE)


def test_cancelling_a_whole_series(world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    master = schedule_meeting(
        projects.shared,
        details(),
        repeat=Repeat(Recurrence.MONTHLY, until=dt.date(2027, 8, 31)),
        invitees=team(world),
        by=world.lead,
        base_url=BASE,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = cancel_meeting(master, by=world.lead, base_url=BASE, whole_series=True)
    assert len(cancelled) == 6
    assert not Meeting.objects.filter(project=projects.shared, cancelled_at__isnull=True).exists()
    event = ics_of(mail.outbox[0]).walk("VEVENT")[0]
    assert "RECURRENCE-ID" not in event and "RRULE" in event and event["SEQUENCE"] == 1


def test_the_end_must_follow_the_start(world, projects) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MeetingError):
        schedule_meeting(
            projects.shared,
            details(end=dt.datetime(2027, 3, 18, 9, 0, tzinfo=LONDON)),
            invitees=[],
            by=world.lead,
            base_url=BASE,
        )


def test_papers_are_stored_under_a_random_name(world, projects, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    meeting = schedule_meeting(projects.shared, details(), invitees=[], by=world.lead, base_url=BASE)
    upload = SimpleUploadedFile("../../agenda.pdf", b"%PDF-1.7\n%%EOF\n")
    [paper] = add_papers(meeting, [(upload, attachment_kind(upload))], by=world.lead)
    assert paper.original_name == "agenda.pdf" and paper.content_type == "application/pdf"
    assert paper.file.name.startswith(f"meetings/{projects.shared.pk}/") and "agenda" not in paper.file.name


def test_moving_a_meeting_and_every_later_one(world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    master = schedule_meeting(
        projects.shared,
        details(),
        repeat=Repeat(Recurrence.WEEKLY, until=dt.date(2027, 4, 15)),
        invitees=team(world),
        by=world.lead,
        base_url=BASE,
    )
    rows = list(Meeting.objects.filter(project=projects.shared).order_by("start"))
    third = rows[2]  # 1 April, after the clocks change
    cancel_meeting(rows[3], by=world.lead, base_url=BASE)
    mail.outbox.clear()
    # Thursdays at 10:00 become Tuesdays at 14:00 from the third meeting on.
    new_start = dt.datetime(2027, 3, 30, 14, 0, tzinfo=LONDON)
    with django_capture_on_commit_callbacks(execute=True):
        edit_meeting(
            third,
            details(start=new_start, end=new_start + dt.timedelta(hours=1)),
            expected_version=third.version,
            by=world.lead,
            base_url=BASE,
            later_too=True,
        )
    after = list(Meeting.objects.filter(project=projects.shared).order_by("recurrence_id"))
    local = [timezone_local(m.start) for m in after]
    assert local[:2] == [dt.datetime(2027, 3, 18, 10, 0), dt.datetime(2027, 3, 25, 10, 0)]  # untouched
    assert local[2] == dt.datetime(2027, 3, 30, 14, 0)
    assert local[3] == dt.datetime(2027, 4, 8, 10, 0)  # cancelled: left alone
    assert local[4] == dt.datetime(2027, 4, 13, 14, 0)
    assert [m.is_override for m in after] == [False, False, True, False, True]
    # One e-mail per person, with an override for each meeting that moved.
    to_partner = [m for m in mail.outbox if m.to == ["sam@example.com"]]
    assert len(to_partner) == 1
    vevents = ics_of(to_partner[0]).walk("VEVENT")
    assert [v.decoded("RECURRENCE-ID").date() for v in vevents] == [dt.date(2027, 4, 1), dt.date(2027, 4, 15)]
    assert all(v["SEQUENCE"] >= 1 for v in vevents) and {str(v["UID"]) for v in vevents} == {master.uid}


def timezone_local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LONDON).replace(tzinfo=None)


def test_inviting_someone_to_the_rest_of_a_series(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    master = schedule_meeting(
        projects.shared,
        details(),
        repeat=Repeat(Recurrence.WEEKLY, count=4),
        invitees=[world.lead, world.coach],
        by=world.lead,
        base_url=BASE,
    )
    rows = list(Meeting.objects.filter(project=projects.shared).order_by("start"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = invite_people(rows[1], [world.partner, world.coach], by=world.lead, base_url=BASE)
    assert new == [world.partner]
    assert [r.attendance.filter(person=world.partner).exists() for r in rows] == [False, True, True, True]
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    event = ics_of(mail.outbox[0]).walk("VEVENT")[0]
    assert str(event["UID"]) == master.uid and "RRULE" in event
    assert invite_people(rows[1], [world.partner], by=world.lead, base_url=BASE) == []
