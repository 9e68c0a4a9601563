"""Involvement (co-production): partner onboarding, involvement and payment claims, reflections."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Involvement"])
