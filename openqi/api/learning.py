"""Learning: the QI training pathway: programmes, cohorts, sessions, attendance, feedback and each person's
learning record."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Learning"])
