"""Meetings journeys: the lead schedules a weekly meeting with papers; the service-user partner (a personal
e-mail address, no NHS account, no JavaScript) receives the invitation with a valid .ics and opens the
papers; moving a meeting sends an update with a higher SEQUENCE; cancelling sends CANCEL; the main pages
work on a phone."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import icalendar
from django.core import mail
from django.utils import timezone

from openqi.meetings.models import Meeting
from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as

PHONE = {"width": 375, "height": 800}


def next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def invitations_to(address: str, method: str) -> list[icalendar.Calendar]:
    found = []
    for message in mail.outbox:
        if message.to != [address]:
            continue
        for name, content, mimetype in message.attachments:
            if name.endswith(".ics") and f"method={method}" in mimetype:
                found.append(icalendar.Calendar.from_ical(content))
    return found


def when_the_lead_schedules_a_weekly_meeting_with_papers(journey: Journey, project, papers) -> None:  # type: ignore[no-untyped-def]
    journey.goto(f"/meetings/projects/{project.pk}/")
    journey.follow("Schedule a meeting")
    day = next_monday()
    journey.fill("Title", "Weekly QI team meeting")
    journey.fill("Date", f"{day.day}/{day.month}/{day.year}")
    journey.fill("Start time", "10:00")
    journey.fill("End time", "11:00")
    journey.fill("Place (optional)", "Wellbeing Centre, room 2")
    journey.fill("Video link (optional)", "https://meet.example/qi-team")
    journey.fill("Agenda (optional)", "1. Completion data\n2. Next PDSA cycle")
    journey.page.get_by_label("Every week", exact=True).check()
    until = day + dt.timedelta(weeks=11)
    journey.fill("Repeat until (for a repeating meeting)", f"{until.day}/{until.month}/{until.year}")
    # With JavaScript the NHS.UK file upload shows a drop area; the file goes into its <input> all the same.
    journey.page.locator("input[type=file][name=papers]").set_input_files(papers)
    journey.press("Schedule and send invitations")


def test_the_partner_receives_the_invitation_and_opens_the_papers(
    journey: Journey, second_journey: Journey, world, projects, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    papers = tmp_path / "Data pack.pdf"
    papers.write_bytes(b"%PDF-1.7\n1 0 obj\n%%EOF\n")
    project = projects.shared

    # Given the project lead is signed in
    given_i_am_signed_in_as(journey, world.lead.email)
    # When they schedule a weekly meeting and attach the papers
    when_the_lead_schedules_a_weekly_meeting_with_papers(journey, project, papers)
    # Then the meeting page shows it, with the paper
    assert "Meeting ‘Weekly QI team meeting’ scheduled." in journey.text
    assert "Every week" in journey.text and "Data pack.pdf" in journey.text
    series = Meeting.objects.filter(project=project).order_by("start")
    assert series.count() == 12

    # And the partner, on a personal e-mail address, has an invitation whose .ics a calendar can read
    [invitation] = invitations_to(world.partner.email, "REQUEST")
    assert invitation["METHOD"] == "REQUEST"
    event = invitation.walk("VEVENT")[0]
    assert str(event["UID"]) == series[0].uid and event["SEQUENCE"] == 0
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART").hour == 10
    assert "mailto:sam@example.com" in [str(a) for a in event["ATTENDEE"]]
    assert [str(z["TZID"]) for z in invitation.walk("VTIMEZONE")] == ["Europe/London"]
    link = str(event["URL"])
    assert link.startswith(journey.base_url)

    # When the partner signs in on their own device (no JavaScript) and follows the link in the invitation
    partner = second_journey
    given_i_am_signed_in_as(partner, world.partner.email)
    partner.goto(link.removeprefix(partner.base_url))
    assert "Weekly QI team meeting" in partner.text and "Wellbeing Centre, room 2" in partner.text
    # Then they can open the papers
    with partner.page.expect_download() as download:
        partner.page.get_by_role("link", name="Data pack.pdf").click()
    assert download.value.suggested_filename == "Data pack.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    # And the meeting is on their own page of meetings
    partner.goto("/meetings/")
    assert "Weekly QI team meeting" in partner.text


def test_moving_sends_an_update_and_cancelling_sends_cancel(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    given_i_am_signed_in_as(journey, world.lead.email)
    journey.goto(f"/meetings/projects/{project.pk}/new/")
    day = next_monday()
    journey.fill("Title", "Data review")
    journey.fill("Date", f"{day.day}/{day.month}/{day.year}")
    journey.fill("Start time", "14:00")
    journey.fill("End time", "15:00")
    journey.fill("Place (optional)", "Room 4")
    journey.press("Schedule and send invitations")
    meeting = Meeting.objects.get(project=project, title="Data review")
    [first] = invitations_to(world.partner.email, "REQUEST")

    # When the lead moves the meeting to the next day
    journey.follow("Change the time or place")
    later = day + dt.timedelta(days=1)
    journey.fill("Date", f"{later.day}/{later.month}/{later.year}")
    journey.press("Save and send the change")
    assert "Everyone invited has been sent the change" in journey.text
    # Then the partner is sent an update of the same event with a higher SEQUENCE
    update = invitations_to(world.partner.email, "REQUEST")[-1]
    before, after = first.walk("VEVENT")[0], update.walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"]) == meeting.uid
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART").date() == later

    # When the lead cancels it
    journey.follow("Cancel the meeting")
    journey.press("Cancel the meeting")
    assert "cancelled" in journey.text
    # Then the partner is sent a CANCEL for the same event
    [cancel] = invitations_to(world.partner.email, "CANCEL")
    event = cancel.walk("VEVENT")[0]
    assert cancel["METHOD"] == "CANCEL" and str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] > after["SEQUENCE"] and str(event["STATUS"]) == "CANCELLED"


def test_the_main_pages_work_on_a_phone(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    start = timezone.now() + dt.timedelta(days=2)
    meeting = Meeting.objects.create(
        project=project,
        title="A meeting with a rather long title to see how it wraps on a small screen",
        start=start,
        end=start + dt.timedelta(hours=1),
        place="Wellbeing Centre, meeting room 2, second floor",
        video_link="https://teams.microsoft.com/l/meetup-join/a-very-long-link-that-must-not-widen-the-page-at-all",
        agenda="1. Data\n2. PDSA",
        created_by=world.lead,
    )
    meeting.attendance.create(person=world.lead)
    project.actions.create(description="Ask the admin team for the completions data", owner=world.lead)
    given_i_am_signed_in_as(journey, world.lead.email)
    journey.page.set_viewport_size(PHONE)
    for path in (
        f"/meetings/projects/{project.pk}/",
        f"/meetings/projects/{project.pk}/{meeting.pk}/",
        f"/meetings/projects/{project.pk}/new/",
        f"/meetings/projects/{project.pk}/actions/",
        "/meetings/",
        "/meetings/calendar/",
        "/meetings/settings/",
    ):
        journey.goto(path)
        width = journey.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide on a phone"
    # The action can be marked done from the phone
    journey.goto(f"/meetings/projects/{project.pk}/actions/")
    journey.page.get_by_role("button", name=re.compile("^Mark as done.*Ask the admin team")).click()
    journey.page.wait_for_load_state()
    assert "Action marked as done." in journey.text
