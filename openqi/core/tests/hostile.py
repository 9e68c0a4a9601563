"""Hypothesis strategies for what an attacker or a careless spreadsheet sends, shared by the fuzz tests of
every app: text that is not what a field expects, numbers the database cannot hold, ids no column fits,
dates with no next day, line breaks for e-mail headers, and plain random text around them.

Every fuzz test is bounded (`fuzz(examples)`), so the hostile-input tests stay in `make test`."""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz(examples: int = 25) -> settings:
    """One fuzz test's budget: `examples` examples (times OPENQI_FUZZ_SCALE, to search harder by hand:
    `OPENQI_FUZZ_SCALE=50 pytest -k fuzz`), each allowed a few seconds on a busy shared machine. The whole set
    of fuzz tests stays within about a minute of `make test`."""
    scale = float(os.environ.get("OPENQI_FUZZ_SCALE", "1"))
    return settings(
        max_examples=max(1, round(examples * scale)),
        deadline=dt.timedelta(seconds=3),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )


SHARP_TEXT = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "²",  # isdigit() but not int()
    "٣",  # an Arabic-Indic 3: int() reads it
    "9" * 40,  # no integer column holds it
    "99999999999999",  # more than a value column holds
    "999999999999.9999999",
    "1e-300000000",  # ties up a worker if ever expanded
    "1E+999999999",
    "1e13",
    "NaN",
    "-Infinity",
    "1_000",
    "1,5",
    "1,234",
    "45%",
    "0x1F",
    "9999-12-31",  # no next day
    "0001-01-01",
    "2025-02-30",
    "31/12/9999",
    "\r\n",
    "Title\r\nBcc: everyone@example.com",
    "\x00",
    "\u2028",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '=HYPERLINK("http://example.com")',
    "🙂",
    "a" * 501,
    "x" * 5000,
]

sharp_text = st.sampled_from(SHARP_TEXT)
number_text = st.from_regex(r"[+-]?\d{0,16}(\.\d{0,9})?([eE][+-]?\d{1,10})?", fullmatch=True)
date_text = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat)
hostile_text = st.one_of(
    sharp_text,
    number_text,
    date_text,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=200),
)
