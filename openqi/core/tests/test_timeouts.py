"""A request whose queries run past the budget gets a clear page (503), not a 500, and the worker is freed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from openqi.core.timeouts import QueryBudgetMiddleware, is_query_timeout

# A query that runs for as long as it is allowed to (a recursive count to a billion).
COUNT_TO = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {}) SELECT count(*) FROM n"
)
ENDLESS = COUNT_TO.format(1_000_000_000)


def runaway(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(ENDLESS)
    return HttpResponse("finished")  # pragma: no cover - the budget stops it first


# As a web request runs: in autocommit, not inside a test's transaction (which the cancelled statement
# would leave aborted).
@pytest.mark.django_db(transaction=True)
def test_a_runaway_query_is_stopped_with_a_clear_page(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QUERY_TIMEOUT_MS = 200
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the connection's own setting, as settings.py makes it
            cursor.execute("SET statement_timeout = 200")
    middleware = QueryBudgetMiddleware(runaway)
    request = RequestFactory().get("/projects/?q=waiting")
    request.user = None  # type: ignore[assignment]
    try:
        middleware(request)
    except Exception as problem:  # noqa: BLE001 - what the middleware turns into a page
        response = middleware.process_exception(request, problem)
    else:  # pragma: no cover
        pytest.fail("the runaway query was not stopped")
    assert response is not None and response.status_code == 503
    assert "That took too long" in response.content.decode()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


@pytest.mark.django_db
def test_outside_a_request_there_is_no_budget(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QUERY_TIMEOUT_MS = 1
    with connection.cursor() as cursor:
        cursor.execute(COUNT_TO.format(200_000))
        assert cursor.fetchone() == (200000,)


def test_other_database_errors_are_not_mistaken_for_timeouts() -> None:
    from django.db import IntegrityError

    assert not is_query_timeout(IntegrityError("UNIQUE constraint failed"))
