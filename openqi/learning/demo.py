"""Learning demo data (called by seed_demo after the projects and measures exist)."""

from __future__ import annotations

from openqi.organisations.models import Organisation


def seed(org: Organisation) -> None:
    """Idempotent: running it again keeps what exists and adds only what is missing."""
