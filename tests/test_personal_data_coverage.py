"""Every free-text field of every form passes the personal-data guard (docs/adr/0009-personal-data-guard.md).

Forms are discovered, not listed: every module of OpenQI is imported and every form class defined in it
is inspected, so a new form, or a new text field on an old one, fails here until it is guarded or
explained below. A field is free text when the guard would read it by default
(`openqi.privacy.forms.is_free_text`: a shown CharField or TextField that is not an e-mail address, link,
slug or password, or an uploaded file).
"""

from __future__ import annotations

import importlib
import pkgutil

from django import forms

import openqi
from openqi.privacy.forms import PersonalDataGuardMixin, is_free_text
from tests import registries

# Text fields that the guard does not read, each with the reason. Keep this short: the answer to a new
# text field is almost always to guard it.
NOT_GUARDED: dict[str, str] = {
    "openqi.accounts.forms.TokenForm.name": (
        "the label of the person's own API token ('Power BI weekly upload'), seen only by them"
    ),
    "openqi.organisations.forms.InvitationForm.name": (
        "the name of the person being invited to use OpenQI (staff or partner): naming users is the "
        "field's purpose, and a name on its own is never flagged"
    ),
    "openqi.organisations.forms.MemberForm.name": "a member's own name, as for InvitationForm.name",
    "openqi.projects.views.team.TeamInviteForm.name": "the invitee's own name, as for InvitationForm.name",
    "openqi.organisations.forms.UnitNameForm.name": (
        "the name of one of the organisation's directorates or services, set by its admins: a label of "
        "the organisation's structure, not a record of care"
    ),
    "openqi.organisations.forms.RenameForm.name": "a directorate or service name, as for UnitNameForm.name",
    "openqi.organisations.forms.PriorityForm.name": (
        "the name of a strategic priority of the organisation, set by its admins"
    ),
    "openqi.projects.forms.project.ProjectFilterForm.q": (
        "a search query: sent with GET, never stored or shown to anyone else"
    ),
}
# Domain apps explain theirs in tests/registries/<app>.py (NOT_GUARDED).
NOT_GUARDED.update(registries.merged("NOT_GUARDED"))


def _import_every_module() -> None:
    for module in pkgutil.walk_packages(openqi.__path__, "openqi."):
        name = module.name
        if ".tests" in name or ".migrations" in name or name.endswith((".wsgi", ".asgi")):
            continue
        importlib.import_module(name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def form_classes() -> list[type[forms.BaseForm]]:
    _import_every_module()
    return sorted(
        (
            cls
            for cls in _subclasses(forms.BaseForm)
            if cls.__module__.startswith("openqi.") and ".tests" not in cls.__module__
        ),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def text_fields() -> dict[str, tuple[type[forms.BaseForm], str]]:
    """Every free-text field of every form, by its dotted name."""
    found = {}
    for cls in form_classes():
        for name, field in cls.base_fields.items():
            if is_free_text(field):
                found[f"{cls.__module__}.{cls.__qualname__}.{name}"] = (cls, name)
    return found


def is_guarded(cls: type[forms.BaseForm], name: str) -> bool:
    return issubclass(cls, PersonalDataGuardMixin) and name in cls.personal_data_field_names(cls.base_fields)


def test_forms_are_discovered() -> None:
    names = {cls.__qualname__ for cls in form_classes()}
    # A few of each app, so a broken discovery cannot pass by finding nothing.
    assert {"StoryEntryForm", "MeasureForm", "PlanForm", "InvitationForm", "TokenForm"} <= names


def test_every_free_text_field_is_guarded_or_explained() -> None:
    unguarded = [
        dotted
        for dotted, (cls, name) in text_fields().items()
        if not is_guarded(cls, name) and dotted not in NOT_GUARDED
    ]
    assert not unguarded, (
        "These free-text fields skip the personal-data guard. Add PersonalDataGuardMixin to the form (and "
        "render its confirmation field), or add the field to NOT_GUARDED with the reason:\n"
        + "\n".join(unguarded)
    )


def test_the_explanations_are_current() -> None:
    fields = text_fields()
    stale = [dotted for dotted in NOT_GUARDED if dotted not in fields]
    assert not stale, f"no longer a text field of a form, remove from NOT_GUARDED: {stale}"
    guarded = [dotted for dotted in NOT_GUARDED if is_guarded(*fields[dotted])]
    assert not guarded, f"guarded after all, remove from NOT_GUARDED: {guarded}"
    assert all(len(reason) > 20 for reason in NOT_GUARDED.values())


def test_named_guard_fields_exist() -> None:
    # A typo in personal_data_fields would silently leave the real field unguarded.
    for cls in form_classes():
        if issubclass(cls, PersonalDataGuardMixin) and cls.personal_data_fields is not None:
            missing = set(cls.personal_data_fields) - set(cls.base_fields)
            assert not missing, f"{cls.__qualname__}.personal_data_fields names {missing}"


def test_measure_unit_and_value_definition_are_guarded() -> None:
    fields = text_fields()
    for name in ("unit", "value_definition", "numerator_definition", "denominator_definition"):
        assert is_guarded(*fields[f"openqi.measures.forms.MeasureForm.{name}"])
