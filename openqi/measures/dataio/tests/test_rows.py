"""Row-level checks: every kind of mistake gets its own plain-English message naming the spreadsheet row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openqi.measures.dataio import DataRow, ImportCounts

from .helpers import csv_bytes, parse

HEADER = "period,numerator,denominator,comment"
DAY_FIRST = "Enter dates day first, like 03/03/2025, 3 Mar 2025 or 2025-03-03."
ONCE = "Each period can only be in the file once."


def row_errors(*lines: str, **options: object) -> list[str]:
    preview = parse(csv_bytes(HEADER, *lines), **options)  # type: ignore[arg-type]
    assert not preview.file_errors
    return [message for row in preview.rows for message in row.errors]


def test_a_clean_file_is_valid_and_gives_data_rows() -> None:
    preview = parse(csv_bytes(HEADER, "03/03/2025,3,10,Started the new form", "10/03/2025,4,12,"))
    assert preview.is_valid
    assert preview.counts == ImportCounts(new=2, updates=0, errors=0)
    assert preview.to_data_rows() == [
        DataRow(
            date(2025, 3, 3), numerator=Decimal(3), denominator=Decimal(10), comment="Started the new form"
        ),
        DataRow(date(2025, 3, 10), numerator=Decimal(4), denominator=Decimal(12)),
    ]
    assert [row.row_number for row in preview.rows] == [2, 3]


def test_value_measure() -> None:
    preview = parse(csv_bytes("Date,Result", "2025-03-04,12.5"), has_denominator=False, frequency="daily")
    assert preview.is_valid
    (row,) = preview.rows
    assert (row.period, row.value, row.numerator) == (date(2025, 3, 4), Decimal("12.5"), None)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (",3,10,", "Row 2: Enter a period (the date) or delete the row."),
        (
            "soon,3,10,",
            f"Row 2: 'soon' is not a date. {DAY_FIRST}",
        ),
        (
            "31/02/2025,3,10,",
            f"Row 2: '31/02/2025' is not a real date. {DAY_FIRST}",
        ),
        (
            "03/15/2025,3,10,",
            "Row 2: '03/15/2025' is not a real date. "
            "Enter dates day first (day/month/year), like 15/03/2025.",
        ),
        ("4 March,3,10,", "Row 2: '4 March' has no year. Enter the full date, like 3 Mar 2025."),
        (
            "March 2025,3,10,",
            "Row 2: 'March 2025' is a month, not a date. "
            "This measure is weekly, so enter a date, like 03/03/2025.",
        ),
        ("03/03/2025,,10,", "Row 2: Enter a numerator or delete the row."),
        ("03/03/2025,3,,", "Row 2: Enter a denominator or delete the row."),
        (
            "03/03/2025,three,10,",
            "Row 2: The numerator 'three' is not a number. Enter a number, like 12 or 12.5.",
        ),
        (
            "03/03/2025,3,N/A,",
            "Row 2: The denominator 'N/A' is not a number. Enter a number, like 12 or 12.5.",
        ),
        (
            '03/03/2025,"1,5",10,',
            "Row 2: The numerator '1,5' is not a number. Use a full stop for decimals, like 1.5.",
        ),
        ("03/03/2025,-1,10,", "Row 2: The numerator must be 0 or more."),
        ("03/03/2025,1,-10,", "Row 2: The denominator must be 0 or more."),
        ("03/03/2025,2.5,10,", "Row 2: The numerator must be a whole number (it is a count), not 2.5."),
        ("03/03/2025,2,10.5,", "Row 2: The denominator must be a whole number (it is a count), not 10.5."),
        ("03/03/2025,45%,100,", "Row 2: The numerator must be a count, not a percentage."),
        ("03/03/2025,11,10,", "Row 2: The numerator (11) must not be more than the denominator (10)."),
        ("03/03/2025,3,0,", "Row 2: The denominator must be more than 0 when there is a numerator."),
        ("03/03/2025,0,0,", "Row 2: The denominator must be more than 0 when there is a numerator."),
        (
            "03/03/2025,3,1e20,",
            "Row 2: The denominator '1e20' is in scientific notation. Enter it as an ordinary number, "
            "like 1200 or 0.05 (in Excel, format the column as Number).",
        ),
        (
            "03/03/2025,3,1000000000000,",
            "Row 2: The denominator must be less than 1,000,000,000,000.",
        ),
        (
            "03/03/2025,NaN,10,",
            "Row 2: The numerator 'NaN' is not a number. Enter a number, like 12 or 12.5.",
        ),
        (
            "03/03/2025,3,Infinity,",
            "Row 2: The denominator 'Infinity' is not a number. Enter a number, like 12 or 12.5.",
        ),
    ],
)
def test_each_mistake_has_one_clear_message(line: str, message: str) -> None:
    assert row_errors(line) == [message]


def test_value_measure_messages() -> None:
    preview = parse(
        csv_bytes("period,value", "2025-03-04,", "2025-03-05,-2", "2025-03-06,lots"),
        has_denominator=False,
        frequency="daily",
    )
    assert preview.error_messages() == [
        "Row 2: Enter a value or delete the row.",
        "Row 3: The value must be 0 or more.",
        "Row 4: The value 'lots' is not a number. Enter a number, like 12 or 12.5.",
    ]


def test_all_problems_in_a_row_are_reported_together() -> None:
    assert row_errors("someday,x,,") == [
        f"Row 2: 'someday' is not a date. {DAY_FIRST}",
        "Row 2: The numerator 'x' is not a number. Enter a number, like 12 or 12.5.",
        "Row 2: Enter a denominator or delete the row.",
    ]


def test_numbers_with_thousands_separators_and_spaces() -> None:
    preview = parse(csv_bytes(HEADER, '03/03/2025," 1,234 ","12,000",'))
    assert preview.is_valid
    assert (preview.rows[0].numerator, preview.rows[0].denominator) == (Decimal(1234), Decimal(12000))


def test_whole_numbers_written_as_decimals_are_counts() -> None:
    (row,) = parse(csv_bytes(HEADER, "03/03/2025,3.0,10.00,")).rows
    assert not row.errors
    assert (str(row.numerator), str(row.denominator)) == ("3", "10")


def test_percent_in_a_value_measure_is_stripped_with_a_note() -> None:
    preview = parse(csv_bytes("period,value", "01/03/2025,45%"), has_denominator=False, frequency="monthly")
    assert preview.is_valid
    (row,) = preview.rows
    assert row.value == Decimal(45)
    assert row.notes == ["Row 2: 45% is recorded as 45."]


def test_rates_may_have_numerator_above_denominator_when_the_caller_says_so() -> None:
    preview = parse(csv_bytes(HEADER, "03/03/2025,12,10,"), numerator_may_exceed_denominator=True)
    assert preview.is_valid


def test_weekly_periods_move_to_monday_and_say_so() -> None:
    (row,) = parse(csv_bytes(HEADER, "Wed 5 March 2025,3,10,")).rows
    assert row.period == date(2025, 3, 3)
    assert row.period_normalised
    assert row.notes == ["Row 2: 5 March 2025 is recorded as the week commencing Monday 3 March 2025."]
    assert not row.errors


def test_week_ending_column_maps_to_the_monday_of_that_week() -> None:
    preview = parse(csv_bytes("Week ending,numerator,denominator", "09/03/2025,1,2"))
    assert preview.rows[0].period == date(2025, 3, 3)


def test_monthly_periods_move_to_the_first() -> None:
    preview = parse(
        csv_bytes("month,numerator,denominator", "15/03/2025,1,2", "April 2025,1,2"), frequency="monthly"
    )
    assert [row.period for row in preview.rows] == [date(2025, 3, 1), date(2025, 4, 1)]
    assert [row.period_normalised for row in preview.rows] == [True, False]
    assert preview.rows[0].notes == ["Row 2: 15 March 2025 is recorded as March 2025."]


def test_daily_periods_are_the_date_itself() -> None:
    (row,) = parse(csv_bytes(HEADER, "05/03/2025,1,2,"), frequency="daily").rows
    assert (row.period, row.period_normalised) == (date(2025, 3, 5), False)


def test_duplicate_periods_after_normalisation() -> None:
    assert row_errors("03/03/2025,1,2,", "10/03/2025,1,2,", "05/03/2025,1,2,") == [
        f"Row 4: The week commencing Monday 3 March 2025 is also in row 2. {ONCE}"
    ]


def test_duplicate_months() -> None:
    preview = parse(
        csv_bytes("period,value", "March 2025,1", "2025-03-20,2"), has_denominator=False, frequency="monthly"
    )
    assert preview.error_messages() == [f"Row 3: March 2025 is also in row 2. {ONCE}"]


def test_existing_periods_are_updates() -> None:
    preview = parse(
        csv_bytes(HEADER, "05/03/2025,1,2,", "10/03/2025,1,2,", "17/03/2025,x,2,"),
        existing={date(2025, 3, 3), date(2025, 3, 17)},
    )
    assert [row.is_update for row in preview.rows] == [True, False, True]
    # Counts are of rows without errors; the row with an error counts only as an error.
    assert preview.counts == ImportCounts(new=1, updates=1, errors=1)


def test_skipping_updates() -> None:
    preview = parse(csv_bytes(HEADER, "03/03/2025,1,2,", "10/03/2025,1,2,"), existing={date(2025, 3, 3)})
    assert [row.period for row in preview.to_data_rows(include_updates=False)] == [date(2025, 3, 10)]
    assert len(preview.to_data_rows()) == 2


def test_invalid_preview_cannot_be_saved() -> None:
    preview = parse(csv_bytes(HEADER, "03/03/2025,x,2,"))
    assert not preview.is_valid
    with pytest.raises(ValueError, match="errors"):
        preview.to_data_rows()


def test_empty_rows_are_skipped_and_row_numbers_are_the_spreadsheet_rows() -> None:
    preview = parse(csv_bytes(HEADER, "", ",,,", "03/03/2025,1,2,", "  ,  ,,", "10/03/2025,x,2,"))
    assert [row.row_number for row in preview.rows] == [4, 6]
    assert preview.error_messages() == [
        "Row 6: The numerator 'x' is not a number. Enter a number, like 12 or 12.5."
    ]


def test_multi_line_comments_count_as_one_row() -> None:
    preview = parse(csv_bytes(HEADER, '03/03/2025,1,2,"line one', 'line two"', "10/03/2025,x,2,"))
    assert preview.rows[0].comment == "line one\r\nline two"
    assert preview.rows[1].row_number == 3


def test_unquoted_commas_shifting_cells_are_caught() -> None:
    # "1,234" unquoted would otherwise import as numerator 1, denominator 234 and comment "2000".
    errors = row_errors("03/03/2025,1,234,2000,")
    assert errors[0].startswith("Row 2: The row has 5 cells but the first row names 4 columns.")
    assert parse(csv_bytes(HEADER, '03/03/2025,"1,234",2000,')).is_valid


def test_source_keeps_cells_as_typed() -> None:
    (row,) = parse(csv_bytes(HEADER, "05/03/2025,three,10,hi")).rows
    assert row.source == {"period": "05/03/2025", "numerator": "three", "denominator": "10", "comment": "hi"}


def test_comment_apostrophe_guard_is_removed_on_import() -> None:
    (row,) = parse(csv_bytes(HEADER, "03/03/2025,1,2,'=SUM(A1)")).rows
    assert row.comment == "=SUM(A1)"
    (row,) = parse(csv_bytes(HEADER, "03/03/2025,1,2,'Twas ever thus")).rows
    assert row.comment == "'Twas ever thus"


def test_unknown_frequency_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="frequency"):
        parse(csv_bytes(HEADER), frequency="fortnightly")
