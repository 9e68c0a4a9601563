"""The access matrix for the API: every endpoint, discovered from the OpenAPI document, × every kind of
person × private, organisation and public projects, including people who must see nothing. A token acts
exactly as its person on the pages (tests/test_access_matrix.py): what they cannot see is a 404, what they
can see but not do a 403. A new endpoint must be classified here, or `test_every_endpoint_is_classified`
fails."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
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
    ("get", "/projects/{project_id}/tools"): Level.VIEW,
    ("get", "/projects/{project_id}/tools/{tool_id}"): Level.VIEW,
    ("post", "/projects/{project_id}/tools"): Level.EDIT,
    ("post", "/projects/{project_id}/tools/{tool_id}/items"): Level.EDIT,
    ("get", "/projects/{project_id}/exports"): Level.VIEW,
    ("get", "/projects/{project_id}/meetings"): Level.VIEW,
    ("post", "/projects/{project_id}/meetings"): Level.EDIT,
    ("get", "/projects/{project_id}/meetings/{meeting_id}"): Level.VIEW,
    ("get", "/projects/{project_id}/meetings/{meeting_id}/ics"): Level.VIEW,
    ("post", "/projects/{project_id}/meetings/{meeting_id}/cancel"): Level.EDIT,
    ("get", "/projects/{project_id}/actions"): Level.VIEW,
    ("post", "/projects/{project_id}/actions"): Level.EDIT,
    ("post", "/projects/{project_id}/actions/{action_id}/done"): Level.EDIT,
}
# Endpoints about the caller, not one project: each has its own test below.
PERSON_ENDPOINTS = {
    ("get", "/me"),
    ("get", "/organisations"),
    ("get", "/organisations/{organisation_id}"),
    ("get", "/projects"),
    ("post", "/spc/analyse"),
    # Portfolio: the organisation's figures over what the caller may see; tests/test_api_portfolio.py.
    ("get", "/portfolio/organisations/{organisation_id}/dashboard"),
    ("get", "/portfolio/organisations/{organisation_id}/signals"),
    ("get", "/portfolio/organisations/{organisation_id}/forum-packs"),
    # Involvement: payment records follow the partner, the approver and the QI team, not the project's
    # levels; tests/test_access_matrix_involvement.py is their matrix.
    ("get", "/involvement-entries"),
    ("get", "/involvement-entries/{entry_id}"),
    ("post", "/involvement-entries/{entry_id}/decision"),
    ("get", "/projects/{project_id}/involvement-entries"),
    ("post", "/projects/{project_id}/involvement-entries"),
    # Coaching: the caseload and ideas follow the person; sessions follow the coaching rules (the QI team
    # reads them, partners never see private notes); tests/test_api_coaching.py is their matrix.
    ("get", "/coaching/caseload"),
    ("get", "/coaching/ideas"),
    ("post", "/coaching/ideas"),
    ("post", "/coaching/ideas/{idea_id}/triage"),
    ("get", "/coaching/sponsor-updates"),
    ("get", "/projects/{project_id}/coaching-sessions"),
    ("post", "/projects/{project_id}/coaching-sessions"),
    # Learning belongs to the organisation, not to a project: tests/test_api_learning.py is its matrix.
    ("get", "/learning/programmes"),
    ("get", "/learning/programmes/{programme_id}"),
    ("get", "/learning/programmes/{programme_id}/cohorts"),
    ("get", "/learning/programmes/{programme_id}/feedback-summary"),
    ("get", "/learning/cohorts/{cohort_id}"),
    ("get", "/learning/cohorts/{cohort_id}/enrolments"),
    ("post", "/learning/cohorts/{cohort_id}/enrolments"),
    ("get", "/learning/cohorts/{cohort_id}/feedback-summary"),
    ("get", "/learning/sessions/{session_id}/attendance"),
    ("post", "/learning/sessions/{session_id}/attendance"),
    ("get", "/learning/sessions/{session_id}/feedback-summary"),
    ("get", "/learning/people/{person_id}/record"),
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
    from openqi.tools.models import Tool, ToolKind

    link = ProjectMeasureFactory(project=project)
    add_points(link.measure, [(9, 20), (10, 21), (8, 19), (11, 20)])
    return {
        "project_id": project.pk,
        "measure_id": link.measure_id,
        "cycle_id": PDSACycleFactory(project=project).pk,
        "entry_id": StoryEntryFactory(project=project).pk,
        "tool_id": Tool.objects.create(project=project, kind=ToolKind.FISHBONE, title="Causes").pk,
        **_meeting_and_action(project),
    }


def _meeting_and_action(project: Any) -> dict[str, int]:
    from openqi.meetings.models import Action, Meeting

    start = dt.datetime(2027, 3, 18, 10, tzinfo=dt.UTC)
    meeting = Meeting.objects.create(
        project=project, title="Team", start=start, end=start + dt.timedelta(hours=1)
    )
    return {
        "meeting_id": meeting.pk,
        "action_id": Action.objects.create(project=project, description="Book a room").pk,
    }


BODIES: dict[str, dict[str, Any]] = {
    "/projects/{project_id}/tools": {"kind": "fishbone", "title": "Why people stop"},
    "/projects/{project_id}/tools/{tool_id}/items": {
        "item_type": "category",
        "text": "Staffing",
        "version": 1,
    },
    "/projects/{project_id}/story-entries": {
        "occurred_on": "2025-02-03",
        "category": "meeting",
        "title": "Team meeting",
        "text": "We agreed the next PDSA cycle.",
    },
    "/projects/{project_id}/measures/{measure_id}/data": {
        "points": [{"period": "2025-02-03", "numerator": 12, "denominator": 20}],
    },
    "/projects/{project_id}/meetings": {
        "title": "QI team",
        "start": "2027-03-18T10:00:00+00:00",
        "end": "2027-03-18T11:00:00+00:00",
    },
    "/projects/{project_id}/actions": {"description": "Book a room"},
    "/projects/{project_id}/actions/{action_id}/done": {"done": True},
    "/projects/{project_id}/meetings/{meeting_id}/cancel": {"whole_series": False},
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
    # Marking an action done and cancelling a meeting change something that exists (200) too.
    return 201 if method == "post" and not path.endswith(("/data", "/done", "/cancel")) else 200


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
        # Ids no project record gives (a cohort's, say) are 1: the token is refused before any lookup.
        url = API + path.format_map(defaultdict(lambda: 1, ids))
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
