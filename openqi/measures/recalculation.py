"""Recalculation guidance for a measure's chart: where its limits should start again, and why.

The rules are the engine's (`openqi_spc.suggest_rebase`, in openqi-spc's docs/spc.md): a sustained shift
in the latest limit period, still there at the latest point, with at least the measure's
`min_points_for_limits` points from where the new period would start. This module adds what only the
measure knows: the changes the team made (annotations on the chart and adopted PDSA cycles linked to the
measure), so the suggestion starts where the change began and its reason names the change. Nothing is
rebased silently: the chart page offers the suggestion, and the team applies it with one click (a
`LimitChange`, audited and reversible on the limits page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from openqi_spc import MDCResult, QicResult, suggest_rebase

from openqi.measures.dataio.dates import describe_period
from openqi.measures.models import Annotation, ProjectMeasure
from openqi.projects.models import ActDecision


@dataclass(frozen=True)
class KnownChange:
    """A change the team made, on the period it began."""

    period: dt.date
    label: str


@dataclass(frozen=True)
class Recalculation:
    """A suggestion to recalculate the limits from `period`, as the chart page offers it."""

    period: dt.date  # the first period of the suggested new limit period
    shift_from: dt.date  # the first period of the sustained shift
    direction: str  # "higher" or "lower"
    periods_after: int  # periods with data from `period` to the latest
    change: str  # the known change the start lines up with, or ""
    reason: str  # pre-filled reason for the LimitChange

    def to_payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["period"] = self.period.isoformat()
        data["shift_from"] = self.shift_from.isoformat()
        return data

    @classmethod
    def from_payload(cls, data: dict[str, Any] | None) -> Recalculation | None:
        if not data:
            return None
        return cls(
            **{
                **data,
                "period": dt.date.fromisoformat(data["period"]),
                "shift_from": dt.date.fromisoformat(data["shift_from"]),
            }
        )


def known_changes(annotations: Sequence[Annotation]) -> list[KnownChange]:
    """The chart's annotations as changes a suggestion may line up with (with `adopted_cycles`)."""
    return [KnownChange(note.period, f"the annotation “{note.label}”") for note in annotations]


def _point_of(periods: Sequence[dt.date], when: dt.date) -> int | None:
    """The point whose period contains `when` (the latest period starting on or before it)."""
    found = None
    for i, period in enumerate(periods):
        if period > when:
            break
        found = i
    return found


def suggest(
    result: MDCResult | QicResult,
    periods: Sequence[dt.date],
    changes: Sequence[KnownChange],
    *,
    frequency: str,
    period_word: str,
    min_points: int,
    excluded: Sequence[int] = (),
    baseline: int = 0,
) -> Recalculation | None:
    """Where the limits should be recalculated, or None: the engine's rules on the chart's result, with
    the start moved to a known change near the shift's start, and never inside a frozen baseline of
    `baseline` points."""
    placed = [(i, c) for c in changes if (i := _point_of(periods, c.period)) is not None]
    skip = [False] * len(periods)
    for i in excluded:
        skip[i] = True
    found = suggest_rebase(
        result,
        changes=[i for i, _ in placed],
        min_points=max(min_points, 1),
        skip=skip,
        not_before=baseline,
    )
    if found is None:
        return None
    change = placed[found.change][1].label if found.change is not None else ""
    start, shift_from = periods[found.start], periods[found.run_start]
    direction = "higher" if found.side > 0 else "lower"
    when = describe_period(shift_from, frequency)
    in_line = f", in line with {change}" if change else ""
    reason = (
        f"A sustained shift: {found.run_length} {period_word} in a row {direction} than before from "
        f"{when}{in_line}. New limits describe the process as it is now."
    )
    return Recalculation(start, shift_from, direction, found.points_after, change, reason)


def adopted_cycles(measure_ids: Sequence[int], project_id: int | None) -> dict[int, list[KnownChange]]:
    """The adopted PDSA cycles linked to each measure in the project, as known changes (one query)."""
    found: dict[int, list[KnownChange]] = {pk: [] for pk in measure_ids}
    if project_id is None or not measure_ids:
        return found
    links = ProjectMeasure.pdsa_cycles.through.objects.filter(
        projectmeasure__project_id=project_id,
        projectmeasure__measure_id__in=list(measure_ids),
        pdsacycle__act_decision=ActDecision.ADOPT,
        pdsacycle__started_on__isnull=False,
    ).values_list("projectmeasure__measure_id", "pdsacycle__started_on", "pdsacycle__title")
    for measure_id, started_on, title in links.order_by("pdsacycle__started_on"):
        if started_on is not None:
            found[measure_id].append(KnownChange(started_on, f"the adopted PDSA cycle “{title}”"))
    return found
