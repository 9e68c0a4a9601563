"""Query budgets of the coaching pages: the caseload, the ideas list, a project's coaching sessions and
the sponsored projects page run a fixed number of queries however many projects, sessions, actions,
measures and data points there are (counted with a warm chart cache, as the caseload reads signals from
the cache the project pages fill; then again after the trust grows)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openqi.coaching import services
from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
from openqi.meetings.services.actions import add_action
from openqi.projects.models import Lifecycle, TeamRole
from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_pages")]

# Signing in (session, user, memberships) is part of each.
BUDGET = {"caseload": 11, "qi team caseload": 14, "ideas": 5, "sessions": 10, "sponsored": 6}


def coached_project(world, n: int) -> object:  # type: ignore[no-untyped-def]
    """A project the coach coaches, with a session, actions, a measure with data and a sponsor."""
    project = ProjectFactory(
        organisation=world.trust, title=f"Coached project {n}", lifecycle=Lifecycle.ACTIVE
    )
    for user, role in (
        (world.lead, TeamRole.LEAD),
        (world.coach, TeamRole.COACH),
        (world.sponsor, TeamRole.SPONSOR),
    ):
        TeamMemberFactory(project=project, user=user, role=role)
    link = ProjectMeasureFactory(project=project)
    add_points(link.measure, [(9, 20), (10, 21), (8, 19), (11, 20)], start=dt.date(2025, 1, 6))
    session = services.log_session(
        project,
        services.SessionRecord(timezone.localdate(), "team", [world.lead], "notes", "private", None, None),
        by=world.coach,
    )
    session.actions.add(
        add_action(project, description="Do it", owner=world.lead, due_on=None, by=world.coach)
    )
    services.bring_idea(
        organisation=world.trust,
        coach=world.coach,
        service=None,
        title=f"Idea {n}",
        problem="p",
        affects="a",
        could_try="c",
        by=world.member,
    )
    return project


def count(client: Client, url: str) -> int:
    client.get(url)  # warm: the chart cache is filled as the project pages fill it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_coaching_pages_run_a_fixed_number_of_queries(world) -> None:  # type: ignore[no-untyped-def]
    first = coached_project(world, 0)
    pages = {
        "caseload": (world.coach, reverse("coaching:caseload")),
        "qi team caseload": (world.admin, reverse("coaching:caseload") + f"?coach={world.coach.pk}"),
        "ideas": (world.coach, reverse("coaching:ideas")),
        "sessions": (world.coach, reverse("coaching:project_sessions", args=[first.pk])),  # type: ignore[attr-defined]
        "sponsored": (world.sponsor, reverse("coaching:sponsored")),
    }
    clients = {}
    for person in {p for p, _url in pages.values()}:
        clients[person.pk] = Client()
        clients[person.pk].force_login(person)
    small = {name: count(clients[p.pk], url) for name, (p, url) in pages.items()}
    for n in range(1, 8):
        coached_project(world, n)
    for _ in range(4):  # more sessions and actions on the first project too
        services.log_session(
            first,  # type: ignore[arg-type]
            services.SessionRecord(
                timezone.localdate(), "one_to_one", [world.lead, world.coach], "n", "p", None, None
            ),
            by=world.coach,
        )
    grown = {name: count(clients[p.pk], url) for name, (p, url) in pages.items()}
    assert grown == small, f"queries grew with the data: {small} → {grown}"
    over = {name: n for name, n in grown.items() if n > BUDGET[name]}
    assert not over, f"over budget: {over} (counted {grown}, budget {BUDGET})"
