"""Saving a measure's data: the grid's rows and an import's, all or nothing, refused when someone else
changed the same periods since the person looked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from openqi.core.concurrency import EditConflict
from openqi.core.models import AuditEvent
from openqi.measures.dataio import DataRow
from openqi.measures.models import DataPoint, Measure
from openqi.measures.periods import normalise_period
from openqi.measures.services.changes import bump_data_version, record_for_every_project
from openqi.projects.models import Project

# An audit event lists each changed period's values before and after, up to this many periods.
AUDIT_PERIODS = 200


@dataclass(frozen=True)
class SaveResult:
    created: int
    updated: int
    unchanged: int
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


class DataConflict(EditConflict):
    """Someone else saved (or deleted) these periods after the person opened the grid; nothing was saved.
    `conflicts` pairs each period with what is stored now (None: no data)."""

    message = (
        "Someone else changed this data while you were editing it. Nothing has been saved: your values "
        "are kept below. Check the values now saved, then save again to replace them with yours."
    )

    def __init__(self, conflicts: list[tuple[dt.date, DataPoint | None]]) -> None:
        super().__init__()
        self.conflicts = conflicts


def holds(point: DataPoint, row: DataRow) -> bool:
    """Whether the stored point already says exactly what the row says."""
    return (
        point.value == row.value
        and point.numerator == row.numerator
        and point.denominator == row.denominator
        and point.comment == row.comment
    )


def _as_stored(point: DataPoint | None) -> dict[str, str] | None:
    if point is None:
        return None
    values: dict[str, Decimal | str | None] = {
        "value": point.value,
        "numerator": point.numerator,
        "denominator": point.denominator,
        "comment": point.comment,
    }
    return {
        k: format(v.normalize(), "f") if isinstance(v, Decimal) else str(v)
        for k, v in values.items()
        if v not in (None, "")
    }


def save_rows(
    measure: Measure,
    rows: Sequence[DataRow],
    *,
    by: Any,
    project: Project | None = None,
    source: str = "grid",
    originals: Mapping[dt.date, DataRow | None] | None = None,
    deletes: Sequence[dt.date] = (),
) -> SaveResult:
    """Create or update one point per row and delete the `deletes` periods, all or nothing.

    `originals` (the grid's) holds, per period, what the person saw when they opened the page (None: no
    data). If what is stored now differs for any of those periods, someone else saved it in between:
    DataConflict, and nothing is saved. `data_version` moves only if something changed."""
    periods = [normalise_period(r.period, measure.frequency) for r in rows]
    gone = [normalise_period(d, measure.frequency) for d in deletes]
    seen = {normalise_period(d, measure.frequency): row for d, row in (originals or {}).items()}
    with transaction.atomic():
        existing = {
            p.period: p for p in measure.points.filter(period__in=[*periods, *gone]).select_for_update()
        }
        conflicts = []
        for period, original in sorted(seen.items()):
            point = existing.get(period)
            if (point is None) != (original is None) or (
                point is not None and original is not None and not holds(point, original)
            ):
                conflicts.append((period, point))
        if conflicts:
            raise DataConflict(conflicts)
        created = updated = unchanged = 0
        now = timezone.now()
        new_points: list[DataPoint] = []
        changed_points: list[DataPoint] = []
        history: dict[dt.date, dict[str, Any]] = {}
        for period, row in zip(periods, rows, strict=True):
            point = existing.get(period)
            if point is None:
                point = DataPoint(
                    measure=measure,
                    period=period,
                    value=row.value,
                    numerator=row.numerator,
                    denominator=row.denominator,
                    comment=row.comment,
                    updated_by=by,
                    updated_at=now,
                )
                new_points.append(point)
                history[period] = {"before": None, "after": _as_stored(point)}
                created += 1
            elif holds(point, row):
                unchanged += 1
            else:
                before = _as_stored(point)
                point.value, point.numerator, point.denominator = row.value, row.numerator, row.denominator
                point.comment, point.updated_by, point.updated_at = row.comment, by, now
                changed_points.append(point)
                history[period] = {"before": before, "after": _as_stored(point)}
                updated += 1
        removed = [existing[d] for d in gone if d in existing]
        for point in removed:
            history[point.period] = {"before": _as_stored(point), "after": None}
        DataPoint.objects.bulk_create(new_points)
        DataPoint.objects.bulk_update(
            changed_points, ["value", "numerator", "denominator", "comment", "updated_by", "updated_at"]
        )
        DataPoint.objects.filter(pk__in=[p.pk for p in removed]).delete()
        result = SaveResult(created, updated, unchanged, len(removed))
        if result.changed:
            bump_data_version(measure)
            listed = sorted(history)[:AUDIT_PERIODS]
            record_for_every_project(
                measure,
                by=by,
                action=AuditEvent.Action.UPDATE,
                instance=measure,
                project=project,
                changes={
                    "data": {
                        "source": source,
                        "created": created,
                        "updated": updated,
                        "deleted": len(removed),
                    },
                    "periods_changed": len(history),
                    "periods_not_listed": len(history) - len(listed),
                    "periods": {str(p): history[p] for p in listed},
                },
            )
    return result
