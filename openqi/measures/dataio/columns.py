"""Matching the header row to column roles, forgiving about case, spacing and punctuation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import messages

ROLES: tuple[str, ...] = ("period", "value", "numerator", "denominator", "comment")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "period": (
        "period",
        "date",
        "day",
        "week",
        "month",
        "week commencing",
        "week beginning",
        "week starting",
        "week start",
        "week ending",
        "w c",
        "wc",
        "w e",
        "month start",
        "event date",
        "date of event",
    ),
    "value": ("value", "result", "measure"),
    "numerator": ("numerator", "num", "count", "events"),
    "denominator": ("denominator", "denom", "total", "population"),
    "comment": ("comment", "comments", "note", "notes", "annotation", "annotations"),
}
_ROLE_OF: dict[str, str] = {name: role for role, names in SYNONYMS.items() for name in names}

# "Value (%)" and "Numerator (patients seen)" name their role before the brackets.
_BRACKETS_RE = re.compile(r"[(\[{].*?[)\]}]")
_NON_WORD_RE = re.compile(r"[^0-9a-z]+")


def normalise_header(cell: object) -> str:
    if cell is None:
        return ""
    text = str(cell).replace("\ufeff", "").lower()
    text = _BRACKETS_RE.sub(" ", text)
    return _NON_WORD_RE.sub(" ", text).strip()


def role_of(cell: object) -> str | None:
    return _ROLE_OF.get(normalise_header(cell))


def required_roles(has_denominator: bool) -> tuple[str, ...]:
    return ("period", "numerator", "denominator") if has_denominator else ("period", "value")


def expected_columns(has_denominator: bool) -> tuple[str, ...]:
    return (*required_roles(has_denominator), "comment")


@dataclass
class ColumnMap:
    index: dict[str, int] = field(default_factory=dict)  # role -> 0-based column
    notes: list[str] = field(default_factory=list)
    width: int = 0  # number of header cells, up to the last named one


class HeaderError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def map_columns(header: list[object], *, has_denominator: bool) -> ColumnMap:
    """Find each role's column; raise HeaderError with a message for the user when the header will not do."""
    wanted = expected_columns(has_denominator)
    found: dict[str, list[int]] = {}
    for position, cell in enumerate(header):
        role = role_of(cell)
        if role is not None:
            found.setdefault(role, []).append(position)

    for role in wanted:
        positions = found.get(role, [])
        if len(positions) > 1:
            # Picking one silently could import the wrong column (say "Week" and "Date" disagreeing).
            names = [str(header[p]).strip() for p in positions]
            raise HeaderError(messages.duplicate_column(role, names))

    missing = [role for role in required_roles(has_denominator) if role not in found]
    if missing:
        other_kind = any(
            role in found for role in (("value",) if has_denominator else ("numerator", "denominator"))
        )
        raise HeaderError(messages.missing_columns(missing, has_denominator, wrong_kind=other_kind))

    column_map = ColumnMap()
    for role in wanted:
        if role in found:
            column_map.index[role] = found[role][0]
    used = set(column_map.index.values())
    for position, cell in enumerate(header):
        name = "" if cell is None else str(cell).strip()
        if name:
            column_map.width = position + 1
            if position not in used:
                column_map.notes.append(messages.column_not_used(name, has_denominator, role_of(cell)))
    return column_map
