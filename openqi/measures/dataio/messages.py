"""Every message a user sees from an upload, in one place, in NHS.UK plain-English style.

Row messages start "Row N:" with N the row number in the user's spreadsheet (header = row 1), so each one
still makes sense on its own in an error summary.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .dates import MONTH_NAMES, describe_period, format_day
from .numeric import DATA_NUMBER, NumberColumn, shown_number
from .records import COMMENT_MAX_LENGTH, MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS

# What a person typed is quoted back in messages, shortened: a message must stay short whatever the cell held.
QUOTE_LONGEST = 40

# --- file level ------------------------------------------------------------------------------------------

EMPTY_FILE = "The selected file is empty."
TOO_BIG = f"The selected file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB."
TOO_MANY_ROWS = (
    f"The selected file must have no more than {MAX_ROWS:,} rows of data. Split it into smaller files."
)
TOO_MANY_EMPTY_ROWS = (
    "The selected file has too many empty rows to read. Delete the empty rows at the end and try again."
)
TOO_BIG_UNZIPPED = (
    "The selected workbook is too large to open. Delete unused sheets and formatting, or save it as CSV, "
    "and try again."
)
WRONG_TYPE = "The selected file must be a CSV or an Excel workbook (.xlsx)."
OLD_EXCEL = (
    "The selected file is an older Excel format (.xls) or is password protected. "
    "Save it as an Excel workbook (.xlsx) or as CSV, without a password, and try again."
)
NOT_XLSX = (
    "The selected file could not be opened as an Excel workbook. Save it again as an Excel workbook (.xlsx) "
    "or as CSV and try again."
)
NOT_CSV = (
    "The selected file could not be read as a CSV file. Save it as 'CSV (comma delimited)' or as an Excel "
    "workbook (.xlsx) and try again."
)
NO_SHEET = "The first sheet of the workbook has no data. Put the data on the first sheet and try again."
NO_HEADER = "The selected file has no data."
NO_ROWS = "The selected file has no rows of data under the column names."
UNEXPECTED = "The selected file could not be read. Check it opens in Excel, save it again and try again."
READ_AS_XLSX = "The file is named .csv but is an Excel workbook, so it was read as a workbook."


def quoted(text: str) -> str:
    """Text from the file in quotes, shortened to QUOTE_LONGEST characters, on one line."""
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= QUOTE_LONGEST else f"'{text[:QUOTE_LONGEST]}\u2026'"


def _quote_list(names: list[str]) -> str:
    quoted_names = [quoted(name) for name in names]
    if len(quoted_names) == 1:
        return quoted_names[0]
    return ", ".join(quoted_names[:-1]) + " and " + quoted_names[-1]


def columns_hint(has_denominator: bool) -> str:
    names = "period, numerator, denominator, comment" if has_denominator else "period, value, comment"
    return f"The first row should name the columns: {names}."


def missing_columns(missing: list[str], has_denominator: bool, *, wrong_kind: bool) -> str:
    needs = f"a {_quote_list(missing)} column" if len(missing) == 1 else f"{_quote_list(missing)} columns"
    message = f"The file needs {needs}. {columns_hint(has_denominator)}"
    if wrong_kind and has_denominator:
        message += " This measure needs a numerator and a denominator for each period, not a single value."
    elif wrong_kind:
        message += " This measure needs a single value for each period, not a numerator and denominator."
    return message


def header_looks_like_data(has_denominator: bool) -> str:
    return f"The first row looks like data, not column names. {columns_hint(has_denominator)}"


def duplicate_column(role: str, names: list[str]) -> str:
    return f"The file has more than one {role} column ({_quote_list(names)}). Delete or rename all but one."


def column_not_used(name: str, has_denominator: bool, role: str | None) -> str:
    if role == "value" and has_denominator:
        return f"The column {quoted(name)} was not used: this measure records a numerator and a denominator."
    if role in ("numerator", "denominator") and not has_denominator:
        return f"The column {quoted(name)} was not used: this measure records a single value."
    return f"The column {quoted(name)} was not used."


# --- row level -------------------------------------------------------------------------------------------

_EXAMPLE = {"monthly": "01/03/2025 or March 2025"}
_DEFAULT_EXAMPLE = "03/03/2025, 3 Mar 2025 or 2025-03-03"


def _example(frequency: str) -> str:
    return _EXAMPLE.get(frequency, _DEFAULT_EXAMPLE)


def period_blank(row: int) -> str:
    return f"Row {row}: Enter a period (the date) or delete the row."


def period_unrecognised(row: int, text: str, frequency: str) -> str:
    return f"Row {row}: {quoted(text)} is not a date. Enter dates day first, like {_example(frequency)}."


def period_not_real(row: int, text: str, frequency: str) -> str:
    return f"Row {row}: {quoted(text)} is not a real date. Enter dates day first, like {_example(frequency)}."


def period_month_first(row: int, text: str, suggestion: str) -> str:
    return (
        f"Row {row}: {quoted(text)} is not a real date. "
        f"Enter dates day first (day/month/year), like {suggestion}."
    )


def period_no_year(row: int, text: str) -> str:
    return f"Row {row}: {quoted(text)} has no year. Enter the full date, like 3 Mar 2025."


def period_is_month(row: int, text: str, frequency: str) -> str:
    kind = {"weekly": "weekly", "daily": "daily", "per_event": "recorded per event"}.get(frequency, frequency)
    advice = f"This measure is {kind}, so enter a date, like 03/03/2025."
    return f"Row {row}: {quoted(text)} is a month, not a date. {advice}"


def period_duplicate(row: int, period: date, frequency: str, first_row: int) -> str:
    return (
        f"Row {row}: {_capitalise(describe_period(period, frequency))} is also in row {first_row}. "
        "Each period can only be in the file once."
    )


def period_normalised(row: int, original: date, period: date, frequency: str) -> str:
    if frequency == "monthly":
        return (
            f"Row {row}: {format_day(original)} is recorded as {MONTH_NAMES[period.month - 1]} {period.year}."
        )
    return f"Row {row}: {format_day(original)} is recorded as {describe_period(period, frequency)}."


def number_blank(row: int, role: str) -> str:
    return f"Row {row}: Enter {_article(role)} {role} or delete the row."


def number_not_a_number(row: int, role: str, text: str) -> str:
    return f"Row {row}: The {role} {quoted(text)} is not a number. Enter a number, like 12 or 12.5."


def number_decimal_comma(row: int, role: str, text: str) -> str:
    return f"Row {row}: The {role} {quoted(text)} is not a number. Use a full stop for decimals, like 1.5."


def number_too_large(row: int, role: str, column: NumberColumn = DATA_NUMBER) -> str:
    return f"Row {row}: The {role} must be less than {column.limit_text}."


def number_exponent(row: int, role: str, text: str) -> str:
    return (
        f"Row {row}: The {role} {quoted(text)} is in scientific notation. Enter it as an ordinary number, "
        "like 1200 or 0.05 (in Excel, format the column as Number)."
    )


def comment_too_long(row: int, length: int) -> str:
    more = f"more than {MAX_CELL_CHARS:,}" if length > MAX_CELL_CHARS else f"{length:,}"
    return f"Row {row}: The comment must be {COMMENT_MAX_LENGTH:,} characters or fewer (it has {more})."


def number_negative(row: int, role: str) -> str:
    return f"Row {row}: The {role} must be 0 or more."


def count_not_whole(row: int, role: str, value: Decimal) -> str:
    return f"Row {row}: The {role} must be a whole number (it is a count), not {shown_number(value)}."


def count_is_percent(row: int, role: str) -> str:
    return f"Row {row}: The {role} must be a count, not a percentage."


def percent_stripped(row: int, value: Decimal) -> str:
    return f"Row {row}: {shown_number(value)}% is recorded as {shown_number(value)}."


def denominator_zero(row: int) -> str:
    return f"Row {row}: The denominator must be more than 0 when there is a numerator."


def numerator_above_denominator(row: int, numerator: Decimal, denominator: Decimal) -> str:
    return (
        f"Row {row}: The numerator ({shown_number(numerator)}) must not be more than "
        f"the denominator ({shown_number(denominator)})."
    )


def extra_cells(row: int, cells: int, names: int) -> str:
    return (
        f"Row {row}: The row has {cells} cells but the first row names {names} columns. "
        "Put any text with commas in quotes, write numbers without commas (like 1234) "
        "and remove extra commas at the end of the row."
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
