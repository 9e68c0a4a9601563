"""The measures' background work: drawing a measure's charts after its data changed (docs/adr/0013, 0015)."""

from __future__ import annotations

from typing import Any

from openqi.core.tasks import background_task
from openqi.measures import charting
from openqi.measures.models import Measure


def _describe(kwargs: dict[str, Any]) -> str:
    name = Measure.objects.filter(pk=kwargs["measure_id"]).values_list("name", flat=True).first()
    return f"Drawing the charts of “{name}”" if name else "Drawing the charts of a measure since deleted"


# One try: drawing fails only on a bug, which trying again would not mend; the next data change (or the
# next reader of the page) draws the charts anyway.
@background_task(label="Drawing charts", describe=_describe)
def draw_charts(*, organisation_id: int, measure_id: int) -> int:
    """Draw and cache the charts of every project using the measure; the number of projects."""
    measure = Measure.objects.filter(pk=measure_id, organisation_id=organisation_id).first()
    if measure is None:  # deleted since the change
        return 0
    return charting.warm_charts(measure)
