from __future__ import annotations

from django import forms

from openqi.core.concurrency import VersionField
from openqi.organisations.models import ROLE_HINTS, Role

ROLE_CHOICES = [(r.value, r.label) for r in Role]


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            choices=ROLE_CHOICES,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label="Roles",
            help_text="Everyone invited is a member. Select any roles they hold as well. "
            + " ".join(f"{r.label}: {h}" for r, h in ROLE_HINTS.items()),
            **kwargs,  # type: ignore[arg-type]
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text="Any e-mail address works, including personal addresses of service users and carers.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the e-mail address of the person to invite",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )
    name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the name of the person to invite"},
    )
    roles = RolesField()


class MemberForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=150, required=False)
    roles = RolesField()
    version = VersionField()


class UnitNameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter a name"})


class RenameForm(UnitNameForm):
    version = VersionField()


class PersonalDataPolicyForm(forms.Form):
    policy = forms.ChoiceField(
        label="When text looks like patient-identifiable data",
        widget=forms.RadioSelect,
        choices=[
            ("warn", "Warn, and let the person confirm it identifies nobody (the confirmation is audited)"),
            ("block", "Refuse to save it until the person removes it"),
        ],
    )


class PriorityForm(forms.Form):
    name = forms.CharField(
        label="Strategic priority",
        max_length=120,
        error_messages={"required": "Enter the name of the strategic priority"},
    )
