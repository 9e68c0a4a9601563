"""The tools app's forms for the hostile-input fuzz (tests/test_fuzz_forms.py). Every free-text field of
these forms is guarded, so there is no NOT_GUARDED entry."""

from __future__ import annotations

import importlib
from typing import Any

F = "openqi.tools.forms"


def _form(name: str) -> Any:
    return getattr(importlib.import_module(F), name)


def _tool(things: Any, kind: str) -> Any:
    from openqi.tools.models import ItemKind, Tool, ToolItem

    tool, made = Tool.objects.get_or_create(
        project=things.project, kind=kind, defaults={"title": f"Fuzz {kind}"}
    )
    if made:
        # Items to choose among (parents, branch targets), as a tool in use has.
        for item_kind in (ItemKind.CATEGORY, ItemKind.CAUSE, ItemKind.WHY, ItemKind.THEME, ItemKind.ACTIVITY):
            ToolItem.objects.create(tool=tool, kind=item_kind, text=f"An item ({item_kind})")
    return tool


def _item_form(name: str, kind: str) -> Any:
    def build(things: Any, kw: dict[str, Any]) -> Any:
        tool = _tool(things, kind)
        return _form(name)(tool=tool, item=tool.items.first(), **kw)

    return build


FORMS: dict[str, Any] = {
    f"{F}.ToolForm": lambda t, kw: _form("ToolForm")(**kw),
    f"{F}.ToolEditForm": lambda t, kw: _form("ToolEditForm")(**kw),
    f"{F}.ProcessStepForm": _item_form("ProcessStepForm", "process_map"),
    f"{F}.FishboneCategoryForm": _item_form("FishboneCategoryForm", "fishbone"),
    f"{F}.FishboneCauseForm": _item_form("FishboneCauseForm", "fishbone"),
    f"{F}.ParetoCategoryForm": _item_form("ParetoCategoryForm", "pareto"),
    f"{F}.WhyForm": _item_form("WhyForm", "five_whys"),
    f"{F}.StakeholderForm": _item_form("StakeholderForm", "stakeholders"),
    f"{F}.AffinityThemeForm": _item_form("AffinityThemeForm", "affinity"),
    f"{F}.AffinityNoteForm": _item_form("AffinityNoteForm", "affinity"),
    f"{F}.AffinityNotesForm": lambda t, kw: _form("AffinityNotesForm")(**kw),
    f"{F}.CountsUploadForm": lambda t, kw: _form("CountsUploadForm")(**kw),
    f"{F}.LinkForm": lambda t, kw: _form("LinkForm")(project=t.project, **kw),
    f"{F}.CycleLinkForm": lambda t, kw: _form("CycleLinkForm")(project=t.project, **kw),
}
