"""A structural snapshot of every demo chart: what is drawn, in which class, colour and dash, and the
legend that explains it. It guards the house style (Making Data Count on every chart type) against a
change nobody meant to make; after a deliberate change, regenerate it with OPENQI_UPDATE_SNAPSHOTS=1."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from openqi.measures import charting
from openqi.measures.models import ProjectMeasure

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "snapshots" / "demo_charts.json"
SVG = "{http://www.w3.org/2000/svg}"
LINES = ("centre", "limit lower", "limit upper", "target", "trajectory", "data-line")


def signature(svg: str) -> dict[str, Any]:
    """What a chart draws, without coordinates: element counts by class, the paint of each kind of line
    and point, and the legend's words."""
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    classes = Counter(el.get("class") for el in root.iter() if el.get("class"))
    paint: dict[str, list[str | None]] = {}
    for el in root.iter():
        cls = el.get("class") or ""
        if (cls in LINES or cls.startswith("point ")) and cls not in paint:
            paint[cls] = [el.get("stroke"), el.get("stroke-dasharray"), el.get("fill")]
    legend = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    return {
        "classes": dict(sorted(classes.items())),
        "paint": dict(sorted(paint.items())),
        "legend": [t.text for g in legend for t in g.iter(f"{SVG}text")],
    }


def test_every_demo_chart_is_drawn_in_the_house_style() -> None:
    call_command("seed_demo", verbosity=0)
    drawn: dict[str, Any] = {}
    for link in ProjectMeasure.objects.select_related("measure").order_by("measure__name"):
        payload = charting.chart_payload(link.measure, link.project_id, "full", charting.chart_id_for(link))
        assert payload["style"] == "mdc"
        drawn[link.measure.name] = {"chart": payload["chart"], **signature(payload["svg"])}
    for name, chart in drawn.items():
        # Making Data Count everywhere: no runs-signal centre line, grey mean, grey dashed limits.
        assert "centre runs-signal" not in chart["classes"], name
        assert chart["paint"]["centre"][:2] == ["#425563", None], name
        if "limit upper" in chart["paint"]:
            assert chart["paint"]["limit upper"][:2] == ["#768692", "5 4"], name
    if os.environ.get("OPENQI_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(drawn, indent=1, ensure_ascii=False) + "\n")
    assert SNAPSHOT.exists(), "no snapshot: run once with OPENQI_UPDATE_SNAPSHOTS=1 and review it"
    assert drawn == json.loads(SNAPSHOT.read_text())
