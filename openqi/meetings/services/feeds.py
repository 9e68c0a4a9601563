"""People's private calendar subscriptions: a secret URL per person, replaceable at any time, serving every
meeting they are invited to (in projects they can still see) as an .ics feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.meetings import calendar
from openqi.meetings.models import CalendarFeed, Meeting, new_feed_token
from openqi.meetings.services.meetings import occurrence_event, series_events
from openqi.projects.access import visible_projects

# How far back a feed reaches: calendars keep what they already have.
FEED_HISTORY = dt.timedelta(days=366)


def feed_of(person: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


@transaction.atomic
def start_feed(person: Any, *, by: Any) -> CalendarFeed:
    """The person's subscription, made on first use."""
    feed, created = CalendarFeed.objects.get_or_create(person=person)
    if created:
        audit.record(by=by, action=AuditEvent.Action.CREATE, instance=feed)
    return feed


@transaction.atomic
def replace_feed(person: Any, *, by: Any) -> CalendarFeed:
    """A new secret URL; the old one stops working at once (for a URL shared by mistake)."""
    feed, _ = CalendarFeed.objects.get_or_create(person=person)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "created_at"])
    audit.record(by=by, action=AuditEvent.Action.REVOKE, instance=feed, changes={"token": ["replaced", None]})
    return feed


@transaction.atomic
def stop_feed(person: Any, *, by: Any) -> None:
    feed = CalendarFeed.objects.filter(person=person).first()
    if feed is not None:
        audit.record(by=by, action=AuditEvent.Action.REVOKE, instance=feed)
        feed.delete()


def person_for_token(token: str) -> Any:
    """The person whose feed this is, or None (unknown or replaced token, or a deactivated account)."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if feed is None or not feed.person.is_active:
        return None
    return feed.person


def feed_events(person: Any, base_url: str) -> list[calendar.CalendarEvent]:
    since = timezone.now() - FEED_HISTORY
    rows = Meeting.objects.filter(
        attendance__person=person, end__gte=since, project__in=visible_projects(person)
    ).values_list("pk", "series_id")
    master_ids = sorted({series_id or pk for pk, series_id in rows})
    masters = (
        Meeting.objects.filter(pk__in=master_ids)
        .select_related("project", "created_by")
        .prefetch_related(
            "attendance__person",
            "occurrences__attendance__person",
            "occurrences__project",
            "occurrences__created_by",
        )
        .order_by("start")
    )
    events: list[calendar.CalendarEvent] = []
    for master in masters:
        if master.recurrence_id is None:
            events.append(occurrence_event(master, base_url))
        else:
            events.extend(series_events(master, base_url))
    return events


def feed_ics(person: Any, base_url: str) -> bytes:
    return calendar.feed_ics(feed_events(person, base_url), name="OpenQI meetings")
