"""Coaching journeys: a recovery worker brings an idea and the coach turns it into a project the worker
leads; the coach logs a 1:1 with actions and a next date, the lead sees the actions and the timeline shows
the shared note only; the lead is handed over with a confirmation page; the coach prepares, edits and sends
a sponsor update that the sponsor then finds on their page; and the main pages on a 375 px phone."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from openqi.coaching.models import Idea
from openqi.organisations.tests.factories import MembershipFactory, UserFactory
from openqi.projects.models import Lifecycle, TeamRole
from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as
from tests.system.test_accessibility_sweep import crawl

PHONE = {"width": 375, "height": 800}


def then_nothing_scrolls_sideways(journey: Journey) -> None:
    width = journey.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{journey.page.url} is {width} px wide on a phone"


def test_a_recovery_worker_brings_an_idea_and_leads_the_project_it_becomes(
    journey: Journey, second_journey: Journey, world
) -> None:  # type: ignore[no-untyped-def]
    worker = UserFactory(email="recovery.worker@northshire.nhs.uk", name="Lena Novak")
    MembershipFactory(organisation=world.trust, user=worker, roles=[])
    # Given the recovery worker is signed in
    given_i_am_signed_in_as(journey, worker.email)
    # When she brings an idea to Dan, the service's coach
    journey.goto("/coaching/ideas/new/")
    journey.page.get_by_label("Dan Okafor", exact=True).check()
    journey.fill("A short name for your idea", "Naloxone at every assessment")
    journey.fill("What is the problem?", "Naloxone is not offered at every assessment.")
    journey.fill("Who does it affect?", "People at risk of overdose.")
    journey.fill("What could we try?", "A prompt in the assessment form")
    journey.press("Send my idea")
    # Then she sees it waiting for the coach
    assert "Your idea has gone to Dan Okafor" in journey.text and "Waiting for the coach" in journey.text

    # When the coach (without JavaScript, on another device) turns it into a project
    coach = second_journey
    given_i_am_signed_in_as(coach, world.coach.email)
    coach.goto("/coaching/ideas/")
    coach.follow("Naloxone at every assessment")
    coach.page.get_by_label("Turn it into a project", exact=True).check()
    coach.fill("Note for the person who brought it", "A clear gap: let's test it.")
    coach.press("Save decision")
    # Then the project exists with the worker as lead and the coach as coach
    assert "is a project now, led by Lena Novak" in coach.text
    project = Idea.objects.get().project
    assert project is not None
    assert project.team.get(role=TeamRole.LEAD).user == worker
    coach.goto(f"/projects/{project.pk}/team/")
    assert "Lena Novak" in coach.text and "QI coach" in coach.text
    # And the worker sees the new status
    journey.goto(f"/coaching/ideas/{Idea.objects.get().pk}/")
    assert "Turned into a project" in journey.text and "A clear gap" in journey.text


def test_a_one_to_one_gives_the_lead_actions_and_the_timeline_only_the_shared_note(
    journey: Journey, second_journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    today = timezone.localdate()
    # Given the coach is signed in and opens the project's coaching tab
    given_i_am_signed_in_as(journey, world.coach.email)
    journey.goto(f"/projects/{project.pk}/")
    journey.page.get_by_label("Project sections").get_by_role("link", name="Coaching", exact=True).click()
    journey.check_accessibility()
    journey.follow("Log a coaching session")
    # When he logs a 1:1 with the lead, with an action and the next date
    journey.page.get_by_label("Tom Price (project lead)", exact=True).check()
    journey.fill("Notes for the team", "Agreed to start the reminder test next week.")
    journey.fill("Private notes", "Tom is stretched; raise capacity with Helen.")
    journey.fill("Action 1: what was agreed", "Draft the reminder script")
    journey.page.get_by_label("Action 1: who will do it", exact=True).select_option(str(world.lead.pk))
    journey.fill("Action 1: by when (optional)", (today + dt.timedelta(days=7)).strftime("%d/%m/%Y"))
    journey.fill("Date of the next session (optional)", (today + dt.timedelta(days=14)).strftime("%d/%m/%Y"))
    journey.fill("Time of the next session (optional)", "14:30")
    journey.press("Save coaching session")
    # Then the session is saved and Tom has his invitation
    assert "Coaching session saved." in journey.text
    assert any(world.lead.email in m.to for m in mail.outbox)

    # When the lead opens the project
    lead = second_journey
    given_i_am_signed_in_as(lead, world.lead.email)
    lead.goto(f"/coaching/projects/{project.pk}/sessions/")
    # Then he sees the shared note and his action, not the private notes
    assert "Draft the reminder script" in lead.text and "Agreed to start the reminder test" in lead.text
    assert "Tom is stretched" not in lead.page.content()
    lead.goto(f"/projects/{project.pk}/")
    assert "Draft the reminder script" in lead.text
    # And the timeline shows the shared note only
    lead.goto(f"/projects/{project.pk}/timeline/")
    assert "Coaching session: 1:1 with the lead" in lead.text
    assert "Tom is stretched" not in lead.page.content()


def test_the_lead_is_handed_over_after_a_confirmation(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    # Given the coach manages the team of a project he coaches
    given_i_am_signed_in_as(journey, world.coach.email)
    journey.goto(f"/projects/{project.pk}/team/")
    journey.follow("Hand over the lead")
    # When he hands the lead from Tom to Sam, with Tom staying as a member
    journey.page.get_by_label("Sam Taylor", exact=True).check()
    journey.page.get_by_label("Stays in the team as a team member", exact=True).check()
    journey.fill("Note (optional)", "Tom moves to the new service.")
    journey.press("Continue")
    # Then nothing changes until he confirms
    assert "Check the handover before it happens" in journey.text
    assert project.team.get(role=TeamRole.LEAD, left_on__isnull=True).user == world.lead
    journey.press("Confirm the handover")
    assert "Sam Taylor is now the project lead." in journey.text
    # And the timeline says who took over from whom, and when
    journey.goto(f"/projects/{project.pk}/timeline/")
    today = timezone.localdate()
    assert f"Sam Taylor took over as lead from Tom Price on {today.day} {today:%B %Y}" in journey.text


def test_the_coach_prepares_edits_and_sends_a_sponsor_update(
    journey: Journey, second_journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    projects.shared.lifecycle = Lifecycle.ACTIVE
    projects.shared.save()
    # Given the coach prepares this month's update for Helen
    given_i_am_signed_in_as(journey, world.coach.email)
    journey.goto("/coaching/sponsor-updates/")
    journey.follow("Prepare a sponsor update")
    journey.page.get_by_label("Helen Marsh: Private project, Shared project", exact=True).check()
    journey.press("Draft the update")
    assert "Draft ready" in journey.text
    # When he adds what he needs from her and sends it
    journey.fill("What I need from you", "Protected time for Tom on Fridays.")
    journey.fill("Your summary: Shared project", "Reminder calls have started.")
    journey.press("Save the draft")
    journey.press("Send the update")
    assert "Update sent to Helen Marsh" in journey.text
    # Then Helen has an e-mail with the PDF
    sent = [m for m in mail.outbox if world.sponsor.email in m.to]
    assert sent and any(
        isinstance(a, tuple) and a[0].endswith(".pdf") and a[1].startswith(b"%PDF")
        for a in sent[-1].attachments
    )
    # And her sponsored projects page shows it
    sponsor = second_journey
    given_i_am_signed_in_as(sponsor, world.sponsor.email)
    sponsor.goto("/coaching/sponsored/")
    assert "Shared project" in sponsor.text and "Reminder calls have started." in sponsor.text


def test_the_main_coaching_pages_work_on_a_phone(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    journey.page.set_viewport_size(PHONE)
    given_i_am_signed_in_as(journey, world.coach.email)
    for path in (
        "/coaching/",
        "/coaching/ideas/",
        "/coaching/ideas/new/",
        f"/coaching/projects/{projects.shared.pk}/sessions/",
        f"/coaching/projects/{projects.shared.pk}/sessions/new/",
        "/coaching/sponsor-updates/new/",
        f"/projects/{projects.shared.pk}/team/hand-over/",
    ):
        journey.goto(path)
        then_nothing_scrolls_sideways(journey)


def test_every_coaching_page_the_demo_coach_sponsor_and_qi_team_reach_is_accessible(journey: Journey) -> None:
    # Given the full demo, and Dan the coach signed in
    call_command("seed_demo", verbosity=0)
    given_i_am_signed_in_as(journey, "coach@northshire.nhs.uk")
    # When he follows every coaching link from his caseload, ideas and sponsor updates
    sweep = crawl(journey, ["/coaching/", "/coaching/ideas/", "/coaching/sponsor-updates/"], 45, "/coaching/")
    # And Helen, the sponsor, opens her sponsored projects and the updates sent to her
    journey.page.context.clear_cookies()
    given_i_am_signed_in_as(journey, "sponsor@northshire.nhs.uk")
    sweep.merge(crawl(journey, ["/coaching/sponsored/"], limit=10, within="/coaching/"))
    # And Priya, of the QI team, opens the flags' settings and every coach's caseload
    journey.page.context.clear_cookies()
    given_i_am_signed_in_as(journey, "qi.admin@northshire.nhs.uk")
    sweep.merge(crawl(journey, ["/coaching/settings/", "/coaching/"], limit=10, within="/coaching/"))
    # Then every page loads, passes axe at desktop and phone widths, and has one heading and a title
    assert len(sweep.visited) > 15, sweep.visited
    assert not sweep.problems, sweep.report()
