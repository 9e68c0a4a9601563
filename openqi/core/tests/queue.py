"""Running the database task queue inside a test, as `manage.py db_worker --batch` does."""

from __future__ import annotations

from unittest import mock

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

# Tasks go to the database queue, as in production, instead of running at once: `settings.TASKS = …`.
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker() -> int:
    """Run every task that is due, then stop; how many ran. The worker closes connections that are not in
    autocommit mode, as the test's transaction is not; the test keeps its connection."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()
    return worker._run_tasks


def make_retries_due() -> None:
    """As if the wait before the next try had passed."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
