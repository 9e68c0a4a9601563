"""Tools journeys, without JavaScript and axe-checked: build a fishbone, mark two causes and link one to a
driver; build a process map with a decision and swimlanes and print it; import counts and get a Pareto
chart whose numbers match qicharts2's example; the demo shows all six tools on the LI CBT project, on a
phone too."""

from __future__ import annotations

import io
import re

from django.core.management import call_command

from openqi.projects.tests.factories import DriverFactory
from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as


def when_i_start_a_tool(journey: Journey, project, kind: str, title: str, subject: str = "") -> None:  # type: ignore[no-untyped-def]
    journey.goto(f"/projects/{project.pk}/")
    journey.follow("Tools")
    journey.follow("Start a tool")
    journey.page.get_by_label(kind, exact=True).check()
    journey.fill("Title", title)
    if subject:
        journey.fill("What is it about? (optional)", subject)
    journey.press("Start the tool")
    assert f"‘{title}’ started." in journey.text


def when_i_add_a_cause(journey: Journey, link: str, cause: str, *, act_on: bool) -> None:
    journey.follow(link)
    journey.fill("Cause", cause)
    if act_on:
        journey.page.get_by_label("The team will act on this cause", exact=True).check()
    journey.press("Add cause")


def test_a_team_builds_a_fishbone_marks_two_causes_and_links_one_to_a_driver(
    second_journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    DriverFactory(project=projects.shared, title="Timely first appointment")
    lead = second_journey  # no JavaScript
    given_i_am_signed_in_as(lead, world.lead.email)
    when_i_start_a_tool(
        lead, projects.shared, "Cause and effect (fishbone) diagram", "Why people stop", "People stop coming"
    )
    # The usual categories are there to start from.
    for category in ("People", "Methods", "Equipment", "Environment", "Materials", "Measurement"):
        assert category in lead.text

    when_i_add_a_cause(lead, "Add a cause under People", "Sessions clash with work", act_on=True)
    when_i_add_a_cause(lead, "Add a cause under Methods", "Letters arrive late", act_on=True)
    when_i_add_a_cause(lead, "Add a cause under Environment", "Long bus journey", act_on=False)
    assert lead.text.count("Team will act") == 2

    # Link the late letters to the driver diagram.
    lead.follow("Change ‘Letters arrive late’")
    lead.page.get_by_label("Link to a driver (optional)", exact=True).select_option(
        label="Timely first appointment"
    )
    lead.press("Save cause")
    assert "‘Letters arrive late’ saved." in lead.text
    assert "Driver: Timely first appointment" in lead.text
    assert "The team will act on 2: ‘Sessions clash with work’ and ‘Letters arrive late’." in lead.text
    # The drawing shows both marked causes, starred.
    drawing = lead.page.locator("svg.openqi-tool-svg")
    assert "★ Sessions clash with work" in drawing.inner_html()
    lead.follow("Timely first appointment")
    assert "Driver diagram" in lead.text


def test_a_process_map_with_a_decision_and_swimlanes_is_printed(
    second_journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    coach = second_journey
    given_i_am_signed_in_as(coach, world.coach.email)
    when_i_start_a_tool(coach, projects.shared, "Process map", "Step 2 pathway")

    def step(kind: str, text: str, lane: str, **decision: str) -> None:
        coach.follow("Add a step")
        coach.page.get_by_label(kind, exact=True).check()
        coach.fill("What happens", text)
        coach.fill("Who does it (swimlane)", lane)
        if "pain" in decision:
            coach.fill("What goes wrong here? (optional)", decision["pain"])
        if "yes" in decision:
            coach.fill("Decision: label of the path to the next step (optional)", decision["yes"])
            coach.fill("Decision: label of the other path (optional)", decision["no"])
            coach.page.get_by_label("Decision: the other path goes to", exact=True).select_option(
                label=decision["to"]
            )
        coach.press("Add step")
        assert f"‘{text}’ added." in coach.text

    step("Start", "Referral received", "Admin team")
    step("End", "Signposted elsewhere", "Practitioner")
    step("Decision", "Suitable for step 2?", "Practitioner", yes="Yes", no="No", to="Signposted elsewhere")
    step("Activity", "First session booked", "Admin team", pain="Daytime slots only")
    # Put the end last: move it down twice.
    coach.page.get_by_role("button", name="Move down ‘Signposted elsewhere’").click()
    coach.page.get_by_role("button", name="Move down ‘Signposted elsewhere’").click()
    coach.check_accessibility()
    steps = coach.page.locator('[data-testid="steps"] tbody tr')
    assert steps.count() == 4
    assert "4. Signposted elsewhere" in steps.nth(3).inner_text()
    assert "No: ‘Signposted elsewhere’" in coach.text
    assert "Admin team" in coach.text and "Daytime slots only" in coach.text
    assert coach.page.locator("svg.openqi-tool-svg polygon").count() == 1  # the decision's diamond

    coach.follow("Printable version (A4 landscape)")
    assert "laid out for A4 landscape" in coach.text
    assert coach.page.locator("header").count() == 0 or not coach.page.locator("header nav").is_visible()
    coach.page.emulate_media(media="print")
    assert coach.page.locator("svg.openqi-tool-svg").is_visible()
    assert not coach.page.get_by_text("Use your browser’s print command").is_visible()
    pdf = coach.page.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF-")


def test_imported_counts_give_qicharts2s_pareto_numbers(
    second_journey: Journey, world, projects, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    counts = tmp_path / "counts.csv"
    # qicharts2's documented example: rep(LETTERS[1:9], c(256, 128, 64, 32, 16, 8, 4, 2, 1)), shuffled.
    counts.write_text("Letter,Count\nC,64\nA,256\nI,1\nE,16\nB,128\nG,4\nD,32\nH,2\nF,8\n")
    partner = second_journey
    given_i_am_signed_in_as(partner, world.partner.email)
    when_i_start_a_tool(partner, projects.shared, "Pareto chart", "Letters")
    partner.follow("Import counts")
    partner.page.get_by_label("Upload a file", exact=True).set_input_files(counts)
    partner.press("Import counts")
    assert "9 counts imported." in partner.text
    rows = partner.page.locator('[data-testid="pareto-table"] tbody tr')
    found = [
        [re.sub(r"\s+", " ", c).strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]
    # paretochart(x)$data: x, y, p, p.cum (percentages to one decimal).
    expected = [
        ("A", "256", "50.1%", "50.1%"),
        ("B", "128", "25.0%", "75.1%"),
        ("C", "64", "12.5%", "87.7%"),
        ("D", "32", "6.3%", "93.9%"),
        ("E", "16", "3.1%", "97.1%"),
        ("F", "8", "1.6%", "98.6%"),
        ("G", "4", "0.8%", "99.4%"),
        ("H", "2", "0.4%", "99.8%"),
        ("I", "1", "0.2%", "100.0%"),
    ]
    assert len(found) == 9
    for (category, *numbers), (letter, *want) in zip(found, expected, strict=True):
        assert category.split()[0] == letter and numbers == want, (category, numbers)
    assert partner.text.count("Vital few") == 3
    assert "Of 511 counted, 3 of 9 categories (‘A’, ‘B’ and ‘C’) make up 88%" in partner.text


def test_the_demo_shows_all_six_tools_on_the_li_cbt_project_on_a_phone(journey: Journey) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    from openqi.projects.demo import TALKING_THERAPIES
    from openqi.projects.models import Project

    project = Project.objects.get(title=TALKING_THERAPIES)
    journey.page.set_viewport_size({"width": 375, "height": 800})
    given_i_am_signed_in_as(journey, "practitioner@northshire.nhs.uk")
    journey.goto(f"/projects/{project.pk}/")
    journey.follow("Tools")
    kinds = journey.page.locator('[data-testid="tools"] tbody tr')
    assert kinds.count() == 6
    for kind in (
        "Process map",
        "Cause and effect (fishbone) diagram",
        "Pareto chart",
        "5 whys",
        "Stakeholder analysis",
        "Affinity diagram",
    ):
        assert kind in journey.text
    assert _fits(journey)
    titles = [kinds.nth(i).get_by_role("link").inner_text() for i in range(6)]
    for title in titles:
        journey.goto(f"/projects/{project.pk}/")
        journey.follow("Tools")
        journey.follow(title)
        assert journey.page.locator("svg.openqi-tool-svg").count() == 1
        assert _fits(journey), title
    # The affinity diagram's themes are primary drivers of the driver diagram.
    journey.goto(f"/projects/{project.pk}/")
    journey.follow("Tools")
    journey.follow("What matters to you? (service users, November 2025)")
    assert "Primary driver: Early contact when someone starts to drift away" in journey.text


def _fits(journey: Journey) -> bool:
    """Nothing makes the page wider than the phone: wide drawings scroll inside their own region."""
    width = journey.page.evaluate("document.documentElement.scrollWidth")
    return bool(width <= 375)


def test_an_affinity_diagram_from_a_session_seeds_a_primary_driver(
    second_journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    partner = second_journey  # a service-user partner, without JavaScript
    given_i_am_signed_in_as(partner, world.partner.email)
    when_i_start_a_tool(partner, projects.shared, "Affinity diagram", "What matters to you?")
    partner.follow("Add many notes")
    partner.fill("Notes, one on each line", "Evening sessions\nVideo instead of the bus\nFree parking")
    partner.press("Add notes")
    assert "3 notes added." in partner.text
    partner.follow("Add a theme")
    partner.fill("Theme", "Sessions that fit my life")
    partner.press("Add theme")
    for note in ("Evening sessions", "Video instead of the bus"):
        partner.follow(f"Change ‘{note}’")
        partner.page.get_by_label("Theme", exact=True).select_option(label="Sessions that fit my life")
        partner.press("Save note")
    partner.page.get_by_role("button", name="Make ‘Sessions that fit my life’ a primary driver").click()
    partner.check_accessibility()
    assert "‘Sessions that fit my life’ is now a primary driver of the driver diagram." in partner.text
    assert "3 notes grouped into 1 themes" in partner.text

    # One note was not about the service: remove it, after a confirmation page.
    partner.follow("Remove ‘Free parking’")
    partner.press("Remove")
    assert "‘Free parking’ removed." in partner.text

    # Tick it for the storyboard, and read its history.
    partner.follow("Change title and details")
    partner.page.get_by_label("Include in the project’s storyboard", exact=True).check()
    partner.press("Save")
    partner.follow("History (version 8)")
    assert "Theme ‘Sessions that fit my life’ became a primary driver" in partner.text
    assert "Sam Taylor" in partner.text

    partner.goto(f"/projects/{projects.shared.pk}/drivers/")
    assert "Sessions that fit my life" in partner.text
