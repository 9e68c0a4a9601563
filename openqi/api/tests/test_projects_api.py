"""Projects through the API: the list takes the projects page's filters with the same meaning (one filter
form and one function serve both), pages with `next` links; a project's record carries its aim, stage,
progress score and history, and its team with roles and dates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from openqi.api.tests.helpers import API, ApiClient
from openqi.projects.models import CoproductionLevel, Lifecycle, TeamRole


@pytest.fixture
def portfolio(world, projects):  # type: ignore[no-untyped-def]
    from openqi.organisations.models import StrategicPriority
    from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

    directorate = world.trust.directorates.get()
    service = directorate.services.get()
    priority = StrategicPriority.objects.create(organisation=world.trust, name="Reducing waiting times")
    waits = ProjectFactory(
        organisation=world.trust,
        title="Shorter waits for assessment",
        directorate=directorate,
        service=service,
        lifecycle=Lifecycle.ACTIVE,
        progress_score=Decimal("3.0"),
        coproduction=CoproductionLevel.PARTNERS,
    )
    waits.priorities.add(priority)
    TeamMemberFactory(project=waits, user=world.coach, role=TeamRole.COACH)
    ProjectFactory(organisation=world.trust, title="Fewer missed appointments", lifecycle=Lifecycle.ACTIVE)
    return {"waits": waits, "directorate": directorate, "service": service, "priority": priority}


def _titles(client: ApiClient, **params: object) -> list[str]:
    body = client.get(f"{API}/projects", params).json()
    return [item["title"] for item in body["items"]]


ALL_TITLES = [
    "Fewer missed appointments",
    "Private project",
    "Shared project",
    "Shorter waits for assessment",
]


def _page_titles(user, **params: object) -> list[str]:  # type: ignore[no-untyped-def]
    """What the projects page lists for the same filters (its form's field for stage is `lifecycle`)."""
    client = Client()
    client.force_login(user)
    body = client.get(reverse("projects:list"), params).content.decode()
    return [title for title in ALL_TITLES if f">{title}<" in body]


def test_each_filter_lists_what_the_projects_page_lists(world, portfolio) -> None:  # type: ignore[no-untyped-def]
    api = ApiClient(world.admin)
    cases = [
        ({"directorate": portfolio["directorate"].pk}, {"directorate": portfolio["directorate"].pk}),
        ({"service": portfolio["service"].pk}, {"service": portfolio["service"].pk}),
        ({"stage": "active"}, {"lifecycle": "active"}),
        ({"score": 2.5}, {"score": "2.5"}),
        ({"priority": portfolio["priority"].pk}, {"priority": portfolio["priority"].pk}),
        ({"coproduction": "partners"}, {"coproduction": "partners"}),
        ({"coach": world.coach.pk}, {"coach": world.coach.pk}),
        ({"q": "waits"}, {"q": "waits"}),
        ({"stage": "active", "q": "missed"}, {"lifecycle": "active", "q": "missed"}),
        ({}, {}),
    ]
    for api_params, page_params in cases:
        assert _titles(api, **api_params) == _page_titles(world.admin, **page_params), api_params
    assert _titles(api, directorate=portfolio["directorate"].pk) == ["Shorter waits for assessment"]
    assert _titles(api, coach=world.coach.pk) == [
        "Private project",
        "Shared project",
        "Shorter waits for assessment",
    ]


def test_pages_link_to_the_next_and_previous(world, portfolio) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(world.admin)
    first = client.get(f"{API}/projects", {"page_size": 2, "stage": "active"}).json()
    assert first["count"] == 2 and first["next"] is None
    first = client.get(f"{API}/projects", {"page_size": 3}).json()
    assert first["count"] == 4 and first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/projects?page_size=3&page=2"
    second = client.get(first["next"]).json()
    assert [i["title"] for i in second["items"]] == ["Shorter waits for assessment"]
    assert second["next"] is None and second["previous"].endswith("page=1")
    beyond = client.get(f"{API}/projects", {"page": 9}).json()
    assert beyond["items"] == [] and beyond["count"] == 4


def test_a_project_record(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.projects.services.projects import set_progress_score

    project = projects.shared
    set_progress_score(
        project,
        score=Decimal("2.5"),
        note="Testing reminders",
        expected_version=project.version,
        by=world.lead,
    )
    body = ApiClient(world.member).get(f"{API}/projects/{project.pk}").json()
    assert body["your_access"] == "view"
    assert body["aim"]["statement"] == project.aim_statement and body["aim"]["target"] == "60%"
    assert body["progress"]["score"] == 2.5
    assert body["progress"]["history"][0]["note"] == "Testing reminders"
    assert body["progress"]["history"][0]["changed_by"]["name"] == "Tom Price"
    roles = {(m["person"]["name"], m["role"]["code"], m["current"]) for m in body["team"]}
    assert ("Sam Taylor", "partner", True) in roles and ("Tom Price", "lead", True) in roles
    assert all("@" not in m["person"]["name"] for m in body["team"])  # names, never e-mail addresses
    assert body["visibility"]["code"] == "organisation"
    for name, url in body["links"].items():
        assert ApiClient(world.member).get(url).status_code == 200, name


def test_a_change_of_lead_stays_in_the_team_history(world, projects) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    projects.shared.team.filter(user=world.lead).update(left_on=dt.date(2025, 6, 30))
    body = ApiClient(world.admin).get(f"{API}/projects/{projects.shared.pk}").json()
    former = next(m for m in body["team"] if m["person"]["name"] == "Tom Price")
    assert former["left_on"] == "2025-06-30" and former["current"] is False
    assert body["leads"] == []


def test_driver_diagram_pdsa_and_story(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.projects.tests.factories import (
        ChangeIdeaFactory,
        DriverFactory,
        PDSACycleFactory,
        StoryEntryFactory,
    )

    project = projects.shared
    primary = DriverFactory(project=project, title="Engagement")
    secondary = DriverFactory(project=project, parent=primary, title="Reminders")
    idea = ChangeIdeaFactory(project=project, title="Text reminders")
    idea.drivers.add(secondary)
    cycle = PDSACycleFactory(
        project=project, change_idea=idea, title="Texts for one clinic", prediction="Fewer DNAs"
    )
    StoryEntryFactory(project=project, title="First meeting", text="We **met**.")
    client = ApiClient(world.member)
    diagram = client.get(f"{API}/projects/{project.pk}/driver-diagram").json()
    assert diagram["primary_drivers"][0]["secondary_drivers"] == [
        {"id": secondary.pk, "title": "Reminders", "change_idea_ids": [idea.pk]}
    ]
    assert diagram["change_ideas"][0]["driver_ids"] == [secondary.pk]
    cycles = client.get(f"{API}/projects/{project.pk}/pdsa-cycles").json()
    assert cycles["items"][0]["id"] == cycle.pk and cycles["items"][0]["plan"]["prediction"] == "Fewer DNAs"
    assert (
        client.get(f"{API}/projects/{project.pk}/pdsa-cycles/{cycle.pk}").json()["change_idea_id"] == idea.pk
    )
    story = client.get(f"{API}/projects/{project.pk}/story-entries").json()["items"][0]
    assert story["title"] == "First meeting" and "<strong>met</strong>" in story["html"]
    assert story["you_may_change"] is False
    other = PDSACycleFactory(project=projects.private)
    assert client.get(f"{API}/projects/{project.pk}/pdsa-cycles/{other.pk}").status_code == 404


def test_a_story_entry_added_by_api_is_audited(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.core.models import AuditEvent

    body = {"occurred_on": "2025-03-04", "category": "decision", "title": "Adopt texts", "text": "Agreed."}
    made = ApiClient(world.partner).post(f"{API}/projects/{projects.shared.pk}/story-entries", body)
    assert made.status_code == 201 and made.json()["author"]["name"] == "Sam Taylor"
    event = AuditEvent.objects.get(object_type="projects.storyentry", object_id=str(made.json()["id"]))
    assert (event.action, event.actor, event.project_id) == ("create", world.partner, projects.shared.pk)
    future = ApiClient(world.partner).post(
        f"{API}/projects/{projects.shared.pk}/story-entries", {**body, "occurred_on": "2999-01-01"}
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "occurred_on"


def test_confirming_flagged_text_saves_it_and_audits_the_confirmation(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.core.models import AuditEvent

    body = {"occurred_on": "2025-03-04", "category": "meeting", "title": "Call", "text": "Call 07700 900123"}
    url = f"{API}/projects/{projects.shared.pk}/story-entries"
    assert ApiClient(world.lead).post(url, body).status_code == 422
    saved = ApiClient(world.lead).post(url, {**body, "confirm_no_personal_data": True})
    assert saved.status_code == 201
    assert AuditEvent.objects.filter(action="confirm", object_id=str(saved.json()["id"])).exists()
