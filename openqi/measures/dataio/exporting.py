"""write_csv and write_xlsx: a measure's data in files that open cleanly in Excel and import back as-is."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .escaping import escape_formula
from .numeric import format_number
from .records import DataRow

# Characters XML 1.0 (so xlsx) cannot hold, and that would make a CSV look binary on re-import.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DATE_FORMAT = "yyyy-mm-dd"
DATA_SHEET = "Data"
ABOUT_SHEET = "About"


def header(*, has_denominator: bool) -> list[str]:
    return (
        ["period", "numerator", "denominator", "comment"]
        if has_denominator
        else ["period", "value", "comment"]
    )


def clean_text(text: str) -> str:
    return _CONTROL_RE.sub("", text)


def _cells(row: DataRow, has_denominator: bool) -> list[Decimal | None]:
    return [row.numerator, row.denominator] if has_denominator else [row.value]


def write_csv(rows: Iterable[DataRow], *, has_denominator: bool) -> bytes:
    """UTF-8 with a BOM: without one, Excel on Windows reads UTF-8 as Windows-1252 and mangles "£" and "é"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(has_denominator=has_denominator))
    for row in rows:
        numbers = ["" if n is None else format_number(n) for n in _cells(row, has_denominator)]
        writer.writerow([row.period.isoformat(), *numbers, escape_formula(clean_text(row.comment))])
    return buffer.getvalue().encode("utf-8-sig")


def _excel_number(value: Decimal | None) -> int | float | None:
    # Excel holds doubles: ints stay exact, floats keep 15 significant digits (plenty for any QI measure).
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _text_cell(sheet: Any, row: int, column: int, text: str) -> Any:
    cell = sheet.cell(row=row, column=column, value=clean_text(text))
    # openpyxl turns any string starting "=" into a formula; typed as a string Excel shows it as text,
    # which guards against formula injection in the workbook without an apostrophe the user would see.
    cell.data_type = "s"
    return cell


def write_xlsx(
    rows: Iterable[DataRow], *, has_denominator: bool, title: str, metadata: dict[str, str]
) -> bytes:
    """A "Data" sheet that parse_upload reads back, then an "About" sheet with ``title`` and ``metadata``.

    The header is row 1 of the Data sheet (no title rows above it), so the file can be edited and re-uploaded.
    """
    from openpyxl import Workbook  # deferred: only exports pay for importing it
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.properties.title = clean_text(title)[:255]
    workbook.properties.creator = "OpenQI"
    bold = Font(bold=True)

    data = workbook.active
    data.title = DATA_SHEET
    names = header(has_denominator=has_denominator)
    for column, name in enumerate(names, start=1):
        data.cell(row=1, column=column, value=name).font = bold
    comment_column = len(names)
    for row_number, row in enumerate(rows, start=2):
        data.cell(row=row_number, column=1, value=row.period).number_format = DATE_FORMAT
        for column, number in enumerate(_cells(row, has_denominator), start=2):
            data.cell(row=row_number, column=column, value=_excel_number(number))
        if row.comment:
            _text_cell(data, row_number, comment_column, row.comment)
    data.freeze_panes = "A2"
    data.column_dimensions["A"].width = 12
    for letter in "BC"[: comment_column - 2]:
        data.column_dimensions[letter].width = 14
    data.column_dimensions["BCD"[comment_column - 2]].width = 60.0

    about = workbook.create_sheet(ABOUT_SHEET)
    _text_cell(about, 1, 1, title).font = Font(bold=True, size=14)
    for row_number, (key, value) in enumerate(metadata.items(), start=3):
        _text_cell(about, row_number, 1, key).font = bold
        _text_cell(about, row_number, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 80

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
