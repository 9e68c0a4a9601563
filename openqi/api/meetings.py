"""Meetings: a project's meetings, their papers, minutes and attendance; actions; calendar invitations (.ics)
and subscriptions; reminders and notification preferences."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Meetings"])
