"""Tools: tools for understanding the system: process map, fishbone, Pareto, 5 whys, stakeholder analysis,
affinity diagram."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Tools"])
