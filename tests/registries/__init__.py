"""Each domain app's entries in the whole-codebase checks, one module per app (coaching.py, meetings.py…),
so that apps built side by side do not edit one shared dictionary. A module may define:

- ``FORMS``: {"module.FormName": build}, merged into tests/test_fuzz_forms.py's BUILD; a build is
  ``lambda things, kw: Form(..., **kw)`` (``things`` has world, project, measure, driver, idea, cycle…).
- ``NOT_GUARDED``: {"module.Form.field": "why the personal-data guard does not read it"}, merged into
  tests/test_personal_data_coverage.py.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def merged(name: str) -> dict[str, Any]:
    """The `name` dictionaries of every registry module, merged (a key defined twice is an error)."""
    found: dict[str, Any] = {}
    for module in pkgutil.iter_modules(__path__, f"{__name__}."):
        part = getattr(importlib.import_module(module.name), name, {})
        clash = set(found) & set(part)
        assert not clash, f"{module.name} defines {sorted(clash)} again"
        found.update(part)
    return found
