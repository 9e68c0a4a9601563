"""Background work on the task queue (docs/adr/0015-task-queue.md).

django-tasks (the backport of Django 6's `django.tasks`) with its database backend: a queued task is a row
in the database, run by `manage.py db_worker`. What OpenQI adds, here and nowhere else:

- `background_task` declares a task: what people call it, how often it is tried and how long to wait
  between tries. Every task takes keyword arguments (JSON values), one of them `organisation_id`: the
  organisation the work is for, whose QI team admins see it if it fails.
- `enqueue_on_commit` is the one way to start a task: it is queued once the change that asked for it has
  committed, so a rolled-back change starts nothing.
- A failed try is tried again after a delay that doubles each time (`retry_if_attempts_left`, on the
  `task_finished` signal), on the same row, so one piece of work is one row however often it is tried.
- `problems_for` and `try_again`: what an organisation's QI team admin sees of failures, and the button.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from openqi.core import logs

F = TypeVar("F", bound=Callable[..., Any])

# Failed work older than this is no longer listed (the rows stay until `prune_db_task_results`).
SHOWN_FOR = timedelta(days=30)


@dataclass(frozen=True)
class Kind:
    """How OpenQI treats one task: its name for people, and its retries."""

    label: str
    attempts: int
    first_delay: timedelta
    describe: Callable[[dict[str, Any]], str] | None

    def delay_after(self, attempt: int) -> timedelta:
        """How long to wait after failed try number `attempt` (1, 2, 4, 8 … times the first delay)."""
        return self.first_delay * (1 << (attempt - 1))

    def what(self, kwargs: dict[str, Any]) -> str:
        return self.describe(kwargs) if self.describe else self.label


_KINDS: dict[str, Kind] = {}  # by the task's module path, as the queue stores it


def background_task(
    *,
    label: str,
    attempts: int = 1,
    first_delay: timedelta = timedelta(minutes=1),
    describe: Callable[[dict[str, Any]], str] | None = None,
) -> Callable[[F], Task[Any, Any]]:
    """Declare a task. `attempts` counts every try (1: no retry); `describe` names one piece of work for
    the failures page from the task's keyword arguments (default: `label`)."""

    def declare(func: F) -> Task[Any, Any]:
        parameters = inspect.signature(func).parameters
        if "organisation_id" not in parameters or any(
            p.kind is not inspect.Parameter.KEYWORD_ONLY for p in parameters.values()
        ):
            raise TypeError(
                f"{func.__qualname__}: a task takes keyword-only arguments, organisation_id among them"
            )
        declared: Task[Any, Any] = task()(func)
        _KINDS[declared.module_path] = Kind(label, attempts, first_delay, describe)
        return declared

    return declare


def kind_of(declared: Task[Any, Any]) -> Kind:
    return _KINDS[declared.module_path]


def enqueue_on_commit(declared: Task[Any, Any], /, *, organisation_id: int | None, **kwargs: Any) -> None:
    """Queue `declared` once the current transaction commits (at once outside a transaction)."""
    if declared.module_path not in _KINDS:
        raise TypeError(f"{declared.module_path} is not declared with background_task")
    transaction.on_commit(partial(declared.enqueue, organisation_id=organisation_id, **kwargs))


_log_tokens: dict[str, Any] = {}


def log_as_task(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """What a task logs carries `task-<its id>` where a request's log lines carry the request's id."""
    _log_tokens[task_result.id] = logs.bind_request_id(f"task-{task_result.id}")


def stop_logging_as_task(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    token = _log_tokens.pop(task_result.id, None)
    if token is not None:
        logs.unbind_request_id(token)


def retry_if_attempts_left(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """On a failed try with tries left, put the same row back in the queue to run after the delay.

    Only the database backend keeps rows to put back; the immediate backend (tests) runs each task once."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    kind = _KINDS.get(task_result.task.module_path)
    if kind is None or task_result.attempts >= kind.attempts:
        return
    if not isinstance(task_result.task.get_backend(), DatabaseBackend):
        return
    DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=timezone.now() + kind.delay_after(task_result.attempts)
    )


@dataclass(frozen=True)
class TaskProblem:
    """A piece of background work that failed: given up (`retry_at` None) or waiting to be tried again."""

    id: str
    what: str
    failed_at: datetime
    attempts: int
    error: str
    retry_at: datetime | None


def _error_summary(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    last = lines[-1].strip() if lines else "Unknown error"
    return last if len(last) <= 300 else last[:299] + "…"


def _problem(row: DBTaskResult[Any, Any]) -> TaskProblem:
    kind = _KINDS.get(row.task_path)
    kwargs = row.args_kwargs.get("kwargs", {})
    return TaskProblem(
        id=str(row.id),
        what=kind.what(kwargs) if kind else f"Task {row.task_path.rsplit('.', 1)[-1]}",
        failed_at=row.finished_at or row.enqueued_at,
        attempts=len(row.worker_ids),
        error=_error_summary(row.traceback),
        retry_at=row.run_after if row.status != TaskResultStatus.FAILED else None,
    )


def _of_organisation(organisation_id: int) -> Any:
    return DBTaskResult.objects.filter(args_kwargs__kwargs__organisation_id=organisation_id)


def problems_for(organisation_id: int) -> list[TaskProblem]:
    """The organisation's background work that failed in the last 30 days, newest first: given up, or
    failed at least once and waiting to be tried again."""
    rows = (
        _of_organisation(organisation_id)
        .filter(
            Q(status=TaskResultStatus.FAILED)
            | Q(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING], finished_at__isnull=False)
        )
        .exclude(exception_class_path="")
        .filter(finished_at__gte=timezone.now() - SHOWN_FOR)
        .order_by("-finished_at")[:200]
    )
    return [_problem(row) for row in rows]


def try_again(task_id: str, *, organisation_id: int) -> bool:
    """Queue a given-up task of the organisation once more, now. False if there is no such task."""
    return bool(
        _of_organisation(organisation_id)
        .filter(pk=task_id, status=TaskResultStatus.FAILED)
        .update(status=TaskResultStatus.READY, run_after=timezone.now())
    )
