"""The SPC engine as a service: a posted series analysed exactly as a measure's chart is (the same
`openqi.measures.charting` steps over `openqi_spc`), answered in the same shape as a measure's analysis.
Nothing is stored. The engine's typed errors become 422 problems naming the field to fix."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from openqi_spc import (
    DenominatorError,
    DuplicateXError,
    InputLengthError,
    InsufficientDataError,
    NegativeValueError,
    NonFiniteValueError,
    NonPositiveValueError,
    NumeratorError,
    SPCError,
)
from openqi_spc.render.model import XLabel
from pydantic import ConfigDict, Field, JsonValue

from openqi.api import problems
from openqi.api.analysis import Analysis, with_icons
from openqi.api.common import BODY, responses
from openqi.measures import charting

router = Router(tags=["SPC engine"])

# The documented example's x: sixteen months from January 2025.
MONTHS: list[JsonValue] = [f"{2025 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}-01" for m in range(1, 17)]
# Ten years of daily data; beyond it a request is not a QI chart and would hold a worker for too long.
MAX_POINTS = 5000
# Bounded so that no arithmetic in the engine overflows; far beyond any QI measure.
Value = Annotated[float, Field(ge=-1e12, le=1e12, allow_inf_nan=False)]
Label = Annotated[float, Field(allow_inf_nan=False)]


class SeriesIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "y": [41, 44, 39, 45, 43, 40, 46, 42, 44, 41, 52, 55, 54, 57, 56, 58],
                    "x": MONTHS,
                    "chart": "i",
                    "improvement": "increase",
                    "target": 60,
                    "freeze": 12,
                    "unit": "%",
                    "period": "months",
                }
            ]
        }
    )

    y: list[Value | None] = Field(
        min_length=1,
        max_length=MAX_POINTS,
        description="The values, oldest first; for P, P′, U and U′ charts the numerators. null: missing.",
    )
    n: list[Value | None] | None = Field(
        None, max_length=MAX_POINTS, description="Denominators, one per value (P, P′, U, U′ charts)."
    )
    x: list[int | Label | Annotated[str, Field(max_length=40)]] | None = Field(
        None,
        max_length=MAX_POINTS,
        description="Labels, one per value: ISO dates (2025-03-03) or numbers. Default 1, 2, 3 …",
    )
    chart: Literal["run", "i", "p", "pp", "u", "up", "c", "t", "g"] = Field(
        "i", description="i (XmR), t and g follow NHS Making Data Count; the others qicharts2."
    )
    improvement: Literal["increase", "decrease", "neutral"] = "increase"
    target: float | None = Field(None, ge=-1e12, le=1e12, description="In the chart's units (percent for P).")
    freeze: int | None = Field(None, ge=1, description="Limits from the first `freeze` points (a baseline).")
    part: list[int] = Field(
        [], max_length=100, description="Rebases: 0-based positions where a new limit period starts."
    )
    exclude: list[int] = Field(
        [], max_length=MAX_POINTS, description="0-based positions left out of the centre line and limits."
    )
    unit: str = Field("", max_length=40, description="For the summary's words, e.g. days.")
    period: Literal["points", "days", "weeks", "months", "events"] = Field(
        "points", description="What one point is, for the summary's words."
    )


_FIELD_OF_ERROR: tuple[tuple[type[SPCError], str], ...] = (
    (InputLengthError, "n"),
    (DenominatorError, "n"),
    (DuplicateXError, "x"),
    (NumeratorError, "y"),
    (NonPositiveValueError, "y"),
    (NegativeValueError, "y"),
    (NonFiniteValueError, "y"),
    (InsufficientDataError, "y"),
)
# An option error names its option first; the engine's names for ours.
_OPTION_FIELD = {"fix_after_n_points": "freeze", "rebase": "part", "exclude": "exclude", "freeze": "freeze"}


def _field_of(error: SPCError) -> str | None:
    for kind, name in _FIELD_OF_ERROR:
        if isinstance(error, kind):
            return name
    first = re.match(r"\w+", str(error))
    return _OPTION_FIELD.get(first.group(0), "chart") if first else None


def _positions(series: SeriesIn) -> list[problems.FieldError]:
    """Positions must name points of the series; the engines differ in what they do otherwise."""
    size = len(series.y)
    errors = []
    for name, values, low in (("part", series.part, 1), ("exclude", series.exclude, 0)):
        for i, position in enumerate(values):
            if not low <= position < size:
                errors.append(
                    problems.FieldError(
                        field=f"{name}[{i}]",
                        message=f"{position} is not a position from {low} to {size - 1}.",
                    )
                )
    if series.freeze is not None and series.freeze > size:
        errors.append(problems.FieldError(field="freeze", message=f"There are only {size} points to freeze."))
    for name, other in (("n", series.n), ("x", series.x)):
        if other is not None and len(other) != size:
            errors.append(
                problems.FieldError(field=name, message=f"{name} has {len(other)} values; y has {size}.")
            )
    return errors


def _labels(x: list[int | float | str] | None) -> list[XLabel] | None:
    """ISO dates become dates, so that the summary speaks of weeks and months as a measure's does."""
    if x is None:
        return None
    if all(isinstance(v, str) for v in x):
        try:
            return [dt.date.fromisoformat(str(v)) for v in x]
        except ValueError:
            return [str(v) for v in x]
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in x):
        return list(x)
    return [str(v) for v in x]


@router.post(
    "/spc/analyse",
    response=responses({200: Analysis}, *BODY),
    url_name="spc_analyse",
    summary="Analyse a series with the SPC engine (nothing is stored)",
)
def analyse(request: HttpRequest, payload: SeriesIn) -> dict[str, Any]:
    if errors := _positions(payload):
        raise problems.invalid("The series cannot be analysed as sent: see `errors`.", errors)
    try:
        computed = charting.analyse_series(
            y=payload.y,
            n=payload.n,
            x=_labels(payload.x),
            chart=payload.chart,
            freeze=payload.freeze,
            part=payload.part,
            exclude=payload.exclude,
            improvement=payload.improvement,
            target=payload.target,
            unit=payload.unit,
            period=payload.period,
        )
    except SPCError as error:
        raise problems.invalid(
            f"The series cannot make a {charting.CHART_NAMES[payload.chart]}: {error}.",
            [problems.FieldError(field=_field_of(error), message=str(error))],
        ) from error
    return with_icons(charting.analysis_data(computed))
