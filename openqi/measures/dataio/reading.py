"""Turning uploaded bytes into a header and rows of cells, whatever spreadsheet program made them.

Everything a user can get wrong raises UploadError with a message for them; nothing here knows about
measures beyond recognising header names (which is how the CSV delimiter is chosen).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from . import messages
from .columns import role_of
from .records import MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS

Cell = object  # str from CSV; str, int, float, datetime, bool or None from openpyxl

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx files encrypted with a password
CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
DELIMITERS = (",", ";", "\t")
# A workbook unzips to far more than its size; past this it is a zip bomb or not measure data.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# Columns beyond this are ignored: openpyxl would otherwise build 16 384-cell rows for a stray far-right cell.
MAX_COLUMNS = 50
# Empty rows are skipped, but reading a million of them (formatted but blank) is not free.
MAX_SCANNED_ROWS = 10 * MAX_ROWS
# Control characters other than tab and newlines: their share tells text from binary.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class UploadError(Exception):
    """A problem with the file as a whole; ``message`` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    header: list[Cell]
    header_row_number: int
    # (row number as the spreadsheet shows it, cells) for every non-empty row after the header
    rows: list[tuple[int, list[Cell]]]
    kind: str  # "csv" or "xlsx"
    notes: list[str] = field(default_factory=list)


def read_table(filename: str, content: bytes) -> Table:
    if not content:
        raise UploadError(messages.EMPTY_FILE)
    if len(content) > MAX_FILE_BYTES:
        raise UploadError(messages.TOO_BIG)
    extension = _extension(filename)
    is_zip = content.startswith(_ZIP_MAGIC)
    if content.startswith(_OLE_MAGIC) or extension == ".xls":
        raise UploadError(messages.OLD_EXCEL)
    if extension in XLSX_EXTENSIONS:
        # Both must agree: a CSV renamed .xlsx would not open in Excel either, so say so rather than guess.
        if not is_zip:
            raise UploadError(messages.NOT_XLSX)
        return read_xlsx(content)
    if extension in CSV_EXTENSIONS:
        if is_zip:
            # Browsers and people rename files; the content is the truth, and a workbook is unambiguous.
            table = read_xlsx(content)
            table.notes.insert(0, messages.READ_AS_XLSX)
            return table
        return read_csv(content)
    raise UploadError(messages.WRONG_TYPE)


def _extension(filename: str) -> str:
    # Old browsers send the client's full Windows path.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()
    return name[name.rfind(".") :] if "." in name else ""


# --- CSV -------------------------------------------------------------------------------------------------


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), then Windows-1252 as Excel on UK Windows saves, then Latin-1."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" export.
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise UploadError(messages.NOT_CSV) from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")  # cannot fail; binary is caught by looks_binary


def looks_binary(text: str) -> bool:
    sample = text[:65536]
    if "\x00" in sample:
        return True
    return len(_CONTROL_RE.findall(sample)) > max(8, len(sample) // 50)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most recognised column names.

    Headers are required anyway, so they are a surer guide than csv.Sniffer's guesswork on the data rows,
    which trips over "1,234" and commas in comments.
    """
    first_line = next((line for line in text[:65536].splitlines() if line.strip()), "")
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        score = (sum(1 for cell in header if role_of(cell)), len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(content: bytes) -> Table:
    text = decode_text(content)
    if looks_binary(text):
        raise UploadError(messages.NOT_CSV)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        # Record numbers, not physical lines: Excel shows a quoted multi-line comment as one row.
        return _table(enumerate(reader, start=1), kind="csv")
    except csv.Error:
        raise UploadError(messages.NOT_CSV) from None


# --- xlsx ------------------------------------------------------------------------------------------------


def read_xlsx(content: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadError(messages.NOT_XLSX) from None
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise UploadError(messages.TOO_BIG_UNZIPPED)
    if not any(info.filename == "xl/workbook.xml" for info in infos):
        # Another zip: .ods, .docx, or a folder someone compressed.
        raise UploadError(messages.NOT_XLSX)

    import openpyxl  # deferred: only workbook uploads pay for importing it

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles, data validation and the like that do not matter here.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for malformed parts; all mean "not a workbook we can read"
        raise UploadError(messages.NOT_XLSX) from None
    try:
        sheets = workbook.worksheets
        if not sheets or not hasattr(sheets[0], "iter_rows"):
            raise UploadError(messages.NO_SHEET)
        rows = sheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
        # read_only mode yields empty tuples for missing rows, so enumerate gives the row numbers Excel shows.
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return _table(enumerate(rows, start=1), kind="xlsx")
        except UploadError:
            raise
        except Exception:
            raise UploadError(messages.NOT_XLSX) from None
    finally:
        workbook.close()


# --- shared ----------------------------------------------------------------------------------------------


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _table(numbered_rows: Iterable[tuple[int, Sequence[Cell]]], *, kind: str) -> Table:
    header: list[Cell] | None = None
    header_row_number = 0
    rows: list[tuple[int, list[Cell]]] = []
    for number, cells in _limited(numbered_rows):
        if all(is_blank(cell) for cell in cells):
            continue
        if header is None:
            header, header_row_number = _capped(cells), number
            continue
        if len(rows) >= MAX_ROWS:
            raise UploadError(messages.TOO_MANY_ROWS)
        rows.append((number, _capped(cells)))
    if header is None:
        raise UploadError(messages.NO_HEADER if kind == "csv" else messages.NO_SHEET)
    return Table(header=header, header_row_number=header_row_number, rows=rows, kind=kind)


def _capped(cells: Sequence[Cell]) -> list[Cell]:
    """The cells with text cut off one character past MAX_CELL_CHARS: enough to tell that it was too long."""
    return [
        cell[: MAX_CELL_CHARS + 1] if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS else cell
        for cell in cells
    ]


def _limited(numbered_rows: Iterable[tuple[int, Sequence[Cell]]]) -> Iterator[tuple[int, Sequence[Cell]]]:
    for scanned, item in enumerate(numbered_rows, start=1):
        if scanned > MAX_SCANNED_ROWS:
            raise UploadError(messages.TOO_MANY_EMPTY_ROWS)
        yield item
