"""The account page's form: a new API token's name and optional expiry date."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Say what will use it, for example ‘Power BI weekly upload’.",
        error_messages={"required": "Enter a name for the token"},
    )
    expires_on = forms.DateField(
        label="Expires on (optional)",
        required=False,
        help_text="The token stops working after this day. Leave blank to keep it until you revoke it.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, like 2027-03-31"},
    )

    def clean_expires_on(self) -> dt.date | None:
        expires_on: dt.date | None = self.cleaned_data.get("expires_on")
        if expires_on is not None and expires_on < timezone.localdate():
            raise forms.ValidationError("The expiry date must be today or in the future")
        return expires_on
