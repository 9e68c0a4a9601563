"""The drawings: well-formed, accessible SVG whatever people type, and no web framework needed."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from types import SimpleNamespace
from typing import Any

from openqi_spc import pareto

from openqi.tools import drawing

HOSTILE = 'A & B <script>alert("x")</script> \x0b ‘quoted’'
SVG = "{http://www.w3.org/2000/svg}"


def item(pk: int, text: str = HOSTILE, **fields: Any) -> SimpleNamespace:
    defaults: dict[str, Any] = {
        "kind": "activity",
        "lane": "",
        "note": "",
        "data_collected": False,
        "next_label": "",
        "branch_label": "",
        "branch_to_id": None,
        "marked": False,
        "votes": 0,
        "influence": 3,
        "interest": 3,
        "is_service_user": False,
        "parent_id": None,
    }
    return SimpleNamespace(pk=pk, text=text, **(defaults | fields))


def check(svg: drawing.Svg) -> ET.Element:
    root = ET.fromstring(svg.markup)  # noqa: S314 - our own output; raises if not well-formed
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "<script" not in svg.markup and "style=" not in svg.markup
    return root


def test_every_drawing_is_well_formed_and_labelled_whatever_is_typed() -> None:
    steps = [
        item(1, kind="start", lane=HOSTILE),
        item(
            2,
            kind="decision",
            lane="Admin",
            next_label=HOSTILE,
            branch_label=HOSTILE,
            branch_to_id=4,
            note="x",
        ),
        item(3, kind="wait", data_collected=True),
        item(4, kind="end", lane=HOSTILE),
    ]
    check(drawing.process_map("pm", HOSTILE, steps))
    category = item(10)
    check(drawing.fishbone("fb", HOSTILE, HOSTILE, [category], {10: [item(11, marked=True, votes=2)]}))
    check(drawing.pareto_chart("pa", HOSTILE, pareto([HOSTILE, "b"], [3, 1]), 1))
    check(drawing.pareto_chart("pa", HOSTILE, None, 0))
    check(
        drawing.five_whys(
            "fw", HOSTILE, HOSTILE, {None: [item(20)], 20: [item(21, parent_id=20, marked=True)]}
        )
    )
    check(drawing.stakeholder_grid("sg", HOSTILE, [item(30, is_service_user=True), item(31, influence=5)]))
    check(drawing.affinity("af", HOSTILE, [(HOSTILE, True, [item(40)]), ("Not grouped yet", False, [])]))


def test_the_text_alternative_names_what_matters() -> None:
    svg = drawing.pareto_chart("pa", "Reasons", pareto(list("ABC"), [8, 1, 1]), 1)
    assert "The vital few (A) make 80% of the total" in svg.description
    grid = drawing.stakeholder_grid("sg", "People", [item(1, text="Manager", influence=5, interest=2)])
    assert "1 people or groups" in grid.description and "Manager" in grid.markup
    assert drawing.quadrant(5, 2) == "Keep satisfied" and drawing.quadrant(3, 3) == "Manage closely"
    assert drawing.quadrant(2, 4) == "Keep informed" and drawing.quadrant(None, None) == "Monitor"


def test_drawing_needs_no_web_framework() -> None:
    code = "import sys, openqi.tools.drawing; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0  # noqa: S603
