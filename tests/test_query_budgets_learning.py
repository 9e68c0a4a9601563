"""Query budgets for learning's main pages (as tests/test_query_budgets.py does for the rest): each page is
counted on a small trust and again after its programmes, cohorts, sessions, enrolments, feedback and the
project team grow; the counts must match and stay within the page's budget."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqi.learning.models import EnrolmentStatus, Feedback, Group
from openqi.learning.tests.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory, SessionFactory
from openqi.organisations.tests.factories import MembershipFactory, UserFactory
from openqi.projects.models import TeamRole
from openqi.projects.tests.factories import TeamMemberFactory

# Budgets count what rendering a page costs (the page cache off).
pytestmark = pytest.mark.usefixtures("rendered_pages")

BUDGET: dict[str, int] = {
    "programmes": 7,
    "programme": 8,
    "cohort": 11,
    "register": 7,
    "session feedback": 9,
    "record": 12,
    "report": 12,
    "team page": 18,
}


def grow(world: Any, project: Any, cohort: Any, session: Any, n: int) -> None:
    """`n` more of everything these pages list."""
    programme = cohort.programme
    for i in range(n):
        later = ProgrammeFactory(organisation=world.trust, position=10 + i)
        programme.next_programmes.add(later)
        CohortFactory(programme=later, starts_on=dt.date.today() + dt.timedelta(days=20 + i))
        SessionFactory(cohort=cohort, date=dt.date(2026, 1, 1) + dt.timedelta(days=i))
        learner = UserFactory()
        MembershipFactory(organisation=world.trust, user=learner)
        TeamMemberFactory(project=project, user=learner, role=TeamRole.PARTNER if i % 2 else TeamRole.MEMBER)
        enrolment = EnrolmentFactory(
            cohort=cohort,
            user=learner,
            group=Group.PARTNER if i % 2 else Group.STAFF,
            completed_on=dt.date(2026, 2, 1) if i % 3 else None,
        )
        EnrolmentFactory(
            cohort=CohortFactory(programme=later), user=world.lead, status=EnrolmentStatus.REQUESTED
        )
        Feedback.objects.create(
            session=session, enrolment=enrolment, useful=True, rating=1 + i % 5, usefulness=3
        )


def pages(project: Any, cohort: Any, session: Any, world: Any) -> dict[str, str]:
    return {
        "programmes": reverse("learning:programmes"),
        "programme": reverse("learning:programme", kwargs={"pk": cohort.programme_id}),
        "cohort": reverse("learning:cohort", kwargs={"pk": cohort.pk}),
        "register": reverse("learning:register", kwargs={"pk": session.pk}),
        "session feedback": reverse("learning:session_feedback", kwargs={"pk": session.pk}),
        "record": reverse("learning:person_record", kwargs={"pk": world.lead.pk}),
        "report": reverse("learning:report"),
        "team page": reverse("projects:team", kwargs={"pk": project.pk}),
    }


def counts(client: Client, urls: dict[str, str]) -> dict[str, int]:
    found = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        found[name] = len(queries)
    return found


@pytest.mark.django_db
def test_learning_pages_run_a_fixed_number_of_queries(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    cohort = CohortFactory(programme=ProgrammeFactory(organisation=world.trust))
    session = SessionFactory(cohort=cohort, date=dt.date(2026, 1, 5))
    EnrolmentFactory(cohort=cohort, user=world.partner, completed_on=dt.date(2026, 1, 5))
    client = Client()
    client.force_login(world.admin)
    urls = pages(project, cohort, session, world)
    grow(world, project, cohort, session, 2)
    client.get(urls["programmes"])  # the first request of a session also reads what later ones have cached
    small = counts(client, urls)
    grow(world, project, cohort, session, 12)
    grown = counts(client, urls)
    assert grown == small, {name: (small[name], grown[name]) for name in small if small[name] != grown[name]}
    over = {name: n for name, n in grown.items() if n > BUDGET[name]}
    assert not over, f"over budget: {over} (budget {BUDGET})"
