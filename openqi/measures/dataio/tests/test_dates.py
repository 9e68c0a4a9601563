"""Period spellings UK users type, and the ones that must be refused rather than guessed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from openqi.measures.dataio.dates import (
    DateProblem,
    MonthFirst,
    ParsedDate,
    describe_period,
    parse_period_cell,
)

MARCH_4 = date(2025, 3, 4)


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-04",
        "2025/03/04",
        "04/03/2025",
        "4/3/2025",
        "4/3/25",
        "04-03-2025",
        "04.03.2025",
        "4 Mar 2025",
        "4 March 2025",
        "4th March 2025",
        "04-Mar-2025",
        "4-Mar-25",
        "Tue 4 Mar 2025",
        "Tuesday, 4 March 2025",
        "March 4, 2025",
        "2025-03-04 00:00:00",
        "2025-03-04T09:30:00",
        "04/03/2025 09:30",
        "20250304",
        "45720",  # Excel serial number pasted as text
        "w/c 04/03/2025",
        "Week commencing 4 March 2025",
        "  04/03/2025  ",
    ],
)
def test_day_first_and_iso_spellings(text: str) -> None:
    assert parse_period_cell(text) == ParsedDate(MARCH_4)


@pytest.mark.parametrize(
    "cell", [MARCH_4, datetime(2025, 3, 4, 0, 0), datetime(2025, 3, 4, 17, 45), 45720, 45720.75]
)
def test_excel_cells_real_dates_and_serials(cell: object) -> None:
    assert parse_period_cell(cell) == ParsedDate(MARCH_4)


@pytest.mark.parametrize("text", ["March 2025", "Mar 2025", "Mar-25", "2025-03", "03/2025", "Sept 2025"])
def test_month_spellings_are_month_only(text: str) -> None:
    result = parse_period_cell(text)
    assert isinstance(result, ParsedDate)
    assert result.month_only
    assert result.day.day == 1


def test_month_first_dates_are_refused_with_the_day_first_spelling() -> None:
    assert parse_period_cell("03/15/2025") == MonthFirst("15/03/2025")


def test_ambiguous_dates_are_always_day_first() -> None:
    assert parse_period_cell("03/04/2025") == ParsedDate(date(2025, 4, 3))


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        (None, DateProblem.BLANK),
        ("   ", DateProblem.BLANK),
        ("31/02/2025", DateProblem.NOT_REAL),
        ("2025-13-01", DateProblem.NOT_REAL),
        ("13/2025", DateProblem.NOT_REAL),
        ("4/3/0025", DateProblem.NOT_REAL),
        ("4 March", DateProblem.NO_YEAR),
        ("4/3", DateProblem.NO_YEAR),
        ("March", DateProblem.NO_YEAR),
        ("next Tuesday", DateProblem.UNRECOGNISED),
        ("Q1 2025", DateProblem.UNRECOGNISED),
        ("12", DateProblem.UNRECOGNISED),  # too small to be an Excel serial in QI data
        (True, DateProblem.UNRECOGNISED),
        (float("nan"), DateProblem.UNRECOGNISED),
        ("1/2/3/4", DateProblem.UNRECOGNISED),
    ],
)
def test_problems(cell: object, problem: DateProblem) -> None:
    assert parse_period_cell(cell) is problem


def test_describe_period() -> None:
    assert describe_period(date(2025, 3, 3), "weekly") == "the week commencing Monday 3 March 2025"
    assert describe_period(date(2025, 3, 1), "monthly") == "March 2025"
    assert describe_period(date(2025, 3, 5), "daily") == "5 March 2025"
