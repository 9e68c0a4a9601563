"""Reading ids, counts and dates from query strings and hidden form fields, which anyone can change.

A malformed value becomes None, never an exception from int() or date(): "²".isdigit() is True but int("²")
fails, a 40-digit id does not fit a database column, and 9999-12-31 has no next day. The caller then answers
404 (no such row), ignores the value, or raises MalformedRequest, which the 400 page shows with its message.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import BadRequest

# The largest id a BigAutoField holds, on every database we support.
MAX_ID = 2**63 - 1


class MalformedRequest(BadRequest):
    """A request no page of ours sends (a hidden field changed by hand, a truncated post): a 400 page
    that says what to do, with `message` in NHS.UK style."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _digits(text: object, longest: int) -> int | None:
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not 0 < len(text) <= longest or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def id_param(text: object) -> int | None:
    """A row id, or None if the text is not one (so no row can have it)."""
    value = _digits(text, len(str(MAX_ID)))
    return value if value is not None and 0 < value <= MAX_ID else None


def count_param(text: object) -> int | None:
    """A count of things on a page (rows, say): 0 to 999,999,999, or None."""
    return _digits(text, 9)


def date_param(text: object, *, earliest: dt.date, latest: dt.date) -> dt.date | None:
    """An ISO date (as <input type=date> sends it) between earliest and latest, or None."""
    if not isinstance(text, str) or len(text) > 10:
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if earliest <= day <= latest else None
