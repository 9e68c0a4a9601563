"""The access matrix for the API: every endpoint, discovered from the OpenAPI document, × every kind of
person × private, organisation and public projects, including people who must see nothing. A token acts
exactly as its person on the pages (tests/test_access_matrix.py): what they cannot see is a 404, what they
can see but not do a 403. A new endpoint must be classified here, or `test_every_endpoint_is_classified`
fails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from openqi.api.main import api
from openqi.api.tests.helpers import API, ApiClient
from openqi.projects.access import Level

# Endpoints about one project, (method, path) → the level they need.
PROJECT_ENDPOINTS: dict[tuple[str, str], Level] = {
    ("get", "/projects/{project_id}"): Level.VIEW,
    ("get", "/projects/{project_id}/driver-diagram"): Level.VIEW,
    ("get", "/projects/{project_id}/pdsa-cycles"): Level.VIEW,
    ("get", "/projects/{project_id}/pdsa-cycles/{cycle_id}"): Level.VIEW,
    ("get", "/projects/{project_id}/story-entries"): Level.VIEW,
    ("post", "/projects/{project_id}/story-entries"): Level.EDIT,
    ("get", "/projects/{project_id}/story-entries/{entry_id}"): Level.VIEW,
    ("get", "/projects/{project_id}/measures"): Level.VIEW,
    ("get", "/projects/{project_id}/measures/{measure_id}"): Level.VIEW,
    ("get", "/projects/{project_id}/measures/{measure_id}/data"): Level.VIEW,
    ("post", "/projects/{project_id}/measures/{measure_id}/data"): Level.EDIT,
    ("get", "/projects/{project_id}/measures/{measure_id}/analysis"): Level.VIEW,
    ("get", "/projects/{project_id}/measures/{measure_id}/annotations"): Level.VIEW,
    ("post", "/projects/{project_id}/measures/{measure_id}/annotations"): Level.EDIT,
}
# Endpoints about the caller, not one project: each has its own test below.
PERSON_ENDPOINTS = {
    ("get", "/me"),
    ("get", "/organisations"),
    ("get", "/organisations/{organisation_id}"),
    ("get", "/projects"),
    ("post", "/spc/analyse"),
}

# Level on (private, organisation, public) projects; the team is the `projects` fixture's.
PEOPLE: dict[str, tuple[Level, Level, Level]] = {
    "lead": (Level.ADMIN, Level.ADMIN, Level.ADMIN),
    "partner": (Level.EDIT, Level.EDIT, Level.EDIT),
    "coach": (Level.EDIT, Level.EDIT, Level.EDIT),
    "sponsor": (Level.VIEW, Level.VIEW, Level.VIEW),
    "admin": (Level.ADMIN, Level.ADMIN, Level.ADMIN),
    "advisor": (Level.VIEW, Level.VIEW, Level.VIEW),
    "member": (Level.NONE, Level.VIEW, Level.VIEW),
    "outsider": (Level.NONE, Level.NONE, Level.NONE),  # QI admin of another trust: a public project too
    "loner": (Level.NONE, Level.NONE, Level.NONE),
}


def documented_endpoints() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    return {(method, path) for path, operations in paths.items() for method in operations}


def test_every_endpoint_is_classified() -> None:
    documented = documented_endpoints()
    missing = documented - set(PROJECT_ENDPOINTS) - PERSON_ENDPOINTS
    assert not missing, (
        f"classify these endpoints in PROJECT_ENDPOINTS or PERSON_ENDPOINTS: {sorted(missing)}"
    )
    # And the matrix checks real endpoints (a renamed one must not leave it testing nothing).
    assert set(PROJECT_ENDPOINTS) | PERSON_ENDPOINTS == documented


def _project_with_everything(project: Any) -> dict[str, Any]:
    """A measure with data, a PDSA cycle and a story entry in `project`: ids for every path."""
    from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
    from openqi.projects.tests.factories import PDSACycleFactory, StoryEntryFactory

    link = ProjectMeasureFactory(project=project)
    add_points(link.measure, [(9, 20), (10, 21), (8, 19), (11, 20)])
    return {
        "project_id": project.pk,
        "measure_id": link.measure_id,
        "cycle_id": PDSACycleFactory(project=project).pk,
        "entry_id": StoryEntryFactory(project=project).pk,
    }


BODIES: dict[str, dict[str, Any]] = {
    "/projects/{project_id}/story-entries": {
        "occurred_on": "2025-02-03",
        "category": "meeting",
        "title": "Team meeting",
        "text": "We agreed the next PDSA cycle.",
    },
    "/projects/{project_id}/measures/{measure_id}/data": {
        "points": [{"period": "2025-02-03", "numerator": 12, "denominator": 20}],
    },
    "/projects/{project_id}/measures/{measure_id}/annotations": {
        "period": "2025-01-06",
        "text": "New leaflet",
    },
}


def expected_status(have: Level, need: Level, method: str, path: str) -> int:
    if have < Level.VIEW:
        return 404  # the project's existence is not disclosed
    if have < need:
        return 403
    # Writes make something (201), except the bulk upload, which may make nothing new (200).
    return 201 if method == "post" and not path.endswith("/data") else 200


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.projects.models import Visibility
    from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

    public = ProjectFactory(organisation=world.trust, title="Public project", visibility=Visibility.PUBLIC)
    for member in projects.private.team.all():
        TeamMemberFactory(project=public, user=member.user, role=member.role)
    client = ApiClient(getattr(world, person))
    failures = []
    for project, have in zip((projects.private, projects.shared, public), PEOPLE[person], strict=True):
        ids = _project_with_everything(project)
        for (method, path), need in PROJECT_ENDPOINTS.items():
            url = API + path.format(**ids)
            response = client.get(url) if method == "get" else client.post(url, BODIES[path])
            want = expected_status(have, need, method, path)
            if response.status_code != want:
                failures.append(
                    f"{method.upper()} {path} on {project.title}: {response.status_code}, expected {want}"
                )
            elif want >= 400:
                assert response["Content-Type"] == "application/problem+json"
    assert not failures, "\n".join(failures)


def test_without_a_token_every_endpoint_is_401(world, projects) -> None:  # type: ignore[no-untyped-def]
    ids = _project_with_everything(projects.shared) | {"organisation_id": world.trust.pk}
    anonymous = ApiClient()
    for method, path in documented_endpoints():
        url = API + path.format(**ids)
        response = anonymous.get(url) if method == "get" else anonymous.post(url, {})
        assert response.status_code == 401, (method, path, response.status_code)
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("person", PEOPLE)
def test_the_list_shows_exactly_what_the_person_may_see(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.projects.models import Visibility
    from openqi.projects.tests.factories import ProjectFactory

    # With no team, a public project is seen as the organisation sees it: as `Shared project` is.
    ProjectFactory(organisation=world.trust, title="Public project", visibility=Visibility.PUBLIC)
    body = ApiClient(getattr(world, person)).get(f"{API}/projects").json()
    titles = {item["title"] for item in body["items"]}
    levels = dict(zip(("Private project", "Shared project", "Public project"), PEOPLE[person], strict=True))
    expected = {title for title, have in levels.items() if have >= Level.VIEW}
    assert titles == expected
    assert body["count"] == len(expected)
    # Search narrows only what the person may see.
    searched = ApiClient(getattr(world, person)).get(f"{API}/projects", {"q": "Private"}).json()
    assert {i["title"] for i in searched["items"]} == {"Private project"} & expected


def test_the_other_trust_sees_nothing_of_northshire(world, projects) -> None:  # type: ignore[no-untyped-def]
    outsider = ApiClient(world.outsider)
    me = outsider.get(f"{API}/me").json()
    assert [o["slug"] for o in me["organisations"]] == ["eastvale"]
    assert [o["slug"] for o in outsider.get(f"{API}/organisations").json()] == ["eastvale"]
    assert outsider.get(f"{API}/organisations/{world.trust.pk}").status_code == 404
    assert outsider.get(f"{API}/organisations/{world.other_trust.pk}").status_code == 200
    assert outsider.get(f"{API}/projects").json()["count"] == 0
    # Filters naming the other trust's directorates are refused like any unknown choice.
    directorate = world.trust.directorates.first()
    refused = outsider.get(f"{API}/projects", {"directorate": directorate.pk})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "query.directorate"


def test_someone_in_no_organisation_sees_nothing(world, projects) -> None:  # type: ignore[no-untyped-def]
    loner = ApiClient(world.loner)
    assert loner.get(f"{API}/me").json()["organisations"] == []
    assert loner.get(f"{API}/organisations").json() == []
    assert loner.get(f"{API}/projects").json()["count"] == 0
    assert loner.get(f"{API}/organisations/{world.trust.pk}").status_code == 404
    # The SPC engine needs no organisation: it stores and reads nothing.
    assert loner.post(f"{API}/spc/analyse", {"y": [1, 2, 3, 4, 5]}).status_code == 200


def test_a_guest_partner_sees_only_their_projects(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.organisations.models import Membership
    from openqi.organisations.tests.factories import UserFactory
    from openqi.projects.models import TeamRole
    from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

    guest = UserFactory(email="kim.carer@yahoo.co.uk")
    Membership.objects.create(organisation=world.trust, user=guest, is_guest=True)
    TeamMemberFactory(project=projects.shared, user=guest, role=TeamRole.PARTNER)
    other = ProjectFactory(organisation=world.trust, title="Another organisation project")
    client = ApiClient(guest)
    assert [p["title"] for p in client.get(f"{API}/projects").json()["items"]] == ["Shared project"]
    assert client.get(f"{API}/projects/{other.pk}").status_code == 404
    assert client.get(f"{API}/projects/{projects.shared.pk}").json()["your_access"] == "edit"


def test_a_write_to_a_shared_measure_needs_edit_on_every_project_using_it(world, projects) -> None:  # type: ignore[no-untyped-def]
    """The partner may edit both projects; the sponsor-only project makes the measure locked for them."""
    from openqi.measures.tests.factories import ProjectMeasureFactory
    from openqi.projects.models import TeamRole
    from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

    link = ProjectMeasureFactory(project=projects.shared)
    elsewhere = ProjectFactory(organisation=world.trust, title="Elsewhere")
    TeamMemberFactory(project=elsewhere, user=world.partner, role=TeamRole.SPONSOR)
    ProjectMeasureFactory(project=elsewhere, measure=link.measure)
    url = f"{API}/projects/{projects.shared.pk}/measures/{link.measure_id}/data"
    body = {"points": [{"period": dt.date(2025, 2, 3).isoformat(), "numerator": 1, "denominator": 2}]}
    refused = ApiClient(world.partner).post(url, body)
    assert refused.status_code == 403
    assert "shared with a project you cannot change" in refused.json()["detail"]
    assert ApiClient(world.admin).post(url, body).status_code == 200
