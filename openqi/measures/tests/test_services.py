"""Services: saving data, all-or-nothing import, update-or-skip, data_version and the chart cache,
concurrency on definitions, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openqi.core.concurrency import EditConflict
from openqi.core.models import AuditEvent
from openqi.measures import charting
from openqi.measures.dataio import DataRow
from openqi.measures.models import DataKind, DataPoint, Measure
from openqi.measures.services import data, definitions, imports, limits, notes
from openqi.measures.tests.factories import MONDAY, MeasureFactory, ProjectMeasureFactory, add_points

pytestmark = pytest.mark.django_db


def _csv(rows: list[str]) -> bytes:
    return ("period,numerator,denominator,comment\n" + "\n".join(rows) + "\n").encode()


def test_grid_save_creates_updates_and_bumps_version_only_on_change(world) -> None:  # type: ignore[no-untyped-def]
    m = MeasureFactory(organisation=world.trust)
    v0 = m.data_version
    rows = [DataRow(period=MONDAY, numerator=Decimal(4), denominator=Decimal(10))]
    result = data.save_rows(m, rows, by=world.lead)
    assert (result.created, result.updated) == (1, 0)
    assert m.data_version == v0 + 1
    again = data.save_rows(m, rows, by=world.lead)
    assert again.unchanged == 1 and m.data_version == v0 + 1
    data.save_rows(
        m,
        [DataRow(period=MONDAY + dt.timedelta(days=2), numerator=Decimal(5), denominator=Decimal(10))],
        by=world.lead,
    )
    # A Wednesday belongs to the week commencing Monday: one point, updated.
    assert list(m.points.values_list("period", "numerator")) == [(MONDAY, Decimal(5))]
    assert AuditEvent.objects.filter(object_type="measures.measure", action="update").count() == 2


def test_import_is_all_or_nothing(world) -> None:  # type: ignore[no-untyped-def]
    m = MeasureFactory(organisation=world.trust)
    draft = imports.stage_upload(
        m, filename="data.csv", content=_csv(["2025-01-06,4,10,", "2025-01-13,x,10,"]), by=world.lead
    )
    preview = imports.preview_draft(draft)
    assert not preview.is_valid and preview.error_count == 1
    assert "Row 3" in preview.error_messages()[0]
    with pytest.raises(imports.ImportRefused):
        imports.confirm_import(draft, include_updates=True, by=world.lead)
    assert not DataPoint.objects.filter(measure=m).exists()


def test_reimport_updates_or_skips_existing_periods(world) -> None:  # type: ignore[no-untyped-def]
    m = MeasureFactory(organisation=world.trust)
    data.save_rows(m, [DataRow(period=MONDAY, numerator=Decimal(4), denominator=Decimal(10))], by=world.lead)
    content = _csv(["2025-01-06,6,10,", "2025-01-13,7,10,"])
    draft = imports.stage_upload(m, filename="d.csv", content=content, by=world.lead)
    assert imports.preview_draft(draft).update_count == 1
    result = imports.confirm_import(draft, include_updates=False, by=world.lead)
    assert (result.created, result.updated) == (1, 0)
    assert m.points.get(period=MONDAY).numerator == 4
    draft = imports.stage_upload(m, filename="d.csv", content=content, by=world.lead)
    result = imports.confirm_import(draft, include_updates=True, by=world.lead)
    assert result.updated == 1 and m.points.get(period=MONDAY).numerator == 6
    assert not m.import_drafts.exists()


def test_chart_cache_follows_the_data_version(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    m = link.measure
    add_points(m, [(45, 100)] * 15)
    first = charting.chart_payload(m, projects.shared.pk, "full", "a")
    key = charting.cache_key(m, projects.shared.pk, "full", "a")
    data.save_rows(
        m, [DataRow(period=MONDAY, numerator=Decimal(90), denominator=Decimal(100))], by=world.lead
    )
    assert charting.cache_key(m, projects.shared.pk, "full", "a") != key
    second = charting.chart_payload(m, projects.shared.pk, "full", "a")
    assert first["table_rows"][0][1] != second["table_rows"][0][1]


def test_annotation_freeze_and_exclusion_change_the_chart(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    m = link.measure
    add_points(m, [(45 + i % 3, 100) for i in range(20)] + [(70, 100)] * 8)
    v = m.data_version
    limits.add_limit_change(
        m, kind="freeze", period=MONDAY + dt.timedelta(weeks=19), reason="Before PDSA 1", by=world.lead
    )
    notes.add_annotation(
        m, project=projects.shared, period=MONDAY + dt.timedelta(weeks=20), text="PDSA 1", by=world.lead
    )
    limits.set_exclusion(m.points.first(), excluded=True, reason="Outage", by=world.lead)
    assert m.data_version == v + 3
    computed = charting.compute_chart(m, *charting.load_chart_inputs(m, projects.shared.pk))
    assert computed.spec.baseline_end == 19
    assert computed.spec.annotations[0][:2] == (20, 1)
    assert computed.spec.excluded[0]
    assert computed.variation == "special_cause_improvement_high"
    assert "a real change for the better" in computed.summary[0]
    assert any(s.startswith("Special cause improvement") for s in computed.summary[1:])


def test_mdc_chart_for_measurements_with_assurance(world) -> None:  # type: ignore[no-untyped-def]
    m = MeasureFactory(
        organisation=world.trust,
        kind=DataKind.CONTINUOUS,
        unit="days",
        improvement="decrease",
        target_value=Decimal(5),
    )
    add_points(m, [20, 21, 19, 22, 20, 21, 20, 19, 21, 22, 20, 21, 20, 21])
    computed = charting.compute_chart(m, list(m.points.all()))
    assert computed.chart == "i"
    assert computed.variation == "common_cause"
    assert computed.assurance == "consistently_fail"


def test_definition_edits_detect_conflicts(world) -> None:  # type: ignore[no-untyped-def]
    m = MeasureFactory(organisation=world.trust)
    stale = Measure.objects.get(pk=m.pk)
    definitions.update_definition(m, changes={"name": "New name"}, expected_version=m.version, by=world.lead)
    with pytest.raises(EditConflict):
        definitions.update_definition(
            stale, changes={"name": "Other"}, expected_version=stale.version, by=world.lead
        )
    assert Measure.objects.get(pk=m.pk).name == "New name"


def test_projects_use_only_their_organisations_measures(world) -> None:  # type: ignore[no-untyped-def]
    from openqi.projects.tests.factories import ProjectFactory

    theirs = MeasureFactory(organisation=world.other_trust)
    with pytest.raises(ValueError):
        definitions.add_to_project(
            ProjectFactory(organisation=world.trust), theirs, measure_type="outcome", by=world.lead
        )
