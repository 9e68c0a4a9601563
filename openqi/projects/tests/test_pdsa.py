"""PDSA cycles: ramps, stages saved with concurrency, tasks, the personal-data guard, and access."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from openqi.core.concurrency import EditConflict
from openqi.core.models import AuditEvent
from openqi.projects.models import PDSACycle, PDSATask, TeamRole
from openqi.projects.presenters.pdsa import by_change_idea, ramps
from openqi.projects.services import pdsa as services
from openqi.projects.tests.factories import ChangeIdeaFactory, PDSACycleFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def idea(projects):  # type: ignore[no-untyped-def]
    return ChangeIdeaFactory(project=projects.shared, title="Text reminders")


# --- services and ramps ---------------------------------------------------------------------------


def test_cycles_chain_into_a_ramp_with_numbered_titles(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    first = services.create_cycle(
        project, title="Text reminders", change_idea=idea, prediction="Fewer DNAs", by=world.lead
    )
    assert services.next_cycle_title(first) == "Text reminders (cycle 2)"
    second = services.create_cycle(
        project, title=services.next_cycle_title(first), change_idea=idea, follows=first, by=world.lead
    )
    assert services.next_cycle_title(second) == "Text reminders (cycle 3)"
    third = services.create_cycle(
        project, title=services.next_cycle_title(second), change_idea=idea, follows=second, by=world.lead
    )
    separate = services.create_cycle(project, title="Another start", change_idea=idea, by=world.lead)

    found = ramps(list(project.pdsa_cycles.all()))
    assert [[(r.number, r.cycle) for r in ramp.rows] for ramp in found] == [
        [(1, first), (2, second), (3, third)],
        [(1, separate)],
    ]
    created = AuditEvent.objects.filter(action="create", object_type="projects.pdsacycle")
    assert created.count() == 4
    assert created.get(object_id=str(first.pk)).changes["prediction"] == [None, "Fewer DNAs"]


def test_a_cycle_can_only_follow_a_cycle_of_the_same_change_idea(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    other_idea = ChangeIdeaFactory(project=projects.shared)
    earlier = PDSACycleFactory(project=projects.shared, change_idea=other_idea)
    with pytest.raises(services.NotInThisRamp):
        services.create_cycle(projects.shared, title="x", change_idea=idea, follows=earlier, by=world.lead)
    foreign = ChangeIdeaFactory(project=projects.private)
    with pytest.raises(services.NotInThisRamp):
        services.create_cycle(projects.shared, title="x", change_idea=foreign, by=world.lead)


def test_the_list_groups_ramps_by_change_idea(projects, idea) -> None:  # type: ignore[no-untyped-def]
    first = PDSACycleFactory(project=projects.shared, change_idea=idea)
    PDSACycleFactory(project=projects.shared, change_idea=idea, follows=first)
    PDSACycleFactory(project=projects.shared, change_idea=None, title="Loose")
    groups = by_change_idea(projects.shared)
    assert [g.idea for g in groups] == [idea, None]
    assert [len(r.rows) for r in groups[0].ramps] == [2]


def test_a_stage_save_is_versioned_and_audited(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    cycle = PDSACycleFactory(project=projects.shared, change_idea=idea)
    services.update_cycle(
        cycle, values={"do_what_happened": "Sent 40 texts"}, expected_version=1, by=world.lead
    )
    assert PDSACycle.objects.get(pk=cycle.pk).version == 2
    event = AuditEvent.objects.get(action="update", object_type="projects.pdsacycle")
    assert event.changes == {"do_what_happened": ["", "Sent 40 texts"]}
    with pytest.raises(EditConflict):
        services.update_cycle(cycle, values={"study_results": "x"}, expected_version=1, by=world.partner)
    assert PDSACycle.objects.get(pk=cycle.pk).study_results == ""


def test_tasks_are_added_done_and_audited(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    cycle = PDSACycleFactory(project=projects.shared, change_idea=idea)
    task = services.add_task(
        cycle, description="Draft the text", owner=world.partner, due_on=dt.date(2025, 5, 1), by=world.lead
    )
    services.set_task_done(task, done=True, by=world.partner)
    task.refresh_from_db()
    assert task.done
    assert (
        AuditEvent.objects.filter(object_type="projects.pdsatask", project_id=projects.shared.pk).count() == 2
    )


# --- pages ----------------------------------------------------------------------------------------


def stage_url(cycle: PDSACycle, stage: str) -> str:
    return f"/projects/{cycle.project_id}/pdsa/{cycle.pk}/{stage}/"


@pytest.mark.parametrize("persona", ["lead", "partner", "coach"])
def test_the_team_records_every_stage_with_plain_forms(projects, world, idea, persona: str) -> None:  # type: ignore[no-untyped-def]
    client, project = client_for(getattr(world, persona)), projects.shared
    response = client.post(
        f"/projects/{project.pk}/pdsa/new/",
        {"title": "Text reminders", "change_idea": idea.pk, "prediction": "DNAs fall from 20% to 10%"},
    )
    cycle = project.pdsa_cycles.get()
    assert response["Location"] == f"/projects/{project.pk}/pdsa/{cycle.pk}/"

    plan = {"title": "Text reminders", "prediction": "DNAs fall from 20% to 10%", "plan_who": "Admin team"}
    assert client.post(stage_url(cycle, "plan"), {**plan, "version": 1}).status_code == 302
    client.post(stage_url(cycle, "do"), {"do_what_happened": "Sent 40 texts", "version": 2})
    study = client.get(stage_url(cycle, "study")).content.decode()
    assert "DNAs fall from 20% to 10%" in study  # the prediction sits next to the results
    client.post(stage_url(cycle, "study"), {"study_results": "DNAs fell to 12%", "version": 3})
    client.post(
        stage_url(cycle, "act"), {"act_decision": "adapt", "act_next_step": "Two texts", "version": 4}
    )
    cycle.refresh_from_db()
    assert (cycle.plan_who, cycle.study_results, cycle.act_decision) == (
        "Admin team",
        "DNAs fell to 12%",
        "adapt",
    )
    assert cycle.stage == "Complete"

    page = client.get(f"/projects/{project.pk}/pdsa/{cycle.pk}/").content.decode()
    assert "Start the next cycle in this ramp" in page
    start = client.get(f"/projects/{project.pk}/pdsa/new/?follows={cycle.pk}").content.decode()
    assert 'value="Text reminders (cycle 2)"' in start
    client.post(
        f"/projects/{project.pk}/pdsa/new/",
        {"title": "Text reminders (cycle 2)", "change_idea": idea.pk, "follows": cycle.pk},
    )
    follower = project.pdsa_cycles.get(follows=cycle)
    ramp = client.get(f"/projects/{project.pk}/pdsa/change-ideas/{idea.pk}/").content.decode()
    assert "Cycle 1:" in ramp and "Cycle 2:" in ramp and "Text reminders (cycle 2)" in ramp
    # Once the ramp continues, the offer is not repeated.
    assert (
        "Start the next cycle in this ramp"
        not in client.get(f"/projects/{project.pk}/pdsa/{cycle.pk}/").content.decode()
    )
    assert follower.change_idea == idea


def test_the_act_decision_needs_a_choice_and_explains_each(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    cycle = PDSACycleFactory(project=projects.shared, change_idea=idea)
    client = client_for(world.lead)
    page = client.get(stage_url(cycle, "act")).content.decode()
    assert "make it part of how the team works" in page and "change something and test it again" in page
    response = client.post(stage_url(cycle, "act"), {"act_next_step": "Keep going", "version": 1})
    body = response.content.decode()
    assert "Choose adopt, adapt or abandon" in body and "Keep going" in body


def test_a_second_save_of_the_same_version_is_refused_and_the_text_kept(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    cycle = PDSACycleFactory(project=projects.shared, change_idea=idea)
    lead, partner = client_for(world.lead), client_for(world.partner)
    assert (
        lead.post(stage_url(cycle, "do"), {"do_what_happened": "Lead's notes", "version": 1}).status_code
        == 302
    )
    response = partner.post(stage_url(cycle, "do"), {"do_what_happened": "Partner's notes", "version": 1})
    body = response.content.decode()
    assert response.status_code == 200
    assert EditConflict.message.split(":")[0] in body.replace("&#39;", "'")
    assert "Partner&#39;s notes" in body or "Partner's notes" in body
    assert PDSACycle.objects.get(pk=cycle.pk).do_what_happened == "Lead's notes"


def test_personal_data_in_a_stage_is_questioned_then_confirmed(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    cycle = PDSACycleFactory(project=projects.shared, change_idea=idea)
    client = client_for(world.lead)
    text = "John Smith (NHS number 943 476 5919) did not attend"
    response = client.post(stage_url(cycle, "do"), {"do_observations": text, "version": 1})
    body = response.content.decode()
    assert response.status_code == 200 and "confirm_no_personal_data" in body
    assert "943 476 5919" in body
    assert PDSACycle.objects.get(pk=cycle.pk).do_observations == ""
    response = client.post(
        stage_url(cycle, "do"), {"do_observations": text, "version": 1, "confirm_no_personal_data": "on"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CONFIRM, object_id=str(cycle.pk)).exists()


def test_task_owners_are_current_team_members(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    leaver = TeamMemberFactory(project=project, role=TeamRole.MEMBER, left_on=dt.date(2024, 1, 1)).user
    cycle = PDSACycleFactory(project=project, change_idea=idea)
    client = client_for(world.lead)
    url = f"/projects/{project.pk}/pdsa/{cycle.pk}/tasks/add/"
    page = client.get(url).content.decode()
    assert world.partner.display_name in page and leaver.display_name not in page
    assert world.member.display_name not in page
    refused = client.post(url, {"description": "Draft text", "owner": world.member.pk})
    assert refused.status_code == 200 and not cycle.tasks.exists()
    client.post(url, {"description": "Draft text", "owner": world.partner.pk, "due_on": "2025-05-01"})
    task = cycle.tasks.get()
    assert task.owner == world.partner and task.due_on == dt.date(2025, 5, 1)
    client.post(f"/projects/{project.pk}/pdsa/{cycle.pk}/tasks/{task.pk}/done/", {"done": "1"})
    task.refresh_from_db()
    assert task.done


@pytest.mark.parametrize("persona", ["sponsor", "member", "advisor"])
def test_readers_see_cycles_but_cannot_change_them(projects, world, idea, persona: str) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    cycle = PDSACycleFactory(project=project, change_idea=idea, title="Text test", act_decision="adapt")
    client = client_for(getattr(world, persona))
    assert "Text test" in client.get(f"/projects/{project.pk}/pdsa/").content.decode()
    page = client.get(f"/projects/{project.pk}/pdsa/{cycle.pk}/").content.decode()
    assert "Text test" in page
    assert "Change the plan" not in page and "Start the next cycle in this ramp" not in page
    assert client.get(stage_url(cycle, "plan")).status_code == 403
    assert client.post(stage_url(cycle, "do"), {"do_what_happened": "x", "version": 1}).status_code == 403
    assert (
        client.post(f"/projects/{project.pk}/pdsa/new/", {"title": "x", "change_idea": idea.pk}).status_code
        == 403
    )
    assert project.pdsa_cycles.count() == 1


@pytest.mark.parametrize(
    ("persona", "which"),
    [("member", "private"), ("outsider", "private"), ("outsider", "shared"), ("loner", "shared")],
)
def test_people_who_cannot_see_the_project_get_not_found(projects, world, persona: str, which: str) -> None:  # type: ignore[no-untyped-def]
    project = getattr(projects, which)
    cycle = PDSACycleFactory(project=project)
    client = client_for(getattr(world, persona))
    for url in (f"/projects/{project.pk}/pdsa/", f"/projects/{project.pk}/pdsa/{cycle.pk}/"):
        assert client.get(url).status_code == 404
    assert client.post(stage_url(cycle, "do"), {"do_what_happened": "x", "version": 1}).status_code == 404


def test_a_cycle_of_another_project_is_not_found(projects, world) -> None:  # type: ignore[no-untyped-def]
    elsewhere = PDSACycleFactory(project=projects.private)
    client = client_for(world.lead)
    assert client.get(f"/projects/{projects.shared.pk}/pdsa/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/projects/{projects.shared.pk}/pdsa/{elsewhere.pk}/nonsense/").status_code == 404


# --- two people editing the same task -------------------------------------------------------------


def version_in(body: str) -> int:
    """The version the re-shown form carries in its hidden field."""
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', body)
    assert match, "the form carries no version"
    return int(match.group(1))


def test_a_task_edit_over_a_newer_edit_is_refused_and_the_text_kept(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    cycle = PDSACycleFactory(project=project, change_idea=idea)
    task = services.add_task(cycle, description="Draft the text", owner=None, due_on=None, by=world.lead)
    url = f"/projects/{project.pk}/pdsa/{cycle.pk}/tasks/{task.pk}/"
    lead, partner = client_for(world.lead), client_for(world.partner)
    assert version_in(partner.get(url).content.decode()) == 1  # the partner opens the form

    assert lead.post(url, {"description": "Lead's wording", "version": 1}).status_code == 302
    theirs = {"description": "Partner's wording", "owner": world.partner.pk, "due_on": "2025-06-02"}
    response = partner.post(url, {**theirs, "version": 1})
    body = response.content.decode()
    assert response.status_code == 200
    assert EditConflict.message.split(":")[0] in body.replace("&#39;", "'")
    assert "Partner&#39;s wording" in body and 'value="2025-06-02"' in body  # their answers, kept
    assert "Lead&#39;s wording" in body  # and the saved task next to them
    saved = PDSATask.objects.get(pk=task.pk)
    assert (saved.description, saved.owner, saved.due_on) == ("Lead's wording", None, None)
    updates = AuditEvent.objects.filter(object_type="projects.pdsatask", action=AuditEvent.Action.UPDATE)
    assert updates.count() == 1

    # Having read the message, saving again (with the version the re-shown form carries) works.
    again = partner.post(url, {**theirs, "version": version_in(body)})
    assert again.status_code == 302
    saved = PDSATask.objects.get(pk=task.pk)
    assert (saved.description, saved.owner, saved.due_on) == (
        "Partner's wording",
        world.partner,
        dt.date(2025, 6, 2),
    )


def test_ticking_a_task_done_is_not_undone_by_an_edit_opened_before(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    cycle = PDSACycleFactory(project=project, change_idea=idea)
    task = services.add_task(cycle, description="Draft the text", owner=None, due_on=None, by=world.lead)
    base = f"/projects/{project.pk}/pdsa/{cycle.pk}/tasks/{task.pk}"
    lead, partner = client_for(world.lead), client_for(world.partner)
    opened = version_in(partner.get(f"{base}/").content.decode())
    # The tick is not checked against a version...
    assert lead.post(f"{base}/done/", {"done": "1"}).status_code == 302
    # ...but an edit form opened before it (its "done" box unticked) no longer silently undoes it.
    response = partner.post(f"{base}/", {"description": "Draft the text", "version": opened})
    assert response.status_code == 200
    assert PDSATask.objects.get(pk=task.pk).done


def test_the_task_service_refuses_a_stale_version(projects, world, idea) -> None:  # type: ignore[no-untyped-def]
    cycle = PDSACycleFactory(project=projects.shared, change_idea=idea)
    task = services.add_task(cycle, description="Draft", owner=None, due_on=None, by=world.lead)
    services.update_task(
        task, description="A", owner=None, due_on=None, done=False, expected_version=1, by=world.lead
    )
    stale = PDSATask.objects.get(pk=task.pk)
    with pytest.raises(EditConflict):
        services.update_task(
            stale, description="B", owner=None, due_on=None, done=False, expected_version=1, by=world.lead
        )
    assert PDSATask.objects.get(pk=task.pk).description == "A"
