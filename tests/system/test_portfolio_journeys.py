"""Portfolio journeys: the QI team reads the programme on the dashboard and drills down, asks for a signal
scan, makes a forum pack and records the forum's decision; anyone reads the public showcase without
JavaScript; and every portfolio page works on a 375 px phone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
from openqi.projects.models import (
    Lifecycle,
    ProgressScoreChange,
    Project,
    StoryCategory,
    TeamRole,
    Visibility,
)
from openqi.projects.tests.factories import ProjectFactory, StoryEntryFactory, TeamMemberFactory
from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as
from tests.system.test_accessibility_sweep import MEASURE_PAGE, SMALLEST_TEXT_PX

PHONE = {"width": 375, "height": 800}


def given_a_programme(world) -> dict[str, Project]:  # type: ignore[no-untyped-def]
    directorate = world.trust.directorates.first()
    proposed = ProjectFactory(
        organisation=world.trust,
        directorate=directorate,
        title="Peer support in addictions",
        lifecycle=Lifecycle.PROPOSED,
        aim_what="Increase the number of people who stay in treatment",
    )
    active = ProjectFactory(
        organisation=world.trust,
        directorate=directorate,
        title="Completing LI CBT",
        lifecycle=Lifecycle.ACTIVE,
        visibility=Visibility.PUBLIC,
        progress_score=Decimal("2.5"),
        aim_what="Increase the proportion of people who complete Low Intensity CBT",
    )
    ProgressScoreChange.objects.create(
        project=active, score=Decimal("2.5"), note="Tests", changed_at=timezone.now() - dt.timedelta(days=120)
    )
    link = ProjectMeasureFactory(project=active)
    link.measure.name = "Completion of LI CBT"
    link.measure.save()
    # Twelve weeks of baseline, then two far above it: a special cause of an improving nature.
    points = [(40 + i % 4, 90) for i in range(12)] + [(75, 90), (78, 90)]
    add_points(link.measure, points, start=dt.date.today() - dt.timedelta(weeks=14))
    StoryEntryFactory(project=active, category=StoryCategory.MILESTONE, title="First cohort finished")
    return {"proposed": proposed, "active": active}


def then_the_page_fits_a_phone(journey: Journey) -> None:
    journey.page.set_viewport_size(PHONE)
    journey.page.reload()  # as a phone opens it: the header lays itself out for the width it loads at
    measured = journey.page.evaluate(MEASURE_PAGE, SMALLEST_TEXT_PX)
    assert measured["scrollWidth"] <= PHONE["width"], (journey.page.url, measured["wide"])
    assert not measured["small"], (journey.page.url, measured["small"][:5])
    journey.check_accessibility()


def test_the_qi_team_reads_the_programme_and_drills_down(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    given_a_programme(world)
    # Given the QI team admin is signed in
    given_i_am_signed_in_as(journey, world.admin.email)
    # When they open the portfolio from the header
    journey.goto("/")
    journey.follow("Portfolio")
    # Then they see the programme's figures, each with its words
    assert "4 projects." in journey.text
    assert "Projects by stage" in journey.text and "Coach coverage" in journey.text
    assert "At 2.5 for more than 3 months" in journey.text
    # When they follow the number of stalled projects
    journey.page.get_by_test_id("figure-attention").get_by_role(
        "link", name="Stalled at 2.5 for more than 3 months"
    ).click()
    journey.page.wait_for_load_state()
    journey.check_accessibility()
    # Then they see the project behind it
    assert "Needing attention: Stalled at 2.5 for more than 3 months" in journey.text
    assert "Completing LI CBT" in journey.text and "Peer support" not in journey.text

    # When they ask for a signal scan
    journey.follow("Back to the portfolio")
    journey.press("Scan every measure now")
    # Then the scan's results are on the dashboard, linking to the chart
    assert "The signal scan has started" in journey.text
    journey.goto("/portfolio/")
    assert "From the signal scan of 1 measure" in journey.text
    assert "New special-cause improvement (1)" in journey.text
    journey.follow("Completion of LI CBT")
    assert "/measures/project/" in journey.page.url and "Completion of LI CBT" in journey.text
    journey.goto("/portfolio/")
    then_the_page_fits_a_phone(journey)


def test_a_forum_pack_and_the_forums_decision(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    made = given_a_programme(world)
    given_i_am_signed_in_as(journey, world.admin.email)
    journey.goto("/portfolio/")
    journey.follow("QI forum packs")
    # When they ask for the pack of the directorate's forum
    journey.page.get_by_label("Directorate QI forum").select_option(label="Primary Care Mental Health")
    journey.fill("Date of the forum", timezone.localdate().strftime("%d/%m/%Y"))
    journey.press("Make the pack")
    # Then it is made in the background and offered as PDF and slides
    journey.goto(journey.page.url.replace(journey.base_url, ""))
    assert "Download the pack (PDF)" in journey.text
    assert "Peer support in addictions" in journey.text and "Completing LI CBT" in journey.text
    href = journey.page.get_by_role("link", name="Download the pack (PDF)").get_attribute("href")
    pdf = journey.page.request.get(journey.base_url + str(href))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    then_the_page_fits_a_phone(journey)

    # When the forum approves the project seeking approval
    journey.page.set_viewport_size({"width": 1280, "height": 800})
    journey.page.get_by_label("Approve the project", exact=True).check()
    journey.fill("What the forum said", "Start with one team.")
    journey.press("Record the decision")
    # Then the decision is recorded on the project
    assert "is recorded on the project" in journey.text
    made["proposed"].refresh_from_db()
    assert made["proposed"].lifecycle == Lifecycle.APPROVED


def test_anyone_reads_the_public_showcase_without_javascript(
    second_journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    given_a_programme(world)
    visitor = second_journey
    # Given someone who is not signed in opens the showcase
    visitor.goto("/portfolio/showcase/")
    # Then they see the public project only
    assert "1 public project." in visitor.text
    assert "Completing LI CBT" in visitor.text and "Peer support" not in visitor.text
    then_the_page_fits_a_phone(visitor)
    # When they search and open it
    visitor.page.set_viewport_size({"width": 1280, "height": 800})
    visitor.fill("Search public projects", "CBT")
    visitor.press("Apply filters")
    visitor.follow("Completing LI CBT")
    # Then they see its measures with their summaries, its story highlights and its storyboard
    assert "Completion of LI CBT" in visitor.text
    assert "First cohort finished" in visitor.text
    assert "Storyboard (A4 PDF)" in visitor.text
    then_the_page_fits_a_phone(visitor)


def test_a_lead_chooses_highlights_and_downloads_the_storyboard(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    made = given_a_programme(world)
    TeamMemberFactory(project=made["active"], user=world.lead, role=TeamRole.LEAD)
    # Given the project lead is on their project's page
    given_i_am_signed_in_as(journey, world.lead.email)
    journey.goto(f"/projects/{made['active'].pk}/")
    # When they choose the story highlights for the storyboard
    journey.follow("Choose the story highlights they show")
    journey.page.get_by_label("First cohort finished", exact=False).check()
    journey.press("Save highlights")
    assert "The storyboard's highlights are saved." in journey.text
    # Then the storyboard and the slides download from the project page
    for text, starts in (("Storyboard (A4 PDF)", b"%PDF"), ("Storyboard slides (PowerPoint)", b"PK")):
        href = journey.page.get_by_role("link", name=text).get_attribute("href")
        download = journey.page.request.get(journey.base_url + str(href))
        assert download.ok and download.body().startswith(starts), text
