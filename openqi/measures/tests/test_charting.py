"""Charting: which chart is drawn, what happens to data the chosen chart cannot take, and the ids a
cached chart carries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import caches

from openqi.measures import charting
from openqi.measures.dataio import DataRow
from openqi.measures.models import DataKind
from openqi.measures.services.data import save_rows
from openqi.measures.tests.factories import MeasureFactory, ProjectMeasureFactory, add_points

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "mean_den", "chart"),
    [
        (DataKind.PROPORTION, 80, "p"),
        (DataKind.PROPORTION, 20000, "pp"),
        (DataKind.RATE, 50, "u"),
        (DataKind.RATE, 5000, "up"),
        (DataKind.COUNT, None, "c"),
        (DataKind.CONTINUOUS, None, "i"),
        (DataKind.TIME_BETWEEN, None, "t"),
        (DataKind.CASES_BETWEEN, None, "g"),
    ],
)
def test_chart_suggested_from_the_data(kind: str, mean_den: float | None, chart: str) -> None:
    assert charting.suggest_chart(kind, mean_denominator=mean_den) == chart


def test_run_chart_until_there_are_enough_points(world) -> None:  # type: ignore[no-untyped-def]
    m = MeasureFactory(organisation=world.trust, kind=DataKind.CONTINUOUS, min_points_for_limits=12)
    assert charting.chart_to_draw(m, n_points=11) == "run"
    assert charting.chart_to_draw(m, n_points=12) == "i"
    m.chart_type = "c"
    assert charting.chart_to_draw(m, n_points=30) == "c"


@pytest.mark.parametrize(
    ("kind", "chart", "name"), [("count", "c", "C chart"), ("cases_between", "g", "G chart")]
)
def test_data_the_chart_cannot_take_gets_a_run_chart_and_a_reason(
    world, kind: str, chart: str, name: str
) -> None:  # type: ignore[no-untyped-def]
    m = MeasureFactory(
        organisation=world.trust,
        kind=kind,
        chart_type=chart,
        unit="",
        target_value=Decimal(3),
        min_points_for_limits=2,
    )
    add_points(m, [1, 2, -3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
    computed = charting.compute_chart(m, list(m.points.all()))
    assert computed.chart == "run"
    assert computed.summary == [
        f"This data cannot be shown as a {name}: "
        f"{'C chart counts' if chart == 'c' else 'G chart counts between events'} cannot be negative; "
        "y[2] = -3. A run chart is shown instead."
    ]
    assert (computed.variation, computed.assurance) == (None, None)
    assert len(computed.spec.y) == 13 and computed.spec.target == 3


def test_no_data_yet_says_so(world) -> None:  # type: ignore[no-untyped-def]
    m = MeasureFactory(organisation=world.trust, frequency="monthly")
    computed = charting.compute_chart(m, [])
    assert computed.chart == "run" and computed.periods == []
    assert computed.summary == ["No data yet: the chart appears once the first month is recorded."]


def _ids(svg: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', svg))


def test_a_chart_carries_its_own_ids_whatever_was_drawn_before(world, projects) -> None:  # type: ignore[no-untyped-def]
    first, second = (ProjectMeasureFactory(project=projects.shared) for _ in range(2))
    for link in (first, second):
        add_points(link.measure, [(4 + i % 3, 10) for i in range(14)])
    # A download draws (and caches) the full chart and the card together...
    assert charting.chart_file(first, "svg").startswith(b"<svg")
    # ...and whichever id asks next gets its own ids, not the ones cached first.
    for link in (first, second):
        chart_id = charting.chart_id_for(link)
        card = charting.card_payloads([(link.measure, link.project_id, chart_id)])[0]["svg"]
        full = charting.chart_payload(link.measure, link.project_id, "full", chart_id)["svg"]
        assert _ids(card) == {f"card{chart_id}-title", f"card{chart_id}-desc"}
        assert _ids(full) == {f"chart{chart_id}-title", f"chart{chart_id}-desc"}
    other = charting.chart_payload(first.measure, first.project_id, "card", "elsewhere")["svg"]
    assert _ids(other) == {"cardelsewhere-title", "cardelsewhere-desc"}


def test_png_bytes_are_cached_with_the_chart(world, projects, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    add_points(link.measure, [(4 + i % 3, 10) for i in range(14)])
    rasterised: list[str] = []
    real = charting.render_png
    monkeypatch.setattr(charting, "render_png", lambda svg, scale: rasterised.append(svg) or real(svg, scale))
    first = charting.chart_file(link, "png")
    assert charting.chart_file(link, "png") == first and first.startswith(b"\x89PNG")
    assert len(rasterised) == 1
    add_points(link.measure, [(9, 10)], start=dt.date(2026, 1, 5))  # new data: a new chart, drawn once
    link.measure.refresh_from_db()
    assert charting.chart_file(link, "png") != first and len(rasterised) == 2


def test_charts_are_drawn_once_data_changes_are_saved(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    add_points(link.measure, [(4 + i % 3, 10) for i in range(14)])
    row = DataRow(period=dt.date(2026, 1, 5), numerator=Decimal(7), denominator=Decimal(10))
    with django_capture_on_commit_callbacks(execute=True):
        save_rows(link.measure, [row], by=world.lead, project=projects.shared)
    link.measure.refresh_from_db()
    key = charting.cache_key(link.measure, link.project_id, "full", charting.chart_id_for(link))
    warm = caches["charts"].get(key)
    assert warm is not None and warm["n_points"] == 15
