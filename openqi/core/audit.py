"""The one audit service: every create, update and delete of organisation or project data calls
`record` explicitly from the service that makes the change (no signals, so nothing is recorded
by accident and nothing is missed silently: services are tested for their audit rows)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from openqi.core.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Manager):  # a many-to-many field: the names of what it holds, in order
        return sorted(str(related) for related in value.all())
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` now, ready to compare with a later snapshot."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(
    *,
    by: Any,
    action: str,
    instance: models.Model,
    organisation: Any = None,
    project: Any = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    if project is not None and organisation is None:
        organisation = project.organisation
    return AuditEvent.objects.create(
        organisation=organisation,
        project_id=project.pk if project is not None else None,
        actor=by if getattr(by, "is_authenticated", False) else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        changes=changes or {},
    )
