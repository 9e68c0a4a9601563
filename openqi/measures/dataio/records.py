"""The plain data shapes of import and export.

No Django here on purpose: the app layer maps these to its models, and these stay testable without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

FREQUENCIES: tuple[str, ...] = ("daily", "weekly", "monthly", "per_event")

# Limits keep one upload cheap to parse on a small shared server and keep the preview page readable.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# A data point's comment, as DataPoint.comment holds it and the grid takes it.
COMMENT_MAX_LENGTH = 500
# Text in a cell beyond this is cut off as the file is read (a workbook can hold megabytes in one cell and
# still be small): no cell of measure data is this long, so the row is refused anyway and the preview stays
# small.
MAX_CELL_CHARS = 2 * COMMENT_MAX_LENGTH


@dataclass(frozen=True)
class DataRow:
    """One stored data point, as export takes it and as a valid import gives it back."""

    period: date
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    comment: str = ""


@dataclass
class PreviewRow:
    """One data row of an upload, parsed, with everything wrong with it.

    ``row_number`` is the row as the user sees it in their spreadsheet (the header is row 1), so messages and
    the preview table point at the same place. Numbers are kept even when a check on them failed (a negative
    count, say) so the preview can show them; ``source`` has the cells as typed, for when they did not parse.
    """

    row_number: int
    period: date | None = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    comment: str = ""
    errors: list[str] = field(default_factory=list)
    is_update: bool = False
    # True when the date in the file was moved to the start of its week or month (the note says how).
    period_normalised: bool = False
    # Things the user should know that are not errors, e.g. "Row 4: 45% is recorded as 45."
    notes: list[str] = field(default_factory=list)
    # Cell text as typed, keyed by column role: "period", "value", "numerator", "denominator", "comment".
    source: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def to_data_row(self) -> DataRow:
        if self.errors or self.period is None:
            raise ValueError(f"row {self.row_number} has errors and cannot be saved")
        return DataRow(
            period=self.period,
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
            comment=self.comment,
        )


class ImportCounts(NamedTuple):
    new: int  # valid rows for periods not yet stored
    updates: int  # valid rows for periods already stored
    errors: int  # rows with at least one error


@dataclass
class ImportPreview:
    """Everything the preview page shows; nothing is saved until the user confirms a valid preview."""

    rows: list[PreviewRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    # File-level information that is not an error, e.g. a column that was not used.
    file_notes: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        # All-or-nothing import: one bad row blocks the whole file, and an empty file imports nothing.
        return not self.file_errors and bool(self.rows) and all(row.is_valid for row in self.rows)

    @property
    def counts(self) -> ImportCounts:
        valid = [row for row in self.rows if row.is_valid]
        updates = sum(1 for row in valid if row.is_update)
        return ImportCounts(new=len(valid) - updates, updates=updates, errors=len(self.rows) - len(valid))

    @property
    def new_count(self) -> int:
        return self.counts.new

    @property
    def update_count(self) -> int:
        return self.counts.updates

    @property
    def error_count(self) -> int:
        return self.counts.errors

    def error_messages(self) -> list[str]:
        """File errors then row errors in row order: the list for an NHS.UK error summary."""
        return [*self.file_errors, *(message for row in self.rows for message in row.errors)]

    def to_data_rows(self, *, include_updates: bool = True) -> list[DataRow]:
        """The rows to save. ``include_updates=False`` is the user's "skip periods already entered"."""
        if not self.is_valid:
            raise ValueError("an import preview with errors cannot be saved")
        return [row.to_data_row() for row in self.rows if include_updates or not row.is_update]
