"""Coaching pages × every kind of person, including those who must see nothing: the caseload, ideas,
coaching sessions (private notes only for the project's coaches and the QI team) and sponsor updates.
Every URL of the coaching namespace must be classified here, so a new page cannot escape the matrix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from openqi.coaching import services
from openqi.coaching.models import SponsorUpdate

PEOPLE = ("lead", "partner", "coach", "sponsor", "admin", "advisor", "member", "outsider", "loner")

# Expected GET status per person; "private/shared" pages give a pair (private project, shared project).
ALL_MEMBERS = dict.fromkeys(PEOPLE, 200) | {"loner": 404}
CASELOAD = dict.fromkeys(PEOPLE, 403) | {"coach": 200, "admin": 200, "advisor": 200, "outsider": 200}
SETTINGS = dict.fromkeys(PEOPLE, 403) | {"admin": 200, "outsider": 200}
IDEA = dict.fromkeys(PEOPLE, 404) | {"member": 200, "coach": 200, "admin": 200, "advisor": 200}
SESSIONS = {
    "lead": (200, 200),
    "partner": (200, 200),
    "coach": (200, 200),
    "sponsor": (403, 403),
    "admin": (200, 200),
    "advisor": (200, 200),
    "member": (404, 403),
    "outsider": (404, 404),
    "loner": (404, 404),
}
LOG_SESSION = SESSIONS | {"lead": (403, 403), "partner": (403, 403), "advisor": (403, 403)}
PROJECT_UPDATES = {
    "lead": (200, 200),
    "partner": (200, 200),
    "coach": (200, 200),
    "sponsor": (200, 200),
    "admin": (200, 200),
    "advisor": (200, 200),
    "member": (404, 200),
    "outsider": (404, 404),
    "loner": (404, 404),
}
UPDATE_NEW = dict.fromkeys(PEOPLE, 403) | {"coach": 200, "admin": 200}
DRAFT_UPDATE = dict.fromkeys(PEOPLE, 404) | {"coach": 200, "admin": 200}
SENT_UPDATE = DRAFT_UPDATE | {"sponsor": 200}
EVERYONE = dict.fromkeys(PEOPLE, 200)

# name -> (expected, kwargs builder). POST-only pages are checked for 405 on GET separately.
PAGES: dict[str, tuple[dict[str, Any], Callable[[Any], dict[str, int]]]] = {
    "caseload": (CASELOAD, lambda t: {}),
    "settings": (SETTINGS, lambda t: {}),
    "ideas": (ALL_MEMBERS, lambda t: {}),
    "idea_new": (ALL_MEMBERS, lambda t: {}),
    "idea": (IDEA, lambda t: {"idea_pk": t.idea.pk}),
    "project_sessions": (SESSIONS, lambda t: {"pk": None}),
    "session_new": (LOG_SESSION, lambda t: {"pk": None}),
    "session_edit": (LOG_SESSION, lambda t: {"pk": None, "session_pk": None}),
    "project_updates": (PROJECT_UPDATES, lambda t: {"pk": None}),
    "updates": (EVERYONE, lambda t: {}),
    "update_new": (UPDATE_NEW, lambda t: {}),
    "update": (DRAFT_UPDATE, lambda t: {"update_pk": t.draft.pk}),
    "update_pdf": (DRAFT_UPDATE, lambda t: {"update_pk": t.draft.pk}),
    "sponsored": (EVERYONE, lambda t: {}),
}
POST_ONLY = {"update_send"}


def coaching_pages() -> list[str]:
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "coaching":
            return [p.name for p in pattern.url_patterns if isinstance(p, URLPattern) and p.name]  # type: ignore[attr-defined]
    return []


def test_every_coaching_page_is_in_the_matrix() -> None:
    assert set(coaching_pages()) == set(PAGES) | POST_ONLY


class Things:
    def __init__(self, world: Any, projects: Any) -> None:
        self.idea = services.bring_idea(
            organisation=world.trust,
            coach=world.coach,
            service=None,
            title="An idea",
            problem="p",
            affects="a",
            could_try="c",
            by=world.member,
        )
        today = timezone.localdate()
        self.sessions = {
            project.pk: services.log_session(
                project,
                services.SessionRecord(
                    today, "team", [world.lead], "Shared words", "PRIVATE-WORDS", None, None
                ),
                by=world.coach,
            )
            for project in (projects.private, projects.shared)
        }
        self.draft = services.draft_sponsor_update(
            organisation=world.trust,
            sponsor=world.sponsor,
            month=today,
            projects=[projects.shared],
            by=world.coach,
        )


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    things = Things(world, projects)
    client = Client()
    client.force_login(getattr(world, person))
    failures = []
    for name, (expected, build) in PAGES.items():
        kwargs = build(things)
        if "pk" in kwargs:
            for project, want in zip((projects.private, projects.shared), expected[person], strict=True):
                kwargs = {**kwargs, "pk": project.pk}
                if "session_pk" in kwargs:
                    kwargs["session_pk"] = things.sessions[project.pk].pk
                response = client.get(reverse(f"coaching:{name}", kwargs=kwargs))
                if response.status_code != want:
                    failures.append(f"{name} on {project.title}: {response.status_code}, expected {want}")
                body = response.content.decode(errors="replace")
                sees_private = response.status_code == 200 and "PRIVATE-WORDS" in body
                if sees_private and person not in {"coach", "admin", "advisor"}:
                    failures.append(f"{name} on {project.title} shows private notes to {person}")
            continue
        response = client.get(reverse(f"coaching:{name}", kwargs=kwargs))
        if response.status_code != expected[person]:
            failures.append(f"{name}: {response.status_code}, expected {expected[person]}")
        if "PRIVATE-WORDS" in response.content.decode(errors="replace"):
            failures.append(f"{name} shows private notes to {person}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("person", PEOPLE)
def test_a_sent_update_reaches_its_sponsor_and_no_one_else(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    things = Things(world, projects)
    services.send_sponsor_update(things.draft, by=world.coach)
    client = Client()
    client.force_login(getattr(world, person))
    status = client.get(reverse("coaching:update", kwargs={"update_pk": things.draft.pk})).status_code
    assert status == SENT_UPDATE[person]
    assert SponsorUpdate.objects.get().is_sent


def test_post_only_pages_refuse_get(world, projects) -> None:  # type: ignore[no-untyped-def]
    things = Things(world, projects)
    client = Client()
    client.force_login(world.coach)
    for name in POST_ONLY:
        assert (
            client.get(reverse(f"coaching:{name}", kwargs={"update_pk": things.draft.pk})).status_code == 405
        )


@pytest.mark.parametrize("person", ["lead", "partner", "sponsor", "member", "outsider", "loner"])
def test_only_the_preparer_sends_an_update(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    things = Things(world, projects)
    client = Client()
    client.force_login(getattr(world, person))
    status = client.post(reverse("coaching:update_send", kwargs={"update_pk": things.draft.pk})).status_code
    assert status in (403, 404)
    assert not SponsorUpdate.objects.get().is_sent


def test_anonymous_people_are_sent_to_sign_in(client: Client, world, projects) -> None:  # type: ignore[no-untyped-def]
    things = Things(world, projects)
    for name, (_expected, build) in PAGES.items():
        kwargs = build(things)
        if "pk" in kwargs:
            kwargs["pk"] = projects.shared.pk
        if "session_pk" in kwargs:
            kwargs["session_pk"] = things.sessions[projects.shared.pk].pk
        response = client.get(reverse(f"coaching:{name}", kwargs=kwargs))
        assert response.status_code == 302 and "/accounts/login/" in response.url, name
