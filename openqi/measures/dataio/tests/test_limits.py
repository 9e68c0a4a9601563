"""What a number, a cell and a file may hold: the database's columns are the limit, scientific notation is
refused before it becomes digits, and messages stay short whatever a cell held (reliability issue, items 1,
2 and 5)."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

import pytest

from openqi.measures.dataio import (
    COMMENT_MAX_LENGTH,
    DATA_NUMBER,
    MAX_CELL_CHARS,
    TARGET_NUMBER,
    NumberProblem,
    parse_records,
    read_number,
)
from openqi.measures.dataio.numeric import parse_number_cell, shown_number

from .helpers import csv_bytes, parse, xlsx_bytes

VALUE_HEADER = "period,value,comment"
RATIO_HEADER = "period,numerator,denominator,comment"


def value_errors(*lines: str) -> list[str]:
    return parse(csv_bytes(VALUE_HEADER, *lines), has_denominator=False, frequency="monthly").error_messages()


def test_the_limit_is_the_data_point_column() -> None:
    # DataPoint's DecimalFields are declared from DATA_NUMBER: 18 digits, 6 after the point.
    assert (DATA_NUMBER.max_digits, DATA_NUMBER.decimal_places) == (18, 6)
    assert DATA_NUMBER.limit == Decimal(10) ** 12
    assert read_number("999999999999.999") == Decimal("999999999999.999")
    assert read_number("1000000000000") is NumberProblem.TOO_LARGE
    # Rounding (to six places, and to the 15 significant digits SQLite keeps) must not carry a number over
    # the limit.
    assert read_number("999999999999.9999999") is NumberProblem.TOO_LARGE
    assert read_number("999999999999.9999") is NumberProblem.TOO_LARGE
    assert read_number("123456789012.123456") == Decimal("123456789012.123")
    assert read_number("0.1234565") == Decimal("0.123457")
    assert read_number(99999999999999) is NumberProblem.TOO_LARGE
    assert read_number(1e13) is NumberProblem.TOO_LARGE
    assert read_number("12.5", TARGET_NUMBER) == Decimal("12.5")
    assert read_number("10000000000", TARGET_NUMBER) is NumberProblem.TOO_LARGE


def test_a_value_the_database_cannot_hold_is_refused_by_the_import() -> None:
    # Issue item 1: 99999999999999 was accepted, saved, and then broke every page of the project.
    assert value_errors("2025-01-01,99999999999999,") == [
        "Row 2: The value must be less than 1,000,000,000,000."
    ]
    preview = parse(csv_bytes(RATIO_HEADER, "2025-01-06,1e13,2e13,"))
    assert not preview.is_valid
    assert preview.error_messages()[0].startswith("Row 2: The numerator '1e13' is in scientific notation.")


def test_a_huge_exponent_is_refused_at_once_and_never_expanded() -> None:
    # Issue item 2: 1e-300000000 took 15 s and 600 MB to preview, and was printed in full.
    started = time.perf_counter()
    preview = parse(csv_bytes(RATIO_HEADER, "2025-01-06,1e-300000000,5,", "2025-01-13,3,1E+999999999,"))
    assert time.perf_counter() - started < 1
    messages = preview.error_messages()
    assert len(messages) == 2
    assert all(len(message) < 200 for message in messages)
    assert all("scientific notation" in message for message in messages)
    for text in ("1e-300000000", "1E+300000000", "-1e999999999999", "1.5e10"):
        assert parse_number_cell(text) is NumberProblem.EXPONENT


def test_workbook_numbers_far_from_the_column_are_shown_short() -> None:
    # A workbook holds floats, not text: 1e-300 is a float, and its digits must not fill the message.
    preview = parse(
        xlsx_bytes(["period", "numerator", "denominator"], [date(2025, 1, 6), 1e-300, 5]),
        filename="data.xlsx",
    )
    (message,) = preview.error_messages()
    assert message.startswith("Row 2: The numerator must be a whole number") and len(message) < 120
    assert preview.rows[0].source["numerator"] == "1e-300"
    assert shown_number(Decimal("1e-300000000")) == "1.000E-300000000"
    assert shown_number(Decimal("0.12345678901234567890123456789")).endswith("\u2026")


def test_long_text_in_a_number_cell_is_quoted_short() -> None:
    (message,) = value_errors(f"2025-01-01,{'9' * 5000}x,")
    assert len(message) < 200 and "\u2026" in message


def test_a_comment_longer_than_the_column_is_refused() -> None:
    # Issue item 5: a 5,000-character comment was imported and then broke every later grid save.
    assert value_errors(f"2025-01-01,5,{'a' * COMMENT_MAX_LENGTH}") == []
    assert value_errors(f"2025-01-01,5,{'a' * 5000}") == [
        f"Row 2: The comment must be {COMMENT_MAX_LENGTH} characters or fewer (it has more than 1,000)."
    ]
    assert value_errors(f"2025-01-01,5,{'a' * (COMMENT_MAX_LENGTH + 1)}") == [
        f"Row 2: The comment must be {COMMENT_MAX_LENGTH} characters or fewer (it has 501)."
    ]


def test_a_workbook_cell_is_cut_short_as_it_is_read() -> None:
    # A 25 KB workbook stored a 20 MB comment: a repeated string compresses to almost nothing.
    huge = "x" * 200_000
    preview = parse(
        xlsx_bytes(["period", "value", "comment"], [date(2025, 1, 1), 5, huge], [date(2025, 2, 1), 6, huge]),
        filename="data.xlsx",
        has_denominator=False,
        frequency="monthly",
    )
    assert not preview.is_valid
    assert all(len(row.comment) <= MAX_CELL_CHARS + 1 for row in preview.rows)
    assert all(len(value) <= MAX_CELL_CHARS + 1 for row in preview.rows for value in row.source.values())


@pytest.mark.parametrize("header_cell", ["x" * 100_000, "Period\r\nInjected"])
def test_header_text_is_quoted_short_and_on_one_line(header_cell: str) -> None:
    preview = parse(csv_bytes(f'"{header_cell}",value', "2025-01-01,5"), has_denominator=False)
    assert preview.file_errors
    assert all(len(m) < 400 and "\n" not in m for m in preview.file_errors + preview.file_notes)


def test_records_from_outside_a_file_get_the_same_checks() -> None:
    # The API's bulk upload calls parse_records with JSON values.
    preview = parse_records(
        [
            (1, {"period": "2025-01-06", "numerator": 3, "denominator": 10, "comment": "ok"}),
            (2, {"period": "2025-01-06", "numerator": "1e13", "denominator": 10}),
            (3, {"period": "2025-01-13", "numerator": 4.0, "denominator": Decimal("1E+20")}),
        ],
        has_denominator=True,
        frequency="weekly",
        existing_periods={date(2025, 1, 6)},
    )
    first, second, third = preview.rows
    assert first.is_valid and first.is_update and (first.numerator, first.denominator) == (3, 10)
    assert second.errors[0].startswith("Row 2: The numerator '1e13' is in scientific notation.")
    assert second.errors[-1].startswith("Row 2: The week commencing Monday 6 January 2025 is also in row 1.")
    assert third.errors == ["Row 3: The denominator must be less than 1,000,000,000,000."]
