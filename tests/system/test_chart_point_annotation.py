"""Progressive enhancement on the chart: with JavaScript, clicking a point chooses it for an annotation."""

from __future__ import annotations

from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as


def test_clicking_a_point_picks_its_period_for_the_annotation(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.measures.tests.factories import MONDAY, ProjectMeasureFactory, add_points

    # Given a measure with twelve weeks of data in the team's project
    link = ProjectMeasureFactory(project=projects.shared)
    add_points(link.measure, [(9 + i % 3, 20) for i in range(12)])
    given_i_am_signed_in_as(journey, world.lead.email)
    journey.goto(f"/measures/project/{projects.shared.pk}/m/{link.pk}/")
    assert "Select a point on the chart to annotate it." in journey.text
    # When they click the fourth point of the chart
    journey.page.locator('figure svg:visible [class~="point"][data-index="3"]').click()
    # Then the annotation form has that week selected and the cursor is in the note
    fourth_week = MONDAY.replace(day=MONDAY.day + 21)
    assert journey.page.locator("#id_period").input_value() == fourth_week.isoformat()
    assert journey.page.evaluate("document.activeElement.id") == "id_text"
    journey.page.keyboard.type("New referral letter sent")
    journey.press("Add annotation")
    assert "Annotation added at" in journey.text and "New referral letter sent" in journey.text
