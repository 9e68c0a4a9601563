"""Query budgets for the involvement pages: the project's involvement tab, the claims page, the finance
export, the team page's onboarding checklist and the API's list run a fixed number of queries however many
claims, partners and reflections there are (counted small, then after growing; see test_query_budgets)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openqi.api.tests.helpers import API, ApiClient
from openqi.involvement import services
from openqi.involvement.models import CoproductionReflection
from openqi.organisations.models import Membership
from openqi.organisations.tests.factories import UserFactory
from openqi.projects.models import TeamRole
from openqi.projects.tests.factories import TeamMemberFactory

# Budgets count what rendering a page costs (the page cache off).
pytestmark = pytest.mark.usefixtures("rendered_pages")

BUDGET: dict[str, int] = {
    "involvement tab": 9,
    "claims": 8,
    "export": 6,
    "team page": 18,
    "api entries": 16,
}


def add_claims(world, project, n: int, start: int) -> None:  # type: ignore[no-untyped-def]
    """`n` claims by a new partner each, approved and pending, and a reflection."""
    for i in range(start, start + n):
        partner = UserFactory(email=f"partner{i}@example.com", name=f"Partner {i}")
        Membership.objects.create(organisation=world.trust, user=partner, is_guest=True)
        TeamMemberFactory(project=project, user=partner, role=TeamRole.PARTNER)
        for day in range(2):
            entry = services.log_involvement(
                project,
                partner=partner,
                occurred_on=timezone.localdate() - dt.timedelta(days=day),
                activity="meeting",
                minutes=60 + 60 * day,
                by=partner,
            )
            if day:
                services.decide(entry, approve=True, by=world.sponsor)
    for stage in ("start", "mid", "end"):
        if not project.coproduction_reflections.filter(stage=stage).exists():
            CoproductionReflection.objects.create(
                project=project,
                stage=stage,
                recorded_on=timezone.localdate(),
                shared_power=2,
                whole_life_skills=3,
                training=2,
                communication=3,
                support=4,
            )
            break


def count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_involvement_pages_do_not_grow_with_the_data(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    admin = Client()
    admin.force_login(world.admin)
    lead = Client()
    lead.force_login(world.lead)
    api = ApiClient(world.admin)
    pages = {
        "involvement tab": (admin, reverse("involvement:project", kwargs={"pk": project.pk})),
        "claims": (admin, reverse("involvement:claims")),
        "export": (admin, reverse("involvement:export", kwargs={"fmt": "csv"})),
        "team page": (lead, reverse("projects:team", kwargs={"pk": project.pk})),
        "api entries": (api, f"{API}/involvement-entries"),
    }
    add_claims(world, project, 2, 0)
    for client, url in pages.values():
        count(client, url)  # warm the session and any one-off setup
    small = {name: count(client, url) for name, (client, url) in pages.items()}
    add_claims(world, project, 6, 2)
    grown = {name: count(client, url) for name, (client, url) in pages.items()}
    assert grown == small, f"queries grew with the data: {small} → {grown}"
    over = {name: n for name, n in grown.items() if n > BUDGET[name]}
    assert not over, f"over budget {BUDGET}: {over}"
