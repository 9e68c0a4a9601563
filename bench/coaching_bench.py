"""Server time of the coach's caseload page with 40 projects, each with 3 measures of 52 weekly points,
coaching sessions, actions and score reviews; warm chart cache.

Run with ``.venv/bin/python bench/coaching_bench.py [runs]``. Builds a throw-away SQLite test database
(the test suite's settings), signs in as the coach and requests /coaching/ through Django's test client:
the full stack (middleware, scoping, access, caseload flags, presenters, Jinja) except the network. The
first request fills the chart cache the caseload reads its signals from (printed, not part of the
target); the median of the following runs is compared with the target, and the query count is printed
(it must not grow with the number of projects: tests/test_query_budgets_coaching.py).
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

TARGET_MS = 250.0
PROJECTS = 40
MEASURES = 3
POINTS = 52


def main(runs: int) -> None:
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from openqi.coaching.models import CoachingSession
        from openqi.measures.models import DataPoint, MeasureType
        from openqi.measures.tests.factories import MeasureFactory, ProjectMeasureFactory
        from openqi.meetings.models import Action
        from openqi.organisations.models import Role
        from openqi.organisations.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
        from openqi.projects.models import Lifecycle, ProgressScoreChange, TeamRole
        from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

        org = OrganisationFactory(slug="bench")
        coach = UserFactory(email="coach@bench.nhs.uk")
        lead = UserFactory(email="lead@bench.nhs.uk")
        MembershipFactory(organisation=org, user=coach, roles=[Role.QI_COACH])
        MembershipFactory(organisation=org, user=lead, roles=[])
        rng = random.Random(15)  # noqa: S311 -- benchmark data
        today = timezone.localdate()
        start = today - dt.timedelta(weeks=POINTS + rng.randint(0, 8))
        start -= dt.timedelta(days=start.weekday())
        for n in range(PROJECTS):
            project = ProjectFactory(
                organisation=org,
                title=f"Bench project {n:02d}",
                lifecycle=Lifecycle.ACTIVE,
                progress_score=Decimal(rng.choice(["1.5", "2.0", "2.5", "3.0", "3.5"])),
                progress_reviewed_at=timezone.now() - dt.timedelta(days=rng.randint(0, 60)),
            )
            TeamMemberFactory(project=project, user=lead, role=TeamRole.LEAD)
            TeamMemberFactory(project=project, user=coach, role=TeamRole.COACH)
            ProgressScoreChange.objects.create(
                project=project,
                score=project.progress_score,
                note="Review",
                changed_at=timezone.now() - dt.timedelta(days=rng.randint(10, 200)),
            )
            for k in range(4):
                CoachingSession.objects.create(
                    project=project,
                    coach=coach,
                    held_on=today - dt.timedelta(days=rng.randint(1, 90) + 30 * k),
                )
                Action.objects.create(project=project, description=f"Action {k}", owner=lead)
            for m, measure_type in enumerate(
                (MeasureType.OUTCOME, MeasureType.PROCESS, MeasureType.BALANCING)
            ):
                measure = MeasureFactory(
                    organisation=org, kind="proportion", unit="%", name=f"Measure {n}-{m}"
                )
                ProjectMeasureFactory(project=project, measure=measure, measure_type=measure_type)
                DataPoint.objects.bulk_create(
                    DataPoint(
                        measure=measure,
                        period=start + dt.timedelta(weeks=i),
                        numerator=Decimal(rng.randint(30, 60)),
                        denominator=Decimal(rng.randint(80, 120)),
                    )
                    for i in range(POINTS)
                )
        cache.clear()
        client = Client()
        client.force_login(coach)
        url = "/coaching/"
        t0 = time.perf_counter()
        first = client.get(url)
        cold_ms = (time.perf_counter() - t0) * 1000
        assert first.status_code == 200, first.status_code
        assert f"{PROJECTS} projects" in first.content.decode(), "the caseload should list every project"
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median = statistics.median(times)
        verdict = "OK" if median < TARGET_MS else "SLOWER THAN TARGET"
        print(f"coaching caseload page, {PROJECTS} projects x {MEASURES} measures x {POINTS} points, SQLite")
        print(f"  cold (charts computed and cached): {cold_ms:7.1f} ms")
        print(
            f"  warm median of {runs:<4}:          {median:7.1f} ms  (target < {TARGET_MS:.0f} ms) {verdict}"
        )
        print(f"  warm min / max:                   {min(times):7.1f} / {max(times):.1f} ms")
        print(f"  queries per request:              {len(queries):7d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
