"""Reading periods as UK users type them, and saying a period back in a message. Moving a period to
the start of its week or month is arithmetic, and lives with the rest of it in `openqi.measures.periods`.

Day first, always: NHS staff write 04/03/2025 for 4 March, and guessing month-first for some rows would
silently scramble a series. A date that only makes sense month first is reported, not swapped.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from openqi.measures.periods import EARLIEST_PERIOD, LATEST_PERIOD

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _MONTHS[_name.lower()] = _number
    _MONTHS[_name[:3].lower()] = _number
_MONTHS["sept"] = 9

_WEEKDAYS = frozenset(
    {
        "mon",
        "monday",
        "tue",
        "tues",
        "tuesday",
        "wed",
        "weds",
        "wednesday",
        "thu",
        "thur",
        "thurs",
        "thursday",
    }
    | {"fri", "friday", "sat", "saturday", "sun", "sunday"}
)

# Labels people put before a weekly date: "w/c 3/3/2025", "Week ending 9 March 2025".
_PREFIX_RE = re.compile(r"^(?:w/?[ce]|week\s+(?:commencing|beginning|starting|ending))\b[\s:.\-]*")
# A time after the date, from exports that write datetimes: "2025-03-03 00:00:00", "03/03/2025 09:30".
_TIME_RE = re.compile(
    r"(?:[t\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?(?:z|[+-]\d{2}:?\d{2})?)$"
)
_ORDINAL_RE = re.compile(r"(\d+)(?:st|nd|rd|th)\b")
_NUMERIC_RE = re.compile(r"\d+(?:\.\d+)?")
_SEPARATORS_RE = re.compile(r"[\s,/.\-]+")

# Dates outside this range are typing mistakes in QI data (0025 for 2025), not history or plans.
MIN_YEAR = EARLIEST_PERIOD.year
MAX_YEAR = LATEST_PERIOD.year
# Excel serial numbers are only taken as dates in a plausible range, so a stray "12" is not 12 Jan 1900.
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1 Jan 1900; this epoch absorbs Excel's 1900 leap-year bug
_SERIAL_MIN = (date(1950, 1, 1) - _EXCEL_EPOCH).days
_SERIAL_MAX = (date(MAX_YEAR, 12, 31) - _EXCEL_EPOCH).days


class DateProblem(enum.Enum):
    BLANK = "blank"
    UNRECOGNISED = "unrecognised"
    NOT_REAL = "not_real"  # recognisable shape, impossible date: 31/02/2025
    NO_YEAR = "no_year"  # "4 March"


@dataclass(frozen=True)
class ParsedDate:
    day: date
    month_only: bool = False  # the text named a month, not a day: "March 2025", "2025-03"


@dataclass(frozen=True)
class MonthFirst:
    """A date that is only real when read month first; ``suggestion`` is the same date written day first."""

    suggestion: str


DateResult = ParsedDate | DateProblem | MonthFirst


def parse_period_cell(cell: object) -> DateResult:
    """Read a period from a CSV string or an xlsx cell (real date, serial number or text)."""
    if cell is None:
        return DateProblem.BLANK
    # bool is an int subclass; TRUE in a date column is a mistake, not serial 1.
    if isinstance(cell, bool):
        return DateProblem.UNRECOGNISED
    if isinstance(cell, datetime):
        return _checked(cell.date())
    if isinstance(cell, date):
        return _checked(cell)
    if isinstance(cell, time | timedelta):
        return DateProblem.UNRECOGNISED
    if isinstance(cell, Decimal) and not cell.is_finite():
        return DateProblem.UNRECOGNISED
    if isinstance(cell, int | Decimal) and not _SERIAL_MIN <= cell <= _SERIAL_MAX:
        return DateProblem.UNRECOGNISED  # checked before float(), which fails on a 400-digit number
    if isinstance(cell, int | float | Decimal):
        return _from_serial(float(cell))
    if isinstance(cell, str):
        return parse_period_text(cell)
    return DateProblem.UNRECOGNISED


def _checked(day: date) -> DateResult:
    return ParsedDate(day) if MIN_YEAR <= day.year <= MAX_YEAR else DateProblem.NOT_REAL


def _from_serial(serial: float) -> DateResult:
    if not math.isfinite(serial) or not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        return DateProblem.UNRECOGNISED
    # A fractional serial is a date and time; the time of day does not matter for a period.
    return ParsedDate(_EXCEL_EPOCH + timedelta(days=math.floor(serial)))


def _year(token: str) -> int | None:
    if len(token) == 4:
        return int(token)
    if len(token) == 2:
        # Two-digit years in QI data are this century: 4/3/25 is 2025.
        return 2000 + int(token)
    return None


def _make(year: int | None, month: int, day: int) -> DateResult:
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return DateProblem.NOT_REAL if year is not None else DateProblem.UNRECOGNISED
    try:
        return ParsedDate(date(year, month, day))
    except ValueError:
        return DateProblem.NOT_REAL


def _month(year: int | None, month: int) -> DateResult:
    result = _make(year, month, 1)
    return ParsedDate(result.day, month_only=True) if isinstance(result, ParsedDate) else result


def parse_period_text(text: str) -> DateResult:
    """Parse ISO, day-first numeric, named-month and month-only spellings; never month-first numerics."""
    s = text.strip().lower()
    if not s:
        return DateProblem.BLANK
    s = _PREFIX_RE.sub("", s)
    s = _TIME_RE.sub("", s).strip()
    if _NUMERIC_RE.fullmatch(s):
        # 20250303 is a compact ISO date; any other plain number may be an Excel serial pasted as text.
        if len(s) == 8 and s.isdecimal():
            return _make(int(s[:4]), int(s[4:6]), int(s[6:]))
        return _from_serial(float(s))
    s = _ORDINAL_RE.sub(r"\1", s)
    tokens = [token for token in _SEPARATORS_RE.split(s) if token]
    if tokens and tokens[0] in _WEEKDAYS:
        tokens = tokens[1:]
    # isdecimal(), not isdigit(): "²" is a digit that int() cannot read.
    kinds = "".join("n" if t.isdecimal() and len(t) <= 4 else "m" if t in _MONTHS else "x" for t in tokens)

    if kinds == "nnn":
        first, second, third = tokens
        if len(first) == 4:  # 2025-03-04, 2025/03/04
            return _make(int(first), int(second), int(third)) if len(third) <= 2 else DateProblem.UNRECOGNISED
        if len(first) > 2 or len(second) > 2:
            return DateProblem.UNRECOGNISED
        year = _year(third)
        result = _make(year, int(second), int(first))
        if result is DateProblem.NOT_REAL and year is not None and int(second) > 12:
            swapped = _make(year, int(first), int(second))
            if isinstance(swapped, ParsedDate):
                return MonthFirst(swapped.day.strftime("%d/%m/%Y"))
        return result
    if kinds == "nmn" and len(tokens[0]) <= 2:  # 4 Mar 2025, 04-Mar-25
        return _make(_year(tokens[2]), _MONTHS[tokens[1]], int(tokens[0]))
    if kinds == "mnn" and len(tokens[1]) <= 2:  # Mar 4 2025, March 4th, 2025: unambiguous with a month name
        return _make(_year(tokens[2]), _MONTHS[tokens[0]], int(tokens[1]))
    if kinds == "mn":  # March 2025, Mar-25 (Excel's mmm-yy)
        return _month(_year(tokens[1]), _MONTHS[tokens[0]])
    if kinds == "nm":  # 2025 March; "4 March" has no year
        if len(tokens[0]) == 4:
            return _month(int(tokens[0]), _MONTHS[tokens[1]])
        return DateProblem.NO_YEAR
    if kinds == "nn":  # 2025-03, 03/2025; "4/3" has no year
        first, second = tokens
        if len(first) == 4 and len(second) <= 2:
            return _month(int(first), int(second)) if 1 <= int(second) <= 12 else DateProblem.NOT_REAL
        if len(second) == 4 and len(first) <= 2:
            return _month(int(second), int(first)) if 1 <= int(first) <= 12 else DateProblem.NOT_REAL
        if len(first) <= 2 and len(second) <= 2:
            return DateProblem.NO_YEAR
    if kinds == "m":
        return DateProblem.NO_YEAR
    return DateProblem.UNRECOGNISED


def format_day(day: date) -> str:
    # Own month names rather than strftime("%B"), which follows the process locale.
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def describe_period(period: date, frequency: str) -> str:
    """How a period reads in a message: "the week commencing Monday 3 March 2025", "March 2025"."""
    if frequency == "weekly":
        return f"the week commencing Monday {format_day(period)}"
    if frequency == "monthly":
        return f"{MONTH_NAMES[period.month - 1]} {period.year}"
    return format_day(period)
