"""The team builds a driver diagram, tests a change idea in a PDSA cycle and continues the ramp."""

from __future__ import annotations

from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as


def test_the_team_builds_a_driver_diagram_and_a_ramp_of_pdsa_cycles(
    journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    # Given the project lead is signed in and opens the project's driver diagram
    given_i_am_signed_in_as(journey, world.lead.email)
    journey.goto(f"/projects/{project.pk}/")
    journey.follow("Driver diagram")
    assert "No drivers yet" in journey.text

    # When they add a primary driver, a secondary driver under it, and a change idea linked to it
    journey.follow("Add a primary driver")
    journey.fill("Driver", "Timely first appointment")
    journey.press("Add driver")
    journey.follow("Add a secondary driver under Timely first appointment")
    journey.fill("Driver", "Reminders before the first session")
    journey.press("Add driver")
    journey.follow("Add a change idea")
    journey.fill("Change idea", "Text the day before")
    journey.page.get_by_label(
        "Secondary driver: Reminders before the first session (under Timely first appointment)", exact=True
    ).check()
    journey.press("Add change idea")

    # Then the diagram shows aim, drivers and change idea, and prints on its own page
    assert "Change idea ‘Text the day before’ added." in journey.text
    diagram = journey.page.inner_text(".openqi-dd")
    for text in ("Timely first appointment", "Reminders before the first session", "Text the day before"):
        assert text in diagram
    journey.follow("Printable version (A4 landscape)")
    assert "Text the day before" in journey.text
    journey.follow("Back to the driver diagram")

    # When they open the change idea's ramp and start a cycle with a prediction
    journey.follow("Text the day before")
    assert "No PDSA cycles yet" in journey.text
    journey.follow("Start the first cycle")
    journey.fill("Title of the test", "Text reminders")
    journey.fill("Prediction", "Fewer people miss their first appointment: from 20% to 10%")
    journey.press("Start cycle")
    assert "PDSA cycle ‘Text reminders’ started" in journey.text

    # And record the study next to the prediction, then decide to adapt
    journey.follow("Record the study")
    assert "from 20% to 10%" in journey.text
    journey.fill("Results compared with the prediction", "Missed first appointments fell to 14%")
    journey.press("Save study")
    journey.follow("Record the decision")
    journey.page.get_by_label("Adapt", exact=True).check()
    journey.fill("Next step", "Send a second text on the morning of the appointment")
    journey.press("Save act")
    assert "Complete: Adapt" in journey.text

    # Then they can start the next cycle of the ramp, its title already filled in
    journey.follow("Start the next cycle in this ramp")
    assert (
        journey.page.get_by_label("Title of the test", exact=True).input_value() == "Text reminders (cycle 2)"
    )
    journey.press("Start cycle")

    # And the ramp shows both cycles in order
    journey.follow("Back to the ramp")
    ramp = journey.page.inner_text(".openqi-ramp__cycles")
    assert ramp.index("Cycle 1: Text reminders") < ramp.index("Cycle 2: Text reminders (cycle 2)")
    journey.follow("PDSA cycles")
    assert "Text reminders (cycle 2)" in journey.text
