"""A small real data set for examples and the tutorial: A&E attendances of NHS trusts in England.

Type 1 (major) A&E departments: monthly attendances, four-hour breaches and emergency admissions, April 2016
to March 2019, for four trusts (RF4, RQM, RDD, RJ1: every month) and for every trust in March 2019 (for a
funnel plot). A subset of the ``ae_attendances`` data set of the NHS-R Community's NHSRdatasets package,
derived from NHS England's "A&E Attendances and Emergency Admissions" statistics; contains public sector
information licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources
from typing import Any

COLUMNS = ("period", "org_code", "attendances", "breaches", "admissions")


def ae_attendances(as_frame: bool = True) -> Any:
    """The rows as a pandas DataFrame (``as_frame=False``: a dict of lists, no pandas needed)."""
    text = resources.files("openqi_spc").joinpath("data/ae_attendances_type1.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    columns: dict[str, list[Any]] = {
        "period": [dt.date.fromisoformat(r["period"]) for r in rows],
        "org_code": [r["org_code"] for r in rows],
    }
    for name in ("attendances", "breaches", "admissions"):
        columns[name] = [int(r[name]) for r in rows]
    if not as_frame:
        return columns
    from openqi_spc.frames import require

    pandas = require("pandas")
    frame = pandas.DataFrame(columns)
    frame["period"] = pandas.to_datetime(frame["period"])
    return frame
