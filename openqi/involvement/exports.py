"""Approved claims for finance, as CSV and as an Excel workbook: one row per claim, with the partner's
name and no bank details (those are on the organisation's own payment form). Text a person typed is
escaped so that a spreadsheet never runs it as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.styles import Font

from openqi.involvement.models import InvolvementEntry
from openqi.measures.dataio.escaping import escape_formula

HEADER = [
    "Claim",
    "Date",
    "Partner",
    "Project",
    "Activity",
    "Hours",
    "Amount (£)",
    "Approved by",
    "Approved on",
    "Note",
]


def _row(entry: InvolvementEntry) -> list[object]:
    decided = entry.decided_by.display_name if entry.decided_by else ""
    return [
        entry.pk,
        entry.occurred_on,
        escape_formula(str(entry.partner.display_name)),
        escape_formula(entry.project.title),
        entry.get_activity_display(),
        round(entry.minutes / 60, 2),
        entry.amount,
        escape_formula(str(decided)),
        entry.decided_at.date() if entry.decided_at else None,
        escape_formula(entry.note),
    ]


def write_csv(entries: Iterable[InvolvementEntry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for entry in entries:
        writer.writerow(
            ["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else v) for v in _row(entry)]
        )
    # A byte-order mark, so Excel opens the file as UTF-8 (names with accents, the pound sign).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(entries: Iterable[InvolvementEntry]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Approved claims"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        sheet.append(_row(entry))
        sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd"
        sheet.cell(row=sheet.max_row, column=7).number_format = "0.00"
        sheet.cell(row=sheet.max_row, column=9).number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGHIJ", (8, 12, 24, 36, 14, 8, 12, 24, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS: dict[str, Callable[[Iterable[InvolvementEntry]], tuple[bytes, str]]] = {
    "csv": lambda entries: (write_csv(entries), "text/csv; charset=utf-8"),
    "xlsx": lambda entries: (write_xlsx(entries), XLSX),
}
