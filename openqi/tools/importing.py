"""Counts for a Pareto chart from a CSV or Excel file, read by the measures import's own reader
(openqi.measures.dataio: encodings, delimiters, workbooks, size and zip-bomb limits, numbers as
spreadsheets write them). The file has a header row, then a category and its count on each row:
the first column whose cells are mostly numbers is the count, the first other column the category."""

from __future__ import annotations

from decimal import Decimal

from openqi.measures.dataio.numeric import read_number
from openqi.measures.dataio.reading import UploadError, is_blank, read_table

MAX_CATEGORIES = 100


def read_counts(filename: str, content: bytes) -> list[tuple[str, int]]:
    """[(category, count)], or UploadError with a message for the person."""
    table = read_table(filename, content)
    if not table.rows:
        raise UploadError("The file has a header row but no categories under it")
    width = max(len(cells) for _n, cells in table.rows)
    count_column = next((i for i in range(width) if _mostly_numbers(table.rows, i)), None)
    if count_column is None:
        raise UploadError("The file needs a column of counts (whole numbers such as 12)")
    category_column = next((i for i in range(width) if i != count_column), None)
    if category_column is None:
        raise UploadError("The file needs a column of categories beside the counts")
    totals: dict[str, tuple[str, int]] = {}
    for number, cells in table.rows:
        name = _cell(cells, category_column)
        raw = cells[count_column] if count_column < len(cells) else None
        if is_blank(name) and is_blank(raw):
            continue
        if is_blank(name):
            raise UploadError(f"Row {number} has a count but no category")
        category = str(name).strip()
        if len(category) > 100:
            raise UploadError(f"Row {number}: the category must be 100 characters or fewer")
        value = read_number(raw) if not is_blank(raw) else Decimal(0)
        if (
            not isinstance(value, Decimal)
            or value != value.to_integral_value()
            or value < 0
            or value > 10_000_000
        ):
            raise UploadError(f"Row {number}: the count must be a whole number from 0 to 10,000,000")
        key = category.casefold()
        before = totals.get(key, (category, 0))
        totals[key] = (before[0], before[1] + int(value))
    if not totals:
        raise UploadError("The file has no categories")
    if len(totals) > MAX_CATEGORIES:
        raise UploadError(f"A Pareto chart can have at most {MAX_CATEGORIES} categories")
    return list(totals.values())


def _cell(cells: list[object], index: int) -> object:
    return cells[index] if index < len(cells) else None


def _mostly_numbers(rows: list[tuple[int, list[object]]], index: int) -> bool:
    filled = [cells[index] for _n, cells in rows if index < len(cells) and not is_blank(cells[index])]
    numbers = [cell for cell in filled if isinstance(read_number(cell), Decimal)]
    return bool(filled) and len(numbers) * 2 > len(filled)
