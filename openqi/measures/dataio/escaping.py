"""Guarding exported CSV against formula injection (OWASP "CSV Injection"), reversibly.

A comment like "=HYPERLINK(...)" would run as a formula when the export is opened in Excel. Export puts an
apostrophe in front, which Excel shows as text; import takes exactly one apostrophe off again. Comments that
already start with apostrophes before such a character get one more, so the round trip is exact.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_RE = re.compile(r"'+[=+\-@\t\r]")


def escape_formula(text: str) -> str:
    if text.startswith(FORMULA_STARTS) or _ESCAPED_RE.match(text):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    return text[1:] if _ESCAPED_RE.match(text) else text
