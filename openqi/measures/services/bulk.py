"""Data sent by a program (the API's bulk upload): rows checked exactly as an uploaded file's are, then
saved by period, all or nothing, through `save_rows` (so audited and charted as the grid's and the
import's). A period already stored is changed only when the caller asks; a caller that read the data at
one `data_version` can make the write depend on nothing having changed since."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from openqi.measures.dataio import ImportPreview
from openqi.measures.dataio.importing import parse_records
from openqi.measures.dataio.reading import Cell
from openqi.measures.models import DataKind, Measure
from openqi.measures.services.data import SaveResult, holds, save_rows
from openqi.measures.services.imports import flag_personal_data
from openqi.projects.models import Project


class StaleData(Exception):
    """The measure's data changed after the caller read it (its `data_version` moved on); nothing saved."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the data is now at version {current}")
        self.current = current


@dataclass(frozen=True)
class UpsertResult:
    saved: SaveResult
    # Periods already stored with other values, left as they were because the caller did not ask to update.
    skipped: list[dt.date]
    data_version: int


def check_rows(measure: Measure, records: Iterable[tuple[int, Mapping[str, Cell]]]) -> ImportPreview:
    """Every row with every problem, as an upload's preview: numbers, periods (moved to the start of the
    week or month, each once), and personal data in comments."""
    preview = parse_records(
        records,
        has_denominator=measure.has_denominator,
        frequency=measure.frequency,
        existing_periods=set(measure.points.values_list("period", flat=True)),
        numerator_may_exceed_denominator=measure.kind == DataKind.RATE,
    )
    return flag_personal_data(preview)


def upsert_points(
    measure: Measure,
    preview: ImportPreview,
    *,
    update_existing: bool,
    expected_data_version: int | None,
    by: Any,
    project: Project | None,
    source: str = "api",
) -> UpsertResult:
    """Save a valid preview's rows by period. StaleData when `expected_data_version` is given and the
    data has moved on from it; the check and the save are one transaction, so no write slips in between."""
    rows = preview.to_data_rows()
    with transaction.atomic():
        current = Measure.objects.select_for_update().only("data_version").get(pk=measure.pk).data_version
        if expected_data_version is not None and current != expected_data_version:
            raise StaleData(current)
        stored = {p.period: p for p in measure.points.filter(period__in=[r.period for r in rows])}
        skipped = [
            r.period
            for r in rows
            if r.period in stored and not update_existing and not holds(stored[r.period], r)
        ]
        left = set(skipped)
        saving = [r for r in rows if r.period not in left]
        saved = save_rows(measure, saving, by=by, project=project, source=source)
        measure.refresh_from_db(fields=["data_version"])
    return UpsertResult(saved=saved, skipped=skipped, data_version=measure.data_version)
