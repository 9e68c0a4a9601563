"""Plug-in points of the accounts app (see openqi/core/plugins.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openqi.core.plugins import PluginPoint

# What the sign-in e-mail says about how the person came to OpenQI: called with the e-mail address, a
# contribution returns a sentence ("Priya Shah invited you to …") or None. The organisations app answers
# from the person's invitation, so the e-mail can say who invited them.
sign_in_email_lines: PluginPoint[Callable[[str], Any]] = PluginPoint("sign-in e-mail lines")
