"""Query budgets: each main page runs a fixed number of queries, however many projects, measures, data
points, story entries or team members there are. Each page is counted on a small trust and again after the
trust grows; the counts must match, and stay within the page's budget (a ceiling that says what the page is
allowed, so that a new N+1 fails here before it reaches a trust with 5,000 projects).

Pages are counted cold (empty chart cache) and warm, as a first and a second reader meet them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqi.accounts import tokens
from openqi.measures.models import ProjectMeasure
from openqi.measures.tests.factories import MeasureFactory, ProjectMeasureFactory, add_points
from openqi.projects.models import Lifecycle, TeamRole, Visibility
from openqi.projects.search import index_project
from openqi.projects.tests.factories import (
    PDSACycleFactory,
    ProjectFactory,
    StoryEntryFactory,
    TeamMemberFactory,
)

# Budgets count what rendering a page costs (the page cache off).
pytestmark = pytest.mark.usefixtures("rendered_pages")

# page -> most queries it may run (cold cache). Signing in (session, user, memberships) is part of each.
# The home page, project page and timeline also carry the domain apps' panels and timeline sources
# (meetings: actions and the next meeting; coaching: ideas, the coaching panel, sessions; involvement:
# claims waiting, the latest reflection): a query or two each, never one per row.
BUDGET: dict[str, int] = {
    "home": 13,
    "project list": 13,
    "filtered list": 14,
    "search": 13,
    "project page": 20,
    "measures page": 13,
    "chart page": 22,
    "timeline": 17,
    "chart png": 15,
    "chart svg": 13,
    "api projects": 20,
    "api measure analysis": 24,
}


@dataclass
class Trust:
    project: object
    link: ProjectMeasure
    directorate_id: int


def grow(world, project, *, extra_projects: int, points: int, story: int, start: dt.date) -> None:  # type: ignore[no-untyped-def]
    """More of everything a page might be tempted to loop over."""
    for n in range(extra_projects):
        other = ProjectFactory(
            organisation=world.trust,
            title=f"Waiting times project {n}",
            visibility=Visibility.ORGANISATION,
            lifecycle=Lifecycle.ACTIVE,
        )
        TeamMemberFactory(project=other, user=world.lead, role=TeamRole.LEAD)
        TeamMemberFactory(project=other, user=world.coach, role=TeamRole.COACH)
        StoryEntryFactory(project=other, title="Huddle", text="waiting list review")
        index_project(other)
    for n in range(story):
        StoryEntryFactory(
            project=project, title=f"Week {n}", text="waiting list review", occurred_on=dt.date(2025, 1, 1)
        )
        PDSACycleFactory(project=project, title=f"Cycle {n}")
    for _ in range(3):
        extra = ProjectMeasureFactory(project=project, measure=MeasureFactory(organisation=world.trust))
        add_points(extra.measure, [(40 + (i % 7), 80) for i in range(points)])
    link = ProjectMeasure.objects.filter(project=project).order_by("pk").first()
    assert link is not None
    add_points(link.measure, [(45, 90)] * points, start=start)
    index_project(project)


def pages(trust: Trust) -> dict[str, tuple[str, dict[str, str]]]:
    pk, pm = trust.project.pk, trust.link.pk  # type: ignore[attr-defined]
    return {
        "home": (reverse("core:home"), {}),
        "project list": (reverse("projects:list"), {}),
        "filtered list": (
            reverse("projects:list"),
            {"directorate": str(trust.directorate_id), "lifecycle": Lifecycle.ACTIVE},
        ),
        "search": (reverse("projects:list"), {"q": "waiting"}),
        "project page": (reverse("projects:detail", kwargs={"pk": pk}), {}),
        "measures page": (reverse("measures:project_measures", kwargs={"pk": pk}), {}),
        "chart page": (reverse("measures:detail", kwargs={"pk": pk, "pm": pm}), {}),
        "timeline": (reverse("projects:timeline", kwargs={"pk": pk}), {}),
        "chart png": (reverse("measures:chart", kwargs={"pk": pk, "pm": pm, "fmt": "png"}), {}),
        "chart svg": (reverse("measures:chart", kwargs={"pk": pk, "pm": pm, "fmt": "svg"}), {}),
        "api projects": (reverse("api:projects"), {}),
        "api measure analysis": (
            reverse(
                "api:measure_analysis",
                kwargs={"project_id": pk, "measure_id": trust.link.measure_id},  # type: ignore[attr-defined]
            ),
            {},
        ),
    }


def count(client: Client, url: str, params: dict[str, str]) -> tuple[int, int]:
    """Queries for a cold and then a warm request."""
    for each in (cache, caches["charts"]):
        each.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(queries))
    return counts[0], counts[1]


@pytest.fixture
def trust(world, projects) -> Trust:  # type: ignore[no-untyped-def]
    project = projects.shared
    project.lifecycle = Lifecycle.ACTIVE
    project.directorate = world.trust.directorates.first()
    project.save()
    link = ProjectMeasureFactory(project=project, measure=MeasureFactory(organisation=world.trust))
    add_points(link.measure, [(40, 90)] * 5)
    StoryEntryFactory(project=project, title="Start", text="waiting list review")
    index_project(project)
    return Trust(project, link, project.directorate_id)


def test_no_main_page_runs_more_queries_as_the_trust_grows(world, trust: Trust, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A token records its last use at most once a minute; a slow run must not count that write twice.
    monkeypatch.setattr(tokens, "LAST_USED_PRECISION", dt.timedelta(days=1))
    # Signed in for the pages, and with a token of the same person for the API.
    secret = tokens.issue_token(world.lead, name="budget", by=world.lead).secret
    client = Client(headers={"authorization": f"Bearer {secret}"})
    client.force_login(world.lead)
    client.get(reverse("core:home"))  # the session's first request does its own bookkeeping
    small = {name: count(client, url, params) for name, (url, params) in pages(trust).items()}
    # Grown twice: the first growth may switch on what a bigger project shows (a chart long enough for a
    # recalculation suggestion, say); the second must then cost nothing more.
    grow(world, trust.project, extra_projects=15, points=30, story=10, start=dt.date(2026, 1, 5))
    grown = {name: count(client, url, params) for name, (url, params) in pages(trust).items()}
    grow(world, trust.project, extra_projects=30, points=60, story=20, start=dt.date(2027, 1, 4))
    large = {name: count(client, url, params) for name, (url, params) in pages(trust).items()}
    report = "\n".join(
        f"{name}: small {small[name]}, grown {grown[name]}, large {large[name]}, budget {BUDGET[name]}"
        for name in small
    )
    print(report)  # shown with -rP: the counts behind the budgets
    grew = [name for name in small if large[name] != grown[name]]
    assert not grew, f"queries grew with the data on: {grew}\n{report}"
    over = [name for name in small if max(small[name][0], large[name][0]) > BUDGET[name]]
    assert not over, f"over budget: {over}\n{report}"


def test_a_warm_chart_page_reads_its_chart_from_the_cache(world, trust: Trust) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.lead)
    url, params = pages(trust)["chart png"]
    cold, warm = count(client, url, params)
    assert warm < cold
