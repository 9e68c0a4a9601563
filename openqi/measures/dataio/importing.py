"""parse_upload: an uploaded CSV or workbook in, a full preview of every row and its problems out.

Nothing is saved here. The import is all-or-nothing, so every problem in every row is collected (not just
the first) and the user can fix the file in one go.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openqi.measures.periods import normalise_period

from . import messages
from .columns import HeaderError, map_columns
from .dates import DateProblem, MonthFirst, parse_period_cell
from .escaping import unescape_formula
from .numeric import DATA_NUMBER, NumberProblem, ParsedNumber, format_number, is_whole, parse_number_cell
from .reading import Cell, Table, UploadError, read_table
from .records import COMMENT_MAX_LENGTH, FREQUENCIES, ImportPreview, PreviewRow

logger = logging.getLogger(__name__)


def parse_upload(
    filename: str,
    content: bytes,
    *,
    has_denominator: bool,
    frequency: str,
    existing_periods: set[date],
    numerator_may_exceed_denominator: bool = False,
) -> ImportPreview:
    """Parse an upload for one measure. Problems with the data never raise: they are in the preview.

    ``existing_periods`` are the measure's stored periods (already normalised); rows for them get
    ``is_update=True``. ``numerator_may_exceed_denominator`` is for rates (falls per 1,000 bed days),
    where the numerator is not a subset of the denominator.
    """
    if frequency not in FREQUENCIES:
        # A programming error in the caller, not something the user can fix.
        raise ValueError(f"unknown frequency {frequency!r}; expected one of {FREQUENCIES}")
    try:
        table = read_table(filename, content)
        return _preview(
            table,
            has_denominator=has_denominator,
            frequency=frequency,
            existing_periods=existing_periods,
            numerator_may_exceed_denominator=numerator_may_exceed_denominator,
        )
    except UploadError as error:
        return ImportPreview(file_errors=[error.message])
    except Exception:
        # The promise is a message, never a 500, for any bytes a user can send; log so the bug gets fixed.
        logger.exception("unexpected error parsing upload %r", filename)
        return ImportPreview(file_errors=[messages.UNEXPECTED])


def _preview(
    table: Table,
    *,
    has_denominator: bool,
    frequency: str,
    existing_periods: set[date],
    numerator_may_exceed_denominator: bool,
) -> ImportPreview:
    try:
        columns = map_columns(table.header, has_denominator=has_denominator)
    except HeaderError as error:
        message = error.message
        if not isinstance(parse_period_cell(table.header[0]), DateProblem):
            message = messages.header_looks_like_data(has_denominator)
        return ImportPreview(file_errors=[message], file_notes=table.notes)
    if not table.rows:
        return ImportPreview(file_errors=[messages.NO_ROWS], file_notes=[*table.notes, *columns.notes])

    rows: list[PreviewRow] = []
    for number, cells in table.rows:
        row = parse_record(
            number,
            {role: cells[position] for role, position in columns.index.items() if position < len(cells)},
            has_denominator=has_denominator,
            frequency=frequency,
            numerator_may_exceed_denominator=numerator_may_exceed_denominator,
        )
        if table.kind == "csv" and len(cells) > len(table.header):
            # An unquoted "1,234" or a comment with commas shifts every later cell along, even when the cell
            # pushed off the end is blank. Excel pads every CSV row to the same width, so files it saves never
            # trip this; only a hand-made file with an extra trailing comma does, and the message covers that.
            row.errors.insert(0, messages.extra_cells(number, len(cells), len(table.header)))
        rows.append(row)
    _check_periods(rows, frequency=frequency, existing_periods=existing_periods)
    return ImportPreview(rows=rows, file_notes=[*table.notes, *columns.notes])


def parse_records(
    records: Iterable[tuple[int, Mapping[str, Cell]]],
    *,
    has_denominator: bool,
    frequency: str,
    existing_periods: set[date],
    numerator_may_exceed_denominator: bool = False,
) -> ImportPreview:
    """The checks of an upload for rows that are not in a file (the API's bulk upload): each record is
    (its number in messages, {role: cell}) with roles "period", "value" or "numerator" and "denominator",
    and "comment"; cells are what a spreadsheet or JSON holds (str, int, float, Decimal, date or None).
    Every problem is in the preview, as for a file; the caller limits how many records it sends."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}; expected one of {FREQUENCIES}")
    rows = [
        parse_record(
            number,
            cells,
            has_denominator=has_denominator,
            frequency=frequency,
            numerator_may_exceed_denominator=numerator_may_exceed_denominator,
        )
        for number, cells in records
    ]
    _check_periods(rows, frequency=frequency, existing_periods=existing_periods)
    return ImportPreview(rows=rows)


def _check_periods(rows: list[PreviewRow], *, frequency: str, existing_periods: set[date]) -> None:
    """Each period once in the upload; rows for stored periods are updates."""
    first_row_of: dict[date, int] = {}
    for row in rows:
        if row.period is None:
            continue
        if row.period in first_row_of:
            row.errors.append(
                messages.period_duplicate(row.row_number, row.period, frequency, first_row_of[row.period])
            )
        else:
            first_row_of[row.period] = row.row_number
        row.is_update = row.period in existing_periods


def parse_record(
    number: int,
    cells: Mapping[str, Cell],
    *,
    has_denominator: bool,
    frequency: str,
    numerator_may_exceed_denominator: bool = False,
) -> PreviewRow:
    """One row of data, {role: cell}, checked on its own (see parse_records for the roles). Numbers are
    checked against what the database holds (numeric.DATA_NUMBER) and rounded as it stores them."""
    row = PreviewRow(row_number=number)
    row.source = {role: display(cell) for role, cell in cells.items()}
    _parse_period(row, cells.get("period"), frequency)

    if has_denominator:
        numerator = _parse_count(row, "numerator", cells.get("numerator"))
        denominator = _parse_count(row, "denominator", cells.get("denominator"))
        row.numerator, row.denominator = numerator.value, denominator.value
        if numerator.ok and denominator.ok and numerator.value is not None and denominator.value is not None:
            if denominator.value == 0:
                row.errors.append(messages.denominator_zero(number))
            elif numerator.value > denominator.value and not numerator_may_exceed_denominator:
                row.errors.append(
                    messages.numerator_above_denominator(number, numerator.value, denominator.value)
                )
    else:
        row.value = _parse_value(row, cells.get("value"))

    comment = cells.get("comment")
    row.comment = unescape_formula(display(comment).strip()) if comment is not None else ""
    if len(row.comment) > COMMENT_MAX_LENGTH:
        row.errors.append(messages.comment_too_long(number, len(row.comment)))
    return row


def _parse_period(row: PreviewRow, cell: Cell, frequency: str) -> None:
    number, text = row.row_number, display(cell).strip()
    result = parse_period_cell(cell)
    if result is DateProblem.BLANK:
        row.errors.append(messages.period_blank(number))
    elif result is DateProblem.NO_YEAR:
        row.errors.append(messages.period_no_year(number, text))
    elif result is DateProblem.NOT_REAL:
        row.errors.append(messages.period_not_real(number, text, frequency))
    elif isinstance(result, MonthFirst):
        row.errors.append(messages.period_month_first(number, text, result.suggestion))
    elif isinstance(result, DateProblem):
        row.errors.append(messages.period_unrecognised(number, text, frequency))
    elif result.month_only and frequency != "monthly":
        row.errors.append(messages.period_is_month(number, text, frequency))
    else:
        row.period = normalise_period(result.day, frequency)
        if row.period != result.day:
            row.period_normalised = True
            row.notes.append(messages.period_normalised(number, result.day, row.period, frequency))


@dataclass(frozen=True)
class _Count:
    value: Decimal | None
    ok: bool  # parsed and passed its own checks, so cross-checks against the other count make sense


def _parse_number(row: PreviewRow, role: str, cell: Cell) -> ParsedNumber | None:
    number, result = row.row_number, parse_number_cell(cell, DATA_NUMBER)
    if result is NumberProblem.BLANK:
        row.errors.append(messages.number_blank(number, role))
    elif result is NumberProblem.DECIMAL_COMMA:
        row.errors.append(messages.number_decimal_comma(number, role, display(cell).strip()))
    elif result is NumberProblem.EXPONENT:
        row.errors.append(messages.number_exponent(number, role, display(cell).strip()))
    elif result is NumberProblem.TOO_LARGE:
        row.errors.append(messages.number_too_large(number, role, DATA_NUMBER))
    elif isinstance(result, NumberProblem):
        row.errors.append(messages.number_not_a_number(number, role, display(cell).strip()))
    else:
        return result
    return None


def _parse_count(row: PreviewRow, role: str, cell: Cell) -> _Count:
    parsed = _parse_number(row, role, cell)
    if parsed is None:
        return _Count(None, ok=False)
    errors_before = len(row.errors)
    if parsed.was_percent:
        row.errors.append(messages.count_is_percent(row.row_number, role))
    elif parsed.value < 0:
        row.errors.append(messages.number_negative(row.row_number, role))
    elif not is_whole(parsed.value):
        row.errors.append(messages.count_not_whole(row.row_number, role, parsed.value))
    # Counts are stored as integer-valued Decimals: "12.0" from Excel is 12.
    value = parsed.value.to_integral_value() if is_whole(parsed.value) else DATA_NUMBER.rounded(parsed.value)
    return _Count(value, ok=len(row.errors) == errors_before)


def _parse_value(row: PreviewRow, cell: Cell) -> Decimal | None:
    parsed = _parse_number(row, "value", cell)
    if parsed is None:
        return None
    if parsed.was_percent:
        # "45%" in a percentage measure means 45 on the chart; tell the user rather than do it silently.
        row.notes.append(messages.percent_stripped(row.row_number, parsed.value))
    if parsed.value < 0:
        row.errors.append(messages.number_negative(row.row_number, "value"))
    return DATA_NUMBER.rounded(parsed.value)


def display(cell: Cell) -> str:
    """A cell as the user would recognise it in their spreadsheet, for messages and the preview."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        if not math.isfinite(cell) or not 1e-20 < abs(cell) < 1e20:
            return repr(cell)  # 1e-300 written out would be 300 characters of zeros
        return format_number(Decimal(repr(cell)))
    return str(cell)
