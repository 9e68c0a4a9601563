"""Plug-in points of the organisations app (see openqi/core/plugins.py): apps above it act when
something happens to an organisation's people without organisations importing them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openqi.core.plugins import PluginPoint

# Called inside the acceptance's transaction with (invitation, user) once the person is a member; the
# projects app puts someone invited from a project into that project's team.
invitation_accepted: PluginPoint[Callable[[Any, Any], None]] = PluginPoint("invitation accepted")
