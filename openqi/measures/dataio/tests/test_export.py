"""Export: files that Excel opens cleanly, that cannot run formulas, and that import back unchanged."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from openqi.measures.dataio import (
    FREQUENCIES,
    DataRow,
    escape_formula,
    parse_upload,
    unescape_formula,
    write_csv,
    write_xlsx,
)
from openqi.measures.dataio.exporting import ChartColumns, analysis_header
from openqi.measures.periods import normalise_period

ROWS = [
    DataRow(date(2025, 3, 3), numerator=Decimal(4), denominator=Decimal(10), comment="New form started"),
    DataRow(date(2025, 3, 10), numerator=Decimal(0), denominator=Decimal(12), comment=""),
    DataRow(
        date(2025, 3, 17), numerator=Decimal(1234), denominator=Decimal(20000), comment='Said "yes", then no'
    ),
]
VALUES = [
    DataRow(date(2025, 3, 1), value=Decimal("45.5"), comment="café £5"),
    DataRow(date(2025, 4, 1), value=Decimal("0.125")),
]
METADATA = {
    "Measure": "Completion of Low Intensity CBT",
    "Definition": "Service users who complete treatment, out of those who start",
    "Unit": "%",
    "Exported at": "4 March 2025 10:15",
}


def reimport(content: bytes, filename: str, *, has_denominator: bool, frequency: str) -> list[DataRow]:
    preview = parse_upload(
        filename, content, has_denominator=has_denominator, frequency=frequency, existing_periods=set()
    )
    assert preview.is_valid, preview.error_messages()
    assert not any(row.notes for row in preview.rows)  # nothing normalised or reinterpreted on the way back
    return preview.to_data_rows()


# --- CSV --------------------------------------------------------------------------------------------


def test_csv_layout() -> None:
    content = write_csv(ROWS[:2], has_denominator=True)
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").split("\r\n") == [
        "period,numerator,denominator,comment",
        "2025-03-03,4,10,New form started",
        "2025-03-10,0,12,",
        "",
    ]
    assert write_csv([], has_denominator=False).decode("utf-8-sig") == "period,value,comment\r\n"


def test_csv_numbers_are_plain_decimals() -> None:
    rows = [
        DataRow(date(2025, 3, 3), value=Decimal("1E+3")),
        DataRow(date(2025, 3, 4), value=Decimal("12.50")),
    ]
    lines = write_csv(rows, has_denominator=False).decode("utf-8-sig").split("\r\n")
    assert lines[1:3] == ["2025-03-03,1000,", "2025-03-04,12.5,"]


def test_stored_numbers_lose_their_column_padding() -> None:
    # The database keeps six decimal places: a count of 11 comes back as 11.000000.
    rows = [
        DataRow(date(2025, 3, 3), numerator=Decimal("11.000000"), denominator=Decimal("40.000000")),
        DataRow(date(2025, 3, 10), numerator=Decimal("2.500000"), denominator=Decimal("1000.000000")),
    ]
    lines = write_csv(rows, has_denominator=True).decode("utf-8-sig").split("\r\n")
    assert lines[1:3] == ["2025-03-03,11,40,", "2025-03-10,2.5,1000,"]


def test_chart_columns_beside_the_data_and_still_importable() -> None:
    analysis = {
        ROWS[0].period: ChartColumns(40.0, 37.254, 12.5, 62.0, ""),
        ROWS[1].period: ChartColumns(0.0, 37.254, 14.1, 60.4, "Special cause concern: below the lower limit"),
    }
    content = write_csv(ROWS[:2], has_denominator=True, analysis=analysis, unit="%", decimals=2)
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == (
        "period,numerator,denominator,comment,chart value (%),chart centre line (%),chart lower limit (%),"
        "chart upper limit (%),chart signal"
    )
    assert lines[1] == "2025-03-03,4,10,New form started,40.00,37.25,12.50,62.00,"
    assert lines[2].endswith(",0.00,37.25,14.10,60.40,Special cause concern: below the lower limit")
    preview = parse_upload("x.csv", content, has_denominator=True, frequency="weekly", existing_periods=set())
    assert preview.is_valid and [r.numerator for r in preview.to_data_rows()] == [4, 0]
    workbook = load_workbook(
        io.BytesIO(
            write_xlsx(ROWS[:2], has_denominator=True, title="t", metadata={}, analysis=analysis, unit="%")
        )
    )
    sheet = workbook["Data"]
    assert [c.value for c in sheet[1]][4:] == analysis_header("%")
    assert sheet.cell(row=2, column=2).value == 4 and isinstance(sheet.cell(row=2, column=2).value, int)
    assert sheet.cell(row=3, column=6).value == 37.25 and sheet.cell(row=3, column=6).number_format == "0.00"


def test_csv_round_trip() -> None:
    assert (
        reimport(write_csv(ROWS, has_denominator=True), "x.csv", has_denominator=True, frequency="weekly")
        == ROWS
    )
    assert (
        reimport(
            write_csv(VALUES, has_denominator=False), "x.csv", has_denominator=False, frequency="monthly"
        )
        == VALUES
    )


@pytest.mark.parametrize(
    ("comment", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 1234", "'+44 1234"),
        ("-2 staff off", "'-2 staff off"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("'=already quoted", "''=already quoted"),
        ("'Twas fine", "'Twas fine"),
        ("fine = fine", "fine = fine"),
    ],
)
def test_csv_formula_injection_is_neutralised_and_reversible(comment: str, written: str) -> None:
    row = DataRow(date(2025, 3, 3), value=Decimal(1), comment=comment)
    content = write_csv([row], has_denominator=False)
    (_, data_line) = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    assert data_line[2] == written
    assert reimport(content, "x.csv", has_denominator=False, frequency="daily") == [row]


def test_escape_and_unescape() -> None:
    for text in ["=1", "+1", "-1", "@x", "\t=1", "\r=1", "'=1", "''-1", "plain", "", "'", "''"]:
        assert unescape_formula(escape_formula(text)) == text
        assert not escape_formula(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_control_characters_are_dropped_from_comments() -> None:
    row = DataRow(date(2025, 3, 3), value=Decimal(1), comment="bell\x07 and nul\x00")
    (back,) = reimport(
        write_csv([row], has_denominator=False), "x.csv", has_denominator=False, frequency="daily"
    )
    assert back.comment == "bell and nul"


# --- xlsx -------------------------------------------------------------------------------------------


def test_xlsx_layout() -> None:
    content = write_xlsx(ROWS, has_denominator=True, title="Completion of LI CBT", metadata=METADATA)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Data", "About"]
    data = workbook["Data"]
    assert [cell.value for cell in data[1]] == ["period", "numerator", "denominator", "comment"]
    assert data["A2"].value == datetime(2025, 3, 3)
    assert data["A2"].is_date
    assert data["A2"].number_format == "yyyy-mm-dd"
    assert (data["B2"].value, data["C2"].value) == (4, 10)
    assert data["B2"].data_type == "n"
    assert data["D3"].value is None
    assert data.freeze_panes == "A2"

    about = workbook["About"]
    assert about["A1"].value == "Completion of LI CBT"
    assert {
        about.cell(row=r, column=1).value: about.cell(row=r, column=2).value for r in range(3, 7)
    } == METADATA
    assert workbook.properties.title == "Completion of LI CBT"


def test_xlsx_value_numbers_are_numbers() -> None:
    content = write_xlsx(VALUES, has_denominator=False, title="t", metadata={})
    data = load_workbook(io.BytesIO(content))["Data"]
    assert [cell.value for cell in data[1]] == ["period", "value", "comment"]
    assert (data["B2"].value, data["B3"].value) == (45.5, 0.125)


def test_xlsx_never_writes_formulas() -> None:
    evil = "=cmd|' /C calc'!A0"
    rows = [DataRow(date(2025, 3, 3), value=Decimal(1), comment=evil)]
    content = write_xlsx(rows, has_denominator=False, title="=title", metadata={"=key": "=value"})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert all(b"<f>" not in xml for xml in sheets)
    assert reimport(content, "x.xlsx", has_denominator=False, frequency="daily") == rows


def test_xlsx_round_trip() -> None:
    content = write_xlsx(ROWS, has_denominator=True, title="t", metadata=METADATA)
    assert reimport(content, "export.xlsx", has_denominator=True, frequency="weekly") == ROWS
    content = write_xlsx(VALUES, has_denominator=False, title="t", metadata={})
    assert reimport(content, "export.xlsx", has_denominator=False, frequency="monthly") == VALUES


# --- properties -------------------------------------------------------------------------------------

_comment_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from(["\n", "\t", "=", "+", "-", "@", "'", ",", ";", '"', "%", " "]),
    ),
    max_size=40,
).map(str.strip)  # import strips comments, as any form field would


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, bool, list[DataRow]]:
    frequency = draw(st.sampled_from(FREQUENCIES))
    has_denominator = draw(st.booleans())
    offsets = draw(st.lists(st.integers(0, 30_000), max_size=30))
    periods = sorted({normalise_period(date(2000, 1, 1) + timedelta(days=o), frequency) for o in offsets})
    rows = []
    for period in periods:
        comment = draw(_comment_text)
        if has_denominator:
            denominator = draw(st.integers(1, 10**9))
            numerator = draw(st.integers(0, denominator))
            rows.append(
                DataRow(
                    period, numerator=Decimal(numerator), denominator=Decimal(denominator), comment=comment
                )
            )
        else:
            places = draw(st.integers(0, 4))
            value = Decimal(draw(st.integers(0, 10**10))).scaleb(-places)
            rows.append(DataRow(period, value=value, comment=comment))
    return frequency, has_denominator, rows


@given(exports())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_csv_round_trip_property(export: tuple[str, bool, list[DataRow]]) -> None:
    frequency, has_denominator, rows = export
    content = write_csv(rows, has_denominator=has_denominator)
    preview = parse_upload(
        "export.csv", content, has_denominator=has_denominator, frequency=frequency, existing_periods=set()
    )
    if not rows:
        assert preview.file_errors  # a header with no rows is not an import
        return
    assert preview.is_valid, preview.error_messages()
    assert preview.to_data_rows() == rows


@given(exports())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_xlsx_round_trip_property(export: tuple[str, bool, list[DataRow]]) -> None:
    frequency, has_denominator, rows = export
    content = write_xlsx(rows, has_denominator=has_denominator, title="t", metadata={})
    preview = parse_upload(
        "export.xlsx", content, has_denominator=has_denominator, frequency=frequency, existing_periods=set()
    )
    if not rows:
        assert preview.file_errors
        return
    assert preview.is_valid, preview.error_messages()
    assert preview.to_data_rows() == rows
