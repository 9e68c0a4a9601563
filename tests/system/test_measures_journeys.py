"""Measures journeys: entering data in the grid and by upload, freezing a baseline and annotating a
point with a PDSA cycle, and exporting the chart and the data. Every page is checked with axe."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from openqi.measures.models import DataPoint, Measure, ProjectMeasure
from openqi.measures.tests.factories import MeasureFactory, ProjectMeasureFactory, add_points
from openqi.projects.tests.factories import PDSACycleFactory
from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as

MONDAY = dt.date(2025, 1, 6)


def given_a_measure(project, **fields) -> ProjectMeasure:  # type: ignore[no-untyped-def]
    measure = MeasureFactory(organisation=project.organisation, **fields)
    return ProjectMeasureFactory(project=project, measure=measure)


def when_i_open_the_measure(journey: Journey, link: ProjectMeasure) -> None:
    journey.goto(f"/measures/project/{link.project_id}/")
    journey.follow(link.measure.name)


def when_i_upload(journey: Journey, name: str, content: bytes) -> None:
    # The NHS.UK file upload enhances the input into a drop zone; the file goes to the input itself.
    journey.page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    journey.press("Upload and preview")


def test_a_partner_enters_a_week_of_data_then_imports_a_file(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    link = given_a_measure(
        projects.shared, name="Assessments completed on the day", frequency="daily", target_value=None
    )
    # Given the service-user partner is signed in and opens the data grid from the week of 6 January
    given_i_am_signed_in_as(journey, world.partner.email)
    when_i_open_the_measure(journey, link)
    journey.follow("Enter data")
    journey.fill("Start the empty rows from", MONDAY.isoformat())
    journey.press("Show these periods")
    # When they type a week of numerators and denominators, moving by keyboard, and save
    first = journey.page.get_by_label(f"Numerator for {MONDAY.day} January 2025", exact=True)
    first.focus()
    for i in range(7):
        journey.page.keyboard.type(str(5 + i))
        journey.page.keyboard.press("Tab")
        journey.page.keyboard.type("12")
        journey.page.keyboard.press("Tab")
        journey.page.keyboard.press("Tab")  # past the comment
    journey.press("Save data")
    # Then the week is saved and charted
    assert "Saved 7 periods of data" in journey.text
    assert DataPoint.objects.filter(measure=link.measure).count() == 7

    # When they upload a CSV with one bad row
    journey.follow("Upload a file")
    bad = b"period,numerator,denominator,comment\n2025-01-13,6,12,\n2025-01-14,seven,12,\n2025-01-15,8,12,\n"
    when_i_upload(journey, "week2.csv", bad)
    # Then the preview shows that row's problem and nothing is saved
    assert "The file cannot be imported" in journey.text
    assert "Row 3" in journey.page.inner_text("[data-testid=import-errors]")
    assert journey.page.get_by_role("button", name="Import 3 rows").count() == 0
    assert DataPoint.objects.filter(measure=link.measure).count() == 7

    # When they fix the row and upload again, then confirm
    journey.follow("Upload a different file")
    when_i_upload(journey, "week2.csv", bad.replace(b"seven", b"7"))
    assert "3 new, 0 already entered, 0 with problems" in journey.text
    journey.press("Import 3 rows")
    # Then all three rows are imported
    assert "Imported 3 new and 0 updated periods" in journey.text
    assert DataPoint.objects.filter(measure=link.measure).count() == 10


def test_the_lead_freezes_the_baseline_and_annotates_a_pdsa_cycle(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    link = given_a_measure(projects.shared, name="Completion of Low Intensity CBT")
    add_points(link.measure, [(44 + i % 4, 100) for i in range(20)] + [(63 + i % 3, 100) for i in range(10)])
    PDSACycleFactory(project=projects.shared, title="Text reminders before sessions")
    baseline_end = MONDAY + dt.timedelta(weeks=19)
    first_change = MONDAY + dt.timedelta(weeks=20)
    # Given the project lead is on the measure's page
    given_i_am_signed_in_as(journey, world.lead.email)
    when_i_open_the_measure(journey, link)
    # When they freeze the baseline at week 20 with a reason
    journey.follow("Baseline and limits")
    journey.page.get_by_label("Freeze the baseline", exact=True).check()
    journey.page.get_by_label("At which period?", exact=True).select_option(
        label=f"the week commencing Monday {baseline_end.day} May 2025"
    )
    journey.fill("Reason", "The 20 weeks before the first PDSA cycle.")
    journey.press("Save")
    assert "Baseline frozen at the week commencing Monday 19 May 2025" in journey.text
    # And annotate the first week after it with the PDSA cycle, from the chart page without JavaScript
    journey.page.get_by_label("Point to annotate", exact=True).select_option(
        label=f"the week commencing Monday {first_change.day} May 2025"
    )
    journey.page.get_by_label("PDSA cycle (optional)", exact=True).select_option(
        label="Text reminders before sessions"
    )
    journey.press("Add annotation")
    # Then the chart, the summary and the icons show the improvement against the frozen baseline
    assert "Annotation added" in journey.text
    # (the chart is drawn for three widths; the one that fits is shown)
    chart = journey.page.locator("[data-testid=chart] svg:visible")
    assert chart.count() == 1
    assert "Baseline" in chart.inner_html()
    headline = journey.page.inner_text("[data-testid=summary-headline]")
    # (a rising trend from 28 April runs into the points above the upper limit)
    assert headline.startswith("The measure has been higher than usual since 28 April 2025: a real change")
    details = journey.page.inner_text("[data-testid=summary-details]")
    assert "Special cause improvement: 14 weeks in a row above the baseline mean" in details
    icons = journey.page.inner_text("[data-testid=icons]")
    assert "Special cause improvement (higher)" in icons
    assert "Target met only some of the time" in icons
    assert "PDSA: Text reminders before sessions" in journey.page.inner_text("[data-testid=annotations]")
    # And the family of measures shows the same icon
    journey.follow("All measures")
    assert "Special cause improvement (higher)" in journey.page.inner_text("[data-testid=family-of-measures]")


def test_the_coach_exports_the_chart_and_the_data(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    link = given_a_measure(projects.shared, name="Completion of Low Intensity CBT")
    add_points(link.measure, [(40 + i % 6, 90) for i in range(24)])
    given_i_am_signed_in_as(journey, world.coach.email)
    when_i_open_the_measure(journey, link)
    # When they download the chart as PNG
    with journey.page.expect_download() as png_download:
        journey.page.get_by_role("link", name="Download the chart (PNG)").click()
    png = open(png_download.value.path(), "rb").read()  # noqa: SIM115
    # Then it is a real PNG image of a chart
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert png_download.value.suggested_filename.endswith(".png")
    # When they download the data as Excel
    with journey.page.expect_download() as xlsx_download:
        journey.page.get_by_role("link", name="Download the data (Excel)").click()
    book = load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read()))  # noqa: SIM115
    # Then the workbook has every period with its numerator and denominator
    sheet = book["Data"]
    assert [c.value for c in sheet[1]][:3] == ["period", "numerator", "denominator"]
    assert sheet.max_row == 25
    assert Decimal(str(sheet.cell(row=2, column=2).value)) == 40
    assert Measure.objects.get(pk=link.measure_id).points.count() == 24


def test_a_partner_deletes_a_wrong_data_point(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    link = given_a_measure(projects.shared, name="Same-day assessments", frequency="daily", target_value=None)
    add_points(link.measure, [(5, 12), (50, 12), (7, 12)])
    given_i_am_signed_in_as(journey, world.partner.email)
    when_i_open_the_measure(journey, link)
    journey.follow("Enter data")
    journey.fill("Start the empty rows from", MONDAY.isoformat())
    journey.press("Show these periods")
    # When they tick Delete for the day with the wrong numbers and save
    journey.page.get_by_label("Delete the data for 7 January 2025", exact=True).check()
    journey.press("Save data")
    # Then only that day is gone
    assert "Deleted 1" in journey.text
    periods = list(DataPoint.objects.filter(measure=link.measure).values_list("period", flat=True))
    assert periods == [MONDAY, MONDAY + dt.timedelta(days=2)]
