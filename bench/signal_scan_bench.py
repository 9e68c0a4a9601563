"""The signal scan of 15,000 measures on one core, against the issue's target of 10 s.

Run with ``.venv/bin/python bench/signal_scan_bench.py [measures]`` (``make bench``). Two figures:

- the analysis alone: `openqi.portfolio.scan.analyse` (the SPC engine's `mdc_batch`, one batch per
  improvement direction, plus the no-recent-data check) on synthetic weekly and monthly series of 8 to 104
  points with targets, a tenth of them with a shift so that special causes are found;
- the whole scan as the daily task runs it: `scan.run_scan` on a throw-away SQLite database holding the
  same measures and data points (reading the points, analysing, storing one row per measure).

Both are timed on one core (BLAS threads pinned to 1) and compared with the 10 s target.
"""

from __future__ import annotations

import os
import sys

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openqi.config.settings")
os.environ.setdefault("OPENQI_TESTING", "1")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import datetime as dt  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from decimal import Decimal  # noqa: E402

import django  # noqa: E402

TARGET_S = 10.0
TODAY = dt.date(2026, 12, 1)


def synthetic(count: int, rng: random.Random) -> list[tuple[str, str, float | None, list[float]]]:
    """(improvement, frequency, target, values) for `count` measures."""
    made = []
    for i in range(count):
        length = rng.randint(8, 104)
        level = rng.uniform(10, 90)
        values = [rng.gauss(level, level * 0.08) for _ in range(length)]
        if i % 10 == 0:  # a shift in the last eight points
            values[-8:] = [v + level * 0.3 for v in values[-8:]]
        improvement = ("increase", "decrease", "neutral")[i % 3]
        frequency = "weekly" if i % 4 else "monthly"
        target = level * 1.1 if i % 2 else None
        made.append((improvement, frequency, target, values))
    return made


def analysis_only(measures: list[tuple[str, str, float | None, list[float]]]) -> float:
    from openqi.portfolio import scan

    series = [
        scan.MeasureSeries(i, imp, freq, 12, target, values, TODAY - dt.timedelta(days=7 * (i % 9)))
        for i, (imp, freq, target, values) in enumerate(measures)
    ]
    start = time.perf_counter()
    findings = scan.analyse(series, TODAY)
    elapsed = time.perf_counter() - start
    special = sum(1 for f in findings if f.variation.startswith("special"))
    print(f"  analysis only: {len(findings):,} measures in {elapsed:.2f} s ({special:,} special causes)")
    return elapsed


def whole_scan(measures: list[tuple[str, str, float | None, list[float]]]) -> float:
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from openqi.measures.models import DataKind, DataPoint, Measure
        from openqi.organisations.models import Organisation
        from openqi.portfolio import scan

        org = Organisation.objects.create(name="Bench trust", slug="bench")
        made = Measure.objects.bulk_create(
            Measure(
                organisation=org,
                name=f"Measure {i}",
                kind=DataKind.CONTINUOUS,
                improvement=imp,
                frequency=freq,
                target_value=Decimal(f"{target:.2f}") if target is not None else None,
            )
            for i, (imp, freq, target, _values) in enumerate(measures)
        )
        points = []
        for measure, (_imp, freq, _target, values) in zip(made, measures, strict=True):
            step = dt.timedelta(days=7 if freq == "weekly" else 30)
            first = TODAY - step * len(values)
            points += [
                DataPoint(measure=measure, period=first + step * n, value=Decimal(f"{v:.2f}"))
                for n, v in enumerate(values)
            ]
        DataPoint.objects.bulk_create(points, batch_size=5000)
        print(f"  database: {len(made):,} measures, {len(points):,} data points (SQLite)")
        start = time.perf_counter()
        done = scan.run_scan(scan.request_scan(org, by=None, on_demand=False), today=TODAY)
        elapsed = time.perf_counter() - start
        print(f"  whole scan (read, analyse, store): {done.measures_scanned:,} measures in {elapsed:.2f} s")
        return elapsed
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main(count: int) -> None:
    django.setup()
    measures = synthetic(count, random.Random(19))  # noqa: S311 -- bench data
    print(f"Signal scan of {count:,} measures, one core (target {TARGET_S:.0f} s)")
    analysis = analysis_only(measures)
    whole = whole_scan(measures)
    verdict = "meets" if max(analysis, whole) < TARGET_S else "MISSES"
    print(f"  {verdict} the target: analysis {analysis:.2f} s, whole scan {whole:.2f} s < {TARGET_S:.0f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15_000)
