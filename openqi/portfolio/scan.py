"""The signal scan: every measure of an organisation through the SPC engine's batch API at once
(`openqi_spc.mdc_batch`), stored per scan so the dashboard can say what changed since the scan before.

The scan reads measures as the Making Data Count (NHS England) house style does: an XmR chart of each
period's value (a proportion as a percentage, a rate as numerator over denominator), the variation icon
of the latest point and the assurance icon against the measure's target. Like the chart page, it draws
no conclusion before a measure has `min_points_for_limits` points. `analyse` is pure (no database), so
bench/signal_scan_bench.py measures exactly what the task runs.
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils import timezone
from openqi_spc import mdc_batch

from openqi.measures.models import RATIO_KINDS, DataKind, DataPoint, Frequency, Measure
from openqi.organisations.models import Organisation
from openqi.portfolio.models import MeasureSignal, RunStatus, SignalScan

# A measure with no data for this many of its periods is flagged ("no data for six periods").
SILENT_PERIODS = 6
PERIOD_DAYS = {Frequency.DAILY: 1, Frequency.WEEKLY: 7, Frequency.MONTHLY: 31}


@dataclass(frozen=True)
class MeasureSeries:
    """One measure's values, oldest first, excluded points and empty periods left out."""

    measure_id: int
    improvement: str
    frequency: str
    min_points: int
    target: float | None
    values: list[float]
    last_period: dt.date | None


@dataclass(frozen=True)
class Finding:
    measure_id: int
    variation: str
    assurance: str
    n_points: int
    last_period: dt.date | None
    no_recent_data: bool


def silent(series: MeasureSeries, today: dt.date) -> bool:
    """No data for SILENT_PERIODS periods (per-event measures have no period to miss)."""
    days = PERIOD_DAYS.get(Frequency(series.frequency)) if series.frequency in PERIOD_DAYS else None
    if days is None:
        return False
    if series.last_period is None:
        return True
    return (today - series.last_period).days >= SILENT_PERIODS * days


def analyse(series: Sequence[MeasureSeries], today: dt.date) -> list[Finding]:
    """What the engine says of each measure's latest point: one batch per improvement direction."""
    icons: dict[int, tuple[str, str]] = {}
    groups: dict[str, list[MeasureSeries]] = defaultdict(list)
    for s in series:
        if len(s.values) >= max(s.min_points, 2):
            groups[s.improvement].append(s)
    for improvement, members in groups.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # few-points warnings: the threshold above already decided
            result = mdc_batch(
                {s.measure_id: s.values for s in members},
                improvement=improvement,
                target={s.measure_id: s.target for s in members},
            )
        for row, key in enumerate(result.ids):
            assurance = result.assurance_icon[row]
            icons[int(key)] = (result.variation_icon[row].value, assurance.value if assurance else "")  # type: ignore[call-overload]
    return [
        Finding(
            measure_id=s.measure_id,
            variation=icons.get(s.measure_id, ("", ""))[0],
            assurance=icons.get(s.measure_id, ("", ""))[1],
            n_points=len(s.values),
            last_period=s.last_period,
            no_recent_data=silent(s, today),
        )
        for s in series
    ]


def load_series(organisation: Organisation) -> list[MeasureSeries]:
    """Every measure of the organisation with its values: two queries however many measures."""
    measures = list(
        Measure.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("pk", "kind", "improvement", "frequency", "min_points_for_limits", "target_value")
    )
    values: dict[int, list[float]] = defaultdict(list)
    last: dict[int, dt.date] = {}
    kinds = {pk: kind for pk, kind, *_ in measures}
    # Read as floats by the database, through the cursor: building a million Decimals and ORM rows would be
    # most of the scan's time (bench/signal_scan_bench.py).
    points = (
        DataPoint.objects.filter(measure__organisation=organisation, excluded=False)
        .order_by("measure_id", "period")
        .values_list(
            "measure_id",
            "period",
            Cast("value", FloatField()),
            Cast("numerator", FloatField()),
            Cast("denominator", FloatField()),
        )
    )
    sql, params = points.query.sql_with_params()
    last_raw: dict[int, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(20000):
            for measure_id, period, value, numerator, denominator in rows:
                kind = kinds.get(measure_id)
                if kind in RATIO_KINDS:
                    if numerator is None or not denominator:
                        continue
                    number = numerator / denominator * (100.0 if kind == DataKind.PROPORTION else 1.0)
                elif value is None:
                    continue
                else:
                    number = value
                values[measure_id].append(number)
                last_raw[measure_id] = period
    for measure_id, period in last_raw.items():
        last[measure_id] = period if isinstance(period, dt.date) else dt.date.fromisoformat(str(period)[:10])
    return [
        MeasureSeries(
            measure_id=pk,
            improvement=improvement,
            frequency=frequency,
            min_points=min_points,
            target=float(target) if target is not None else None,
            values=values.get(pk, []),
            last_period=last.get(pk),
        )
        for pk, _kind, improvement, frequency, min_points, target in measures
    ]


def request_scan(organisation: Organisation, *, by: Any, on_demand: bool) -> SignalScan:
    """A scan waiting for the task to run it."""
    return SignalScan.objects.create(
        organisation=organisation, on_demand=on_demand, requested_by=by if on_demand else None
    )


def run_scan(scan: SignalScan, *, today: dt.date | None = None) -> SignalScan:
    """Analyse every measure and keep what was found; the scan is marked failed if anything raises."""
    started = time.perf_counter()
    SignalScan.objects.filter(pk=scan.pk).update(status=RunStatus.RUNNING)
    try:
        findings = analyse(load_series(scan.organisation), today or timezone.localdate())
        with transaction.atomic():
            MeasureSignal.objects.bulk_create(
                [
                    MeasureSignal(
                        scan=scan,
                        measure_id=f.measure_id,
                        variation=f.variation,
                        assurance=f.assurance,
                        n_points=f.n_points,
                        last_period=f.last_period,
                        no_recent_data=f.no_recent_data,
                    )
                    for f in findings
                ],
                batch_size=2000,
            )
            scan.status = RunStatus.DONE
            scan.measures_scanned = len(findings)
            scan.finished_at = timezone.now()
            scan.seconds = time.perf_counter() - started
            scan.save(update_fields=["status", "measures_scanned", "finished_at", "seconds"])
    except Exception:
        SignalScan.objects.filter(pk=scan.pk).update(status=RunStatus.FAILED, finished_at=timezone.now())
        raise
    return scan


def latest_scans(organisation: Organisation) -> tuple[SignalScan | None, SignalScan | None]:
    """The last finished scan and the one before it (what "changed since the last scan" compares)."""
    done = list(SignalScan.objects.filter(organisation=organisation, status=RunStatus.DONE)[:2])
    return (done[0] if done else None, done[1] if len(done) > 1 else None)
