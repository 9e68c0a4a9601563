"""Calendar entries as RFC 5545 (.ics) through the `icalendar` library: invitations by e-mail (iTIP
METHOD:REQUEST / CANCEL, RFC 5546) and subscription feeds.

What calendar programs (Gmail, Outlook, Apple) need to treat an e-mail as an invitation and to keep it up
to date: a UID that never changes for the event, a SEQUENCE that grows with every change, METHOD in the
calendar and in the attachment's content type, an ORGANIZER and ATTENDEEs, and times in a named time zone
with its VTIMEZONE, so that a weekly 10:00 meeting stays at 10:00 after the clocks change.

This module knows nothing of the Meeting model: the coaching app builds CalendarEvents for its sessions too.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from openqi.core.mail import subject_line
from openqi.core.tasks import background_task, enqueue_on_commit

PRODID = "-//OpenQI//Meetings//EN"
LONDON = zoneinfo.ZoneInfo("Europe/London")

Method = Literal["REQUEST", "CANCEL", "PUBLISH"]


@dataclass(frozen=True)
class CalendarEvent:
    """One calendar event, or one occurrence of a recurring one (`recurrence_id` set).

    `rrule` is the recurrence as icalendar takes it, e.g. {"FREQ": "WEEKLY", "INTERVAL": 2, "COUNT": 10}.
    Times are aware datetimes; they are written in Europe/London. `organiser` and `attendees` are
    (name, e-mail) pairs."""

    uid: str
    sequence: int
    summary: str
    start: dt.datetime
    end: dt.datetime
    description: str = ""
    location: str = ""
    url: str = ""
    rrule: dict[str, Any] | None = None
    organiser: tuple[str, str] | None = None
    attendees: Sequence[tuple[str, str]] = ()
    recurrence_id: dt.datetime | None = None
    # Occurrences of a series that no longer happen (EXDATE).
    exdates: Sequence[dt.datetime] = field(default_factory=tuple)
    cancelled: bool = False


def _london(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        raise ValueError("calendar times must be aware datetimes")
    return moment.astimezone(LONDON)


def _person(address: str, name: str, **params: str) -> icalendar.vCalAddress:
    person = icalendar.vCalAddress(f"mailto:{address}")
    if name:
        person.params["CN"] = icalendar.vText(name)
    for key, value in params.items():
        person.params[key] = icalendar.vText(value)
    return person


def _vevent(event: CalendarEvent, method: Method, stamp: dt.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.summary)
    vevent.add("dtstart", _london(event.start))
    vevent.add("dtend", _london(event.end))
    if event.recurrence_id is not None:
        vevent.add("recurrence-id", _london(event.recurrence_id))
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.rrule and event.recurrence_id is None:
        vevent.add("rrule", event.rrule)
        for moment in event.exdates:
            vevent.add("exdate", _london(moment))
    cancelled = method == "CANCEL" or event.cancelled
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    if event.organiser is not None:
        name, address = event.organiser
        vevent.add("organizer", _person(address, name))
    for name, address in event.attendees:
        vevent.add(
            "attendee",
            _person(address, name, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"),
            encode=False,
        )
    return vevent


def _calendar(events: Sequence[CalendarEvent], method: Method, name: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/London")
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    if events:
        first = min(e.start for e in events).date() - dt.timedelta(days=366)
        last = max(e.end for e in events).date() + dt.timedelta(days=3 * 366)
        # Only the clock changes around these events (a VTIMEZONE from 1970 to 2038 is 10 KB per e-mail),
        # and before the events, where every calendar program looks for it.
        calendar.add_component(
            icalendar.Timezone.from_tzid("Europe/London", first_date=first, last_date=last)
        )
    for event in events:
        calendar.add_component(_vevent(event, method, stamp))
    data: bytes = calendar.to_ical()
    return data


def invitation_ics(event: CalendarEvent, method: Method = "REQUEST") -> bytes:
    """The .ics of an invitation (REQUEST: new or changed, with a higher SEQUENCE) or a cancellation."""
    return _calendar([event], method)


def invitation_ics_of(events: Sequence[CalendarEvent], method: Method = "REQUEST") -> bytes:
    """An invitation of several VEVENTs of one UID: a series with its moved occurrences."""
    return _calendar(list(events), method)


def feed_ics(events: Iterable[CalendarEvent], *, name: str = "OpenQI meetings") -> bytes:
    """A subscription feed (METHOD:PUBLISH): every event as it now stands, cancelled ones marked so."""
    return _calendar(list(events), "PUBLISH", name)


def content_type(method: Method) -> str:
    return f'text/calendar; charset="utf-8"; method={method}'


def _message(ics: bytes, address: str, *, method: Method, subject: str, text: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject_line(subject), body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
    )
    # Outlook reads the text/calendar alternative; Gmail and Apple read the attachment too.
    message.attach_alternative(ics.decode("utf-8"), content_type(method))
    message.attach("invite.ics" if method != "CANCEL" else "cancel.ics", ics, content_type(method))
    return message


def send_invitation_now(
    event: CalendarEvent | Sequence[CalendarEvent],
    recipients: Iterable[str],
    *,
    method: Method,
    subject: str,
    text: str,
) -> int:
    """E-mail the invitation to each address, one message each (no address sees the others'). Returns how
    many were sent."""
    events = [event] if isinstance(event, CalendarEvent) else list(event)
    ics = _calendar(events, method)
    sent = 0
    for address in dict.fromkeys(a.strip() for a in recipients if a and a.strip()):
        sent += _message(ics, address, method=method, subject=subject, text=text).send()
    return sent


def _rule_to_json(rule: dict[str, Any] | None) -> dict[str, Any] | None:
    """A rule for the task queue's JSON: UNTIL (a datetime) as ISO text."""
    if rule is None:
        return None
    return {k: {"datetime": v.isoformat()} if isinstance(v, dt.datetime) else v for k, v in rule.items()}


def _rule_from_json(rule: dict[str, Any] | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    return {
        k: dt.datetime.fromisoformat(v["datetime"]) if isinstance(v, dict) and "datetime" in v else v
        for k, v in rule.items()
    }


def _event_to_json(event: CalendarEvent) -> dict[str, Any]:
    return {
        "uid": event.uid,
        "sequence": event.sequence,
        "summary": event.summary,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "description": event.description,
        "location": event.location,
        "url": event.url,
        "rrule": _rule_to_json(event.rrule),
        "organiser": list(event.organiser) if event.organiser else None,
        "attendees": [list(a) for a in event.attendees],
        "recurrence_id": event.recurrence_id.isoformat() if event.recurrence_id else None,
        "exdates": [m.isoformat() for m in event.exdates],
        "cancelled": event.cancelled,
    }


def _event_from_json(data: dict[str, Any]) -> CalendarEvent:
    organiser = data.get("organiser")
    return CalendarEvent(
        uid=data["uid"],
        sequence=data["sequence"],
        summary=data["summary"],
        start=dt.datetime.fromisoformat(data["start"]),
        end=dt.datetime.fromisoformat(data["end"]),
        description=data.get("description", ""),
        location=data.get("location", ""),
        url=data.get("url", ""),
        rrule=_rule_from_json(data.get("rrule")),
        organiser=(organiser[0], organiser[1]) if organiser else None,
        attendees=[(a[0], a[1]) for a in data.get("attendees", [])],
        recurrence_id=dt.datetime.fromisoformat(data["recurrence_id"]) if data.get("recurrence_id") else None,
        exdates=tuple(dt.datetime.fromisoformat(m) for m in data.get("exdates", [])),
        cancelled=data.get("cancelled", False),
    )


@background_task(label="Send calendar invitations", attempts=4, first_delay=dt.timedelta(minutes=2))
def send_invitation_task(
    *,
    organisation_id: int | None,
    events: list[dict[str, Any]],
    recipients: list[str],
    method: str,
    subject: str,
    text: str,
) -> int:
    method_checked: Method = "CANCEL" if method == "CANCEL" else "REQUEST"
    return send_invitation_now(
        [_event_from_json(e) for e in events],
        recipients,
        method=method_checked,
        subject=subject,
        text=text,
    )


def send_invitation(
    event: CalendarEvent | Sequence[CalendarEvent],
    recipients: Iterable[str],
    *,
    method: Method,
    subject: str,
    text: str,
    organisation_id: int | None = None,
) -> None:
    """Queue the invitation e-mails for when the current change commits (a rolled-back change sends
    nothing). Any address will do: NHS, personal, another organisation's."""
    events = [event] if isinstance(event, CalendarEvent) else list(event)
    enqueue_on_commit(
        send_invitation_task,
        organisation_id=organisation_id,
        events=[_event_to_json(e) for e in events],
        recipients=list(recipients),
        method=method,
        subject=subject,
        text=text,
    )
