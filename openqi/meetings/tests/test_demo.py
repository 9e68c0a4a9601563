"""The demo: the talking-therapies team's year of weekly meetings with papers, minutes, attendance and
actions; one meeting for each addictions project; seeding twice adds nothing."""

from __future__ import annotations

import io

import icalendar
from django.core.management import call_command
from django.utils import timezone

from openqi.accounts.models import User
from openqi.meetings.models import Action, Attendance, Meeting, MeetingPaper
from openqi.meetings.services import feeds
from openqi.projects.demo import MISSED_APPOINTMENTS, NALOXONE, TALKING_THERAPIES


def test_the_demo_tells_the_meetings_story_and_is_idempotent(db: None, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    call_command("seed_demo", stdout=io.StringIO())
    counts = [m.objects.count() for m in (Meeting, Attendance, Action, MeetingPaper)]
    call_command("seed_demo", stdout=io.StringIO())
    assert [m.objects.count() for m in (Meeting, Attendance, Action, MeetingPaper)] == counts

    series = Meeting.objects.filter(project__title=TALKING_THERAPIES).order_by("start")
    assert series.count() >= 53  # a year of Mondays, and on into the coming weeks
    assert series.filter(start__gt=timezone.now()).exists()
    assert {m.uid for m in series} == {series[0].uid}
    assert {timezone.localtime(m.start).hour for m in series} == {10}  # 10:00 in GMT and in BST
    assert series.exclude(minutes="").count() == 5
    assert series.filter(cancelled_at__isnull=False).count() == 1
    assert MeetingPaper.objects.filter(meeting__project__title=TALKING_THERAPIES).count() >= 5
    for title in (MISSED_APPOINTMENTS, NALOXONE):
        assert Meeting.objects.filter(project__title=title).count() == 1

    # Sam, the partner, is invited to every meeting and has open actions; the feed holds the series.
    sam = User.objects.get(email="sam.taylor.partner@example.com")
    assert Attendance.objects.filter(person=sam).count() == series.count()
    assert Action.objects.filter(owner=sam, done_on__isnull=True).exists()
    calendar = icalendar.Calendar.from_ical(feeds.feed_ics(sam, "http://127.0.0.1:8000"))
    events = calendar.walk("VEVENT")
    assert len(events) == 1 and len(events[0]["EXDATE"].dts) == 1  # the cancelled Christmas meeting
