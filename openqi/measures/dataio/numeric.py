"""Reading numbers as spreadsheets and people write them, and what a number column can hold.

Only plain decimal spellings are accepted: Decimal() itself would take "NaN", "Infinity" and "1_000", and
scientific notation ("1E+12", "1e-300000000") is refused before the text becomes a Decimal, so a huge
exponent is never expanded into digits by formatting, rounding or a database driver.

`DATA_NUMBER` is the one definition of what a data point's value, numerator and denominator may hold: the
model's columns are declared from it, and the import, the grid, the measure forms and the API check numbers
with `read_number` against it, so whatever they accept the database can store and read back.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal

_PLAIN_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_EXPONENT_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+")
# Thousands separators only in proper groups of three, so "1,234" is 1234 but "1,5" is never read as 15.
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_DECIMAL_COMMA_RE = re.compile(r"[+-]?\d+,\d+")
# Longer text is not a number anyone typed; it is not even looked at (regular expressions and Decimal()
# both take time in proportion to the text).
MAX_NUMBER_TEXT = 60


@dataclass(frozen=True)
class NumberColumn:
    """What a decimal database column holds: `max_digits` digits, `decimal_places` of them after the point
    (Django's DecimalField arguments), of which at most `significant_digits` survive on every database:
    SQLite keeps a decimal column's numbers as 8-byte floats, 15 significant digits. Numbers must be
    smaller than `limit`; extra digits are rounded away, as the database would."""

    max_digits: int
    decimal_places: int
    significant_digits: int = 15

    @property
    def whole_digits(self) -> int:
        return self.max_digits - self.decimal_places

    @property
    def limit(self) -> Decimal:
        """The first number too large for the column (it is never stored): 10 ** whole_digits."""
        return Decimal(10) ** self.whole_digits

    @property
    def limit_text(self) -> str:
        """The limit as people write it, for messages: 1,000,000,000,000."""
        return f"{10**self.whole_digits:,}"

    def fits(self, value: Decimal) -> bool:
        # adjusted() is the power of ten of the leading digit: it never expands the number. Rounding can
        # carry into one more digit (999,999,999,999.9999999), so the rounded value is checked as well.
        if not value.is_finite():
            return False
        if value.is_zero():
            return True
        return value.adjusted() < self.whole_digits and self.rounded(value).adjusted() < self.whole_digits

    def rounded(self, value: Decimal) -> Decimal:
        """The value as the column stores it (call only for values whose leading digit fits)."""
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -self.decimal_places:
            value = value.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_HALF_UP)
        if len(value.as_tuple().digits) > self.significant_digits:
            value = Context(prec=self.significant_digits, rounding=ROUND_HALF_UP).plus(value)
        return abs(value) if value.is_zero() else value  # "-0" is 0


# DataPoint.value, .numerator and .denominator: less than a million million, to six decimal places and 15
# significant digits (999,999,999,999.999 at most).
DATA_NUMBER = NumberColumn(max_digits=18, decimal_places=6)
# Measure.target_value and .trajectory_from_value: up to 9,999,999,999.9999.
TARGET_NUMBER = NumberColumn(max_digits=14, decimal_places=4)


class NumberProblem(enum.Enum):
    BLANK = "blank"
    NOT_A_NUMBER = "not_a_number"
    DECIMAL_COMMA = "decimal_comma"  # "1,5": a European decimal we will not guess at
    EXPONENT = "exponent"  # "1.2E+11": scientific notation, as Excel shows large numbers in General format
    TOO_LARGE = "too_large"  # does not fit the column


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal
    was_percent: bool = False  # the cell said "45%"; callers decide whether a percentage is allowed


def parse_number_cell(cell: object, column: NumberColumn = DATA_NUMBER) -> ParsedNumber | NumberProblem:
    """A number as typed (not yet rounded to the column), or what is wrong with it. A number that does
    not fit `column` is TOO_LARGE; the exact value is kept so that callers can check it (a count must be
    whole) before `column.rounded()` gives what is stored."""
    if cell is None:
        return NumberProblem.BLANK
    if isinstance(cell, bool | date | time | timedelta):
        # A date here is usually Excel having turned "1/2" into 1 February: say so rather than use a serial.
        return NumberProblem.NOT_A_NUMBER
    if isinstance(cell, int):
        return _bounded(Decimal(cell), column, was_percent=False)
    if isinstance(cell, float):
        if not math.isfinite(cell):
            return NumberProblem.NOT_A_NUMBER
        # repr() is the shortest text that reads back as the same float, so 0.1 stays 0.1.
        return _bounded(Decimal(repr(cell)), column, was_percent=False)
    if isinstance(cell, Decimal):
        return _bounded(cell, column, was_percent=False) if cell.is_finite() else NumberProblem.NOT_A_NUMBER
    if not isinstance(cell, str):
        return NumberProblem.NOT_A_NUMBER
    if len(cell) > MAX_NUMBER_TEXT:
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
    if _EXPONENT_RE.fullmatch(text):
        return NumberProblem.EXPONENT
    if not _PLAIN_RE.fullmatch(text):
        return NumberProblem.NOT_A_NUMBER
    return _bounded(Decimal(text), column, was_percent=was_percent)


def read_number(cell: object, column: NumberColumn = DATA_NUMBER) -> Decimal | NumberProblem:
    """A number as `column` stores it, or what is wrong with it: for callers that need no more than that
    (a form field, an API value). A percentage sign is not a number here."""
    parsed = parse_number_cell(cell, column)
    if isinstance(parsed, NumberProblem):
        return parsed
    if parsed.was_percent:
        return NumberProblem.NOT_A_NUMBER
    return column.rounded(parsed.value)


def _bounded(value: Decimal, column: NumberColumn, *, was_percent: bool) -> ParsedNumber | NumberProblem:
    if not column.fits(value):
        return NumberProblem.TOO_LARGE
    if value.is_zero():
        value = abs(value)  # "-0" is 0
    return ParsedNumber(value, was_percent=was_percent)


def is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def format_number(value: Decimal) -> str:
    """Plain decimal text for CSV and messages: never exponent notation (1E+3 would puzzle people).
    Only for numbers that fit a column (or came from one): others would expand to their full length."""
    return format(value, "f")


def shown_number(value: Decimal, *, longest: int = 24) -> str:
    """A number for a message, shortened if it is long (0.1234567890123456789… ), never expanded from
    an exponent beyond `longest` characters."""
    if value.is_finite() and abs(value.adjusted()) > longest:
        return f"{value:.3E}"
    text = format_number(value)
    return text if len(text) <= longest else text[:longest] + "\u2026"
