"""The involvement app's forms in the hostile-input fuzz and the personal-data coverage (tests/registries)."""

from __future__ import annotations

import importlib
from typing import Any

F = "openqi.involvement.forms"


def _form(name: str) -> Any:
    return getattr(importlib.import_module(F), name)


def _partners(t: Any) -> Any:
    from openqi.accounts.models import User

    return User.objects.filter(project_roles__project=t.project, project_roles__role="partner").distinct()


def _team(t: Any) -> Any:
    from openqi.accounts.models import User

    return User.objects.filter(project_roles__project=t.project).distinct()


def _meetings(t: Any) -> Any:
    return t.project.meetings.all()


FORMS = {
    f"{F}.InvolvementForm": lambda t, kw: _form("InvolvementForm")(
        partners=_partners(t), meetings=_meetings(t), warned=True, **kw
    ),
    f"{F}.ResubmitForm": lambda t, kw: _form("ResubmitForm")(**kw),
    f"{F}.DecisionForm": lambda t, kw: _form("DecisionForm")(**kw),
    f"{F}.PaymentSettingsForm": lambda t, kw: _form("PaymentSettingsForm")(**kw),
    f"{F}.OnboardingForm": lambda t, kw: _form("OnboardingForm")(team=_team(t), **kw),
    f"{F}.ReflectionForm": lambda t, kw: _form("ReflectionForm")(**kw),
}
