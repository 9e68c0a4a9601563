"""The coaching app's forms (and the projects' handover form, added with it) in the whole-codebase checks:
the hostile-input fuzz (FORMS) and the personal-data coverage (NOT_GUARDED)."""

from __future__ import annotations

import importlib
from typing import Any

C, H = "openqi.coaching.forms", "openqi.projects.forms.handover"


def _(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def _people(t: Any) -> list[tuple[int, str]]:
    return [(t.world.lead.pk, "Tom Price"), (t.world.partner.pk, "Sam Taylor")]


FORMS = {
    f"{C}.IdeaForm": lambda t, kw: _(C, "IdeaForm")(
        coaches=[(t.world.coach.pk, "Dan Okafor")], services=[(1, "Recovery service")], **kw
    ),
    f"{C}.TriageForm": lambda t, kw: _(C, "TriageForm")(**kw),
    f"{C}.SessionForm": lambda t, kw: _(C, "SessionForm")(people=_people(t), **kw),
    f"{C}.CaseloadSettingsForm": lambda t, kw: _(C, "CaseloadSettingsForm")(**kw),
    f"{C}.PrepareUpdateForm": lambda t, kw: _(C, "PrepareUpdateForm")(
        sponsors=[(t.world.sponsor.pk, "Helen Marsh")], months=[("2025-03-01", "March 2025")], **kw
    ),
    f"{C}.EditUpdateForm": lambda t, kw: _(C, "EditUpdateForm")(sections=[(1, "A project")], **kw),
    f"{H}.HandoverForm": lambda t, kw: _(H, "HandoverForm")(
        leads=[(t.world.lead.pk, "Tom Price")], candidates=[(t.world.partner.pk, "Sam Taylor")], **kw
    ),
}

NOT_GUARDED = {
    f"{H}.HandoverForm.name": "the new lead's own name when they are invited, as for TeamInviteForm.name",
}
