"""Period arithmetic, in one place: the date a period is stored under, the next and previous periods,
and which periods the data grid offers. Pure Python: the file importer (`dataio`) uses it as well as the
pages. Reading what a person typed into a date stays in `dataio.dates`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

# How many blank periods the grid offers: a week of daily data, or the next few weeks or months; and
# how many stored periods it shows above them, for context.
GRID_NEW_ROWS = 7
GRID_RECENT_ROWS = 8
# The periods data can be entered for, by the grid or a file: before or after these, a date is a typing
# mistake in QI data (0025 for 2025), not history or plans; and dates near date.max have no next period.
EARLIEST_PERIOD = dt.date(1900, 1, 1)
LATEST_PERIOD = dt.date(2099, 12, 31)


def normalise_period(day: dt.date, frequency: str) -> dt.date:
    """The date a period is stored under: Monday of the week, 1st of the month, or the day itself."""
    if frequency == "weekly":
        return day - dt.timedelta(days=day.weekday())
    if frequency == "monthly":
        return day.replace(day=1)
    return day


def next_period(period: dt.date, frequency: str) -> dt.date:
    if frequency == "weekly":
        return period + dt.timedelta(days=7)
    if frequency == "monthly":
        return (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return period + dt.timedelta(days=1)


def previous_period(period: dt.date, frequency: str) -> dt.date:
    if frequency == "weekly":
        return period - dt.timedelta(days=7)
    if frequency == "monthly":
        return (period - dt.timedelta(days=1)).replace(day=1)
    return period - dt.timedelta(days=1)


@dataclass(frozen=True)
class GridWindow:
    """The periods the data grid shows: stored `recent` ones for context, then `new` ones to fill in
    (a new period may still hold older data, which the grid then shows)."""

    recent: list[dt.date]
    new: list[dt.date]


def grid_window(
    recent: Sequence[dt.date], start: dt.date | None, frequency: str, *, today: dt.date
) -> GridWindow:
    """`recent`: the latest stored periods, oldest first; `start`: where the person asked the new rows
    to begin (None: straight after the latest stored period, or, with no data yet, so that the last
    new row is the current period)."""
    if start is None:
        if recent:
            # min(): a point stored far in the future (before periods were checked) has no next period.
            start = next_period(min(recent[-1], LATEST_PERIOD), frequency)
        else:
            start = normalise_period(today, frequency)
            for _ in range(GRID_NEW_ROWS - 1):
                start = previous_period(start, frequency)
    start = normalise_period(min(max(start, EARLIEST_PERIOD), LATEST_PERIOD), frequency)
    stored = set(recent)
    new: list[dt.date] = []
    when = start
    while len(new) < GRID_NEW_ROWS:
        if when not in stored:
            new.append(when)
        when = next_period(when, frequency)
    # Asked to start before the stored periods shown, the person is going back in time: the later
    # periods above would only be in the way.
    kept = [] if recent and start < recent[0] else list(recent)
    return GridWindow(recent=kept, new=new)
