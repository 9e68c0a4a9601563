"""The .ics the calendar module writes, read back with icalendar as a calendar program would."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core import mail

from openqi.meetings.calendar import CalendarEvent, feed_ics, invitation_ics, send_invitation

LONDON = zoneinfo.ZoneInfo("Europe/London")


def weekly(sequence: int = 0, **changes: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": "series-1@openqi",
        "sequence": sequence,
        "summary": "Talking therapies QI team",
        "description": "Agenda: data review",
        # Thursday before the clocks go forward (29 March 2026) and run past it.
        "start": dt.datetime(2026, 3, 19, 10, 0, tzinfo=LONDON),
        "end": dt.datetime(2026, 3, 19, 11, 0, tzinfo=LONDON),
        "location": "Wellbeing Centre, room 2",
        "url": "https://openqi.example/meetings/1",
        "rrule": {"FREQ": "WEEKLY", "COUNT": 4},
        "organiser": ("Tom Price", "lead@northshire.nhs.uk"),
        "attendees": [("Sam Taylor", "sam.taylor@example.com"), ("Dan Okafor", "coach@northshire.nhs.uk")],
    }
    values.update(changes)
    return CalendarEvent(**values)  # type: ignore[arg-type]


def parsed(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_an_invitation_is_a_request_with_uid_sequence_people_and_rule() -> None:
    calendar = parsed(invitation_ics(weekly(sequence=3)))
    assert calendar["METHOD"] == "REQUEST"
    event = only_event(calendar)
    assert str(event["UID"]) == "series-1@openqi"
    assert event["SEQUENCE"] == 3
    assert str(event["SUMMARY"]) == "Talking therapies QI team"
    assert str(event["LOCATION"]) == "Wellbeing Centre, room 2"
    assert str(event["ORGANIZER"]) == "mailto:lead@northshire.nhs.uk"
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:sam.taylor@example.com", "mailto:coach@northshire.nhs.uk"]
    assert attendees[0].params["CN"] == "Sam Taylor"
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["COUNT"] == [4]
    assert str(event["STATUS"]) == "CONFIRMED"


def test_times_are_in_london_with_a_vtimezone_that_knows_the_clock_change() -> None:
    calendar = parsed(invitation_ics(weekly()))
    event = only_event(calendar)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]
    # Expanding the series with the calendar's own time zone keeps 10:00 local: 10:00 UTC before the
    # clocks go forward, 09:00 UTC after.
    starts = [moment.astimezone(dt.UTC) for moment in _expand(event)]
    assert [s.hour for s in starts] == [10, 10, 9, 9]  # 19 and 26 March in GMT, 2 and 9 April in BST
    assert all(m.astimezone(LONDON).hour == 10 for m in starts)
    # The VTIMEZONE itself says when the offset changes: BST from 29 March 2026 at 01:00 UTC.
    tz = zones[0].to_tz()
    assert dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC).astimezone(tz).utcoffset() == dt.timedelta(0)
    assert dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC).astimezone(tz).utcoffset() == dt.timedelta(hours=1)


def _expand(event: icalendar.Event) -> list[dt.datetime]:
    from dateutil.rrule import rrulestr

    start = event.decoded("DTSTART")
    return list(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))


def test_the_vtimezone_comes_before_the_events() -> None:
    text = invitation_ics(weekly()).decode()
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")


def test_a_cancellation_keeps_the_uid_and_says_cancel() -> None:
    calendar = parsed(invitation_ics(weekly(sequence=4), method="CANCEL"))
    assert calendar["METHOD"] == "CANCEL"
    event = only_event(calendar)
    assert str(event["UID"]) == "series-1@openqi" and event["SEQUENCE"] == 4
    assert str(event["STATUS"]) == "CANCELLED"


def test_one_occurrence_is_an_override_with_a_recurrence_id_and_no_rule() -> None:
    moved = weekly(
        sequence=1,
        start=dt.datetime(2026, 4, 2, 14, 0, tzinfo=LONDON),
        end=dt.datetime(2026, 4, 2, 15, 0, tzinfo=LONDON),
        recurrence_id=dt.datetime(2026, 4, 2, 10, 0, tzinfo=LONDON),
    )
    event = only_event(parsed(invitation_ics(moved)))
    assert event.decoded("RECURRENCE-ID") == dt.datetime(2026, 4, 2, 10, 0, tzinfo=LONDON)
    assert event.decoded("DTSTART").hour == 14
    assert "RRULE" not in event


def test_a_feed_publishes_every_event_with_exdates() -> None:
    cancelled_one = dt.datetime(2026, 3, 26, 10, 0, tzinfo=LONDON)
    one_off = weekly(uid="one-off@openqi", rrule=None, summary="Kick-off")
    calendar = parsed(feed_ics([weekly(exdates=(cancelled_one,)), one_off], name="My meetings"))
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "My meetings"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"series-1@openqi", "one-off@openqi"}
    exdates = events["series-1@openqi"]["EXDATE"]
    assert [d.dt for d in exdates.dts] == [cancelled_one]


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        invitation_ics(weekly(start=dt.datetime(2026, 3, 19, 10, 0)))


def test_send_invitation_mails_each_address_with_the_ics_after_commit(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    db: None,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(
            weekly(sequence=2),
            ["sam.taylor@example.com", "coach@northshire.nhs.uk", "sam.taylor@example.com"],
            method="REQUEST",
            subject="Invitation: Talking therapies QI team",
            text="You are invited.",
        )
        assert mail.outbox == []  # nothing before the change commits
    assert sorted(m.to[0] for m in mail.outbox) == ["coach@northshire.nhs.uk", "sam.taylor@example.com"]
    message = mail.outbox[0]
    assert message.subject == "Invitation: Talking therapies QI team"
    attached = [a for a in message.attachments if a[0] == "invite.ics"]
    assert len(attached) == 1
    name, content, mimetype = attached[0]
    assert mimetype.startswith("text/calendar") and "method=REQUEST" in mimetype
    event = only_event(parsed(content if isinstance(content, bytes) else content.encode()))
    assert event["SEQUENCE"] == 2
    # Outlook reads the text/calendar alternative part.
    assert any("method=REQUEST" in kind for _body, kind in message.alternatives)
