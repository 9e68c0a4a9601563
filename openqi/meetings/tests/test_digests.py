"""The daily digest: overdue actions and tomorrow's meetings with their papers, one e-mail per person per
day, as each person asked."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from openqi.meetings.models import EmailFrequency, Meeting
from openqi.meetings.services import notify
from openqi.meetings.services.actions import add_action, set_done
from openqi.meetings.services.meetings import MeetingDetails, add_papers, cancel_meeting, schedule_meeting
from openqi.projects.forms.story import attachment_kind

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = dt.date(2027, 3, 17)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def meeting_on(world, project, day: dt.date, hour: int = 10) -> Meeting:  # type: ignore[no-untyped-def]
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)
    return schedule_meeting(
        project,
        MeetingDetails(
            title="QI team meeting", start=start, end=start + dt.timedelta(hours=1), place="Room 2"
        ),
        invitees=[world.lead, world.partner],
        by=world.lead,
        base_url="http://testserver",
    )


def test_one_digest_with_overdue_actions_and_tomorrows_meeting_and_papers(world, projects) -> None:  # type: ignore[no-untyped-def]
    meeting = meeting_on(world, projects.shared, TODAY + dt.timedelta(days=1))
    upload = SimpleUploadedFile("data-pack.pdf", b"%PDF-1.7\n%%EOF\n")
    add_papers(meeting, [(upload, attachment_kind(upload))], by=world.lead)
    meeting_on(world, projects.shared, TODAY + dt.timedelta(days=2))  # not tomorrow: not in it
    add_action(
        projects.shared,
        description="Phone the admin team",
        owner=world.partner,
        due_on=TODAY - dt.timedelta(days=1),
        by=world.lead,
    )
    add_action(
        projects.shared, description="Due today, not late", owner=world.partner, due_on=TODAY, by=world.lead
    )
    done = add_action(
        projects.shared,
        description="Already done",
        owner=world.partner,
        due_on=TODAY - dt.timedelta(days=5),
        by=world.lead,
    )
    set_done(done, done=True, by=world.partner)
    mail.outbox.clear()

    assert notify.send_daily_digests(TODAY) == 2  # the partner and the lead (invited to tomorrow's)
    to_partner = [m for m in mail.outbox if m.to == ["sam@example.com"]]
    assert len(to_partner) == 1
    body = to_partner[0].body
    assert "QI team meeting" in body and "Room 2" in body and "data-pack.pdf" in body
    assert f"/meetings/projects/{projects.shared.pk}/{meeting.pk}/papers/" in body
    assert "Phone the admin team" in body
    assert "Due today, not late" not in body and "Already done" not in body
    assert to_partner[0].subject == "OpenQI: 1 meeting tomorrow and 1 overdue action"
    # A second run on the same day sends nothing again.
    mail.outbox.clear()
    assert notify.send_daily_digests(TODAY) == 0 and mail.outbox == []


def test_people_who_asked_for_nothing_get_nothing(world, projects) -> None:  # type: ignore[no-untyped-def]
    meeting_on(world, projects.shared, TODAY + dt.timedelta(days=1))
    notify.set_frequency(world.partner, EmailFrequency.NONE)
    notify.set_frequency(world.lead, EmailFrequency.IMMEDIATE)
    mail.outbox.clear()
    notify.send_daily_digests(TODAY)
    assert [m.to for m in mail.outbox] == [["lead@northshire.nhs.uk"]]


def test_cancelled_meetings_and_nothing_to_say_send_nothing(world, projects) -> None:  # type: ignore[no-untyped-def]
    meeting = meeting_on(world, projects.shared, TODAY + dt.timedelta(days=1))
    cancel_meeting(meeting, by=world.lead, base_url="http://testserver")
    mail.outbox.clear()
    assert notify.send_daily_digests(TODAY) == 0 and mail.outbox == []


def test_tomorrow_is_a_local_day(world, projects) -> None:  # type: ignore[no-untyped-def]
    # 00:30 on 18 March in London is still 18 March (and 23:30 on the 17th is not tomorrow).
    meeting_on(world, projects.shared, TODAY + dt.timedelta(days=1), hour=0)
    meeting_on(world, projects.shared, TODAY, hour=23)
    digest = notify.digest_for(world.partner, TODAY)
    assert [timezone_day(m) for m in digest.tomorrow] == [TODAY + dt.timedelta(days=1)]


def timezone_day(meeting: Meeting) -> dt.date:
    return meeting.start.astimezone(LONDON).date()


def test_the_command_sends_now_or_queues(world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    meeting_on(world, projects.shared, TODAY + dt.timedelta(days=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_meeting_digests", "--date", TODAY.isoformat())
    # Tests run queued work at once (the immediate backend), as the worker would.
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@northshire.nhs.uk", "sam@example.com"]
    mail.outbox.clear()
    call_command("send_meeting_digests", "--date", TODAY.isoformat(), "--now")
    assert mail.outbox == []


def test_people_who_want_it_straight_away_hear_of_new_papers(
    world,
    projects,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    meeting = meeting_on(world, projects.shared, TODAY + dt.timedelta(days=3))
    notify.set_frequency(world.partner, EmailFrequency.IMMEDIATE)
    mail.outbox.clear()
    upload = SimpleUploadedFile("agenda.pdf", b"%PDF-1.7\n%%EOF\n")
    with django_capture_on_commit_callbacks(execute=True):
        add_papers(meeting, [(upload, attachment_kind(upload))], by=world.lead)
    # Only the partner asked for it; the lead added the papers.
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    assert "agenda.pdf" in mail.outbox[0].body
    assert f"/meetings/projects/{projects.shared.pk}/{meeting.pk}/papers/" in mail.outbox[0].body
