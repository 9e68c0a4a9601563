"""The table cache behind the chart cache: no cull, one statement per read or write of many entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqi.core.cachetable import TableCache
from openqi.core.models import CacheEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def table() -> TableCache:
    return TableCache("openqi_cache_entry", {"TIMEOUT": 60})


def test_it_keeps_far_more_than_the_database_caches_300_entries(table: TableCache) -> None:
    entries = {f"chart:{n}": {"svg": f"<svg>{n}</svg>"} for n in range(1500)}
    with CaptureQueriesContext(connection) as writes:
        table.set_many(entries)
    with CaptureQueriesContext(connection) as reads:
        found = table.get_many(list(entries))
    assert found == entries
    # INSERT … ON CONFLICT in batches as large as the database takes (SQLite: 999 parameters, so 333 rows),
    # no COUNT, no transaction of five statements per entry; and one SELECT for every key.
    assert len(writes) <= -(-len(entries) // 333) and len(reads) == 1


def test_writing_again_replaces_and_expired_entries_are_not_read(table: TableCache) -> None:
    table.set("k", "first")
    table.set("k", "second")
    assert table.get("k") == "second" and CacheEntry.objects.count() == 1
    CacheEntry.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert table.get("k", "gone") == "gone" and not table.has_key("k")
    assert table.prune() == 1 and CacheEntry.objects.count() == 0


def test_add_touch_and_delete(table: TableCache) -> None:
    assert table.add("k", 1) is True
    assert table.add("k", 2) is False and table.get("k") == 1
    assert table.touch("k", 3600) is True and table.touch("missing") is False
    assert table.delete("k") is True and table.get("k") is None
    table.set_many({"a": 1, "b": 2})
    table.delete_many(["a"])
    assert table.get_many(["a", "b"]) == {"b": 2}
    table.clear()
    assert table.get_many(["b"]) == {}


def test_a_value_round_trips_as_bytes_too(table: TableCache) -> None:
    png = bytes(range(256)) * 4
    table.set("png", png)
    assert table.get("png") == png
