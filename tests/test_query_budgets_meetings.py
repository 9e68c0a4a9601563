"""Query budgets for the meetings pages: a fixed number of queries however many meetings, occurrences,
papers, attendees and actions there are. Each page is counted on a small team and again after it grows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openqi.accounts import tokens
from openqi.meetings.models import Action, Attendance, Meeting, MeetingPaper
from openqi.meetings.services import feeds
from openqi.meetings.services.meetings import MeetingDetails, Repeat, edit_meeting, schedule_meeting
from openqi.organisations.tests.factories import MembershipFactory, UserFactory
from openqi.projects.models import TeamRole
from openqi.projects.tests.factories import TeamMemberFactory

# Budgets count what rendering a page costs (the page cache off).
pytestmark = pytest.mark.usefixtures("rendered_pages")

# page -> most queries it may run. Signing in (session, user, memberships) is part of each.
BUDGET: dict[str, int] = {
    "project meetings": 14,
    "past meetings": 14,
    "meeting": 20,
    "project actions": 14,
    "my meetings": 12,
    "my actions": 10,
    "home": 16,
    "calendar feed": 14,
    "api meetings": 22,
    "api actions": 19,
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def grow(world, project, n: int, first: int = 0) -> None:  # type: ignore[no-untyped-def]
    """n more people, meetings (one-off and series, some moved), papers, attendance and actions."""
    people = []
    for i in range(first, first + n):
        person = UserFactory(email=f"member{i}.{project.pk}@northshire.nhs.uk", name=f"Member {i}")
        MembershipFactory(organisation=world.trust, user=person, roles=[])
        TeamMemberFactory(project=project, user=person, role=TeamRole.MEMBER)
        people.append(person)
    soon = timezone.now() + dt.timedelta(days=1)
    ago = timezone.now() - dt.timedelta(days=60)
    for i in range(n):
        for start in (soon + dt.timedelta(days=i), ago + dt.timedelta(days=i)):
            meeting = schedule_meeting(
                project,
                MeetingDetails(title=f"Meeting {i}", start=start, end=start + dt.timedelta(hours=1)),
                repeat=Repeat("weekly", count=3),
                invitees=[world.lead, world.partner, *people],
                by=world.lead,
                base_url="http://testserver",
            )
            MeetingPaper.objects.create(
                meeting=meeting,
                file=ContentFile(b"x", name="p"),
                original_name="p.txt",
                content_type="text/plain",
                size=1,
            )
            Action.objects.create(
                project=project, meeting=meeting, description=f"Do {i}", owner=world.partner
            )
            Action.objects.create(
                project=project, description=f"Done {i}", owner=world.partner, done_on=dt.date(2026, 1, 1)
            )
            later = meeting.occurrences.order_by("start").first()
            assert later is not None
            moved = later.start + dt.timedelta(hours=2)
            edit_meeting(
                later,
                MeetingDetails(title=later.title, start=moved, end=moved + dt.timedelta(hours=1)),
                expected_version=later.version,
                by=world.lead,
                base_url="http://testserver",
            )


def count(client: Client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(queries)


def measure(world, project) -> dict[str, int]:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.partner)
    first = Meeting.objects.filter(project=project).order_by("pk").first()
    assert first is not None
    token = tokens.issue_token(world.partner, name="budget", by=world.partner).secret
    feed = feeds.start_feed(world.partner, by=world.partner)
    auth = {"Authorization": f"Bearer {token}"}
    return {
        "project meetings": count(client, reverse("meetings:project_meetings", kwargs={"pk": project.pk})),
        "past meetings": count(
            client, reverse("meetings:project_meetings", kwargs={"pk": project.pk}) + "?show=past"
        ),
        "meeting": count(
            client, reverse("meetings:detail", kwargs={"pk": project.pk, "meeting_pk": first.pk})
        ),
        "project actions": count(client, reverse("meetings:project_actions", kwargs={"pk": project.pk})),
        "my meetings": count(client, reverse("meetings:mine")),
        "my actions": count(client, reverse("meetings:my_actions")),
        "home": count(client, reverse("core:home")),
        "calendar feed": count(Client(), reverse("meetings:feed", kwargs={"token": feed.token})),
        "api meetings": count(Client(), f"/api/v1/projects/{project.pk}/meetings", **auth),
        "api actions": count(Client(), f"/api/v1/projects/{project.pk}/actions", **auth),
    }


def test_meetings_pages_keep_to_their_budget(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    grow(world, project, 1)
    small = measure(world, project)
    grow(world, project, 6, first=1)
    assert Attendance.objects.count() > 100
    large = measure(world, project)
    over = {page: n for page, n in large.items() if n > BUDGET[page]}
    assert not over, f"over budget: {over}"
    assert large == small, {page: (small[page], large[page]) for page in small if small[page] != large[page]}
