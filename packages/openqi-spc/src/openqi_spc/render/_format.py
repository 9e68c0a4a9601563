"""Number, date and text formatting shared by the SVG, the summary sentences and the data table."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Any

# XML 1.0 forbids most C0 control characters even as references; a title pasted from a spreadsheet can
# contain them and would make the whole document unparseable.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# English month names regardless of the process locale (strftime's %B follows LC_TIME), and faster.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def esc(text: str) -> str:
    """Escape for XML text and double-quoted attributes."""
    text = _INVALID_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def auto_decimals(values: Sequence[float | None]) -> int:
    """Decimals that show about three significant digits of the data's spread."""
    finite = [v for v in values if v is not None]
    if not finite:
        return 1
    span = max(finite) - min(finite)
    scale = span if span > 0 else abs(finite[0])
    if scale <= 0:
        return 0
    return min(3, max(0, 2 - math.floor(math.log10(scale))))


def fmt_number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    # "-0.0" reads as a different number from "0.0" to most people.
    if text.startswith("-") and text.strip("-0.,") == "":
        text = text[1:]
    return text


def fmt_value(value: float | None, decimals: int, unit: str) -> str:
    if value is None:
        return ""
    number = fmt_number(value, decimals)
    if not unit:
        return number
    return number + unit if unit == "%" else f"{number} {unit}"


def date_granularity(labels: Sequence[Any]) -> str:
    """``"year"``, ``"month"`` or ``"day"``: how finely a series of dates needs to be written."""
    dates = [d for d in labels if isinstance(d, dt.date)]
    if len(dates) != len(labels) or not dates:
        return "none"
    if all(d.day == 1 for d in dates):
        if len(dates) > 1 and all(d.month == dates[0].month for d in dates):
            return "year"
        return "month"
    return "day"


def long_label(label: Any, granularity: str) -> str:
    """A period written out in full: "4 March 2025", "March 2025", "2025", or the label as text."""
    if isinstance(label, dt.date):
        if granularity == "year":
            return str(label.year)
        if granularity == "month":
            return f"{MONTHS[label.month - 1]} {label.year}"
        return f"{label.day} {MONTHS[label.month - 1]} {label.year}"
    if isinstance(label, float):
        return fmt_number(label, 0 if label.is_integer() else 2)
    return str(label)


def singular(period: str) -> str:
    return period[:-1] if period.endswith("s") else period


def count_periods(count: int, period: str) -> str:
    return f"{count} {singular(period) if count == 1 else period}"
