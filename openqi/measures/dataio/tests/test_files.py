"""File-level handling: encodings, delimiters, workbooks, headers, limits, and bytes that are not data."""

from __future__ import annotations

import io
import os
import random
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from openqi.measures.dataio import MAX_FILE_BYTES, MAX_ROWS, messages, parse_upload
from openqi.measures.dataio.reading import MAX_SCANNED_ROWS

from .helpers import csv_bytes, parse, xlsx_bytes

HEADER = "period,numerator,denominator,comment"


# --- CSV encodings and delimiters -------------------------------------------------------------------


def test_utf8_with_bom() -> None:
    preview = parse(
        b"\xef\xbb\xbf" + csv_bytes("Period,Numerator,Denominator,Comment", "03/03/2025,1,2,café")
    )
    assert preview.is_valid
    assert preview.rows[0].comment == "café"


def test_cp1252_from_excel_on_windows() -> None:
    content = csv_bytes(HEADER, "03/03/2025,1,2,Cost £5 – agreed “yes”", encoding="cp1252")
    preview = parse(content)
    assert preview.is_valid
    assert preview.rows[0].comment == "Cost £5 – agreed “yes”"


def test_latin1_fallback_for_bytes_cp1252_leaves_undefined() -> None:
    content = HEADER.encode() + b"\r\n03/03/2025,1,2,odd \x81 byte"
    preview = parse(content)
    assert preview.is_valid
    assert preview.rows[0].comment == "odd \x81 byte"


def test_utf16_unicode_text_export() -> None:
    content = "period\tnumerator\tdenominator\n03/03/2025\t1\t2\n".encode("utf-16")
    assert parse(content, filename="data.txt").is_valid


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(delimiter: str) -> None:
    content = csv_bytes(HEADER, "03/03/2025,1,2,fine", delimiter=delimiter)
    preview = parse(content)
    assert preview.is_valid
    assert preview.rows[0].numerator == Decimal(1)


def test_semicolon_file_with_thousands_commas_and_comment_commas() -> None:
    preview = parse(csv_bytes("period;numerator;denominator;comment", "03/03/2025;1,234;2,000;a, b and c"))
    assert preview.is_valid
    (row,) = preview.rows
    assert (row.numerator, row.denominator, row.comment) == (Decimal(1234), Decimal(2000), "a, b and c")


def test_unix_and_old_mac_line_endings() -> None:
    assert parse(b"period,numerator,denominator\n03/03/2025,1,2\n").is_valid
    assert parse(b"period,numerator,denominator\r03/03/2025,1,2\r").is_valid


# --- headers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "PERIOD,NUMERATOR,DENOMINATOR,COMMENT",
        " Week Commencing , Num , Denom , Notes ",
        "w/c,count,total,note",
        "Date,Events,Population,Comments",
        "week_commencing,Numerator (patients seen),Denominator (referrals),",
        "Week ending,numerator,denominator",
    ],
)
def test_header_synonyms(header: str) -> None:
    assert parse(csv_bytes(header, "03/03/2025,1,2")).is_valid


def test_missing_period_column_message() -> None:
    preview = parse(csv_bytes("when,numerator,denominator,comment", "03/03/2025,1,2,"))
    assert preview.file_errors == [
        "The file needs a 'period' column. "
        "The first row should name the columns: period, numerator, denominator, comment."
    ]
    assert not preview.is_valid
    assert preview.rows == []


def test_missing_value_column_message() -> None:
    preview = parse(csv_bytes("period,numerator,denominator", "03/03/2025,1,2"), has_denominator=False)
    assert preview.file_errors == [
        "The file needs a 'value' column. The first row should name the columns: period, value, comment. "
        "This measure needs a single value for each period, not a numerator and denominator."
    ]


def test_two_missing_columns() -> None:
    preview = parse(csv_bytes("period,value", "03/03/2025,1"))
    assert preview.file_errors[0].startswith("The file needs 'numerator' and 'denominator' columns.")


def test_no_header_row() -> None:
    preview = parse(csv_bytes("03/03/2025,1,2,", "10/03/2025,1,2,"))
    assert preview.file_errors == [
        "The first row looks like data, not column names. "
        "The first row should name the columns: period, numerator, denominator, comment."
    ]


def test_two_period_columns_is_an_error_not_a_guess() -> None:
    preview = parse(csv_bytes("Week,Date,numerator,denominator", "03/03/2025,05/03/2025,1,2"))
    assert preview.file_errors == [
        "The file has more than one period column ('Week' and 'Date'). Delete or rename all but one."
    ]


def test_unused_columns_are_noted() -> None:
    preview = parse(csv_bytes("period,numerator,denominator,ward,value", "03/03/2025,1,2,A,50"))
    assert preview.is_valid
    assert preview.file_notes == [
        "The column 'ward' was not used.",
        "The column 'value' was not used: this measure records a numerator and a denominator.",
    ]


def test_header_only() -> None:
    assert parse(csv_bytes(HEADER)).file_errors == [
        "The selected file has no rows of data under the column names."
    ]


def test_blank_lines_before_the_header_keep_spreadsheet_row_numbers() -> None:
    preview = parse(csv_bytes("", HEADER, "03/03/2025,x,2,"))
    assert preview.error_messages() == [
        "Row 3: The numerator 'x' is not a number. Enter a number, like 12 or 12.5."
    ]


# --- xlsx -------------------------------------------------------------------------------------------


def test_xlsx_with_real_dates() -> None:
    content = xlsx_bytes(
        ["Week commencing", "Numerator", "Denominator", "Comment"],
        [date(2025, 3, 3), 4, 10, "first week"],
        [datetime(2025, 3, 12, 0, 0), 5.0, 10, None],
    )
    preview = parse(content, filename="Data.XLSX")
    assert preview.is_valid, preview.error_messages()
    assert [row.period for row in preview.rows] == [date(2025, 3, 3), date(2025, 3, 10)]
    assert [row.numerator for row in preview.rows] == [Decimal(4), Decimal(5)]
    assert preview.rows[1].period_normalised


def test_xlsx_with_string_dates_and_serials() -> None:
    content = xlsx_bytes(
        ["period", "value", "notes"],
        ["04/03/2025", 1.5, "typed as text"],
        ["5 Mar 2025", "2", None],
        [45722, 3, None],  # an Excel serial in a cell without a date format
    )
    preview = parse(content, filename="data.xlsx", has_denominator=False, frequency="daily")
    assert preview.is_valid, preview.error_messages()
    assert [row.period for row in preview.rows] == [date(2025, 3, 4), date(2025, 3, 5), date(2025, 3, 6)]
    assert [row.value for row in preview.rows] == [Decimal("1.5"), Decimal(2), Decimal(3)]


def test_xlsx_row_numbers_are_excel_row_numbers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["period", "numerator", "denominator"])
    sheet["A5"], sheet["B5"], sheet["C5"] = date(2025, 3, 3), "many", 10
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = parse(buffer.getvalue(), filename="data.xlsx")
    assert preview.error_messages() == [
        "Row 5: The numerator 'many' is not a number. Enter a number, like 12 or 12.5."
    ]


def test_xlsx_error_cells_and_booleans() -> None:
    content = xlsx_bytes(["period", "numerator", "denominator"], [date(2025, 3, 3), "#DIV/0!", True])
    assert parse(content, filename="data.xlsx").error_messages() == [
        "Row 2: The numerator '#DIV/0!' is not a number. Enter a number, like 12 or 12.5.",
        "Row 2: The denominator 'TRUE' is not a number. Enter a number, like 12 or 12.5.",
    ]


def test_xlsx_reads_only_the_first_sheet() -> None:
    workbook = Workbook()
    workbook.active.append(["period", "value"])
    workbook.active.append([date(2025, 3, 3), 1])
    other = workbook.create_sheet("Other")
    other.append(["nonsense"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = parse(buffer.getvalue(), filename="d.xlsx", has_denominator=False)
    assert preview.is_valid
    assert len(preview.rows) == 1


def test_empty_workbook() -> None:
    assert parse(xlsx_bytes(), filename="d.xlsx").file_errors == [messages.NO_SHEET]


def test_workbook_named_csv_is_read_as_a_workbook() -> None:
    content = xlsx_bytes(["period", "value"], [date(2025, 3, 3), 1])
    preview = parse(content, filename="data.csv", has_denominator=False)
    assert preview.is_valid
    assert preview.file_notes[0] == messages.READ_AS_XLSX


# --- file types, garbage and limits -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("data.csv", b"", messages.EMPTY_FILE),
        ("data.csv", b"   \r\n\r\n", messages.NO_HEADER),
        ("data.pdf", b"%PDF-1.4 ...", messages.WRONG_TYPE),
        ("data", b"period,value\n", messages.WRONG_TYPE),
        ("data.ods", b"PK\x03\x04rest", messages.WRONG_TYPE),
        ("data.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), messages.OLD_EXCEL),
        ("data.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), messages.OLD_EXCEL),
        ("data.xlsx", b"period,value\n2025-03-03,1\n", messages.NOT_XLSX),
        ("data.xlsx", b"PK\x03\x04 truncated zip", messages.NOT_XLSX),
        ("data.csv", b"\x00\x01\x02\x03binary\x00" * 100, messages.NOT_CSV),
        ("data.csv", bytes(range(256)) * 20, messages.NOT_CSV),
        ("data.csv", b"\xff\xfe\x00\xd8", messages.NOT_CSV),  # UTF-16 BOM then a lone surrogate
        ("data.csv", b"\x89PNG\r\n\x1a\n" + os.urandom(2000), messages.NOT_CSV),
    ],
)
def test_file_errors(filename: str, content: bytes, message: str) -> None:
    preview = parse(content, filename=filename)
    assert preview.file_errors == [message]
    assert not preview.is_valid


def test_a_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert parse(buffer.getvalue(), filename="data.xlsx").file_errors == [messages.NOT_XLSX]


def test_a_workbook_with_a_broken_part() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<broken")
        archive.writestr("xl/workbook.xml", "<also broken")
    assert parse(buffer.getvalue(), filename="data.xlsx").file_errors == [messages.NOT_XLSX]


def test_windows_path_filenames() -> None:
    content = csv_bytes(HEADER, "03/03/2025,1,2,")
    assert parse(content, filename="C:\\Users\\me\\Desktop\\Falls data.CSV").is_valid


def test_file_too_big() -> None:
    content = csv_bytes(HEADER) + b"\r\n" + b"03/03/2025,1,2," + b" " * MAX_FILE_BYTES
    assert parse(content).file_errors == [messages.TOO_BIG]
    assert messages.TOO_BIG == "The selected file must be smaller than 5 MB."


def test_row_limit() -> None:
    lines = [f"{day.isoformat()},1,2," for day in _days(MAX_ROWS)]
    assert parse(csv_bytes(HEADER, *lines), frequency="daily").is_valid
    too_many = [*lines, "2099-01-01,1,2,"]
    preview = parse(csv_bytes(HEADER, *too_many), frequency="daily")
    assert preview.file_errors == [
        "The selected file must have no more than 10,000 rows of data. Split it into smaller files."
    ]
    assert preview.rows == []


def test_endless_empty_rows_stop_reading() -> None:
    content = csv_bytes(HEADER, "03/03/2025,1,2,", *([",,,"] * MAX_SCANNED_ROWS))
    assert parse(content).file_errors == [messages.TOO_MANY_EMPTY_ROWS]


def test_zip_bomb_workbook_is_refused_before_opening() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (120 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < MAX_FILE_BYTES
    assert parse(content, filename="bomb.xlsx").file_errors == [messages.TOO_BIG_UNZIPPED]


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_get_a_deliberate_message(seed: int) -> None:
    generator = random.Random(seed)
    content = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 3000)))
    for filename in ("x.csv", "x.xlsx", "x.txt"):
        for prefix in (b"", b"PK\x03\x04", b"period,value\n"):
            preview = parse_upload(
                filename, prefix + content, has_denominator=False, frequency="weekly", existing_periods=set()
            )
            # The catch-all in parse_upload would hide a bug; every outcome here must be a deliberate one.
            assert messages.UNEXPECTED not in preview.file_errors


def _days(count: int) -> list[date]:
    start = date(2000, 1, 1).toordinal()
    return [date.fromordinal(start + offset) for offset in range(count)]
