"""Query budgets for the tools' pages: the project's tools list, a tool's page (a fishbone with many causes
linked to drivers, a process map with many steps), its history, the project timeline with tools' events,
and the API's list of tools run a fixed number of queries however many tools, items and versions there are
(counted small, then after growing; see test_query_budgets)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqi.api.tests.helpers import API, ApiClient
from openqi.projects.tests.factories import DriverFactory, PDSACycleFactory, StoryEntryFactory
from openqi.tools import services
from openqi.tools.models import ItemKind, ToolKind

# Budgets count what rendering a page costs (the page cache off).
pytestmark = pytest.mark.usefixtures("rendered_pages")

BUDGET: dict[str, int] = {
    "tools list": 11,
    "fishbone page": 13,
    "process map page": 13,
    "history": 9,
    "timeline": 19,
    "api tools": 19,
}


def grow(world, project, fishbone, process_map, n: int) -> None:  # type: ignore[no-untyped-def]
    """`n` more of everything the pages show: causes (linked to drivers), steps, tools, links."""
    category = fishbone.items.filter(kind=ItemKind.CATEGORY).first()
    for i in range(n):
        driver = DriverFactory(project=project)
        fishbone.refresh_from_db()
        cause = services.add_item(
            fishbone,
            kind=ItemKind.CAUSE,
            values={"text": f"Cause {i}", "parent": category, "driver": driver, "marked": bool(i % 2)},
            expected_version=fishbone.version,
            by=world.lead,
        )
        services.add_item(
            fishbone,
            kind=ItemKind.CAUSE,
            values={"text": f"Sub-cause {i}", "parent": cause},
            expected_version=fishbone.version,
            by=world.lead,
        )
        process_map.refresh_from_db()
        services.add_item(
            process_map,
            kind=ItemKind.DECISION,
            values={
                "text": f"Step {i}",
                "lane": f"Role {i % 3}",
                "note": "Delay",
                "branch_label": "No",
                "branch_to": process_map.items.first(),
            },
            expected_version=process_map.version,
            by=world.lead,
        )
        other = services.create_tool(project, kind=ToolKind.PARETO, title=f"Counts {i}", by=world.lead)
        services.set_counts(
            other, [("A", 3), ("B", 1)], replace=True, expected_version=other.version, by=world.lead
        )
        services.link(fishbone, cycle=PDSACycleFactory(project=project), by=world.lead)
        services.link(fishbone, entry=StoryEntryFactory(project=project), by=world.lead)


def count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def pages(world, project, fishbone, process_map) -> dict[str, int]:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.lead)
    api = ApiClient(world.lead)
    counts = {
        "tools list": count(client, reverse("tools:project_tools", kwargs={"pk": project.pk})),
        "fishbone page": count(
            client, reverse("tools:detail", kwargs={"pk": project.pk, "tool": fishbone.pk})
        ),
        "process map page": count(
            client, reverse("tools:detail", kwargs={"pk": project.pk, "tool": process_map.pk})
        ),
        "history": count(client, reverse("tools:history", kwargs={"pk": project.pk, "tool": fishbone.pk})),
        "timeline": count(client, reverse("projects:timeline", kwargs={"pk": project.pk})),
    }
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"{API}/projects/{project.pk}/tools").status_code == 200
    counts["api tools"] = len(queries)
    return counts


@pytest.mark.django_db
def test_tools_pages_stay_within_budget_as_tools_grow(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    fishbone = services.create_tool(project, kind=ToolKind.FISHBONE, title="Causes", by=world.lead)
    process_map = services.create_tool(project, kind=ToolKind.PROCESS_MAP, title="Pathway", by=world.lead)
    services.add_item(
        process_map, kind=ItemKind.START, values={"text": "Referral"}, expected_version=1, by=world.lead
    )
    grow(world, project, fishbone, process_map, 2)
    small = pages(world, project, fishbone, process_map)
    grow(world, project, fishbone, process_map, 12)
    large = pages(world, project, fishbone, process_map)
    assert large == small, f"queries grew with the data: {small} → {large}"
    over = {page: n for page, n in large.items() if n > BUDGET[page]}
    assert not over, f"over budget: {over} (budget {BUDGET})"
