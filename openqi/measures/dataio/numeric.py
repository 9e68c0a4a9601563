"""Reading numbers as spreadsheets and people write them.

Only plain decimal spellings are accepted: Decimal() itself would take "NaN", "Infinity" and "1_000".
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

_PLAIN_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Thousands separators only in proper groups of three, so "1,234" is 1234 but "1,5" is never read as 15.
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_DECIMAL_COMMA_RE = re.compile(r"[+-]?\d+,\d+")
# Beyond this a number is a pasted ID or a typing slip, and it would overflow any sensible database column.
MAX_MAGNITUDE = Decimal(10) ** 15


class NumberProblem(enum.Enum):
    BLANK = "blank"
    NOT_A_NUMBER = "not_a_number"
    DECIMAL_COMMA = "decimal_comma"  # "1,5": a European decimal we will not guess at
    TOO_LARGE = "too_large"


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal
    was_percent: bool = False  # the cell said "45%"; callers decide whether a percentage is allowed


def parse_number_cell(cell: object) -> ParsedNumber | NumberProblem:
    if cell is None:
        return NumberProblem.BLANK
    if isinstance(cell, bool | date | time | timedelta):
        # A date here is usually Excel having turned "1/2" into 1 February: say so rather than use a serial.
        return NumberProblem.NOT_A_NUMBER
    if isinstance(cell, int):
        return _bounded(Decimal(cell), was_percent=False)
    if isinstance(cell, float):
        if not math.isfinite(cell):
            return NumberProblem.NOT_A_NUMBER
        # repr() is the shortest text that reads back as the same float, so 0.1 stays 0.1.
        return _bounded(Decimal(repr(cell)), was_percent=False)
    if isinstance(cell, Decimal):
        return _bounded(cell, was_percent=False) if cell.is_finite() else NumberProblem.NOT_A_NUMBER
    if not isinstance(cell, str):
        return NumberProblem.NOT_A_NUMBER
    text = cell.strip().replace("\u00a0", "")
    if not text:
        return NumberProblem.BLANK
    was_percent = text.endswith("%")
    if was_percent:
        text = text[:-1].strip()
    if _GROUPED_RE.fullmatch(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA_RE.fullmatch(text):
        return NumberProblem.DECIMAL_COMMA
    if not _PLAIN_RE.fullmatch(text):
        return NumberProblem.NOT_A_NUMBER
    return _bounded(Decimal(text), was_percent=was_percent)


def _bounded(value: Decimal, *, was_percent: bool) -> ParsedNumber | NumberProblem:
    if abs(value) >= MAX_MAGNITUDE:
        return NumberProblem.TOO_LARGE
    if value.is_zero():
        value = abs(value)  # "-0" is 0
    return ParsedNumber(value, was_percent=was_percent)


def is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def format_number(value: Decimal) -> str:
    """Plain decimal text for CSV and messages: never exponent notation (1E+3 would puzzle people)."""
    return format(value, "f")
