"""The tools API: read a project's tools (a Pareto chart's bars as qicharts2 gives them), start a tool and
add items through the pages' forms and services, with stale versions refused."""

from __future__ import annotations

import pytest

from openqi.api.tests.helpers import API, ApiClient
from openqi.tools import services
from openqi.tools.models import ToolKind

pytestmark = pytest.mark.django_db


def test_a_program_adds_counts_and_reads_the_pareto_bars(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(world.lead)
    made = client.post(f"{API}/projects/{projects.shared.pk}/tools", {"kind": "pareto", "title": "Letters"})
    assert made.status_code == 201
    tool = made.json()
    version = tool["version"]
    for letter, count in zip("CAB", [64, 256, 128], strict=True):
        response = client.post(
            f"{API}/projects/{projects.shared.pk}/tools/{tool['id']}/items",
            {"item_type": "bar", "text": letter, "count": count, "version": version},
        )
        assert response.status_code == 201, response.json()
        version = response.json()["version"]
    body = client.get(f"{API}/projects/{projects.shared.pk}/tools/{tool['id']}").json()
    bars = [(b["category"], b["count"], round(b["cumulative_percentage"], 1)) for b in body["pareto"]]
    assert bars == [("A", 256, 57.1), ("B", 128, 85.7), ("C", 64, 100.0)]
    assert [b["vital_few"] for b in body["pareto"]] == [True, True, False]
    # A stale version is a 409 and adds nothing.
    stale = client.post(
        f"{API}/projects/{projects.shared.pk}/tools/{tool['id']}/items",
        {"item_type": "bar", "text": "D", "count": 1, "version": 1},
    )
    assert stale.status_code == 409
    assert len(client.get(f"{API}/projects/{projects.shared.pk}/tools").json()[0]["items"]) == 3


def test_items_are_checked_by_the_pages_forms(world, projects) -> None:  # type: ignore[no-untyped-def]
    tool = services.create_tool(projects.shared, kind=ToolKind.FISHBONE, title="Causes", by=world.lead)
    client = ApiClient(world.coach)
    url = f"{API}/projects/{projects.shared.pk}/tools/{tool.pk}/items"
    wrong_type = client.post(url, {"item_type": "bar", "text": "x", "version": tool.version})
    assert wrong_type.status_code == 422
    no_parent = client.post(url, {"item_type": "cause", "text": "Late letters", "version": tool.version})
    assert no_parent.status_code == 422 and no_parent.json()["errors"][0]["field"] == "parent"
    nhs_number = client.post(
        url,
        {
            "item_type": "cause",
            "text": "Referral 943 476 5919",
            "parent": tool.items.first().pk,
            "version": 1,
        },
    )
    assert (
        nhs_number.status_code == 422
        and "confirm_no_personal_data" in nhs_number.json()["errors"][0]["message"]
    )
    sponsor = ApiClient(world.sponsor).post(url, {"item_type": "category", "text": "Staffing", "version": 1})
    assert sponsor.status_code == 403
