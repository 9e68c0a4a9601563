"""Recalculation guidance on the demo: the text-reminder chart's limits span the step change the adopted
PDSA cycle made, so the chart suggests recalculating them there and withholds the target's assurance;
one click recalculates them (audited, reversible) and the assurance then judges the new process."""

from __future__ import annotations

from django.core.management import call_command

from openqi.core.models import AuditEvent
from openqi.measures.models import LimitChange, ProjectMeasure
from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as

LEAD = "practitioner@northshire.nhs.uk"
MEASURE = "Service users sent a text reminder before each session"
STEP_CHANGE = "the week commencing Monday 23 February 2026"
ADOPTED = "Text reminders two days before, whole step 2 team"


def when_i_open_the_text_reminder_chart(journey: Journey) -> ProjectMeasure:
    link = ProjectMeasure.objects.select_related("measure").get(measure__name=MEASURE)
    journey.goto(f"/measures/project/{link.project_id}/")
    journey.follow(MEASURE)
    return link


def then_the_chart_text_is_readable(journey: Journey) -> None:
    sizes = journey.page.eval_on_selector_all(
        "[data-testid=chart] svg text",
        """texts => texts.filter(t => t.getBoundingClientRect().width > 0).map(t => {
             const m = t.getScreenCTM();
             return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
           })""",
    )
    assert sizes and min(sizes) >= 12, min(sizes or [0])


def test_the_lead_recalculates_the_limits_at_the_step_change(journey: Journey) -> None:
    # Given the demo trust, and the talking-therapies project lead signed in
    call_command("seed_demo", verbosity=0)
    given_i_am_signed_in_as(journey, LEAD)
    # When they open the text-reminder chart
    link = when_i_open_the_text_reminder_chart(journey)
    # Then it suggests recalculating the limits at the step change, in line with the adopted PDSA cycle
    suggestion = journey.page.inner_text("[data-testid=recalculate]")
    assert f"Recalculate the limits from {STEP_CHANGE}" in suggestion
    assert f"the adopted PDSA cycle “{ADOPTED}”" in suggestion
    reason = journey.page.get_by_label("Reason, recorded with the change (you can edit it)", exact=True)
    assert ADOPTED in reason.input_value()
    # And gives no assurance letter until it is done, saying why
    icons = journey.page.inner_text("[data-testid=icons]")
    assert "Assurance withheld – The limits span a change in the process" in icons
    assert "Target consistently" not in icons and "some of the time" not in icons
    headline = journey.page.inner_text("[data-testid=summary-headline]")
    assert "can be judged once the limits are recalculated from 23 February 2026" in headline
    # And every point of the two signals is coloured the Making Data Count way
    chart = journey.page.locator("[data-testid=chart] svg:visible")
    assert chart.locator(".point.concern").count() == 23 and chart.locator(".point.improvement").count() == 23
    then_the_chart_text_is_readable(journey)

    # When they recalculate the limits with one click
    journey.press(f"Recalculate the limits from {STEP_CHANGE}")
    # Then the limits are recalculated there, and recorded with the reason and in the audit trail
    assert f"Limits recalculated at {STEP_CHANGE}" in journey.text
    change = LimitChange.objects.get(measure=link.measure)
    assert change.kind == "rebase" and ADOPTED in change.reason
    assert AuditEvent.objects.filter(object_type="measures.limitchange", object_id=str(change.pk)).exists()
    # And the assurance judges the new process: the target of 90% is met every week
    assert journey.page.locator("[data-testid=recalculate]").count() == 0
    assert "Target consistently met" in journey.page.inner_text("[data-testid=icons]")
    headline = journey.page.inner_text("[data-testid=summary-headline]")
    assert "it will meet the target of 90.0% every week" in headline

    # When they change their mind on the limits page, the suggestion comes back (nothing is silent)
    journey.follow("Baseline and limits")
    journey.press("Remove Recalculate limits from here (rebase) at 2026-02-23")
    assert not LimitChange.objects.filter(measure=link.measure).exists()
    journey.follow("Chart")
    assert journey.page.locator("[data-testid=recalculate]").count() == 1

    # And on a phone the chart is redrawn for the width, its text still readable
    journey.page.set_viewport_size({"width": 375, "height": 800})
    # The chart is redrawn for the new width after the resize event: wait for that, up to 5 s, not a frame.
    journey.page.wait_for_function("document.documentElement.scrollWidth <= 375", timeout=5000)
    assert journey.page.evaluate("document.documentElement.scrollWidth") <= 375
    then_the_chart_text_is_readable(journey)
