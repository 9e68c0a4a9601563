"""Plug-in points of the organisations app (see openqi/core/plugins.py): apps above it act when
something happens to an organisation's people without organisations importing them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openqi.core.plugins import PluginPoint

# Called inside the acceptance's transaction with (invitation, user) once the person is a member; the
# projects app puts someone invited from a project into that project's team.
invitation_accepted: PluginPoint[Callable[[Any, Any], None]] = PluginPoint("invitation accepted")

# Plain words for a project team role key (an invitation's `project_role`, e.g. "partner" → "Service-user or
# carer partner"), from the app that owns team roles; None when it does not know the key.
team_role_names: PluginPoint[Callable[[str], str | None]] = PluginPoint("team role names")

# What guests (people invited into project teams only) do, in plain words, for lists of people: called with
# (organisation id, user ids), once per page, it returns
# {user id: ["Service-user or carer partner in <project>"]}.
guest_roles: PluginPoint[Callable[[int, list[int]], dict[int, list[str]]]] = PluginPoint("guest roles")
