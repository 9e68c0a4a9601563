"""Coaching: the coach's caseload, coaching sessions, idea intake and the monthly sponsor update."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Coaching"])
