"""The task helper: how tasks are declared, queued and retried (docs/adr/0015-task-queue.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from openqi.core import logs
from openqi.core.tasks import background_task, enqueue_on_commit, kind_of, problems_for
from openqi.core.tests.queue import DATABASE_QUEUE, make_retries_due, run_worker


@background_task(label="Saying what the log id is")
def report_log_id(*, organisation_id: int | None) -> str:
    return logs.current_request_id()


@background_task(label="Failing", attempts=3, first_delay=timedelta(seconds=30))
def always_fail(*, organisation_id: int | None, why: str) -> None:
    raise RuntimeError(why)


@task()
def undeclared(*, organisation_id: int | None) -> None:
    return None


def test_a_task_takes_keyword_arguments_and_names_its_organisation() -> None:
    with pytest.raises(TypeError, match="organisation_id"):
        background_task(label="x")(lambda *, measure_id: None)
    with pytest.raises(TypeError, match="keyword-only"):
        background_task(label="x")(lambda organisation_id: None)


def test_only_declared_tasks_are_queued() -> None:
    with pytest.raises(TypeError, match="background_task"):
        enqueue_on_commit(undeclared, organisation_id=None)


def test_waits_double_after_each_failed_try() -> None:
    kind = kind_of(always_fail)
    assert [kind.delay_after(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (30, 60, 120)]


def test_what_a_task_logs_carries_the_task_id() -> None:
    result = report_log_id.enqueue(organisation_id=None)  # the immediate backend of the tests
    assert result.return_value == f"task-{result.id}"
    assert logs.current_request_id() == "-"


@pytest.mark.django_db
def test_a_failing_task_is_tried_as_often_as_declared_on_one_row(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE_QUEUE
    with TestCase.captureOnCommitCallbacks(execute=True):
        enqueue_on_commit(always_fail, organisation_id=7, why="the printer is on fire")
    for _ in range(3):
        make_retries_due()
        assert run_worker() == 1
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED" and len(row.worker_ids) == 3
    make_retries_due()
    assert run_worker() == 0
    [problem] = problems_for(7)
    assert problem.what == "Failing" and problem.attempts == 3 and problem.retry_at is None
    assert problem.error == "RuntimeError: the printer is on fire"
    assert problems_for(8) == []
