"""Meetings' and actions' pages × every kind of person × private and organisation-visible projects,
including people who must see nothing (docs/adr/0020-meetings-actions-and-calendars.md). A project's
meetings follow the project's one access policy (access.project_for): 404 for people who may not see the
project, 403 for those who may see it but not change it. A new page in the `meetings` namespace fails
`test_every_meetings_page_is_in_the_matrix` until it is classified here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from openqi.meetings.models import Action, Meeting, MeetingPaper
from openqi.meetings.services import feeds
from openqi.meetings.services.actions import add_action
from openqi.meetings.services.meetings import MeetingDetails, add_papers, schedule_meeting
from openqi.projects.access import Level
from openqi.projects.forms.story import attachment_kind
from tests.test_access_matrix import PEOPLE, expected_status

# What each page is of, and the level its GET needs.
PROJECT_PAGES: dict[str, Level] = {
    "project_meetings": Level.VIEW,
    "schedule": Level.EDIT,
    "project_actions": Level.VIEW,
    "action_add": Level.EDIT,
}
MEETING_PAGES: dict[str, Level] = {
    "detail": Level.VIEW,
    "ics": Level.VIEW,
    "edit": Level.EDIT,
    "cancel": Level.EDIT,
    "minutes": Level.EDIT,
    "attendance": Level.EDIT,
    "invite": Level.EDIT,
    "papers": Level.EDIT,
    "meeting_action_add": Level.EDIT,
}
PAPER_PAGES: dict[str, Level] = {"paper": Level.VIEW}
ACTION_PAGES: dict[str, Level] = {"action_edit": Level.EDIT}
# Pages that take only a POST, and the level it needs.
POST_PAGES: dict[str, Level] = {"paper_remove": Level.EDIT, "action_done": Level.EDIT}
# The person's own pages: anyone signed in (they show only the person's own things).
OWN_PAGES = ("mine", "my_actions", "subscription", "preferences")
# The calendar feed: no sign-in (calendar programs cannot); its secret token is the key.
TOKEN_PAGES = ("feed",)


def meetings_pages() -> list[str]:
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "meetings":
            return [p.name for p in pattern.url_patterns if isinstance(p, URLPattern) and p.name]  # type: ignore[attr-defined]
    return []


def test_every_meetings_page_is_in_the_matrix() -> None:
    classified = (
        set(PROJECT_PAGES)
        | set(MEETING_PAGES)
        | set(PAPER_PAGES)
        | set(ACTION_PAGES)
        | set(POST_PAGES)
        | set(OWN_PAGES)
        | set(TOKEN_PAGES)
    )
    assert set(meetings_pages()) == classified


def _things(project: Any, world: Any, tmp: Any) -> dict[str, int]:
    start = timezone.now() + dt.timedelta(days=2)
    meeting = schedule_meeting(
        project,
        MeetingDetails(title=f"Meeting of {project.title}", start=start, end=start + dt.timedelta(hours=1)),
        invitees=[world.lead, world.partner],
        by=world.lead,
        base_url="http://testserver",
    )
    upload = SimpleUploadedFile("agenda.pdf", b"%PDF-1.7\n%%EOF\n")
    [paper] = add_papers(meeting, [(upload, attachment_kind(upload))], by=world.lead)
    action = add_action(project, description="Book the room", owner=world.partner, due_on=None, by=world.lead)
    return {"pk": project.pk, "meeting_pk": meeting.pk, "paper_pk": paper.pk, "action_pk": action.pk}


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def _url(name: str, ids: dict[str, int]) -> str:
    if name in PROJECT_PAGES:
        return reverse(f"meetings:{name}", kwargs={"pk": ids["pk"]})
    if name in MEETING_PAGES:
        return reverse(f"meetings:{name}", kwargs={"pk": ids["pk"], "meeting_pk": ids["meeting_pk"]})
    if name in PAPER_PAGES or name == "paper_remove":
        return reverse(
            f"meetings:{name}",
            kwargs={"pk": ids["pk"], "meeting_pk": ids["meeting_pk"], "paper_pk": ids["paper_pk"]},
        )
    return reverse(f"meetings:{name}", kwargs={"pk": ids["pk"], "action_pk": ids["action_pk"]})


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(person: str, world, projects, media) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(getattr(world, person))
    failures = []
    for project, have in zip((projects.private, projects.shared), PEOPLE[person], strict=True):
        ids = _things(project, world, media)
        for name, need in {**PROJECT_PAGES, **MEETING_PAGES, **PAPER_PAGES, **ACTION_PAGES}.items():
            status = client.get(_url(name, ids)).status_code
            if status != expected_status(have, need):
                failures.append(
                    f"{name} on {project.title}: {status}, expected {expected_status(have, need)}"
                )
        for name, need in POST_PAGES.items():
            want = expected_status(have, need)
            status = client.post(_url(name, ids), {"done": "on"}).status_code
            if status != (302 if want == 200 else want):
                failures.append(
                    f"POST {name} on {project.title}: {status}, expected {302 if want == 200 else want}"
                )
    assert not failures, "\n".join(failures)


def test_things_of_one_project_cannot_be_reached_through_another(world, projects, media) -> None:  # type: ignore[no-untyped-def]
    """The partner is on both teams, so both projects open; a private project's meeting, paper or action
    asked for under the shared project's number is still not found."""
    private = _things(projects.private, world, media)
    shared = _things(projects.shared, world, media)
    client = Client()
    client.force_login(world.partner)
    crossed = {**private, "pk": shared["pk"]}
    for name in [*MEETING_PAGES, *PAPER_PAGES, *ACTION_PAGES]:
        assert client.get(_url(name, crossed)).status_code == 404, name


def test_anonymous_people_are_sent_to_sign_in(client: Client, world, projects, media) -> None:  # type: ignore[no-untyped-def]
    ids = _things(projects.shared, world, media)
    for name in [*PROJECT_PAGES, *MEETING_PAGES, *PAPER_PAGES, *ACTION_PAGES]:
        response = client.get(_url(name, ids))
        assert response.status_code == 302 and "/accounts/login/code/" in response.url, name
    for name in OWN_PAGES:
        response = client.get(reverse(f"meetings:{name}"))
        assert response.status_code == 302 and "/accounts/login/code/" in response.url, name


@pytest.mark.parametrize("person", PEOPLE)
def test_own_pages_show_only_the_persons_own_things(person: str, world, projects, media) -> None:  # type: ignore[no-untyped-def]
    _things(projects.private, world, media)
    client = Client()
    client.force_login(getattr(world, person))
    for name in OWN_PAGES:
        assert client.get(reverse(f"meetings:{name}")).status_code == 200, name
    page = client.get(reverse("meetings:mine")).content.decode()
    invited = person in ("lead", "partner")
    assert ("Meeting of Private project" in page) == invited
    assert ("Book the room" in page) == (person == "partner")


def test_the_feed_opens_only_with_a_live_token(client: Client, world, projects, media) -> None:  # type: ignore[no-untyped-def]
    _things(projects.private, world, media)
    feed = feeds.start_feed(world.partner, by=world.partner)
    url = reverse("meetings:feed", kwargs={"token": feed.token})
    response = client.get(url)
    assert response.status_code == 200 and b"Meeting of Private project" in response.content
    assert client.get(reverse("meetings:feed", kwargs={"token": "not-a-token"})).status_code == 404
    feeds.replace_feed(world.partner, by=world.partner)
    assert client.get(url).status_code == 404
    # A person who leaves the team no longer gets the project's meetings in their feed.
    fresh = feeds.start_feed(world.partner, by=world.partner)
    projects.private.team.filter(user=world.partner).update(left_on=dt.date(2026, 1, 1))
    response = client.get(reverse("meetings:feed", kwargs={"token": fresh.token}))
    assert response.status_code == 200 and b"Meeting of Private project" not in response.content


def test_models_are_scoped() -> None:
    assert {m.organisation_path for m in (Meeting, Action, MeetingPaper)} == {
        "project__organisation",
        "meeting__project__organisation",
    }
