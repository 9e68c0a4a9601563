"""Forms for involvement: logging time and claiming, deciding a claim, payment bands, the onboarding
checklist and the co-production reflection. Plain forms: services make the changes and audit them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from openqi.core.concurrency import VersionField
from openqi.core.formatting import long_date
from openqi.involvement.models import Activity, Agreement, OnboardingItem, ReflectionStage, ReflectionTheme
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.forms.story import EntryDateField

OVER_LIMIT_LABEL = "I have read the warning and still want to make this claim"


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class MeetingChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}, {long_date(obj.start)}"


class HoursField(forms.DecimalField):
    """Time as hours, the way people say it (2.5 for two and a half hours); cleans to whole minutes. A text
    box with a decimal keypad: number inputs mangle "2,5" and change value when scrolled over."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.25"))
        kwargs.setdefault("max_value", Decimal("24"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {"inputmode": "decimal", "spellcheck": "false"}

    def clean(self, value: Any) -> int | None:
        hours = super().clean(value)
        if hours is None:
            return None
        return int((hours * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class _EntryFields(PersonalDataGuardMixin, forms.Form):
    personal_data_fields: ClassVar[Sequence[str] | None] = ("note",)

    occurred_on = EntryDateField(
        label="Date",
        help_text="The day you gave the time, for example 17/3/2026",
        error_messages={"required": "Enter the date"},
    )
    activity = forms.ChoiceField(
        label="What was it?",
        choices=Activity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the time was for"},
    )
    minutes = HoursField(
        label="Time in hours",
        help_text="For example 1.5 for an hour and a half, 2.5 for two and a half hours",
        error_messages={
            "required": "Enter the time in hours",
            "invalid": "Time must be a number of hours, like 1.5",
            "min_value": "Time must be at least a quarter of an hour (0.25)",
            "max_value": "Time must be 24 hours or fewer",
            "max_digits": "Time must be a number of hours, like 1.5",
            "max_decimal_places": "Time must have 2 decimal places or fewer, like 1.25",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        help_text="What you did, for example 'Read the papers for the team meeting'",
        error_messages={"max_length": "Note must be 300 characters or fewer"},
    )

    def clean_occurred_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise ValidationError("Date must be today or in the past", code="future")
        if value.year < 2000:
            raise ValidationError("Date must be after 1 January 2000", code="too_old")
        return value


class InvolvementForm(_EntryFields):
    """Log time (and claim payment for it). The lead logging on a partner's behalf chooses the partner;
    a claim that would pass a weekly limit needs `confirm_over_limit` (added by the view once warned)."""

    claim = forms.BooleanField(
        label="Claim payment for this time",
        required=False,
        initial=True,
        help_text=(
            "Payment is by bank transfer from the team's budget. Leave unticked to record the time only."
        ),
    )

    def __init__(
        self,
        *args: Any,
        partners: QuerySet[Any] | None = None,
        meetings: QuerySet[Any] | None = None,
        warned: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.fields["partner"] = PersonChoiceField(
                label="Partner",
                queryset=partners,
                empty_label=None,
                error_messages={"required": "Select the partner", "invalid_choice": "Select the partner"},
            )
            self.order_fields(["partner"])
        if meetings is not None and meetings.exists():
            self.fields["meeting"] = MeetingChoiceField(
                label="Team meeting (optional)",
                queryset=meetings,
                required=False,
                empty_label="Not for a meeting",
                error_messages={"invalid_choice": "Select a meeting from the list"},
            )
        if warned:
            self.fields["confirm_over_limit"] = forms.BooleanField(label=OVER_LIMIT_LABEL, required=False)

    def ask_to_confirm_over_limit(self) -> None:
        """After a warning: offer the box to tick, or ask for it when the person was warned already."""
        if "confirm_over_limit" in self.fields:
            self.add_error("confirm_over_limit", "Tick the box to make the claim anyway, or change the claim")
        else:
            self.fields["confirm_over_limit"] = forms.BooleanField(label=OVER_LIMIT_LABEL, required=False)


class ResubmitForm(_EntryFields):
    """The partner corrects a queried claim and sends it again."""

    version = VersionField()


class DecisionForm(PersonalDataGuardMixin, forms.Form):
    personal_data_fields: ClassVar[Sequence[str] | None] = ("query",)

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve the claim"), ("query", "Query the claim: ask the partner a question")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or query"},
    )
    query = forms.CharField(
        label="Your question (if you query the claim)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Question must be 500 characters or fewer"},
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if (
            self.cleaned_data.get("decision") == "query"
            and not (self.cleaned_data.get("query") or "").strip()
        ):
            self.add_error("query", "Enter your question for the partner")
        return cleaned


class MoneyField(forms.DecimalField):
    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {"inputmode": "decimal"}


def _money_errors(what: str) -> dict[str, str]:
    return {
        "required": f"Enter the {what}",
        "invalid": f"The {what} must be an amount in pounds, like 10.00",
        "min_value": f"The {what} must be 0 or more",
        "max_digits": f"The {what} must be less than £100,000",
        "max_decimal_places": f"The {what} must be in pounds and pence, like 10.50",
    }


class PaymentSettingsForm(forms.Form):
    """The organisation's payment bands and weekly limits (long sessions and hours typed in hours)."""

    version = VersionField()
    long_session_minutes = HoursField(
        label="A long session is at least (hours)",
        help_text="Sessions this long or longer are paid the long-session amount; shorter ones the other",
        min_value=Decimal("0.25"),
        error_messages={
            "required": "Enter how long a long session is, in hours",
            "invalid": "Enter a number of hours, like 2",
            "min_value": "A long session must be at least 0.25 hours",
            "max_value": "A long session must be 24 hours or fewer",
        },
    )
    short_session_amount = MoneyField(
        label="Payment for a shorter session (£)",
        error_messages=_money_errors("payment for a shorter session"),
    )
    long_session_amount = MoneyField(
        label="Payment for a long session (£)", error_messages=_money_errors("payment for a long session")
    )
    weekly_amount_limit = MoneyField(
        label="Weekly payment limit (£)",
        help_text="For example the permitted-earnings limit for people on benefits",
        error_messages=_money_errors("weekly payment limit"),
    )
    weekly_minutes_limit = HoursField(
        label="Weekly hours limit",
        max_value=Decimal("168"),
        error_messages={
            "required": "Enter the weekly hours limit",
            "invalid": "Enter a number of hours, like 15",
            "min_value": "The weekly hours limit must be at least 0.25",
            "max_value": "The weekly hours limit must be 168 or fewer",
        },
    )


class OnboardingForm(forms.Form):
    version = VersionField(required=False)

    def __init__(self, *args: Any, team: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in OnboardingItem.choices:
            self.fields[value] = forms.BooleanField(label=label, required=False)
        self.fields["named_contact"] = PersonChoiceField(
            label="Named contact in the team",
            help_text="The person the partner can always ask",
            queryset=team,
            required=False,
            empty_label="Not chosen yet",
            error_messages={"invalid_choice": "Select a named contact from the team"},
        )


class ReflectionForm(PersonalDataGuardMixin, forms.Form):
    personal_data_fields: ClassVar[Sequence[str] | None] = ("actions",)

    version = VersionField(required=False)
    recorded_on = EntryDateField(
        label="Date of the reflection",
        help_text="For example 17/3/2026",
        error_messages={"required": "Enter the date of the reflection"},
    )
    actions = forms.CharField(
        label="What we will do next (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "What you will do next must be 2000 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for theme, label in ReflectionTheme.choices:
            self.fields[theme] = forms.TypedChoiceField(
                label=label,
                choices=Agreement.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select an answer for '{label}'",
                    "invalid_choice": f"Select an answer for '{label}'",
                },
            )
        self.order_fields(["version", "recorded_on", *ReflectionTheme.values, "actions"])

    def clean_recorded_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["recorded_on"]
        if value > timezone.localdate():
            raise ValidationError("Date must be today or in the past", code="future")
        return value


STAGE_CHOICES = ReflectionStage.choices
