"""Server time of the API's two busiest reads: the project list and a measure's analysis.

Run with ``.venv/bin/python bench/api_bench.py [runs]``. Builds a throw-away SQLite test database (the
test suite's settings, DEBUG off), a trust with 200 projects and a measure of 100 weekly points, makes an
API token for the QI team admin and times requests through Django's test client: the whole stack
(middleware, token, rate limit, scoping, access, serialising) except the network. Prints p50 and p95.
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
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from decimal import Decimal  # noqa: E402

import django  # noqa: E402

PROJECTS = 200
POINTS = 100


def _percentiles(times: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(times, n=20, method="inclusive")
    return statistics.median(times), cuts[18]


def _time(request: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = request()
        times.append((time.perf_counter() - t0) * 1000)
        assert getattr(response, "status_code", 0) == 200, getattr(response, "content", b"")[:300]
    return times


def main(runs: int) -> None:
    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.API_REQUESTS_PER_MINUTE = 0  # the bench measures the work, not the limit
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from openqi.accounts import tokens
        from openqi.measures.models import DataPoint
        from openqi.measures.tests.factories import ProjectMeasureFactory
        from openqi.organisations.models import Role
        from openqi.organisations.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
        from openqi.projects.models import TeamRole
        from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

        org = OrganisationFactory(slug="bench")
        admin = UserFactory(email="qi.admin@bench.nhs.uk")
        MembershipFactory(organisation=org, user=admin, roles=[Role.QI_TEAM_ADMIN])
        lead = UserFactory(email="lead@bench.nhs.uk")
        MembershipFactory(organisation=org, user=lead, roles=[])
        projects = [ProjectFactory(organisation=org, title=f"Project {i:03d}") for i in range(PROJECTS)]
        for project in projects:
            TeamMemberFactory(project=project, user=lead, role=TeamRole.LEAD)
        link = ProjectMeasureFactory(project=projects[0])
        rng = random.Random(5)  # noqa: S311 -- benchmark data
        start = dt.date(2023, 1, 2)
        DataPoint.objects.bulk_create(
            DataPoint(
                measure=link.measure,
                period=start + dt.timedelta(weeks=i),
                numerator=Decimal(rng.randint(30, 60)),
                denominator=Decimal(rng.randint(80, 120)),
            )
            for i in range(POINTS)
        )
        cache.clear()
        token = tokens.issue_token(admin, name="bench", by=admin).secret
        client = Client(headers={"Authorization": f"Bearer {token}"})
        analysis = f"/api/v1/projects/{projects[0].pk}/measures/{link.measure_id}/analysis"

        t0 = time.perf_counter()
        assert client.get(analysis).status_code == 200
        cold_ms = (time.perf_counter() - t0) * 1000
        results = {
            f"GET /api/v1/projects (25 of {PROJECTS})": _time(lambda: client.get("/api/v1/projects"), runs),
            "GET /api/v1/projects?q=Project&stage=idea": _time(
                lambda: client.get("/api/v1/projects", {"q": "Project", "stage": "idea"}), runs
            ),
            f"GET …/analysis ({POINTS} points, warm)": _time(lambda: client.get(analysis), runs),
        }
        print(f"API, {runs} requests each, SQLite, test client")
        for name, times in results.items():
            p50, p95 = _percentiles(times)
            print(f"  {name:<52} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
        print(f"  {'analysis, first request (computed and cached)':<52} {cold_ms:6.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
