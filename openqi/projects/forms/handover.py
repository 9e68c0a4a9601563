"""The "Hand over the lead" form: the new lead (from the team, or someone invited by e-mail), the date,
what the previous lead does now, and an optional note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.forms.story import EntryDateField
from openqi.projects.models import PreviousLead

SOMEONE_ELSE = "other"


class HandoverForm(PersonalDataGuardMixin, forms.Form):
    personal_data_fields: ClassVar[Sequence[str] | None] = ("note",)

    previous_lead = forms.TypedChoiceField(
        label="Who is handing over the lead?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is handing over the lead"},
    )
    new_lead = forms.ChoiceField(
        label="Who takes over as lead?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who takes over as lead"},
    )
    email = forms.EmailField(
        label="Their e-mail address",
        required=False,
        help_text="Only if they are not in the team yet. Partners do not need an NHS account.",
        error_messages={"invalid": "Enter an e-mail address in the correct format, like name@example.com"},
    )
    name = forms.CharField(label="Their full name", max_length=150, required=False)
    handed_over_on = EntryDateField(
        label="Date of the handover",
        help_text="For example 17/3/2025",
        error_messages={"required": "Enter the date of the handover"},
    )
    previous_lead_becomes = forms.ChoiceField(
        label="What does the previous lead do now?",
        choices=PreviousLead.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the previous lead does now"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the lead is changing, for the project's story. Do not include patient details.",
    )

    def __init__(
        self,
        *args: Any,
        leads: Sequence[tuple[int, str]] = (),
        candidates: Sequence[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["previous_lead"].choices = list(leads)  # type: ignore[attr-defined]
        self.fields["new_lead"].choices = [  # type: ignore[attr-defined]
            *((str(pk), name) for pk, name in candidates),
            (SOMEONE_ELSE, "Someone not in the team yet"),
        ]

    def clean_handed_over_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["handed_over_on"]
        if value > timezone.localdate():
            raise ValidationError("Date of the handover must be today or in the past", code="future")
        if value.year < 2000:
            raise ValidationError("Date of the handover must be after 1 January 2000", code="too_old")
        return value

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        someone_else = self.cleaned_data.get("new_lead") == SOMEONE_ELSE
        if someone_else and not self.cleaned_data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter the e-mail address of the new lead")
        previous, new = self.cleaned_data.get("previous_lead"), self.cleaned_data.get("new_lead")
        if previous is not None and new == str(previous):
            self.add_error("new_lead", "Select someone other than the lead who is handing over")
        return cleaned
