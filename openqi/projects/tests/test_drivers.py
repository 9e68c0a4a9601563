"""Driver diagram: the services (ordering, linking, removal, audit) and the pages (who may see and
change them, and that every task works with plain forms)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from openqi.core.concurrency import EditConflict
from openqi.core.models import AuditEvent
from openqi.projects.models import ChangeIdea, Driver
from openqi.projects.services import drivers as services
from openqi.projects.tests.factories import ChangeIdeaFactory, DriverFactory

pytestmark = pytest.mark.django_db


def titles(queryset) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.title for d in queryset]


def audit_rows(project, action: str, model: str) -> int:  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(
        project_id=project.pk, action=action, object_type=f"projects.{model}"
    ).count()


# --- services -----------------------------------------------------------------------------------


def test_drivers_are_added_in_order_and_moved_among_their_siblings(projects, world) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    first = services.add_driver(project, title="Timely first appointment", by=world.lead)
    second = services.add_driver(project, title="Engaging sessions", by=world.lead)
    child = services.add_driver(project, title="Reminders", parent=first, by=world.lead)
    assert titles(project.drivers.filter(parent=None)) == ["Timely first appointment", "Engaging sessions"]
    assert child.position == 0 and child.parent == first

    assert services.move_driver(second, direction="up", by=world.lead)
    assert titles(project.drivers.filter(parent=None)) == ["Engaging sessions", "Timely first appointment"]
    # Already first: nothing moves, nothing is recorded.
    events = AuditEvent.objects.count()
    assert not services.move_driver(project.drivers.get(pk=second.pk), direction="up", by=world.lead)
    assert AuditEvent.objects.count() == events
    # A secondary driver moves only among the secondary drivers of its primary driver.
    assert not services.move_driver(child, direction="down", by=world.lead)
    assert audit_rows(project, "create", "driver") == 3
    assert audit_rows(project, "update", "driver") == 2


def test_moving_repairs_positions_that_tie(projects, world) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    a, b, c = (DriverFactory(project=project, title=t, position=0) for t in "abc")
    services.move_driver(c, direction="up", by=world.lead)
    assert titles(project.drivers.filter(parent=None)) == ["a", "c", "b"]


def test_a_secondary_driver_must_sit_under_a_primary_driver_of_the_project(projects, world) -> None:  # type: ignore[no-untyped-def]
    primary = DriverFactory(project=projects.shared)
    secondary = DriverFactory(project=projects.shared, parent=primary)
    with pytest.raises(services.NotASecondaryParent):
        services.add_driver(projects.shared, title="Too deep", parent=secondary, by=world.lead)
    with pytest.raises(services.NotASecondaryParent):
        services.add_driver(projects.private, title="Elsewhere", parent=primary, by=world.lead)


def test_one_change_idea_links_to_several_drivers(projects, world) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    a = DriverFactory(project=project, title="Access")
    b = DriverFactory(project=project, title="Engagement")
    idea = services.add_change_idea(
        project, title="Text reminders", description="", drivers=[a, b], by=world.lead
    )
    assert set(idea.drivers.all()) == {a, b}
    event = AuditEvent.objects.get(action="create", object_type="projects.changeidea")
    assert event.changes["drivers"] == [None, ["Access", "Engagement"]]

    services.update_change_idea(
        idea, title="Text reminders", description="", drivers=[b], expected_version=1, by=world.lead
    )
    assert list(idea.drivers.all()) == [b]
    update = AuditEvent.objects.get(action="update", object_type="projects.changeidea")
    assert update.changes == {"drivers": [["Access", "Engagement"], ["Engagement"]]}

    other = DriverFactory(project=projects.private)
    with pytest.raises(ValueError):
        services.update_change_idea(
            idea, title="x", description="", drivers=[other], expected_version=2, by=world.lead
        )


def test_removing_a_primary_driver_removes_its_secondary_drivers_but_keeps_change_ideas(
    projects, world
) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    primary = DriverFactory(project=project, title="Access")
    child = DriverFactory(project=project, parent=primary, title="Reminders")
    keep = DriverFactory(project=project, title="Engagement")
    only_here = ChangeIdeaFactory(project=project, title="Texts")
    only_here.drivers.set([child])
    shared = ChangeIdeaFactory(project=project, title="Calls")
    shared.drivers.set([child, keep])

    removal = services.removal_of(primary)
    assert removal.children == [child]
    assert removal.ideas_left_unlinked == [only_here]

    services.remove_driver(primary, by=world.lead)
    assert list(project.drivers.all()) == [keep]
    assert set(project.change_ideas.all()) == {only_here, shared}
    assert list(only_here.drivers.all()) == [] and list(shared.drivers.all()) == [keep]
    deleted = AuditEvent.objects.filter(action="delete", object_type="projects.driver")
    assert {e.object_repr for e in deleted} == {"Access", "Reminders"}
    assert deleted.get(object_repr="Reminders").changes["title"] == ["Reminders", None]


def test_change_ideas_reorder_and_are_removed_with_an_audit_row(projects, world) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    a = services.add_change_idea(project, title="A", description="", drivers=[], by=world.lead)
    b = services.add_change_idea(project, title="B", description="", drivers=[], by=world.lead)
    services.move_change_idea(a, direction="down", by=world.lead)
    assert titles(project.change_ideas.all()) == ["B", "A"]
    services.remove_change_idea(b, by=world.lead)
    assert titles(project.change_ideas.all()) == ["A"]
    assert audit_rows(project, "delete", "changeidea") == 1


# --- pages ----------------------------------------------------------------------------------------


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def diagram_with_content(project):  # type: ignore[no-untyped-def]
    primary = DriverFactory(project=project, title="Timely first appointment")
    secondary = DriverFactory(project=project, parent=primary, title="Reminders before sessions")
    idea = ChangeIdeaFactory(project=project, title="Text the day before")
    idea.drivers.set([secondary, primary])
    return primary, secondary, idea


@pytest.mark.parametrize("persona", ["lead", "partner", "coach"])
def test_the_team_sees_editing_controls(projects, world, persona: str) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    primary, _, idea = diagram_with_content(project)
    body = client_for(getattr(world, persona)).get(f"/projects/{project.pk}/drivers/").content.decode()
    assert "Change the driver diagram" in body
    assert f"/projects/{project.pk}/drivers/{primary.pk}/rename/" in body
    assert "Primary driver: </span>Timely first appointment" in body
    # The change idea appears under both drivers it acts on, each linking to its ramp.
    assert body.count(f"/projects/{project.pk}/pdsa/change-ideas/{idea.pk}/") == 2


@pytest.mark.parametrize("persona", ["sponsor", "member", "advisor"])
def test_readers_see_the_diagram_without_controls(projects, world, persona: str) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    primary, _, _ = diagram_with_content(project)
    client = client_for(getattr(world, persona))
    body = client.get(f"/projects/{project.pk}/drivers/").content.decode()
    assert "Timely first appointment" in body and "Text the day before" in body
    assert "Change the driver diagram" not in body and "Move up" not in body
    assert client.get(f"/projects/{project.pk}/drivers/print/").status_code == 200
    for url in (
        f"/projects/{project.pk}/drivers/add/",
        f"/projects/{project.pk}/drivers/{primary.pk}/rename/",
        f"/projects/{project.pk}/drivers/{primary.pk}/remove/",
        f"/projects/{project.pk}/change-ideas/add/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/projects/{project.pk}/drivers/add/", {"title": "Sneaky"}).status_code == 403
    assert client.post(f"/projects/{project.pk}/drivers/{primary.pk}/remove/").status_code == 403
    assert (
        client.post(f"/projects/{project.pk}/drivers/{primary.pk}/move/", {"direction": "down"}).status_code
        == 403
    )
    assert project.drivers.count() == 2


@pytest.mark.parametrize(
    ("persona", "which"),
    [("member", "private"), ("outsider", "private"), ("outsider", "shared"), ("loner", "shared")],
)
def test_people_who_cannot_see_the_project_get_not_found(projects, world, persona: str, which: str) -> None:  # type: ignore[no-untyped-def]
    project = getattr(projects, which)
    primary, _, _ = diagram_with_content(project)
    client = client_for(getattr(world, persona))
    for url in (f"/projects/{project.pk}/drivers/", f"/projects/{project.pk}/drivers/print/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/projects/{project.pk}/drivers/{primary.pk}/remove/").status_code == 404


def test_a_driver_of_another_project_is_not_found(projects, world) -> None:  # type: ignore[no-untyped-def]
    elsewhere = DriverFactory(project=projects.private)
    client = client_for(world.lead)
    assert client.get(f"/projects/{projects.shared.pk}/drivers/{elsewhere.pk}/rename/").status_code == 404


def test_the_tree_is_built_with_plain_forms(projects, world) -> None:  # type: ignore[no-untyped-def]
    project, client = projects.shared, client_for(world.coach)
    base = f"/projects/{project.pk}"
    response = client.post(f"{base}/drivers/add/", {"title": "Timely first appointment"})
    assert response.status_code == 302 and response["Location"] == f"{base}/drivers/"
    primary = project.drivers.get()
    client.post(f"{base}/drivers/{primary.pk}/add/", {"title": "Reminders"})
    secondary = project.drivers.get(parent=primary)
    client.post(
        f"{base}/change-ideas/add/", {"title": "Text reminders", "drivers": [primary.pk, secondary.pk]}
    )
    idea = project.change_ideas.get()
    assert set(idea.drivers.all()) == {primary, secondary}

    client.post(f"{base}/drivers/{secondary.pk}/rename/", {"title": "Reminders that work", "version": 1})
    assert Driver.objects.get(pk=secondary.pk).title == "Reminders that work"

    confirm = client.get(f"{base}/drivers/{primary.pk}/remove/").content.decode()
    assert "Its secondary drivers go too" in confirm and "Reminders that work" in confirm
    client.post(f"{base}/drivers/{primary.pk}/remove/")
    assert not project.drivers.exists()
    assert ChangeIdea.objects.filter(pk=idea.pk).exists()

    response = client.get(f"{base}/drivers/")
    assert "Change ideas not linked to a driver yet" in response.content.decode()


def test_an_empty_title_is_explained(projects, world) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.lead).post(f"/projects/{projects.shared.pk}/drivers/add/", {"title": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "Enter the driver" in body
    assert "<title>Error:" in body


def test_personal_data_in_a_change_idea_is_questioned_and_the_text_kept(projects, world) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    text = "Call Mrs Smith, NHS number 943 476 5919, the day before"
    response = client_for(world.lead).post(
        f"/projects/{project.pk}/change-ideas/add/", {"title": "Phone calls", "description": text}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "confirm_no_personal_data" in body
    assert "943 476 5919" in body  # redisplayed as typed, so nothing is lost
    assert not project.change_ideas.exists()


# --- two people editing the same record -----------------------------------------------------------


def conflict_shown(body: str) -> bool:
    return EditConflict.message.split(":")[0] in body.replace("&#39;", "'")


def version_in(body: str) -> int:
    """The version the re-shown form carries in its hidden field."""
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', body)
    assert match, "the form carries no version"
    return int(match.group(1))


def test_a_rename_over_a_newer_rename_is_refused_and_the_text_kept(projects, world) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    driver = DriverFactory(project=project, title="Timely first appointment")
    url = f"/projects/{project.pk}/drivers/{driver.pk}/rename/"
    lead, partner = client_for(world.lead), client_for(world.partner)
    assert version_in(partner.get(url).content.decode()) == 1  # the partner opens the form

    assert lead.post(url, {"title": "Lead's name", "version": 1}).status_code == 302
    response = partner.post(url, {"title": "Partner's name", "version": 1})
    body = response.content.decode()
    assert response.status_code == 200 and conflict_shown(body)
    assert "Partner&#39;s name" in body  # the person's text, kept in the form
    assert "Lead&#39;s name" in body  # and the saved name next to it
    assert Driver.objects.get(pk=driver.pk).title == "Lead's name"
    assert audit_rows(project, "update", "driver") == 1

    # Having read the message, saving again (with the version the re-shown form carries) works.
    again = partner.post(url, {"title": "Partner's name", "version": version_in(body)})
    assert again.status_code == 302
    saved = Driver.objects.get(pk=driver.pk)
    assert saved.title == "Partner's name" and saved.version == 3


def test_a_move_does_not_make_a_rename_conflict(projects, world) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    first, second = DriverFactory(project=project, title="a"), DriverFactory(project=project, title="b")
    client = client_for(world.lead)
    client.post(f"/projects/{project.pk}/drivers/{second.pk}/move/", {"direction": "up"})
    response = client.post(f"/projects/{project.pk}/drivers/{first.pk}/rename/", {"title": "A", "version": 1})
    assert response.status_code == 302
    assert titles(project.drivers.filter(parent=None)) == ["b", "A"]


def test_a_rename_without_a_version_is_refused(projects, world) -> None:  # type: ignore[no-untyped-def]
    driver = DriverFactory(project=projects.shared, title="Access")
    url = f"/projects/{projects.shared.pk}/drivers/{driver.pk}/rename/"
    assert client_for(world.lead).post(url, {"title": "Changed"}).status_code == 200
    assert Driver.objects.get(pk=driver.pk).title == "Access"


def test_a_change_idea_edit_over_a_newer_edit_is_refused_and_the_text_kept(projects, world) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    access, engagement = (DriverFactory(project=project, title=t) for t in ("Access", "Engagement"))
    idea = ChangeIdeaFactory(project=project, title="Text reminders", description="")
    idea.drivers.set([access])
    url = f"/projects/{project.pk}/change-ideas/{idea.pk}/edit/"
    lead, partner = client_for(world.lead), client_for(world.partner)
    assert version_in(partner.get(url).content.decode()) == 1

    first = {"title": "Texts two days before", "description": "Lead's plan", "drivers": [access.pk]}
    assert lead.post(url, {**first, "version": 1}).status_code == 302
    theirs = {"title": "Phone calls instead", "description": "Partner's plan", "drivers": [engagement.pk]}
    response = partner.post(url, {**theirs, "version": 1})
    body = response.content.decode()
    assert response.status_code == 200 and conflict_shown(body)
    assert "Phone calls instead" in body and "Partner&#39;s plan" in body
    assert "Texts two days before" in body  # the latest saved version, shown next to theirs
    saved = ChangeIdea.objects.get(pk=idea.pk)
    assert (saved.title, saved.description) == ("Texts two days before", "Lead's plan")
    assert list(saved.drivers.all()) == [access]  # the links are not changed either

    again = partner.post(url, {**theirs, "version": version_in(body)})
    assert again.status_code == 302
    saved = ChangeIdea.objects.get(pk=idea.pk)
    assert (saved.title, saved.description) == ("Phone calls instead", "Partner's plan")
    assert list(saved.drivers.all()) == [engagement]


def test_the_change_idea_service_refuses_a_stale_version(projects, world) -> None:  # type: ignore[no-untyped-def]
    idea = ChangeIdeaFactory(project=projects.shared, title="Text reminders")
    services.update_change_idea(
        idea, title="A", description="", drivers=[], expected_version=1, by=world.lead
    )
    stale = ChangeIdea.objects.get(pk=idea.pk)
    with pytest.raises(EditConflict):
        services.update_change_idea(
            stale, title="B", description="", drivers=[], expected_version=1, by=world.partner
        )
    assert ChangeIdea.objects.get(pk=idea.pk).title == "A"
    assert audit_rows(projects.shared, "update", "changeidea") == 1
