"""Building uploads in tests the way users' spreadsheet programs make them."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from openqi.measures.dataio import ImportPreview, parse_upload


def csv_bytes(*lines: str, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    return "\r\n".join(line.replace(",", delimiter) for line in lines).encode(encoding)


def xlsx_bytes(*rows: list[object], sheet_title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(
    content: bytes,
    *,
    filename: str = "data.csv",
    has_denominator: bool = True,
    frequency: str = "weekly",
    existing: set[date] | None = None,
    numerator_may_exceed_denominator: bool = False,
) -> ImportPreview:
    return parse_upload(
        filename,
        content,
        has_denominator=has_denominator,
        frequency=frequency,
        existing_periods=existing or set(),
        numerator_may_exceed_denominator=numerator_may_exceed_denominator,
    )
