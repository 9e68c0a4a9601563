"""Measure data in and out of CSV and Excel files: pure Python, no Django models.

parse_upload() turns an uploaded file into an ImportPreview (every row with its problems, nothing saved);
parse_records() runs the same checks on rows that come from elsewhere (the API's bulk upload);
write_csv() and write_xlsx() export DataRows in a shape parse_upload() reads back unchanged.
DATA_NUMBER says what a data point's value, numerator and denominator may hold; read_number() checks one.
"""

from .escaping import escape_formula, unescape_formula
from .exporting import write_csv, write_xlsx
from .importing import parse_record, parse_records, parse_upload
from .numeric import DATA_NUMBER, TARGET_NUMBER, NumberColumn, NumberProblem, read_number
from .records import (
    COMMENT_MAX_LENGTH,
    FREQUENCIES,
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    DataRow,
    ImportCounts,
    ImportPreview,
    PreviewRow,
)

__all__ = [
    "COMMENT_MAX_LENGTH",
    "DATA_NUMBER",
    "FREQUENCIES",
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "TARGET_NUMBER",
    "DataRow",
    "ImportCounts",
    "ImportPreview",
    "NumberColumn",
    "NumberProblem",
    "PreviewRow",
    "escape_formula",
    "parse_record",
    "parse_records",
    "parse_upload",
    "read_number",
    "unescape_formula",
    "write_csv",
    "write_xlsx",
]
