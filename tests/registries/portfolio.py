"""The portfolio's forms in the whole-codebase checks: the hostile-input fuzz (FORMS) and the personal-data
coverage (NOT_GUARDED)."""

from __future__ import annotations

import importlib
from typing import Any

F, S = "openqi.portfolio.forms", "openqi.portfolio.showcase"


def _(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def _projects(t: Any) -> Any:
    from openqi.projects.models import Project

    return Project.objects.filter(organisation=t.world.trust)


FORMS = {
    f"{F}.ForumPackForm": lambda t, kw: _(F, "ForumPackForm")(organisation=t.world.trust, **kw),
    f"{F}.ForumDecisionForm": lambda t, kw: _(F, "ForumDecisionForm")(**kw),
    f"{F}.BoardReportForm": lambda t, kw: _(F, "BoardReportForm")(projects=_projects(t), **kw),
    f"{S}.ShowcaseForm": lambda t, kw: _(S, "ShowcaseForm")(**kw),
    f"{F}.HighlightsForm": lambda t, kw: _(F, "HighlightsForm")(project=t.project, **kw),
}

NOT_GUARDED = {
    f"{S}.ShowcaseForm.q": "search words, never stored: as the projects list's own search box",
}
