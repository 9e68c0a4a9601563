"""The meetings API: scheduling invites the team by e-mail with an .ics; the .ics download; actions added
and marked done; the same checks as the pages (personal-data guard, https video links, team-only owners)."""

from __future__ import annotations

import icalendar
import pytest
from django.core import mail

from openqi.api.tests.helpers import API, ApiClient
from openqi.core.models import AuditEvent
from openqi.meetings.models import Action, Meeting

pytestmark = pytest.mark.django_db

SERIES = {
    "title": "QI team meeting",
    "start": "2027-03-18T10:00:00+00:00",
    "end": "2027-03-18T11:00:00+00:00",
    "place": "Wellbeing Centre",
    "recurrence": "weekly",
    "until": "2027-04-08",
}


def test_schedule_list_and_download_a_series(world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    lead = ApiClient(world.lead)
    base = f"{API}/projects/{projects.shared.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        made = lead.post(f"{base}/meetings", SERIES)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["recurrence"]["code"] == "weekly" and body["series_id"] == body["id"]
    assert {a["person"]["name"] for a in body["attendance"]} == {
        "Tom Price",
        "Sam Taylor",
        "Dan Okafor",
        "Helen Marsh",
    }
    assert "sam@example.com" in {m.to[0] for m in mail.outbox}
    listed = lead.get(f"{base}/meetings", {"when": "all"}).json()
    assert listed["count"] == 4
    assert [i["start"][:10] for i in listed["items"]] == [
        "2027-03-18",
        "2027-03-25",
        "2027-04-01",
        "2027-04-08",
    ]
    # 10:00 UK time all along: 10:00 UTC in March, 09:00 UTC after the clocks go forward.
    assert [i["start"][11:13] for i in listed["items"]] == ["10", "10", "09", "09"]
    ics = ApiClient(world.sponsor).get(f"{base}/meetings/{listed['items'][2]['id']}/ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["UID"]) == body["uid"] and event["RRULE"]["FREQ"] == ["WEEKLY"]


def test_scheduling_uses_the_pages_checks(world, projects) -> None:  # type: ignore[no-untyped-def]
    lead = ApiClient(world.lead)
    url = f"{API}/projects/{projects.shared.pk}/meetings"
    bad = lead.post(url, {**SERIES, "video_link": "http://insecure.example", "until": None})
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"video_link", "until"} <= fields
    outsider_invited = lead.post(url, {**SERIES, "invitee_ids": [world.member.pk]})
    assert (
        outsider_invited.status_code == 422 and outsider_invited.json()["errors"][0]["field"] == "invitee_ids"
    )
    pid = lead.post(url, {**SERIES, "agenda": "Discuss NHS number 943 476 5919"})
    assert pid.status_code == 422
    overnight = lead.post(url, {**SERIES, "end": "2027-03-19T01:00:00+00:00"})
    assert overnight.status_code == 422 and overnight.json()["errors"][0]["field"] == "end"
    assert not Meeting.objects.exists()


def test_actions_add_list_and_done(world, projects) -> None:  # type: ignore[no-untyped-def]
    partner = ApiClient(world.partner)
    base = f"{API}/projects/{projects.shared.pk}"
    made = partner.post(
        f"{base}/actions",
        {"description": "Test the video link", "owner_id": world.partner.pk, "due_on": "2027-03-25"},
    )
    assert made.status_code == 201
    action_id = made.json()["id"]
    assert (
        partner.post(f"{base}/actions", {"description": "x", "owner_id": world.member.pk}).status_code == 422
    )
    assert partner.post(f"{base}/actions", {"description": "x", "meeting_id": 999999}).status_code == 422
    assert partner.get(f"{base}/actions", {"open": "true"}).json()["count"] == 1
    done = partner.post(f"{base}/actions/{action_id}/done", {"done": True})
    assert done.status_code == 200 and done.json()["done_on"] is not None
    assert partner.get(f"{base}/actions", {"open": "true"}).json()["count"] == 0
    assert Action.objects.get(pk=action_id).is_done
    assert AuditEvent.objects.filter(object_type="meetings.action", object_id=str(action_id)).count() == 2
    # The sponsor reads but cannot change.
    assert (
        ApiClient(world.sponsor).post(f"{base}/actions/{action_id}/done", {"done": False}).status_code == 403
    )


def test_cancel_one_meeting_then_the_rest(world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    lead = ApiClient(world.lead)
    base = f"{API}/projects/{projects.shared.pk}/meetings"
    made = lead.post(base, SERIES).json()
    items = lead.get(base).json()["items"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        one = lead.post(f"{base}/{items[1]['id']}/cancel", {})
    assert one.status_code == 200 and [m["id"] for m in one.json()] == [items[1]["id"]]
    assert one.json()[0]["cancelled"] is True
    cancels = [icalendar.Calendar.from_ical(m.attachments[0][1]) for m in mail.outbox]
    assert {c["METHOD"] for c in cancels} == {"CANCEL"}
    assert all("RECURRENCE-ID" in c.walk("VEVENT")[0] for c in cancels)
    rest = lead.post(f"{base}/{made['id']}/cancel", {"whole_series": True})
    assert rest.status_code == 200 and len(rest.json()) == 3
    assert lead.post(f"{base}/{made['id']}/cancel", {}).json() == []  # already cancelled: nothing more
