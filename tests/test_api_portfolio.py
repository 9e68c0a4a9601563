"""The portfolio's API: each person gets exactly what their dashboard shows them; the organisation's
figures, signals and packs are 404 for anyone outside it, and the packs for anyone who may not make them."""

from __future__ import annotations

import pytest

from openqi.api.tests.helpers import API, ApiClient
from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
from openqi.portfolio import scan
from openqi.portfolio.models import ForumPack, RunStatus

# (dashboard and signals, forum packs) for each person of the `world` fixture.
ACCESS: dict[str, tuple[int, int]] = {
    "admin": (200, 200),
    "advisor": (200, 200),
    "coach": (200, 404),
    "sponsor": (200, 404),
    "member": (200, 404),
    "lead": (200, 404),
    "partner": (200, 404),
    "outsider": (404, 404),
    "loner": (404, 404),
}
# Projects the dashboard counts for each (private and shared project of the `projects` fixture).
COUNTED = {"admin": 2, "advisor": 2, "coach": 2, "sponsor": 2, "lead": 2, "partner": 2, "member": 1}


@pytest.mark.parametrize("person", ACCESS)
def test_who_may_read_what(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    ForumPack.objects.create(
        organisation=world.trust,
        directorate=world.trust.directorates.first(),
        forum_date="2026-03-03",
        status=RunStatus.DONE,
    )
    client = ApiClient(getattr(world, person))
    base = f"{API}/portfolio/organisations/{world.trust.pk}"
    figures, packs = ACCESS[person]
    dashboard = client.get(f"{base}/dashboard")
    assert dashboard.status_code == figures
    assert client.get(f"{base}/signals").status_code == figures
    assert client.get(f"{base}/forum-packs").status_code == packs
    if figures == 200:
        body = dashboard.json()
        assert body["projects"] == COUNTED[person]
        stage = next(f for f in body["figures"] if f["key"] == "stage")
        assert sum(b["count"] for b in stage["bars"]) == COUNTED[person]
        assert all(b["projects_page"].startswith("http") for b in stage["bars"])
    else:
        assert dashboard["Content-Type"] == "application/problem+json"


def test_filters_and_refused_filters(world, projects) -> None:  # type: ignore[no-untyped-def]
    directorate = world.trust.directorates.first()
    projects.shared.directorate = directorate
    projects.shared.save()
    client = ApiClient(world.admin)
    base = f"{API}/portfolio/organisations/{world.trust.pk}/dashboard"
    assert client.get(base, {"directorate": directorate.pk}).json()["projects"] == 1
    assert client.get(base, {"stage": "idea"}).json()["projects"] == 2
    other = world.other_trust.directorates.first()
    refused = client.get(base, {"directorate": other.pk})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "query.directorate"


def test_signals_and_exports(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.private)
    add_points(link.measure, [(45, 90)] * 3)
    scan.run_scan(scan.request_scan(world.trust, by=None, on_demand=False))
    body = ApiClient(world.admin).get(f"{API}/portfolio/organisations/{world.trust.pk}/signals").json()
    assert body["measures_scanned"] == 1 and body["compared_with"] is None
    silent = next(c for c in body["changes"] if c["key"] == "silent")
    assert [i["measure"] for i in silent["items"]] == [link.measure.name]
    # The member cannot see the private project, so not its measure either.
    member = ApiClient(world.member).get(f"{API}/portfolio/organisations/{world.trust.pk}/signals").json()
    assert all(not c["items"] for c in member["changes"])

    detail = ApiClient(world.lead).get(f"{API}/projects/{projects.shared.pk}").json()
    exports = ApiClient(world.lead).get(detail["links"]["exports"]).json()
    assert exports["storyboard_pdf"].endswith(f"/portfolio/project/{projects.shared.pk}/storyboard.pdf")
    assert exports["public_page"] is None
