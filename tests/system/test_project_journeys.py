"""Project journeys: creating a project and inviting a partner, the progress score, and who sees what."""

from __future__ import annotations

from openqi.accounts.tests.helpers import last_code_for
from tests.system.conftest import Journey
from tests.system.steps import (
    given_i_am_signed_in_as,
    the_invitation_link_for,
    when_i_accept_the_invitation_and_ask_for_a_code,
    when_i_enter_the_code,
)


def test_a_person_outside_the_team_sees_nothing_of_a_private_project(
    journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    # Given an organisation member who is not in the project team
    given_i_am_signed_in_as(journey, world.member.email)
    # When they look at the projects list
    journey.follow("Projects")
    # Then the organisation project is there and the private one is not, in the list or in search
    assert "Shared project" in journey.text and "Private project" not in journey.text
    journey.fill("Search projects", "Private")
    journey.press("Apply filters")
    assert "0 projects match" in journey.text
    # And the private project's address is simply not found
    journey.goto(f"/projects/{projects.private.pk}/")
    assert "Page not found" in journey.text
    # And the organisation project opens read-only, with no way to change it
    journey.goto(f"/projects/{projects.shared.pk}/")
    assert "You can read this project. Only its team can change it." in journey.text
    assert journey.page.get_by_role("link", name="Edit the project record").count() == 0
    journey.goto(f"/projects/{projects.shared.pk}/edit/")
    assert "You do not have permission to do this" in journey.text


def test_a_lead_creates_a_project_and_invites_a_service_user_partner(
    journey: Journey, second_journey: Journey, world
) -> None:  # type: ignore[no-untyped-def]
    # Given a practitioner signed in
    given_i_am_signed_in_as(journey, world.lead.email)
    # When they start a project and write its aim from its parts
    journey.follow("Projects")
    journey.follow("Start a project")
    journey.fill("Project title", "Shorter waits for a first session")
    journey.fill("What will improve", "Reduce the median wait for a first Low Intensity CBT session")
    journey.fill("For whom", "adults referred to the wellbeing service")
    journey.fill("From (the baseline now)", "42 days")
    journey.fill("To (the target)", "28 days")
    journey.page.get_by_label("Service users as partners").check()
    journey.press("Create project")
    # Then the project shows the full aim statement, with them as lead
    assert "Project created. You are its project lead." in journey.text
    assert (
        "Reduce the median wait for a first Low Intensity CBT session for adults referred to the wellbeing "
        "service from 42 days to 28 days." in journey.text
    )
    # When they invite a service-user partner with a personal e-mail address
    journey.follow("Team")
    journey.follow("Invite someone to the team")
    journey.fill("E-mail address", "alex.partner@outlook.com")
    journey.fill("Full name", "Alex Morgan")
    journey.page.get_by_label("Service-user or carer partner").check()
    journey.press("Send invitation")
    assert "Invitation sent to alex.partner@outlook.com" in journey.text

    # Then the partner, on their own device without JavaScript, accepts and signs in by code
    partner = second_journey
    partner.goto(the_invitation_link_for("alex.partner@outlook.com"))
    when_i_accept_the_invitation_and_ask_for_a_code(partner)
    when_i_enter_the_code(partner, last_code_for("alex.partner@outlook.com"))
    # And finds the project among their projects, where they are a partner
    partner.goto("/projects/mine/")
    partner.follow("Shorter waits for a first session")
    partner.follow("Team")
    assert "Alex Morgan" in partner.text and "Service-user or carer partner" in partner.text
    # And, as a partner in the team, adds a story entry
    partner.follow("Story log")
    partner.follow("Add a story entry")
    partner.fill("Title", "My first meeting")
    partner.fill("What happened", "I shared what it is like to wait six weeks for a first session.")
    partner.press("Save story entry")
    assert "My first meeting" in partner.text and "Alex Morgan" in partner.text


def test_the_lead_reviews_the_progress_score_with_a_note(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    given_i_am_signed_in_as(journey, world.lead.email)
    journey.goto(f"/projects/{projects.shared.pk}/")
    journey.follow("Review the progress score")
    # Each level's label and meaning is shown where the score is set
    assert "Changes tested, but no improvement" in journey.text
    journey.page.get_by_label("2.5 – Changes tested, but no improvement").check()
    journey.fill("What has changed since the last review?", "First reminder cycle finished")
    journey.press("Save progress score")
    assert "Progress score recorded: 2.5 – Changes tested, but no improvement." in journey.text
    assert "First reminder cycle finished" in journey.text
    # And the timeline shows the change
    journey.follow("Timeline")
    assert "2.5" in journey.text and "First reminder cycle finished" in journey.text
