"""Dates as NHS.UK content style writes them, for every presenter: "7 March 2025", "7 March 2025, 14:05".
Moments are shown in the site's time zone; an empty value is an empty string."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def _local(value: Any) -> Any:
    return timezone.localtime(value) if isinstance(value, dt.datetime) and timezone.is_aware(value) else value


def long_date(value: Any) -> str:
    if not value:
        return ""
    local = _local(value)
    return f"{local.day} {local:%B %Y}"


def date_and_time(value: Any) -> str:
    if not value:
        return ""
    local = _local(value)
    return f"{long_date(local)}, {local:%H:%M}"
