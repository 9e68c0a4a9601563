"""The project record: create, edit (with concurrency and the personal-data guard), lifecycle,
progress score and its 30-day review prompt, team with history, invitations into the team, search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openqi.accounts.tests.helpers import last_link_for
from openqi.core.models import AuditEvent
from openqi.projects import search
from openqi.projects.models import Lifecycle, Project, TeamMember, TeamRole
from openqi.projects.services import projects as services
from openqi.projects.services import team as team_services
from openqi.projects.tests.factories import ProjectFactory, StoryEntryFactory

VALID = {
    "title": "Fewer missed appointments",
    "problem": "One in five first appointments is missed.",
    "aim_what": "Reduce the proportion of missed first appointments",
    "aim_for_whom": "people referred to the community addictions service",
    "aim_baseline": "20%",
    "aim_target": "10%",
    "aim_by": "2026-09-30",
    "visibility": "organisation",
    "coproduction": "partners",
}


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_aim_statement_is_one_sentence_from_its_parts() -> None:
    project = Project(
        title="t",
        aim_what="Increase the proportion of people who complete Low Intensity CBT",
        aim_for_whom="adults discharged from step 2",
        aim_baseline="45%",
        aim_target="60%",
        aim_by=dt.date(2026, 3, 31),
    )
    assert project.aim_statement == (
        "Increase the proportion of people who complete Low Intensity CBT for adults discharged from step 2 "
        "from 45% to 60% by 31 March 2026."
    )
    assert Project(title="t").aim_statement == ""


def test_a_member_creates_a_project_and_becomes_its_lead(world) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.member)
    response = client.post(reverse("projects:create"), VALID)
    project = Project.objects.get(title="Fewer missed appointments")
    assert response.status_code == 302 and response.url == reverse(
        "projects:detail", kwargs={"pk": project.pk}
    )
    assert project.lifecycle == Lifecycle.IDEA and project.organisation == world.trust
    assert project.team.get().role == TeamRole.LEAD
    assert AuditEvent.objects.filter(
        project_id=project.pk, action="create", object_type="projects.project"
    ).exists()
    page = client.get(response.url).content.decode()
    assert "Reduce the proportion of missed first appointments for people referred" in page


def test_missing_aim_gives_an_error_summary_and_keeps_the_text(world) -> None:  # type: ignore[no-untyped-def]
    body = signed_in(world.member).post(reverse("projects:create"), VALID | {"aim_what": ""}).content.decode()
    assert "There is a problem" in body and 'href="#id_aim_what"' in body
    assert "One in five first appointments is missed." in body
    assert not Project.objects.exists()


def test_an_nhs_number_in_the_problem_is_flagged_and_nothing_typed_is_lost(world) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.member)
    problem = "Seen 943 476 5919 twice this week."
    body = client.post(reverse("projects:create"), VALID | {"problem": problem}).content.decode()
    assert "NHS number" in body and problem in body and "confirm_no_personal_data" in body
    assert not Project.objects.exists()
    # Confirming saves, and the confirmation is in the audit trail.
    client.post(reverse("projects:create"), VALID | {"problem": problem, "confirm_no_personal_data": "on"})
    project = Project.objects.get()
    assert AuditEvent.objects.filter(project_id=project.pk, action="confirm").exists()


def test_the_organisation_can_block_personal_data(world) -> None:  # type: ignore[no-untyped-def]
    world.trust.block_personal_data = True
    world.trust.save()
    data = VALID | {"problem": "Seen 943 476 5919 twice.", "confirm_no_personal_data": "on"}
    body = signed_in(world.member).post(reverse("projects:create"), data).content.decode()
    assert "There is a problem" in body and not Project.objects.exists()


def test_the_second_of_two_concurrent_edits_is_refused_and_its_text_kept(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    first, second = signed_in(world.lead), signed_in(world.partner)
    version = project.version
    form = VALID | {"version": version}
    assert (
        first.post(
            reverse("projects:edit", kwargs={"pk": project.pk}), form | {"title": "First title"}
        ).status_code
        == 302
    )
    body = second.post(
        reverse("projects:edit", kwargs={"pk": project.pk}), form | {"title": "Second title"}
    ).content.decode()
    assert "Someone else changed this record" in body and "Second title" in body
    project.refresh_from_db()
    assert project.title == "First title"
    change = AuditEvent.objects.filter(project_id=project.pk, action="update").latest("id")
    assert change.changes["title"] == ["Shared project", "First title"]


def test_lifecycle_moves_are_checked_and_approval_needs_date_and_forum(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    client = signed_in(world.lead)
    url = reverse("projects:lifecycle", kwargs={"pk": project.pk})
    body = client.post(url, {"to_state": "active", "version": project.version}).content.decode()
    assert "Select a valid choice" in body  # idea cannot jump to active
    client.post(url, {"to_state": "proposed", "version": project.version})
    project.refresh_from_db()
    body = client.post(url, {"to_state": "approved", "version": project.version}).content.decode()
    assert "Enter the date the project was approved" in body
    client.post(
        url,
        {
            "to_state": "approved",
            "approved_on": "2025-02-03",
            "approved_by": "PCMH QI forum",
            "version": project.version,
        },
    )
    project.refresh_from_db()
    assert project.lifecycle == Lifecycle.APPROVED and project.approved_by == "PCMH QI forum"
    assert [c.to_state for c in project.lifecycle_changes.order_by("id")] == ["proposed", "approved"]
    # Closing needs a reason.
    body = client.post(url, {"to_state": "closed", "version": project.version}).content.decode()
    assert "Enter the reason for closing the project" in body
    # Partners may not change the stage.
    assert signed_in(world.partner).get(url).status_code == 403


def test_progress_score_keeps_every_change_and_prompts_after_30_days(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    project.lifecycle = Lifecycle.ACTIVE
    project.save()
    Project.objects.filter(pk=project.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    project.refresh_from_db()
    assert project.score_review_due()
    client = signed_in(world.lead)
    page = client.get(reverse("projects:score", kwargs={"pk": project.pk})).content.decode()
    assert (
        "Changes tested, but no improvement" in page and "PDSA cycles under way" in page
    )  # labels and meanings
    body = client.post(
        reverse("projects:score", kwargs={"pk": project.pk}), {"score": "2.5", "version": project.version}
    )
    assert "Enter a note" in body.content.decode()
    client.post(
        reverse("projects:score", kwargs={"pk": project.pk}),
        {"score": "2.5", "note": "Two cycles run", "version": project.version},
    )
    project.refresh_from_db()
    assert project.progress_score == Decimal("2.5") and not project.score_review_due()
    change = project.score_changes.get()
    assert change.note == "Two cycles run" and change.changed_by == world.lead
    assert project.score_review_due(today=timezone.localdate() + dt.timedelta(days=30))
    # The lead's and coach's lists show the prompt once it is due again.
    project.progress_reviewed_at = timezone.now() - dt.timedelta(days=31)
    project.save()
    for person in (world.lead, world.coach):
        assert "Score review due" in signed_in(person).get(reverse("projects:mine")).content.decode()


def test_inviting_a_partner_by_personal_email_puts_them_in_the_team_on_acceptance(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    client = signed_in(world.lead)
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is queued on commit
        response = client.post(
            reverse("projects:team_invite", kwargs={"pk": project.pk}),
            {"email": "jo.carer@gmail.com", "name": "Jo Carer", "role": "partner"},
        )
    assert response.status_code == 302
    assert "the project team for Shared project" in mail.outbox[-1].subject
    link = last_link_for("jo.carer@gmail.com")
    guest = Client()
    guest.post(link[link.index("/invitations/") :])
    member = project.team.get(user__email="jo.carer@gmail.com")
    assert member.role == TeamRole.PARTNER and member.left_on is None


def test_an_organisation_member_joins_the_team_straight_away(world, projects) -> None:  # type: ignore[no-untyped-def]
    outcome = team_services.invite_to_team(
        projects.shared, email=world.member.email, name="", role=TeamRole.DATA_LEAD, by=world.lead
    )
    assert "has joined the team" in outcome
    assert projects.shared.team.filter(user=world.member, role=TeamRole.DATA_LEAD).exists()


def test_a_change_of_lead_part_way_stays_in_the_history(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    old = project.team.get(user=world.lead, role=TeamRole.LEAD)
    with pytest.raises(team_services.TeamError, match="needs a lead"):
        team_services.leave_team(old, by=world.lead)
    team_services.add_to_team(project, user=world.member, role=TeamRole.LEAD, by=world.lead)
    team_services.leave_team(old, by=world.lead)
    old.refresh_from_db()
    assert old.left_on == timezone.localdate()
    page = signed_in(world.member).get(reverse("projects:team", kwargs={"pk": project.pk})).content.decode()
    assert "Former roles" in page and world.lead.name in page
    # The former lead no longer has admin rights on the private project of the same team? They keep
    # their other current roles only.
    assert not TeamMember.objects.filter(
        user=world.lead, project=project, role=TeamRole.LEAD, left_on__isnull=True
    ).exists()


def test_search_finds_words_in_title_aim_problem_and_story_log(world) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory(
        organisation=world.trust, title="Wellbeing groups", problem="Low attendance at groups."
    )
    StoryEntryFactory(project=project, title="Forum", text="The peer mentors suggested evening sessions.")
    everything = Project.objects.all()
    assert list(search.search(everything, "mentors")) == [project]
    assert list(search.search(everything, "attendance")) == [project]
    assert list(search.search(everything, "Low Intensity CBT")) == [project]  # the factory's aim
    assert list(search.search(everything, "completely unrelated")) == []
    assert list(search.search(everything, 'quote " and * stars OR')) == []  # operators are just words


def test_filters_narrow_the_list(world, projects) -> None:  # type: ignore[no-untyped-def]
    projects.shared.coproduction = "partners"
    projects.shared.save()
    client = signed_in(world.admin)
    body = client.get(reverse("projects:list"), {"coproduction": "partners"}).content.decode()
    assert "Shared project" in body and "Private project" not in body
    body = client.get(reverse("projects:list"), {"coach": str(world.coach.pk)}).content.decode()
    assert "Shared project" in body and "Private project" in body
    body = client.get(reverse("projects:list"), {"lifecycle": "active"}).content.decode()
    assert "0 projects" in body


def test_services_write_audit_rows(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    services.set_progress_score(
        project, score=Decimal("1.0"), note="Team formed", expected_version=project.version, by=world.lead
    )
    event = AuditEvent.objects.filter(project_id=project.pk).latest("id")
    assert event.changes["progress_score"] == [None, "1.0"] and event.actor == world.lead


def test_the_demo_tells_a_year_of_the_talking_therapies_project_and_is_idempotent(db: None) -> None:
    from django.core.management import call_command

    from openqi.projects.demo import TALKING_THERAPIES

    call_command("seed_demo", stdout=None)
    project = Project.objects.get(title=TALKING_THERAPIES)
    leads = project.team.filter(role=TeamRole.LEAD).order_by("joined_on")
    assert [m.left_on is None for m in leads] == [False, True]  # a change of lead part-way
    assert project.team.filter(role=TeamRole.PARTNER, user__email__endswith="@example.com").exists()
    assert project.drivers.filter(parent__isnull=True).count() == 3
    assert any(c.drivers.count() > 1 for c in project.change_ideas.all())
    assert project.pdsa_cycles.filter(follows__isnull=False).exists()  # ramps
    story_days = sorted(project.story_entries.values_list("occurred_on", flat=True))
    assert (story_days[-1] - story_days[0]).days > 360
    counts = (Project.objects.count(), TeamMember.objects.count(), project.story_entries.count())
    call_command("seed_demo", stdout=None)
    assert counts == (Project.objects.count(), TeamMember.objects.count(), project.story_entries.count())
    assert Project.objects.filter(organisation__slug="northshire").count() >= 3


def test_only_the_person_can_agree_to_their_name_on_the_public_page(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    partner_row = project.team.get(user=world.partner)
    url = reverse("projects:team_public_name", kwargs={"pk": project.pk, "member_pk": partner_row.pk})
    # The lead cannot consent for the partner.
    assert signed_in(world.lead).post(url, {"show": "yes"}).status_code == 404
    signed_in(world.partner).post(url, {"show": "yes"})
    partner_row.refresh_from_db()
    assert partner_row.show_name_publicly
    assert AuditEvent.objects.filter(
        project_id=project.pk, changes__show_name_publicly=[False, True]
    ).exists()
    signed_in(world.partner).post(url, {"show": "no"})
    partner_row.refresh_from_db()
    assert not partner_row.show_name_publicly


def test_after_a_conflict_the_person_can_save_again_having_read_the_message(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    url = reverse("projects:edit", kwargs={"pk": project.pk})
    form = VALID | {"version": project.version}
    signed_in(world.lead).post(url, form | {"title": "First title"})
    second = signed_in(world.partner)
    body = second.post(url, form | {"title": "Second title"}).content.decode()
    assert "Someone else changed this record" in body
    project.refresh_from_db()
    assert f'name="version" value="{project.version}"' in body  # the re-shown form carries the latest
    assert second.post(url, form | {"title": "Second title", "version": project.version}).status_code == 302
    project.refresh_from_db()
    assert project.title == "Second title"


def test_only_the_lead_or_qi_team_changes_visibility(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    url = reverse("projects:edit", kwargs={"pk": project.pk})
    assert 'name="visibility"' not in signed_in(world.partner).get(url).content.decode()
    signed_in(world.partner).post(url, VALID | {"visibility": "public", "version": project.version})
    project.refresh_from_db()
    assert project.visibility == "organisation"
    assert 'name="visibility"' in signed_in(world.lead).get(url).content.decode()
    signed_in(world.lead).post(url, VALID | {"visibility": "public", "version": project.version})
    project.refresh_from_db()
    assert project.visibility == "public"


def test_a_closing_reason_is_checked_for_personal_data(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    url = reverse("projects:lifecycle", kwargs={"pk": project.pk})
    reason = "Patient 943 476 5919 complained."
    body = signed_in(world.lead).post(url, {"to_state": "closed", "note": reason, "version": project.version})
    text = body.content.decode()
    assert "NHS number" in text and reason in text
    project.refresh_from_db()
    assert project.lifecycle == Lifecycle.IDEA


def test_a_versioned_edit_refreshes_search_and_updated_at(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    stamped = project.updated_at
    services.update_project(
        project, data={"title": "Kingfisher reminders"}, expected_version=project.version, by=world.lead
    )
    project.refresh_from_db()
    assert project.updated_at > stamped
    assert list(search.search(Project.objects.all(), "Kingfisher")) == [project]
