"""What people type may end up in an e-mail's header (a project's title in an invitation's subject): there
a line break would start a new header, and Django refuses to send the message at all (BadHeaderError)."""

from __future__ import annotations

import re

# Line breaks (CR, LF and Unicode's own), tabs and other control characters; runs of them with spaces.
_UNSAFE_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# RFC 5322 asks for lines of at most 78 characters; a subject this long is folded, never cut by a mail server.
SUBJECT_LONGEST = 200


def subject_line(text: str) -> str:
    """Text fit for an e-mail subject: one line, control characters as spaces, at most SUBJECT_LONGEST
    characters (ending in an ellipsis when shortened)."""
    line = _UNSAFE_RE.sub(" ", text).strip()
    return line if len(line) <= SUBJECT_LONGEST else line[: SUBJECT_LONGEST - 1].rstrip() + "\u2026"
