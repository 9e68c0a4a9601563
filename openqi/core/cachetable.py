"""A cache backend on a database table, for the chart cache: one row per entry, read and written in one
statement each (a SELECT for any number of keys, an INSERT … ON CONFLICT UPDATE for any number of
entries), and no cull to a fixed size.

Why not Django's database cache: it culls to MAX_ENTRIES (300 by default; about 150 measures' charts when a
large trust has 15,000 measures), and every write is a transaction of five statements including a
COUNT(*) over the whole table. Why not only Redis: a trust may run without one; set OPENQI_REDIS_URL and the
chart cache uses Redis instead (docs/adr/0013-chart-cache.md).

Chart keys carry the data and definition versions, so an entry is never wrong, only unread once the data
change; expired entries are pruned every PRUNE_EVERY writes of a process.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from openqi.core import generation
from openqi.core.models import CacheEntry

PRUNE_EVERY = 1000
# Entries set with no expiry (timeout None) still leave one day: a century on.
_NEVER = dt.timedelta(days=36500)


class TableCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._writes = 0

    def _expiry(self, timeout: Any) -> dt.datetime:
        seconds = self.get_backend_timeout(timeout)
        return timezone.now() + (_NEVER if seconds is None else dt.timedelta(seconds=seconds))

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not made:
            return {}
        # Plain SQL, not the ORM: a kept page's every request reads here, and building the query through
        # the ORM cost more than running it.
        connection = connections[router.db_for_read(CacheEntry)]
        quote = connection.ops.quote_name
        table = quote(CacheEntry._meta.db_table)
        key, value, expires = (quote(name) for name in ("key", "value", "expires"))
        marks = ", ".join(["%s"] * len(made))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {key}, {value} FROM {table} WHERE {key} IN ({marks}) AND {expires} > %s",  # noqa: S608
                [*made, timezone.now()],
            )
            rows = cursor.fetchall()
        # Our own pickles, written only by this backend into our own database (as Django's caches do).
        return {made[key]: pickle.loads(bytes(value)) for key, value in rows}  # noqa: S301

    def get_with_generation(self, key: Any, version: int | None = None) -> tuple[Any, int]:
        """The value under `key` (None when there is none) and the data generation now, in one round trip:
        a kept page is read on every request, and under load each round trip to the database is a wait
        for it to be scheduled (openqi.core.pagecache)."""
        made = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_read(CacheEntry)]
        quote = connection.ops.quote_name
        table = quote(CacheEntry._meta.db_table)
        key_, value, expires = (quote(name) for name in ("key", "value", "expires"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {generation.current_sql(connection.vendor)}, e.{value} "  # noqa: S608
                f"FROM (SELECT 1 AS one) AS o LEFT JOIN {table} e ON e.{key_} = %s AND e.{expires} > %s",
                [made, timezone.now()],
            )
            current, found = cursor.fetchone()
        kept = None if found is None else pickle.loads(bytes(found))  # noqa: S301 -- our own pickles
        return kept, int(current or 0)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self.get_many([key], version=version).get(key, default)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        if not data:
            return []
        expires = self._expiry(timeout)
        CacheEntry.objects.bulk_create(
            [
                CacheEntry(
                    key=self.make_and_validate_key(key, version=version),
                    value=pickle.dumps(value, pickle.HIGHEST_PROTOCOL),
                    expires=expires,
                )
                for key, value in data.items()
            ],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["value", "expires"],
        )
        self._writes += 1
        if self._writes % PRUNE_EVERY == 0:
            self.prune()
        return []

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self.set_many({key: value}, timeout, version)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        made = self.make_and_validate_key(key, version=version)
        CacheEntry.objects.filter(key=made, expires__lte=timezone.now()).delete()
        entry = CacheEntry(
            key=made, value=pickle.dumps(value, pickle.HIGHEST_PROTOCOL), expires=self._expiry(timeout)
        )
        try:
            with transaction.atomic():
                entry.save(force_insert=True)
        except IntegrityError:  # someone else's live entry under this key
            return False
        return True

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        made = self.make_and_validate_key(key, version=version)
        live = CacheEntry.objects.filter(key=made, expires__gt=timezone.now())
        return bool(live.update(expires=self._expiry(timeout)))

    def delete(self, key: Any, version: int | None = None) -> bool:
        made = self.make_and_validate_key(key, version=version)
        deleted, _ = CacheEntry.objects.filter(key=made).delete()
        return bool(deleted)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        made = [self.make_and_validate_key(key, version=version) for key in keys]
        CacheEntry.objects.filter(key__in=made).delete()

    def has_key(self, key: Any, version: int | None = None) -> bool:
        made = self.make_and_validate_key(key, version=version)
        return CacheEntry.objects.filter(key=made, expires__gt=timezone.now()).exists()

    def clear(self) -> None:
        CacheEntry.objects.all().delete()

    def prune(self) -> int:
        deleted, _ = CacheEntry.objects.filter(expires__lte=timezone.now()).delete()
        return deleted
