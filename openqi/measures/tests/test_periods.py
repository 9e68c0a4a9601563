"""Period arithmetic: where a period is stored, the next and previous ones, and the grid's window. Pure
Python, so no database."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from openqi.measures import periods
from openqi.measures.periods import (
    GRID_NEW_ROWS,
    grid_window,
    next_period,
    normalise_period,
    previous_period,
)


@pytest.mark.parametrize(
    ("day", "frequency", "expected"),
    [
        (date(2025, 3, 5), "weekly", date(2025, 3, 3)),  # Wednesday -> Monday
        (date(2025, 3, 3), "weekly", date(2025, 3, 3)),  # Monday stays
        (date(2025, 3, 9), "weekly", date(2025, 3, 3)),  # Sunday (a "week ending") -> the Monday before
        (date(2025, 1, 1), "weekly", date(2024, 12, 30)),  # across a year end
        (date(2025, 3, 31), "monthly", date(2025, 3, 1)),
        (date(2025, 3, 5), "daily", date(2025, 3, 5)),
        (date(2025, 3, 5), "per_event", date(2025, 3, 5)),
    ],
)
def test_normalise_period(day: date, frequency: str, expected: date) -> None:
    assert normalise_period(day, frequency) == expected


@pytest.mark.parametrize(
    ("period", "frequency", "following"),
    [
        (date(2025, 3, 3), "weekly", date(2025, 3, 10)),
        (date(2024, 12, 30), "weekly", date(2025, 1, 6)),
        (date(2025, 1, 1), "monthly", date(2025, 2, 1)),
        (date(2024, 2, 1), "monthly", date(2024, 3, 1)),
        (date(2024, 12, 1), "monthly", date(2025, 1, 1)),
        (date(2024, 2, 28), "daily", date(2024, 2, 29)),
        (date(2025, 3, 5), "per_event", date(2025, 3, 6)),
    ],
)
def test_next_and_previous_period_undo_each_other(period: date, frequency: str, following: date) -> None:
    assert next_period(period, frequency) == following
    assert previous_period(following, frequency) == period


def test_an_empty_grid_ends_at_the_current_period() -> None:
    window = grid_window([], None, "weekly", today=date(2025, 3, 5))
    assert window.recent == []
    assert len(window.new) == GRID_NEW_ROWS
    assert window.new[-1] == date(2025, 3, 3) and window.new[0] == date(2025, 1, 20)


def test_the_grid_continues_after_the_latest_stored_period() -> None:
    recent = [date(2025, 1, 1), date(2025, 2, 1)]
    window = grid_window(recent, None, "monthly", today=date(2030, 1, 1))
    assert window.recent == recent
    assert window.new[:2] == [date(2025, 3, 1), date(2025, 4, 1)]


def test_a_chosen_start_skips_stored_periods_and_is_moved_to_its_period() -> None:
    recent = [date(2025, 1, 6), date(2025, 1, 13)]
    window = grid_window(recent, date(2025, 1, 8), "weekly", today=date(2030, 1, 1))
    assert window.recent == recent
    assert window.new[0] == date(2025, 1, 20)  # 6 and 13 January are stored, so shown above instead


def test_starting_before_the_stored_periods_hides_them() -> None:
    recent = [date(2025, 3, 3), date(2025, 3, 10)]
    window = grid_window(recent, date(2025, 1, 6), "weekly", today=date(2030, 1, 1))
    assert window.recent == []
    assert window.new[0] == date(2025, 1, 6)


def test_period_arithmetic_needs_no_web_framework() -> None:
    tree = ast.parse(Path(periods.__file__).read_text())
    imported = {
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
        )
    }
    assert not {name for name in imported if name.split(".")[0] == "django"}
