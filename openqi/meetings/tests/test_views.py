"""The meetings pages end to end through Django's test client (no JavaScript involved)."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openqi.meetings.models import (
    Action,
    AttendanceStatus,
    EmailFrequency,
    Meeting,
    NotificationPreference,
    Recurrence,
)
from openqi.meetings.services.meetings import MeetingDetails, Repeat, schedule_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def signed_in(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person)
    return client


def next_thursday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(3 - today.weekday()) % 7 or 7)


def schedule_form(world, **changes):  # type: ignore[no-untyped-def]
    day = next_thursday()
    data = {
        "title": "Weekly QI team meeting",
        "day": f"{day.day}/{day.month}/{day.year}",
        "start_time": "10:00",
        "end_time": "11:00",
        "place": "Wellbeing Centre, room 2",
        "video_link": "https://meet.example/qi-team",
        "agenda": "1. Completion data\n2. Next PDSA",
        "recurrence": "weekly",
        "until": f"{(day + dt.timedelta(weeks=3)).strftime('%d/%m/%Y')}",
        "invitees": [str(world.lead.pk), str(world.partner.pk), str(world.coach.pk)],
    }
    data.update(changes)
    return data


def test_the_lead_schedules_a_weekly_meeting_with_papers_and_the_partner_opens_them(
    world,
    projects,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    project = projects.shared
    lead = signed_in(world.lead)
    form = lead.get(reverse("meetings:schedule", kwargs={"pk": project.pk}))
    assert form.status_code == 200 and b"Schedule and send invitations" in form.content
    data = schedule_form(world)
    data["papers"] = SimpleUploadedFile("papers.pdf", b"%PDF-1.7\nagenda\n%%EOF\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(reverse("meetings:schedule", kwargs={"pk": project.pk}), data)
    assert response.status_code == 302
    master = Meeting.objects.get(project=project, series__isnull=True)
    assert response.url == reverse("meetings:detail", kwargs={"pk": project.pk, "meeting_pk": master.pk})
    assert Meeting.objects.filter(project=project).count() == 4
    # The partner's invitation went to their personal address, with an .ics a calendar can read.
    [to_partner] = [m for m in mail.outbox if m.to == ["sam@example.com"]]
    ics = next(c for name, c, _t in to_partner.attachments if name == "invite.ics")
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["UID"]) == master.uid and event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert "http://testserver/meetings/projects/" in to_partner.body  # links to the serving address
    # The partner opens the meeting and its paper.
    partner = signed_in(world.partner)
    page = partner.get(reverse("meetings:detail", kwargs={"pk": project.pk, "meeting_pk": master.pk}))
    assert b"papers.pdf" in page.content and b"Join by video" in page.content
    paper = master.papers.get()
    download = partner.get(
        reverse("meetings:paper", kwargs={"pk": project.pk, "meeting_pk": master.pk, "paper_pk": paper.pk})
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_a_bad_schedule_shows_the_error_summary(world, projects) -> None:  # type: ignore[no-untyped-def]
    lead = signed_in(world.lead)
    data = schedule_form(world, end_time="09:00", video_link="http://insecure.example", until="")
    data["papers"] = SimpleUploadedFile("agenda.pdf", b"<html><script>alert(1)</script>")
    response = lead.post(reverse("meetings:schedule", kwargs={"pk": projects.shared.pk}), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "End time must be after the start time" in page
    assert "Video link must start with https://" in page
    assert "Enter the date of the last meeting in the series" in page
    assert "is not a real PDF" in page
    assert "Choose your files again" in page
    assert not Meeting.objects.exists()


def test_the_personal_data_guard_reads_the_agenda(world, projects) -> None:  # type: ignore[no-untyped-def]
    lead = signed_in(world.lead)
    data = schedule_form(world, agenda="Discuss NHS number 943 476 5919", recurrence="none")
    response = lead.post(reverse("meetings:schedule", kwargs={"pk": projects.shared.pk}), data)
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "identify a patient" in response.content.decode()


def _meeting(world, project) -> Meeting:  # type: ignore[no-untyped-def]
    start = timezone.now() + dt.timedelta(days=1)
    return schedule_meeting(
        project,
        MeetingDetails(title="QI team", start=start, end=start + dt.timedelta(hours=1)),
        invitees=[world.lead, world.partner, world.coach],
        by=world.lead,
        base_url="http://testserver",
    )


def test_moving_a_meeting_from_the_page_sends_an_update(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    meeting = _meeting(world, projects.shared)
    url = reverse("meetings:edit", kwargs={"pk": projects.shared.pk, "meeting_pk": meeting.pk})
    lead = signed_in(world.lead)
    initial = lead.get(url)
    assert initial.status_code == 200
    day = timezone.localtime(meeting.start).date() + dt.timedelta(days=1)
    data = {
        "title": "QI team",
        "day": day.strftime("%d/%m/%Y"),
        "start_time": "14:00",
        "end_time": "15:00",
        "version": "1",
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert lead.post(url, data).status_code == 302
    assert {m.to[0] for m in mail.outbox} == {"sam@example.com", "coach@northshire.nhs.uk"}
    event = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    # Someone else's stale form is refused, keeping their text.
    stale = lead.post(url, {**data, "title": "Stale title"})
    assert stale.status_code == 200 and "Someone else changed this record" in stale.content.decode()


def test_cancelling_from_the_page(world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    meeting = _meeting(world, projects.shared)
    url = reverse("meetings:cancel", kwargs={"pk": projects.shared.pk, "meeting_pk": meeting.pk})
    partner = signed_in(world.partner)
    assert b"Cancel the meeting" in partner.get(url).content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert partner.post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    methods = {icalendar.Calendar.from_ical(m.attachments[0][1])["METHOD"] for m in mail.outbox}
    assert methods == {"CANCEL"}
    # The partner cancelled, so the lead (the organiser) is told too.
    assert "lead@northshire.nhs.uk" not in {m.to[0] for m in mail.outbox}


def test_minutes_attendance_and_actions(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    meeting = _meeting(world, project)
    lead = signed_in(world.lead)
    kwargs = {"pk": project.pk, "meeting_pk": meeting.pk}
    assert (
        lead.post(
            reverse("meetings:minutes", kwargs=kwargs),
            {"minutes": "Agreed to test the text reminder.", "version": "1"},
        ).status_code
        == 302
    )
    rows = list(meeting.attendance.order_by("id"))
    statuses = {f"person_{r.pk}": AttendanceStatus.ATTENDED for r in rows}
    statuses[f"person_{rows[1].pk}"] = AttendanceStatus.APOLOGIES
    assert lead.post(reverse("meetings:attendance", kwargs=kwargs), statuses).status_code == 302
    assert sorted(meeting.attendance.values_list("status", flat=True)) == [
        "apologies",
        "attended",
        "attended",
    ]
    response = lead.post(
        reverse("meetings:meeting_action_add", kwargs=kwargs),
        {"description": "Draft the text reminder", "owner": str(world.partner.pk), "due_on": "1/1/2027"},
    )
    assert response.status_code == 302
    action = Action.objects.get(meeting=meeting)
    assert action.owner == world.partner and action.due_on == dt.date(2027, 1, 1)
    page = lead.get(reverse("meetings:detail", kwargs=kwargs)).content.decode()
    assert (
        "Agreed to test the text reminder." in page
        and "Draft the text reminder" in page
        and "Sent apologies".lower() in page
    )
    # The partner marks it done from their own actions page.
    partner = signed_in(world.partner)
    assert "Draft the text reminder" in partner.get(reverse("meetings:my_actions")).content.decode()
    done = partner.post(
        reverse("meetings:action_done", kwargs={"pk": project.pk, "action_pk": action.pk}),
        {"done": "on", "next": reverse("meetings:my_actions")},
    )
    assert done.status_code == 302 and done.url == reverse("meetings:my_actions")
    action.refresh_from_db()
    assert action.is_done
    # An outside address is never followed.
    again = partner.post(
        reverse("meetings:action_done", kwargs={"pk": project.pk, "action_pk": action.pk}),
        {"next": "https://evil.example/"},
    )
    assert again.url == reverse("meetings:project_actions", kwargs={"pk": project.pk})


def test_the_timeline_and_overview_show_meetings_minutes_and_actions(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    start = timezone.now() - dt.timedelta(days=3)
    held = schedule_meeting(
        project,
        MeetingDetails(title="Kick-off", start=start, end=start + dt.timedelta(hours=1)),
        invitees=[world.lead],
        by=world.lead,
        base_url="http://testserver",
    )
    held.minutes = "We agreed the aim."
    held.save()
    Action.objects.create(project=project, description="Collect baseline data", owner=world.lead)
    lead = signed_in(world.lead)
    timeline = lead.get(reverse("projects:timeline", kwargs={"pk": project.pk})).content.decode()
    assert "Meeting: Kick-off" in timeline and "Minutes: Kick-off" in timeline
    overview = lead.get(reverse("projects:detail", kwargs={"pk": project.pk})).content.decode()
    assert "Open actions" in overview and "Collect baseline data" in overview
    home = lead.get(reverse("core:home")).content.decode()
    assert "My actions and meetings" in home and "Collect baseline data" in home


def test_preferences_and_subscription_pages(world) -> None:  # type: ignore[no-untyped-def]
    partner = signed_in(world.partner)
    url = reverse("meetings:preferences")
    assert partner.get(url).status_code == 200
    bad = partner.post(url, {"frequency": "hourly"})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    assert partner.post(url, {"frequency": EmailFrequency.NONE}).status_code == 302
    assert NotificationPreference.objects.get(person=world.partner).frequency == EmailFrequency.NONE
    sub = reverse("meetings:subscription")
    assert b"Make my private address" in partner.get(sub).content
    partner.post(sub, {"do": "start"})
    first = partner.get(sub).content.decode()
    assert "/meetings/calendar/" in first and ".ics" in first
    partner.post(sub, {"do": "replace"})
    assert partner.get(sub).content.decode() != first
    partner.post(sub, {"do": "stop"})
    assert b"Make my private address" in partner.get(sub).content


def test_search_finds_a_project_by_its_minutes(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    meeting = _meeting(world, project)
    lead = signed_in(world.lead)
    kwargs = {"pk": project.pk, "meeting_pk": meeting.pk}
    lead.post(
        reverse("meetings:minutes", kwargs=kwargs),
        {"minutes": "We chose the zebrafinch pilot.", "version": "1"},
    )
    found = lead.get(reverse("projects:list"), {"q": "zebrafinch"}).content.decode()
    assert project.title in found
    assert project.title not in lead.get(reverse("projects:list"), {"q": "okapi"}).content.decode()


def test_papers_are_limited_per_upload_and_per_meeting(world, projects) -> None:  # type: ignore[no-untyped-def]
    meeting = _meeting(world, projects.shared)
    url = reverse("meetings:papers", kwargs={"pk": projects.shared.pk, "meeting_pk": meeting.pk})
    lead = signed_in(world.lead)

    def pdfs(n: int) -> list[SimpleUploadedFile]:
        return [SimpleUploadedFile(f"paper {i}.pdf", b"%PDF-1.7\n%%EOF\n") for i in range(n)]

    too_many = lead.post(url, {"papers": pdfs(4)})
    assert "Choose up to 3 files at a time" in too_many.content.decode()
    for _ in range(3):
        assert lead.post(url, {"papers": pdfs(3)}).status_code == 302
    full = lead.post(url, {"papers": pdfs(2)})
    assert "A meeting can have up to 10 papers: choose 1 or fewer" in full.content.decode()
    assert meeting.papers.count() == 9
    # A paper can be removed again; its file goes with it.
    paper = meeting.papers.first()
    assert paper is not None
    removed = lead.post(
        reverse(
            "meetings:paper_remove",
            kwargs={"pk": projects.shared.pk, "meeting_pk": meeting.pk, "paper_pk": paper.pk},
        )
    )
    assert removed.status_code == 302 and meeting.papers.count() == 8


def test_an_actions_owner_may_tick_it_off_whatever_their_level(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    theirs = Action.objects.create(
        project=project, description="Unblock the room booking", owner=world.sponsor
    )
    someone_elses = Action.objects.create(project=project, description="Print leaflets", owner=world.lead)
    sponsor = signed_in(world.sponsor)  # the sponsor can read the project, not change it
    page = sponsor.get(reverse("meetings:project_actions", kwargs={"pk": project.pk})).content.decode()
    assert page.count("Mark as done") == 1 and "Add an action" not in page
    home = sponsor.get(reverse("core:home")).content.decode()
    assert "Unblock the room booking" in home and "Mark as done" in home
    done = reverse("meetings:action_done", kwargs={"pk": project.pk, "action_pk": theirs.pk})
    assert sponsor.post(done, {"done": "on"}).status_code == 302
    other = reverse("meetings:action_done", kwargs={"pk": project.pk, "action_pk": someone_elses.pk})
    assert sponsor.post(other, {"done": "on"}).status_code == 403
    theirs.refresh_from_db()
    someone_elses.refresh_from_db()
    assert theirs.is_done and not someone_elses.is_done


def test_inviting_someone_else_from_the_meeting_page(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    start = timezone.now() + dt.timedelta(days=1)
    meeting = schedule_meeting(
        projects.shared,
        MeetingDetails(title="QI team", start=start, end=start + dt.timedelta(hours=1)),
        invitees=[world.lead],
        by=world.lead,
        base_url="http://testserver",
    )
    url = reverse("meetings:invite", kwargs={"pk": projects.shared.pk, "meeting_pk": meeting.pk})
    lead = signed_in(world.lead)
    page = lead.get(url).content.decode()
    assert "Sam Taylor" in page and "Tom Price" not in page.split("Who else to invite")[1]
    assert "Select at least one person" in lead.post(url, {}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert lead.post(url, {"people": [str(world.partner.pk)]}).status_code == 302
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    assert meeting.attendance.filter(person=world.partner).exists()


def test_past_meetings_come_a_page_at_a_time(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    start = timezone.now() - dt.timedelta(weeks=30)
    schedule_meeting(
        project,
        MeetingDetails(title="Weekly", start=start, end=start + dt.timedelta(hours=1)),
        repeat=Repeat(Recurrence.WEEKLY, count=25),
        invitees=[world.lead],
        by=world.lead,
        base_url="http://testserver",
    )
    lead = signed_in(world.lead)
    url = reverse("meetings:project_meetings", kwargs={"pk": project.pk})
    first = lead.get(url, {"show": "past"}).content.decode()
    assert "Meetings 1 to 20 of 25, latest first." in first and "Earlier meetings" in first
    second = lead.get(url, {"show": "past", "page": "2"}).content.decode()
    assert "Meetings 21 to 25 of 25" in second and "Later meetings" in second
    assert second.count('data-testid="meeting"') == 5
    # A page number past the end, or not a number, shows a real page.
    assert "Meetings 21 to 25 of 25" in lead.get(url, {"show": "past", "page": "99"}).content.decode()
    assert "Meetings 1 to 20 of 25" in lead.get(url, {"show": "past", "page": "²"}).content.decode()
