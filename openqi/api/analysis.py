"""The analysis of a chart as the API gives it, for a measure and for a posted series alike: the shape of
`openqi.measures.charting.analysis_data` (the chart page's own computation), with the icons' words."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from openqi.api.base import Out
from openqi.measures.icons import Icon as Badge
from openqi.measures.icons import shown_assurance, variation_icon

XValue = int | float | str


class Icon(Out):
    """A Making Data Count icon: its code, its name and what it means."""

    code: str
    label: str
    description: str


class AnalysisPoint(Out):
    x: XValue = Field(description="The point's period (ISO date) or the x it was sent with.")
    value: float | None = Field(description="As charted: a proportion in percent, a rate or a value.")
    centre: float | None
    lower: float | None = Field(description="Lower control (process) limit; null on a run chart.")
    upper: float | None
    lower_2s: float | None = Field(description="Two-sigma lower limit, where the chart has one.")
    upper_2s: float | None
    trajectory: float | None
    part: int = Field(description="The limit period the point is in (1, then 2 after a rebase …).")
    baseline: bool = Field(description="The point is in the frozen baseline its part's limits come from.")
    excluded: bool = Field(description="Left out of the centre line, limits and runs analysis.")
    status: Literal["common", "improvement", "concern", "neutral"]
    signal: str = Field(description="The signal in words, as the chart's data table says it; empty if none.")


class Part(Out):
    part: int
    start: int = Field(description="Index of the part's first point.")
    runs_signal: bool = Field(description="A shift or too few crossings of the centre line in this part.")


class NumberedNote(Out):
    number: int
    label: str
    x: str


class RecalculationOut(Out):
    """The chart page's suggestion to recalculate the limits after a sustained shift (the assurance icon
    is withheld until the team does)."""

    period: str = Field(description="The first period of the suggested new limit period (ISO date).")
    shift_from: str
    direction: Literal["higher", "lower"]
    periods_after: int
    change: str = Field(description="The known change (a PDSA cycle, an annotation) the shift lines up with.")
    reason: str


class Analysis(Out):
    chart: str = Field(description="The chart drawn: run, p, pp, u, up, c, i (XmR), t or g.")
    chart_name: str
    engine: Literal["mdc", "qic", ""] = Field(
        description="Whose rules: mdc (NHS Making Data Count) or qic (qicharts2); empty with no data."
    )
    # Defaults: an analysis cached before these were added reads as the page then showed it.
    style: str = Field("mdc", description="How the chart is read: mdc (the house style) or qicharts2.")
    recalculation: RecalculationOut | None = None
    centre_label: str
    unit: str
    percent: bool
    improvement: str | None
    target: float | None
    summary: list[str] = Field(description="The plain-language summary; the first sentence is the headline.")
    variation: Icon | None
    assurance: Icon | None
    baseline_end: int | None = Field(description="Index of the last baseline point when limits are frozen.")
    parts: list[Part]
    annotations: list[NumberedNote]
    points: list[AnalysisPoint]


def icon_out(badge: Badge | None) -> Icon | None:
    """A page's icon badge as the API gives it."""
    return Icon(code=badge.code, label=badge.label, description=badge.description) if badge else None


def with_icons(data: dict[str, Any]) -> dict[str, Any]:
    """The analysis data with each icon code given its name and meaning, as the chart page shows them:
    the assurance icon is withheld while the page suggests recalculating the limits."""
    assurance = shown_assurance(data["assurance"], recalculation=data.get("recalculation"))
    variation = variation_icon(data["variation"])
    return {**data, "variation": icon_out(variation), "assurance": icon_out(assurance)}
