"""Import of 500 historic training records: preview (every row checked against the organisation) and the
import itself (checked again inside the transaction, then saved), against the 2 s target of issue 17.

Run with ``.venv/bin/python bench/learning_bench.py [runs]``. Builds a throw-away SQLite test database (the
same settings as the test suite) with an organisation of 500 members, six programmes and three directorates,
and times `imports.preview_records` and `imports.confirm` on a 500-row CSV; each run imports into a fresh
organisation so every run does the same work. The median of the runs is compared with the target.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openqi.config.settings")
os.environ.setdefault("OPENQI_TESTING", "1")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import datetime as dt  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import django  # noqa: E402

TARGET_S = 2.0
RECORDS = 500
PROGRAMMES = ["Introduction to QI", "Pocket QI", "Learn and Apply", "ILP", "Coaching", "Enjoying Work"]
DIRECTORATES = ["Primary Care Mental Health", "Community and Addictions", "Inpatient Services"]


def _organisation(run: int) -> tuple[object, object, bytes]:
    from openqi.accounts.models import User
    from openqi.learning.models import Programme
    from openqi.organisations.models import Directorate, Membership, Organisation, Role

    org = Organisation.objects.create(name=f"Bench trust {run}", slug=f"bench-{run}")
    for name in DIRECTORATES:
        Directorate.objects.create(organisation=org, name=name)
    for position, name in enumerate(PROGRAMMES):
        Programme.objects.create(organisation=org, name=name, position=position)
    users = User.objects.bulk_create(
        [User(email=f"learner{n}.run{run}@bench.nhs.uk", name=f"Learner {n}") for n in range(RECORDS)]
    )
    Membership.objects.bulk_create([Membership(organisation=org, user=u) for u in users])
    admin = User.objects.create_user(email=f"admin.run{run}@bench.nhs.uk")
    Membership.objects.create(organisation=org, user=admin, roles=[Role.QI_TEAM_ADMIN])
    lines = ["email,programme,completed_on,cohort,group,directorate"]
    start = dt.date(2019, 1, 7)
    for n in range(RECORDS):
        day = start + dt.timedelta(days=3 * n)
        group = "service user or carer" if n % 7 == 0 else "staff"
        lines.append(
            f"learner{n}.run{run}@bench.nhs.uk,{PROGRAMMES[n % len(PROGRAMMES)]},{day:%d/%m/%Y},"
            f"Wave {n % 9 + 1},{group},{DIRECTORATES[n % len(DIRECTORATES)]}"
        )
    return org, admin, ("\n".join(lines) + "\n").encode()


def main(runs: int) -> None:
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from openqi.learning import imports
        from openqi.learning.models import Enrolment

        previews, totals = [], []
        for run in range(runs):
            org, admin, content = _organisation(run)
            t0 = time.perf_counter()
            preview = imports.preview_records(org, "records.csv", content)  # type: ignore[arg-type]
            t1 = time.perf_counter()
            assert preview.is_valid, preview.error_messages()[:3]
            draft = imports.stage(org, filename="records.csv", content=content, by=admin)  # type: ignore[arg-type]
            count = imports.confirm(draft, by=admin)
            t2 = time.perf_counter()
            assert count == RECORDS
            assert Enrolment.objects.filter(cohort__programme__organisation=org).count() == RECORDS
            previews.append(t1 - t0)
            totals.append(t2 - t0)
        median = statistics.median(totals)
        verdict = "OK" if median < TARGET_S else "SLOWER THAN TARGET"
        print(f"learning records import, {RECORDS} rows of CSV, SQLite")
        print(f"  preview median of {runs}:            {statistics.median(previews) * 1000:7.1f} ms")
        total = f"{median * 1000:7.1f} ms"
        print(f"  preview + import median of {runs}:   {total}  (target < {TARGET_S:.0f} s) {verdict}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
