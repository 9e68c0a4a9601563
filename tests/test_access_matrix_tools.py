"""The tools' pages as an access matrix: every page and action of the `tools` namespace × every kind of
person × private and organisation-visible projects, including people who must see nothing. A new tools
URL must be classified in PAGES, or `test_every_tools_url_is_in_the_matrix` fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from openqi.projects.access import Level
from openqi.projects.tests.factories import PDSACycleFactory, StoryEntryFactory
from openqi.tools.models import ItemKind, Tool, ToolItem, ToolKind, ToolLink
from tests.test_access_matrix import PEOPLE


@dataclass(frozen=True)
class Page:
    need: Level
    method: str  # "get" for pages, "post" for actions that only take a POST
    kwargs: tuple[str, ...]  # which of the fixture's ids the URL takes, besides the project's pk
    data: tuple[tuple[str, str], ...] = ()


PAGES: dict[str, Page] = {
    "project_tools": Page(Level.VIEW, "get", ()),
    "create": Page(Level.EDIT, "get", ()),
    "detail": Page(Level.VIEW, "get", ("tool",)),
    "edit": Page(Level.EDIT, "get", ("tool",)),
    # The tool here was started by nobody in the team, so only ADMIN may delete it (see the test below).
    "delete": Page(Level.ADMIN, "get", ("tool",)),
    "print": Page(Level.VIEW, "get", ("tool",)),
    "history": Page(Level.VIEW, "get", ("tool",)),
    "export": Page(Level.VIEW, "get", ("tool", "fmt")),
    "item_add": Page(Level.EDIT, "get", ("tool", "item_type")),
    "item_edit": Page(Level.EDIT, "get", ("tool", "item")),
    "item_remove": Page(Level.EDIT, "get", ("tool", "item")),
    "item_move": Page(Level.EDIT, "post", ("tool", "item"), (("direction", "up"),)),
    "seed_driver": Page(Level.EDIT, "post", ("affinity", "theme")),
    "notes_add": Page(Level.EDIT, "get", ("affinity",)),
    "counts_upload": Page(Level.EDIT, "get", ("pareto",)),
    "link": Page(Level.EDIT, "post", ("tool",)),
    "unlink": Page(Level.EDIT, "post", ("tool", "link")),
    "cycle_link": Page(Level.EDIT, "post", ("cycle",)),
    "cycle_unlink": Page(Level.EDIT, "post", ("cycle", "cycle_link")),
}

# The URL keyword each fixture id is passed as.
KEYWORD = {"affinity": "tool", "pareto": "tool", "theme": "item", "cycle_link": "link"}


def tools_urls() -> set[str]:
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "tools":
            return {sub.name for sub in pattern.url_patterns if isinstance(sub, URLPattern) and sub.name}  # type: ignore[attr-defined]
    raise AssertionError("the tools URLs are not mounted")


def test_every_tools_url_is_in_the_matrix() -> None:
    assert tools_urls() == set(PAGES), "classify every tools URL in PAGES (and remove the ones gone)"


def _ids(project: Any) -> dict[str, Any]:
    fishbone = Tool.objects.create(project=project, kind=ToolKind.FISHBONE, title="Causes")
    item = ToolItem.objects.create(tool=fishbone, kind=ItemKind.CATEGORY, text="People")
    affinity = Tool.objects.create(project=project, kind=ToolKind.AFFINITY, title="What matters")
    theme = ToolItem.objects.create(tool=affinity, kind=ItemKind.THEME, text="Evening sessions")
    pareto = Tool.objects.create(project=project, kind=ToolKind.PARETO, title="Reasons")
    cycle = PDSACycleFactory(project=project)
    return {
        "tool": fishbone.pk,
        "item": item.pk,
        "item_type": "cause",
        "fmt": "svg",
        "affinity": affinity.pk,
        "theme": theme.pk,
        "pareto": pareto.pk,
        "cycle": cycle.pk,
        "link": ToolLink.objects.create(tool=fishbone, story_entry=StoryEntryFactory(project=project)).pk,
        "cycle_link": ToolLink.objects.create(tool=fishbone, cycle=cycle).pk,
        "version": fishbone.version,
    }


def expected(have: Level, page: Page) -> int:
    if have < Level.VIEW:
        return 404
    if have < page.need:
        return 403
    return 302 if page.method == "post" else 200


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(getattr(world, person))
    failures = []
    for project, have in zip((projects.private, projects.shared), PEOPLE[person], strict=True):
        ids = _ids(project)
        for name, page in PAGES.items():
            kwargs = {"pk": project.pk} | {KEYWORD.get(k, k): ids[k] for k in page.kwargs}
            url = reverse(f"tools:{name}", kwargs=kwargs)
            if page.method == "get":
                status = client.get(url).status_code
            else:
                status = client.post(
                    url,
                    {
                        "version": Tool.objects.get(pk=kwargs.get("tool", ids["tool"])).version,
                        **dict(page.data),
                    },
                ).status_code
            if status != expected(have, page):
                failures.append(f"{name} on {project.title}: {status}, expected {expected(have, page)}")
    assert not failures, "\n".join(failures)


def test_anonymous_people_are_sent_to_sign_in(client: Client, projects) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(projects.shared)
    for name, page in PAGES.items():
        url = reverse(
            f"tools:{name}",
            kwargs={"pk": projects.shared.pk} | {KEYWORD.get(k, k): ids[k] for k in page.kwargs},
        )
        response = client.get(url) if page.method == "get" else client.post(url, {})
        assert response.status_code == 302 and "/accounts/login/code/" in response.url, name


def test_a_tool_of_another_project_is_not_found_through_this_one(world, projects) -> None:  # type: ignore[no-untyped-def]
    """The lead of both projects asks for the private project's tool under the shared project's number."""
    client = Client()
    client.force_login(world.lead)
    private = _ids(projects.private)
    for name in ("detail", "edit", "print", "history"):
        url = reverse(f"tools:{name}", kwargs={"pk": projects.shared.pk, "tool": private["tool"]})
        assert client.get(url).status_code == 404, name
    url = reverse(
        "tools:item_edit",
        kwargs={"pk": projects.shared.pk, "tool": _ids(projects.shared)["tool"], "item": private["item"]},
    )
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "junk",
    [
        {},
        {"version": "abc", "direction": "sideways"},
        {"version": "1e9", "parent": "x", "kind": "<b>", "text": "\x00"},
    ],
)
def test_hostile_posts_to_every_tools_url_are_never_a_server_error(junk, world, projects) -> None:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(world.lead)
    ids = _ids(projects.shared)
    for name, page in PAGES.items():
        url = reverse(
            f"tools:{name}",
            kwargs={"pk": projects.shared.pk} | {KEYWORD.get(k, k): ids[k] for k in page.kwargs},
        )
        status = client.post(url, junk).status_code
        assert status < 500, (name, junk, status)


def test_the_person_who_started_a_tool_may_delete_it(world, projects) -> None:  # type: ignore[no-untyped-def]
    tool = Tool.objects.create(
        project=projects.shared, kind=ToolKind.PARETO, title="Mine", created_by=world.partner
    )
    url = reverse("tools:delete", kwargs={"pk": projects.shared.pk, "tool": tool.pk})
    coach, partner = Client(), Client()
    coach.force_login(world.coach)
    partner.force_login(world.partner)
    assert coach.post(url).status_code == 403
    assert partner.post(url).status_code == 302
    assert not Tool.objects.filter(pk=tool.pk).exists()
