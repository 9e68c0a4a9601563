"""The data generation: a number that changes whenever anything a page could show is written.

Rendered pages are cached under keys that carry the generation (openqi.core.pagecache), so a cached page is
never served after the data behind it changed: the change moves the generation on and the old key is never
read again. Deciding "did this write touch what that page shows?" model by model would be a list to keep in
step with every app, and `QuerySet.update()`, `bulk_create` and raw SQL bypass model signals; so instead
every statement on every database connection is watched (a Django execute wrapper), and any INSERT, UPDATE,
DELETE or TRUNCATE moves the generation on, whatever issued it: a view, the task worker, a management
command or a test. Only writes to tables that no page shows (sessions, caches) are left out.

How it moves, so that no reader can cache old data under a new number:
- PostgreSQL: a sequence, which is not transactional (no lock, so concurrent writers never wait on each
  other or deadlock over it). It moves on at each write statement and again after the transaction commits.
  A reader that saw the mid-transaction number can only have read the old data, and the number after the
  commit supersedes it.
- SQLite: one row, updated in the writer's own transaction (SQLite has one writer at a time anyway).
The write-time step also keeps the number right for readers inside the same transaction (tests run inside
one transaction that never commits).

docs/adr/0026-page-cache.md
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.backends.signals import connection_created

SEQUENCE = "openqi_data_generation_seq"
TABLE = "openqi_data_generation"
# Tables whose rows no page shows: writing them must not make every cached page stale. Sessions are
# saved once a minute per active person (core.sessions); the caches are written by page views themselves.
# The migration recorder's table: which migrations ran says nothing a page shows (a deploy changes pages
# through its code, which the page cache's keys carry).
UNSEEN_TABLES = frozenset(
    {"django_session", "openqi_cache", "openqi_cache_entry", "django_migrations", TABLE}
)

# Schema changes are not watched: they come with a deploy, whose new code the page cache's keys carry; the
# data a migration writes (INSERT, UPDATE, DELETE) is watched like any other.
_WRITE = re.compile(
    r"""^\s*(?:
        (?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(?P<table>[\w.]+)"?
        |(?P<other>TRUNCATE)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def changes_data(sql: str) -> bool:
    """Whether a statement writes something a page could show."""
    found = _WRITE.match(sql)
    if found is None:
        return False
    table = found.group("table")
    return table is None or table.lower() not in UNSEEN_TABLES


def _step(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(%s)", [SEQUENCE])
        else:
            # An upsert: a flush (as tests between cases do) may have emptied the table.
            cursor.execute(
                f"INSERT INTO {TABLE} (id, value) VALUES (1, 1) "  # noqa: S608 -- our own table
                "ON CONFLICT (id) DO UPDATE SET value = value + 1"
            )


def _after_commit(alias: str) -> Callable[[], None]:
    def step() -> None:
        _step(connections[alias])

    step.openqi_generation = True  # type: ignore[attr-defined]
    return step


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and changes_data(sql):
        connection = context["connection"]
        if not _ready(connection):
            return result
        _step(connection)
        # PostgreSQL, once per transaction: after the commit, readers must not keep what they read before it.
        if (
            connection.vendor == "postgresql"
            and connection.in_atomic_block
            and not any(getattr(f, "openqi_generation", False) for _, f, _ in connection.run_on_commit)
        ):
            connection.on_commit(_after_commit(connection.alias))
    return result


def _ready(connection: Any) -> bool:
    """Whether this database has the generation yet (it arrives with a migration)."""
    known = getattr(connection, "_openqi_generation_ready", None)
    if known:
        return True
    ready = TABLE in connection.introspection.table_names()
    if ready:
        connection._openqi_generation_ready = True
    return ready


def watch(sender: Any, connection: Any, **kwargs: Any) -> None:
    if not any(getattr(w, "__name__", "") == "_watch" for w in connection.execute_wrappers):
        connection.execute_wrappers.append(_watch)


connection_created.connect(watch, dispatch_uid="openqi.core.generation.watch")


def current_sql(vendor: str) -> str:
    """A scalar subquery whose value is the generation now, so that it can be read in the same round trip
    as something else (the page cache reads it with the kept page: openqi.core.cachetable)."""
    if vendor == "postgresql":
        return f"(SELECT last_value FROM {SEQUENCE})"  # noqa: S608 -- our own sequence
    return f"(SELECT COALESCE(MAX(value), 0) FROM {TABLE})"  # noqa: S608 -- our own table


def current(using: str = "default") -> int:
    """The generation now: one indexed read (a sequence's value on PostgreSQL)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {current_sql(connection.vendor)}")  # noqa: S608 -- our own SQL
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else 0
