"""Hostile uploads through the import service and the database: a refused file stores nothing, and an
accepted one is stored and read back exactly as previewed (on SQLite too, whose numbers are floats)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from openqi.core.models import AuditEvent
from openqi.core.tests.hostile import fuzz, hostile_text
from openqi.measures.models import DataKind, DataPoint, Frequency
from openqi.measures.services.imports import ImportRefused, confirm_import, preview_draft, stage_upload
from openqi.measures.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

MONTHS = [f"2025-{month:02d}-01" for month in range(1, 13)]
# Half the files are plausible (real months, numbers up to and just past what the columns hold, short
# comments), so that many are valid and their storing is tested; the other half have hostile cells anywhere.
plausible_number = st.one_of(
    st.integers(min_value=0, max_value=1000).map(str),
    st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False).map(lambda d: format(d, "f")),
    st.sampled_from(["999999999999.999", "999999999999.9995", "0.0000005", "123456789012.123456"]),
)
plausible = {
    "period": st.sampled_from(MONTHS),
    "number": plausible_number,
    "comment": st.one_of(st.just(""), st.sampled_from(["Short week", "New form", "Outage, then catch-up"])),
}
hostile = {
    "period": hostile_text,
    "number": hostile_text,
    "comment": st.one_of(hostile_text, st.text(max_size=600)),
}


def rows_of(cells: dict[str, Any], has_denominator: bool) -> Any:
    roles = ["period", "number", "number", "comment"] if has_denominator else ["period", "number", "comment"]
    row = st.tuples(*(cells[role] for role in roles)).map(list)
    return st.lists(row, min_size=1, max_size=4, unique_by=lambda r: r[0])


@pytest.fixture
def measures(world) -> dict[bool, Any]:  # type: ignore[no-untyped-def]
    """A proportion (numerator and denominator) and a value measure, monthly."""
    return {
        True: MeasureFactory(organisation=world.trust, frequency=Frequency.MONTHLY),
        False: MeasureFactory(
            organisation=world.trust, kind=DataKind.CONTINUOUS, frequency=Frequency.MONTHLY
        ),
    }


@fuzz(30)
@given(data=st.data(), has_denominator=st.booleans())
def test_an_upload_is_stored_whole_as_previewed_or_not_at_all(
    world, measures, data: st.DataObject, has_denominator: bool
) -> None:  # type: ignore[no-untyped-def]
    rows = data.draw(rows_of(data.draw(st.sampled_from([plausible, hostile])), has_denominator))
    measure = measures[has_denominator]
    measure.points.all().delete()
    header = (
        ["period", "numerator", "denominator", "comment"]
        if has_denominator
        else ["period", "value", "comment"]
    )
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    draft = stage_upload(measure, filename="data.csv", content=buffer.getvalue().encode(), by=world.lead)
    preview = preview_draft(draft)
    events = AuditEvent.objects.count()
    if not preview.is_valid:
        event("refused")
        with pytest.raises(ImportRefused):
            confirm_import(draft, include_updates=True, by=world.lead)
        assert not DataPoint.objects.filter(measure=measure).exists()
        assert AuditEvent.objects.count() == events
        return
    event("valid")
    confirm_import(draft, include_updates=True, by=world.lead)
    stored = {p.period: (p.value, p.numerator, p.denominator, p.comment) for p in measure.points.all()}
    assert stored == {r.period: (r.value, r.numerator, r.denominator, r.comment) for r in preview.rows}
