"""Query budgets of the portfolio's main pages: the dashboard (with the signal scan's changes), a
drill-down, the showcase index and the API's figures run the same number of queries however many
projects, score changes, team members, measures and signals there are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openqi.api.tests.helpers import API, ApiClient
from openqi.measures.models import MeasureType
from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
from openqi.organisations.models import StrategicPriority
from openqi.portfolio import scan
from openqi.projects.models import Lifecycle, ProgressScoreChange, TeamRole, Visibility
from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

# Budgets count what rendering a page costs (the page cache off).
pytestmark = pytest.mark.usefixtures("rendered_pages")

# The dashboard's projects are five plain queries (projects, score histories twice, coaches, ideas,
# priorities: portfolio.dashboard.load_facts), not one query with a subquery per project.
BUDGET = {"dashboard": 27, "drill-down": 18, "showcase": 8, "api dashboard": 30}


def grow(world, n: int) -> None:  # type: ignore[no-untyped-def]
    priority, _ = StrategicPriority.objects.get_or_create(organisation=world.trust, name="Waiting times")
    for i in range(n):
        project = ProjectFactory(
            organisation=world.trust,
            title=f"Grown project {i}",
            lifecycle=Lifecycle.ACTIVE,
            visibility=Visibility.PUBLIC if i % 2 else Visibility.ORGANISATION,
            progress_score=Decimal("2.5"),
        )
        project.priorities.add(priority)
        TeamMemberFactory(project=project, user=world.lead, role=TeamRole.LEAD)
        TeamMemberFactory(project=project, user=world.coach, role=TeamRole.COACH)
        for days, score in ((400, "1.0"), (120, "2.5")):
            ProgressScoreChange.objects.create(
                project=project,
                score=Decimal(score),
                note="Review",
                changed_at=timezone.now() - dt.timedelta(days=days),
            )
        link = ProjectMeasureFactory(project=project, measure_type=MeasureType.BALANCING)
        add_points(link.measure, [(40 + j % 3, 90) for j in range(14)])
    scan.run_scan(scan.request_scan(world.trust, by=None, on_demand=False))
    scan.run_scan(scan.request_scan(world.trust, by=None, on_demand=False))


def count(fetch) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200
    return len(queries)


def test_counts_do_not_grow_with_the_portfolio(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.admin)
    api = ApiClient(world.admin)
    pages = {
        "dashboard": lambda: client.get(reverse("portfolio:dashboard")),
        "drill-down": lambda: client.get(reverse("portfolio:projects"), {"figure": "coach", "value": "with"}),
        "showcase": lambda: client.get(reverse("portfolio:showcase")),
        "api dashboard": lambda: api.get(f"{API}/portfolio/organisations/{world.trust.pk}/dashboard"),
    }
    grow(world, 2)
    client.get(reverse("portfolio:dashboard"))  # the first request after signing in also saves the session
    api.get(f"{API}/portfolio/organisations/{world.trust.pk}/dashboard")  # and the token's first use is noted
    small = {name: count(fetch) for name, fetch in pages.items()}
    grow(world, 12)
    grown = {name: count(fetch) for name, fetch in pages.items()}
    assert grown == small
    over = {name: n for name, n in grown.items() if n > BUDGET[name]}
    assert not over, f"over budget: {over} (budget {BUDGET})"
