"""No request may hold the database: each request has a time budget for its queries.

PostgreSQL enforces it per statement (`statement_timeout`, set on every connection in settings). SQLite has
no such setting, so a progress handler aborts any statement still running once the request's budget
(`QUERY_TIMEOUT_MS` from when the request began) is spent; outside requests (management commands, the
task worker) there is no budget. Either way the person gets a page saying the request took too long and
what to try, never a 500 and never a worker stuck behind a runaway query.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# When the current request's queries must stop (time.monotonic()), or None outside a request.
_deadline: ContextVar[float | None] = ContextVar("openqi_query_deadline", default=None)

# SQLite calls the handler every this many virtual-machine instructions: often enough to stop within a
# few milliseconds of the deadline, rarely enough to cost nothing measurable.
_SQLITE_CHECK_EVERY = 20_000

# PostgreSQL's "query_canceled" (statement_timeout); SQLite's message when a progress handler stops it.
_PG_QUERY_CANCELED = "57014"


def _past_deadline() -> int:
    deadline = _deadline.get()
    return 1 if deadline is not None and time.monotonic() > deadline else 0


def install_sqlite_budget(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite" and settings.QUERY_TIMEOUT_MS:
        connection.connection.set_progress_handler(_past_deadline, _SQLITE_CHECK_EVERY)


connection_created.connect(install_sqlite_budget, dispatch_uid="openqi.core.timeouts.sqlite")


def is_query_timeout(error: BaseException) -> bool:
    cause = error.__cause__ or error
    if getattr(cause, "sqlstate", None) == _PG_QUERY_CANCELED:
        return True
    return "interrupted" in str(error).lower()


class QueryBudgetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.QUERY_TIMEOUT_MS
        token = _deadline.set(time.monotonic() + limit / 1000 if limit else None)
        try:
            return self.get_response(request)
        finally:
            _deadline.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DatabaseError) and is_query_timeout(exception):
            # The budget is spent: rendering needs no more queries (the page is static), so it cannot
            # time out again.
            _deadline.set(None)
            return render(request, "errors/timeout.jinja", status=503)
        return None
