"""Charts that tell the truth: recalculation guidance on the chart page (suggested, never silent; applied
with one audited, reversible click), the chart style per measure, exports for papers read back, and the
chart data beside the data in CSV and Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook
from openqi_spc.render.png import read_text

from openqi.core.models import AuditEvent
from openqi.measures import charting, recalculation
from openqi.measures.models import LimitChange
from openqi.measures.tests.factories import MONDAY, ProjectMeasureFactory, add_points
from openqi.projects.models import ActDecision
from openqi.projects.tests.factories import PDSACycleFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
# Twenty weeks around 30 %, then fourteen around 60 %: a sustained shift from week 21 (26 May 2025).
BEFORE = [(30 + d, 100) for d in (2, -2, 1, -1, 0, 3, -3, 1, -1, 2, 0, -2, 1, -1, 2, -2, 0, 1, -1, 0)]
AFTER = [(60 + d, 100) for d in (1, -1, 2, -2, 0, 1, -1, 2, 0, -2, 1, -1, 0, 2)]
CHANGE_WEEK = MONDAY + dt.timedelta(weeks=20)
CHANGE_LABEL = "the week commencing Monday 26 May 2025"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _url(link, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/measures/project/{link.project_id}/m/{link.pk}/{suffix}"


@pytest.fixture
def shifted(projects):  # type: ignore[no-untyped-def]
    """A P-chart measure with a sustained shift that an adopted PDSA cycle, linked to it, explains."""
    link = ProjectMeasureFactory(project=projects.shared)
    link.measure.name = "Sessions with a reminder"
    link.measure.target_value = 40
    link.measure.save()
    add_points(link.measure, [*BEFORE, *AFTER])
    cycle = PDSACycleFactory(
        project=projects.shared, title="Reminders for everyone", act_decision=ActDecision.ADOPT
    )
    cycle.started_on = CHANGE_WEEK + dt.timedelta(days=2)
    cycle.save()
    link.pdsa_cycles.add(cycle)
    link.measure.refresh_from_db()
    return link


def test_the_chart_suggests_recalculating_and_withholds_assurance(world, shifted) -> None:  # type: ignore[no-untyped-def]
    page = _client(world.lead).get(_url(shifted)).content.decode()
    assert f"Recalculate the limits from {CHANGE_LABEL}" in page
    assert "the adopted PDSA cycle “Reminders for everyone”" in page
    assert 'name="kind" value="rebase"' in page and 'name="period" value="2025-05-26"' in page
    assert "Assurance withheld" in page and 'data-icon="consistently_' not in page
    assert "can be judged once the limits are recalculated from 26 May 2025" in page
    # Someone who may only read the chart sees the suggestion, not the button.
    viewer = _client(world.member).get(_url(shifted)).content.decode()
    assert f"Recalculate the limits from {CHANGE_LABEL}" in viewer and 'name="kind"' not in viewer


def test_one_click_recalculates_audited_and_reversible(world, shifted) -> None:  # type: ignore[no-untyped-def]
    c = _client(world.lead)
    computed = charting.compute_chart(
        shifted.measure,
        *charting.load_chart_inputs(shifted.measure, shifted.project_id),
        cycles=recalculation.adopted_cycles([shifted.measure_id], shifted.project_id)[shifted.measure_id],
    )
    assert computed.recalculation is not None and computed.assurance is None
    response = c.post(
        _url(shifted, "limits/"),
        {"kind": "rebase", "period": "2025-05-26", "reason": computed.recalculation.reason},
    )
    assert response.status_code == 302 and response["Location"] == _url(shifted)
    change = LimitChange.objects.get(measure=shifted.measure)
    assert (change.kind, change.period) == ("rebase", CHANGE_WEEK)
    assert "Reminders for everyone" in change.reason
    assert AuditEvent.objects.filter(object_type="measures.limitchange", object_id=str(change.pk)).exists()
    page = c.get(_url(shifted)).content.decode()
    assert "Recalculate the limits from" not in page
    assert 'data-icon="consistently_pass"' in page  # 40 % lies below the new process's lower limit
    # Reversible: removed on the limits page, the suggestion is back.
    c.post(_url(shifted, "limits/"), {"remove": str(change.pk)})
    assert f"Recalculate the limits from {CHANGE_LABEL}" in c.get(_url(shifted)).content.decode()


def test_no_suggestion_without_enough_points_after_the_change(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    add_points(link.measure, [*BEFORE, *AFTER[:11]])
    computed = charting.compute_chart(link.measure, list(link.measure.points.all()))
    assert computed.recalculation is None and computed.assurance is not None


def test_the_qicharts2_style_is_a_choice_per_measure(world, shifted) -> None:  # type: ignore[no-untyped-def]
    measure = shifted.measure
    assert measure.chart_style == "mdc"
    house = _client(world.lead).get(_url(shifted)).content.decode()
    assert 'data-style="mdc"' in house and "runs-signal" not in house
    # A definition edit (a new version of the measure) redraws its charts.
    type(measure).objects.filter(pk=measure.pk).update(chart_style="qicharts2", version=measure.version + 1)
    page = _client(world.lead).get(_url(shifted)).content.decode()
    assert 'data-style="qicharts2"' in page and "runs-signal" in page
    # Its suggestion follows Anhøj's long-run rule, and still lines up with the adopted cycle.
    assert f"Recalculate the limits from {CHANGE_LABEL}" in page


def test_the_edit_form_offers_the_chart_style(world, shifted) -> None:  # type: ignore[no-untyped-def]
    page = _client(world.lead).get(_url(shifted, "edit/")).content.decode()
    assert 'name="chart_style"' in page and 'value="qicharts2"' in page


@pytest.mark.parametrize(("size", "width"), [("standard", "960"), ("slide", "1280"), ("a4", "794")])
def test_the_svg_download_is_a_figure_with_key_icons_and_summary(
    world, shifted, size: str, width: str
) -> None:  # type: ignore[no-untyped-def]
    from openqi.measures.services.notes import add_annotation

    add_annotation(
        shifted.measure, project=shifted.project, period=CHANGE_WEEK, text="Reminders to all", by=world.lead
    )
    response = _client(world.lead).get(_url(shifted, "chart.svg"), {"size": size})
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.get("width") == width
    words = " ".join(s.strip() for s in root.itertext() if s.strip())
    assert "Sessions with a reminder" in words
    assert "P chart (Making Data Count) · weekly data, 6 January 2025 to 25 August 2025 (34 weeks)" in words
    assert (
        "Assurance: Assurance withheld" in words and "Variation: Special cause improvement (higher)" in words
    )
    key = [
        " ".join(s.strip() for s in g.itertext())
        for g in root.iter(f"{SVG}g")
        if "key-item" in (g.get("class") or "")
    ]
    assert key == [f"1 Reminders to all ({CHANGE_LABEL})"]
    assert "The measure has been higher than usual since 26 May 2025" in words


def test_the_png_download_carries_its_words(world, shifted) -> None:  # type: ignore[no-untyped-def]
    from openqi.measures.services.notes import add_annotation

    add_annotation(
        shifted.measure, project=shifted.project, period=CHANGE_WEEK, text="Reminders to all", by=world.lead
    )
    response = _client(world.lead).get(_url(shifted, "chart.png"), {"size": "slide"})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('-chart-slide.png"')
    words = read_text(response.content)
    assert words["Title"] == "Sessions with a reminder"
    assert words["Annotations"] == "1. Reminders to all"
    assert words["Description"].startswith("The measure has been higher than usual since 26 May 2025")
    assert _client(world.lead).get(_url(shifted, "chart.png"), {"size": "poster"}).status_code == 404


def test_csv_and_excel_keep_counts_whole_with_the_chart_beside_the_data(world, shifted) -> None:  # type: ignore[no-untyped-def]
    c = _client(world.lead)
    rows = list(csv.reader(io.StringIO(c.get(_url(shifted, "export.csv")).content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["period", "numerator", "denominator", "comment"]
    assert rows[0][4:] == [
        "chart value (%)",
        "chart centre line (%)",
        "chart lower limit (%)",
        "chart upper limit (%)",
        "chart signal",
    ]
    assert rows[1][:3] == ["2025-01-06", "32", "100"] and rows[1][4] == "32.00"
    assert re.fullmatch(r"\d+\.\d\d", rows[1][5])
    assert rows[-1][8].startswith("Special cause improvement")
    book = load_workbook(io.BytesIO(c.get(_url(shifted, "export.xlsx")).content))
    sheet = book["Data"]
    assert sheet.cell(row=2, column=2).value == 32 and isinstance(sheet.cell(row=2, column=2).value, int)
    assert sheet.cell(row=1, column=9).value == "chart signal"


def test_the_stylesheet_knows_each_chart_variant_proportions() -> None:
    css = (Path(__file__).resolve().parents[2] / "core" / "static" / "openqi" / "measures.css").read_text()
    for name, (width, height, font, column) in charting.VARIANTS.items():
        assert f".openqi-chart__variant--{name} svg {{ aspect-ratio: {width} / {height}; }}" in css
        # Shown in columns from `column` px wide (the narrow one from 275 px), text stays 12 px or more.
        assert font * max(column, 275) / width >= 12
    assert "aspect-ratio: {} / {};".format(*charting.CARD_SIZE) in css
    assert charting.CARD_FONT * 262 / charting.CARD_SIZE[0] >= 12
