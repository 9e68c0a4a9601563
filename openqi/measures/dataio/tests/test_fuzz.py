"""Hostile uploads: whatever bytes, cells and numbers a file holds, parsing never raises, never takes long,
keeps its messages short, and a preview that says "valid" holds only what the database can store."""

from __future__ import annotations

import csv
import io
import time
from datetime import date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from openqi.core.tests.hostile import fuzz, hostile_text
from openqi.measures.dataio import (
    COMMENT_MAX_LENGTH,
    DATA_NUMBER,
    ImportPreview,
    parse_records,
    parse_upload,
    read_number,
)
from openqi.measures.dataio.messages import QUOTE_LONGEST, UNEXPECTED
from openqi.measures.periods import EARLIEST_PERIOD, LATEST_PERIOD

from .helpers import xlsx_bytes

# A message names a row, a column and at most QUOTE_LONGEST characters of what was typed.
LONGEST_MESSAGE = 400 + QUOTE_LONGEST
HEADERS = [
    ["period", "value", "comment"],
    ["period", "numerator", "denominator", "comment"],
    ["Week commencing", "Numerator (seen)", "Denominator", "Notes"],
    ["date", "value", "value"],
]


def assert_sound(preview: ImportPreview, seconds: float) -> None:
    assert seconds < 2, f"parsing took {seconds:.1f} s"
    # parse_upload turns any exception into this message (and logs it): here it is a bug found.
    assert UNEXPECTED not in preview.file_errors
    for message in [*preview.file_errors, *preview.file_notes, *preview.error_messages()]:
        assert len(message) <= LONGEST_MESSAGE and "\n" not in message, message[:200]
    for row in preview.rows:
        for note in row.notes:
            assert len(note) <= LONGEST_MESSAGE
    if not preview.is_valid:
        return
    for row in preview.rows:
        assert row.period is not None and EARLIEST_PERIOD <= row.period <= LATEST_PERIOD
        assert len(row.comment) <= COMMENT_MAX_LENGTH
        for number in (row.value, row.numerator, row.denominator):
            if number is not None:
                # What a valid preview holds, the database column holds exactly.
                assert DATA_NUMBER.fits(number) and DATA_NUMBER.rounded(number) == number, number


def timed_parse(filename: str, content: bytes, *, has_denominator: bool) -> None:
    started = time.perf_counter()
    preview = parse_upload(
        filename,
        content,
        has_denominator=has_denominator,
        frequency="weekly",
        existing_periods={date(2025, 1, 6)},
    )
    assert_sound(preview, time.perf_counter() - started)


cells = st.one_of(hostile_text, st.sampled_from(["2025-01-06", "6/1/2025", "3", "10", "12.5"]))


@fuzz(100)
@given(
    header=st.sampled_from(HEADERS),
    rows=st.lists(st.lists(cells, min_size=1, max_size=6), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    has_denominator=st.booleans(),
)
def test_any_csv_cells(
    header: list[str], rows: list[list[str]], delimiter: str, has_denominator: bool
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    timed_parse(
        "data.csv", buffer.getvalue().encode("utf-8", "surrogatepass"), has_denominator=has_denominator
    )


@fuzz(100)
@given(
    content=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=200).map(lambda tail: b"PK\x03\x04" + tail),
        st.text(max_size=1000).map(lambda text: text.encode("utf-8", "surrogatepass")),
    ),
    filename=st.sampled_from(["data.csv", "data.xlsx", "data.txt", "data.xls", "data", "C:\\data.CSV"]),
)
def test_any_bytes(content: bytes, filename: str) -> None:
    timed_parse(filename, content, has_denominator=True)


workbook_cells = st.one_of(
    hostile_text,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.dates(min_value=date(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1)),
    st.booleans(),
    st.none(),
)


@fuzz(30)
@given(
    header=st.sampled_from(HEADERS),
    rows=st.lists(st.lists(workbook_cells, min_size=1, max_size=5), max_size=5),
    has_denominator=st.booleans(),
)
def test_any_workbook_cells(header: list[str], rows: list[list[object]], has_denominator: bool) -> None:
    try:
        content = xlsx_bytes(header, *rows)
    except (ValueError, TypeError, IllegalCharacterError):
        return  # openpyxl itself will not write it (a control character in a string, say)
    timed_parse("data.xlsx", content, has_denominator=has_denominator)


json_values = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    st.decimals(),
    st.booleans(),
    st.none(),
)


@fuzz(100)
@given(
    records=st.lists(
        st.dictionaries(st.sampled_from(["period", "value", "comment"]), json_values), max_size=6
    )
)
def test_any_records_from_a_program(records: list[dict[str, object]]) -> None:
    # The API's bulk upload sends JSON values straight to parse_records.
    started = time.perf_counter()
    preview = parse_records(
        enumerate(records, start=1), has_denominator=False, frequency="monthly", existing_periods=set()
    )
    assert_sound(preview, time.perf_counter() - started)


@fuzz(200)
@given(value=json_values)
def test_read_number_gives_a_storable_number_or_a_reason(value: object) -> None:
    result = read_number(value)
    if isinstance(result, Decimal):
        assert DATA_NUMBER.fits(result) and DATA_NUMBER.rounded(result) == result
