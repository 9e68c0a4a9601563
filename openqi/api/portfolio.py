"""Portfolio: the programme as a whole: dashboards, the signal scan, forum packs, board reports, storyboards
and the public showcase."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Portfolio"])
