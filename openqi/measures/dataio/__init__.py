"""Measure data in and out of CSV and Excel files: pure Python, no Django models.

parse_upload() turns an uploaded file into an ImportPreview (every row with its problems, nothing saved);
write_csv() and write_xlsx() export DataRows in a shape parse_upload() reads back unchanged.
"""

from .escaping import escape_formula, unescape_formula
from .exporting import write_csv, write_xlsx
from .importing import parse_upload
from .records import (
    FREQUENCIES,
    MAX_FILE_BYTES,
    MAX_ROWS,
    DataRow,
    ImportCounts,
    ImportPreview,
    PreviewRow,
)

__all__ = [
    "FREQUENCIES",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "DataRow",
    "ImportCounts",
    "ImportPreview",
    "PreviewRow",
    "escape_formula",
    "parse_upload",
    "unescape_formula",
    "write_csv",
    "write_xlsx",
]
