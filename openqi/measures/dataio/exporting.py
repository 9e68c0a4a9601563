"""write_csv and write_xlsx: a measure's data in files that open cleanly in Excel and import back as-is,
optionally with what the chart says about each period in columns beside the data (the importer leaves
those out, with a note)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
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


@dataclass(frozen=True, slots=True)
class ChartColumns:
    """What the chart says about one period: the value it plots (a proportion as a percentage), its centre
    line and limits there, and its signal in words."""

    value: float | None
    centre: float | None
    lower: float | None
    upper: float | None
    signal: str


def analysis_header(unit: str = "") -> list[str]:
    """Headers no importer role answers to ("chart …"), so a re-upload ignores these columns."""
    suffix = f" ({unit})" if unit else ""
    return [
        f"chart value{suffix}",
        f"chart centre line{suffix}",
        f"chart lower limit{suffix}",
        f"chart upper limit{suffix}",
        "chart signal",
    ]


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


def trimmed(value: Decimal) -> Decimal:
    """A stored number without the zeros its column pads it with: 11.000000 → 11, 0.250000 → 0.25."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _chart_cells(columns: ChartColumns | None, decimals: int) -> list[str]:
    if columns is None:
        return ["", "", "", "", ""]
    numbers = (columns.value, columns.centre, columns.lower, columns.upper)
    return [*("" if v is None else f"{v:.{decimals}f}" for v in numbers), escape_formula(columns.signal)]


def write_csv(
    rows: Iterable[DataRow],
    *,
    has_denominator: bool,
    analysis: Mapping[date, ChartColumns] | None = None,
    unit: str = "",
    decimals: int = 2,
) -> bytes:
    """UTF-8 with a BOM: without one, Excel on Windows reads UTF-8 as Windows-1252 and mangles "£" and "é".

    Counts stay whole numbers; ``analysis`` adds the chart's columns (``decimals`` places, in ``unit``).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    extra = analysis_header(unit) if analysis is not None else []
    writer.writerow([*header(has_denominator=has_denominator), *extra])
    for row in rows:
        numbers = ["" if n is None else format_number(trimmed(n)) for n in _cells(row, has_denominator)]
        chart = _chart_cells(analysis.get(row.period), decimals) if analysis is not None else []
        writer.writerow([row.period.isoformat(), *numbers, escape_formula(clean_text(row.comment)), *chart])
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
    rows: Iterable[DataRow],
    *,
    has_denominator: bool,
    title: str,
    metadata: dict[str, str],
    analysis: Mapping[date, ChartColumns] | None = None,
    unit: str = "",
    decimals: int = 2,
) -> bytes:
    """A "Data" sheet that parse_upload reads back, then an "About" sheet with ``title`` and ``metadata``.

    The header is row 1 of the Data sheet (no title rows above it), so the file can be edited and re-uploaded.
    ``analysis`` adds the chart's columns to the right of the data, as numbers shown to ``decimals`` places.
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
    rows_written: list[DataRow] = []
    for row_number, row in enumerate(rows, start=2):
        rows_written.append(row)
        data.cell(row=row_number, column=1, value=row.period).number_format = DATE_FORMAT
        for column, number in enumerate(_cells(row, has_denominator), start=2):
            data.cell(row=row_number, column=column, value=_excel_number(number))
        if row.comment:
            _text_cell(data, row_number, comment_column, row.comment)
    if analysis is not None:
        _write_analysis(data, rows_written, comment_column + 1, analysis, unit, decimals, bold)
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


def _write_analysis(
    sheet: Any,
    rows: list[DataRow],
    first_column: int,
    analysis: Mapping[date, ChartColumns],
    unit: str,
    decimals: int,
    bold: Any,
) -> None:
    from openpyxl.utils import get_column_letter  # deferred, as in write_xlsx

    number_format = "0" if decimals == 0 else "0." + "0" * decimals
    for offset, name in enumerate(analysis_header(unit)):
        sheet.cell(row=1, column=first_column + offset, value=name).font = bold
    for row_number, row in enumerate(rows, start=2):
        columns = analysis.get(row.period)
        if columns is None:
            continue
        numbers = (columns.value, columns.centre, columns.lower, columns.upper)
        for offset, number in enumerate(numbers):
            if number is not None:
                cell = sheet.cell(row=row_number, column=first_column + offset, value=round(number, decimals))
                cell.number_format = number_format
        if columns.signal:
            _text_cell(sheet, row_number, first_column + 4, columns.signal)
    for offset in range(4):
        sheet.column_dimensions[get_column_letter(first_column + offset)].width = 16
    sheet.column_dimensions[get_column_letter(first_column + 4)].width = 50
