"""Server time of the project measures page: 6 measures of 100 points each, warm chart cache.

Run with ``.venv/bin/python bench/page_bench.py [runs]``. Builds a throw-away SQLite test database
(the same settings as the test suite), signs in as the project lead and requests
/measures/project/<pk>/ through Django's test client: the full stack (middleware, scoping, access,
presenters, Jinja) except the network. The first request fills the chart cache (the "cold" time is
printed but not part of the target); the median of the following runs is compared with the 150 ms
target from issue 5.
"""

from __future__ import annotations

import os
import sys

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openqi.config.settings")
# Test-suite settings (dev key, plain HTTP) with DEBUG off, as production would run the page.
os.environ.setdefault("OPENQI_TESTING", "1")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import datetime as dt  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from decimal import Decimal  # noqa: E402

import django  # noqa: E402

TARGET_MS = 150.0
MEASURES = 6
POINTS = 100


def main(runs: int) -> None:
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from openqi.measures.models import DataPoint, MeasureType
        from openqi.measures.tests.factories import MeasureFactory, ProjectMeasureFactory
        from openqi.organisations.models import Role
        from openqi.organisations.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
        from openqi.projects.models import TeamRole
        from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

        org = OrganisationFactory(slug="bench")
        lead = UserFactory(email="lead@bench.nhs.uk")
        MembershipFactory(organisation=org, user=lead, roles=[Role.QI_COACH])
        project = ProjectFactory(organisation=org)
        TeamMemberFactory(project=project, user=lead, role=TeamRole.LEAD)
        rng = random.Random(5)  # noqa: S311 -- benchmark data
        kinds = [
            ("proportion", MeasureType.OUTCOME),
            ("proportion", MeasureType.PROCESS),
            ("continuous", MeasureType.PROCESS),
            ("count", MeasureType.PROCESS),
            ("continuous", MeasureType.BALANCING),
            ("rate", MeasureType.BALANCING),
        ]
        start = dt.date(2023, 1, 2)
        for kind, measure_type in kinds[:MEASURES]:
            measure = MeasureFactory(organisation=org, kind=kind, unit="" if kind != "proportion" else "%")
            ProjectMeasureFactory(project=project, measure=measure, measure_type=measure_type)
            points = []
            for i in range(POINTS):
                period = start + dt.timedelta(weeks=i)
                if kind in ("proportion", "rate"):
                    den = rng.randint(80, 120)
                    points.append(
                        DataPoint(
                            measure=measure,
                            period=period,
                            numerator=Decimal(rng.randint(30, 60)),
                            denominator=Decimal(den),
                        )
                    )
                else:
                    points.append(
                        DataPoint(measure=measure, period=period, value=Decimal(rng.randint(5, 30)))
                    )
            DataPoint.objects.bulk_create(points)
        cache.clear()
        client = Client()
        client.force_login(lead)
        url = f"/measures/project/{project.pk}/"
        t0 = time.perf_counter()
        first = client.get(url)
        cold_ms = (time.perf_counter() - t0) * 1000
        assert first.status_code == 200, first.status_code
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        median = statistics.median(times)
        verdict = "OK" if median < TARGET_MS else "SLOWER THAN TARGET"
        print(f"project measures page, {MEASURES} measures x {POINTS} points, SQLite, test client")
        print(f"  cold (charts computed and cached): {cold_ms:7.1f} ms")
        print(
            f"  warm median of {runs:<4}:          {median:7.1f} ms  (target < {TARGET_MS:.0f} ms) {verdict}"
        )
        print(f"  warm min / max:                   {min(times):7.1f} / {max(times):.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
