"""Coaching forms: bringing an idea, triaging it, logging a coaching session with what was agreed, the
caseload flag settings, and preparing and editing a sponsor update. Free text passes the personal-data
guard (no patient-identifiable data in QI records)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from openqi.coaching.models import CoachingSettings, SessionKind
from openqi.coaching.services import TRIAGE_CHOICES, AgreedAction
from openqi.core.concurrency import VersionField
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.forms.story import EntryDateField

ACTION_ROWS = 3
Choices = Sequence[tuple[Any, str]]


class IdeaForm(PersonalDataGuardMixin, forms.Form):
    """ "What is the problem, who does it affect, what could we try": the three questions a coach asks."""

    personal_data_fields: ClassVar[Sequence[str] | None] = ("title", "problem", "affects", "could_try")

    coach = forms.ChoiceField(label="Which coach would you like to talk to?", widget=forms.RadioSelect)
    service = forms.ChoiceField(label="Which service is it about? (optional)", required=False)
    title = forms.CharField(
        label="A short name for your idea",
        max_length=200,
        error_messages={
            "required": "Enter a short name for your idea",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    problem = forms.CharField(
        label="What is the problem?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "What you have noticed, and how you know. Do not include anything that could identify a patient."
        ),
        error_messages={"required": "Enter what the problem is"},
    )
    affects = forms.CharField(
        label="Who does it affect?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: people waiting for their first appointment, or the admin team.",
        error_messages={"required": "Enter who it affects"},
    )
    could_try = forms.CharField(
        label="What could we try?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what we could try"},
    )

    def __init__(self, *args: Any, coaches: Choices = (), services: Choices = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].choices = [(str(k), v) for k, v in coaches]  # type: ignore[attr-defined]
        self.fields["coach"].error_messages["required"] = "Select the coach you would like to talk to"
        self.fields["service"].choices = [("", "Not sure"), *((str(k), v) for k, v in services)]  # type: ignore[attr-defined]


class TriageForm(PersonalDataGuardMixin, forms.Form):
    personal_data_fields: ClassVar[Sequence[str] | None] = ("note", "project_title")

    decision = forms.ChoiceField(
        label="What would you like to do with this idea?",
        choices=list(TRIAGE_CHOICES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to do with the idea"},
    )
    note = forms.CharField(
        label="Note for the person who brought it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="They see it with the idea's status. Needed when you decline an idea: say why.",
    )
    project_title = forms.CharField(
        label="Project title (if you turn it into a project)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Project title must be 200 characters or fewer"},
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if (
            self.cleaned_data.get("decision") == "declined"
            and not (self.cleaned_data.get("note") or "").strip()
        ):
            self.add_error("note", "Enter the reason for declining the idea")
        return cleaned


class SessionForm(PersonalDataGuardMixin, forms.Form):
    """A coaching session, and up to ACTION_ROWS actions agreed in it."""

    personal_data_fields: ClassVar[Sequence[str] | None] = (
        "shared_notes",
        "private_notes",
        *(f"action_{i}_description" for i in range(1, ACTION_ROWS + 1)),
    )

    held_on = EntryDateField(
        label="Date of the session",
        help_text="For example 17/3/2025",
        error_messages={"required": "Enter the date of the session"},
    )
    kind = forms.ChoiceField(
        label="What kind of session was it?",
        choices=SessionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of session it was"},
    )
    participants = forms.TypedMultipleChoiceField(
        label="Who took part?", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    shared_notes = forms.CharField(
        label="Notes for the team",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The team sees these, and they appear on the project timeline.",
    )
    private_notes = forms.CharField(
        label="Private notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Only the project's coaches and the QI team see these: never partners or other organisations."
        ),
    )
    next_on = EntryDateField(
        label="Date of the next session (optional)",
        required=False,
        help_text="Everyone who took part gets a calendar invitation. For example 17/4/2025",
    )
    next_time = forms.TimeField(
        label="Time of the next session (optional)",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text="24-hour clock, for example 14:30. 10:00 if you leave it empty.",
        error_messages={"invalid": "Enter a time like 14:30"},
    )

    # What was agreed: ACTION_ROWS rows of (what, who, by when). A changed session keeps its actions,
    # which are changed where actions live (the meetings app), so its form drops these rows.
    action_1_description = forms.CharField(label="Action 1: what was agreed", required=False, max_length=1000)
    action_1_owner = forms.ChoiceField(label="Action 1: who will do it", required=False)
    action_1_due_on = EntryDateField(
        label="Action 1: by when (optional)", required=False, help_text="For example 30/4/2025"
    )
    action_2_description = forms.CharField(label="Action 2: what was agreed", required=False, max_length=1000)
    action_2_owner = forms.ChoiceField(label="Action 2: who will do it", required=False)
    action_2_due_on = EntryDateField(
        label="Action 2: by when (optional)", required=False, help_text="For example 30/4/2025"
    )
    action_3_description = forms.CharField(label="Action 3: what was agreed", required=False, max_length=1000)
    action_3_owner = forms.ChoiceField(label="Action 3: who will do it", required=False)
    action_3_due_on = EntryDateField(
        label="Action 3: by when (optional)", required=False, help_text="For example 30/4/2025"
    )

    def __init__(self, *args: Any, people: Choices = (), versioned: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = list(people)  # type: ignore[attr-defined]
        self.people = dict(people)
        rows = [name for row in self.action_rows() for name in row]
        if versioned:
            self.fields["version"] = VersionField()
            for name in rows:
                del self.fields[name]
            return
        owners = [("", "Choose who will do it"), *((str(pk), name) for pk, name in people)]
        for i in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{i}_owner"].choices = owners  # type: ignore[attr-defined]

    def clean_held_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise ValidationError("Date of the session must be today or in the past", code="future")
        if value.year < 2000:
            raise ValidationError("Date of the session must be after 1 January 2000", code="too_old")
        return value

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        held, next_on = self.cleaned_data.get("held_on"), self.cleaned_data.get("next_on")
        if held and next_on and next_on <= held:
            self.add_error("next_on", "Date of the next session must be after this session")
        if self.cleaned_data.get("next_time") and not next_on and "next_on" not in self.errors:
            self.add_error("next_on", "Enter the date of the next session, or leave its time empty")
        for i in range(1, ACTION_ROWS + 1):
            if f"action_{i}_description" not in self.fields:
                break
            text = (self.cleaned_data.get(f"action_{i}_description") or "").strip()
            owner = self.cleaned_data.get(f"action_{i}_owner")
            due = self.cleaned_data.get(f"action_{i}_due_on")
            if (owner or due) and not text:
                self.add_error(f"action_{i}_description", f"Enter what was agreed for action {i}")
        return cleaned

    def agreed_actions(self, owners: dict[int, Any]) -> list[AgreedAction]:
        agreed = []
        for i in range(1, ACTION_ROWS + 1):
            text = (self.cleaned_data.get(f"action_{i}_description") or "").strip()
            if not text:
                continue
            owner = self.cleaned_data.get(f"action_{i}_owner")
            agreed.append(
                AgreedAction(
                    text,
                    owners.get(int(owner)) if owner else None,
                    self.cleaned_data.get(f"action_{i}_due_on"),
                )
            )
        return agreed

    def action_rows(self) -> list[tuple[str, str, str]]:
        return [
            (f"action_{i}_description", f"action_{i}_owner", f"action_{i}_due_on")
            for i in range(1, ACTION_ROWS + 1)
            if f"action_{i}_description" in self.fields
        ]


class CaseloadSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CoachingSettings
        fields = CoachingSettings.AUDITED_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = {
            "no_contact_days": (1, 365),
            "score_review_days": (1, 365),
            "stall_months": (1, 24),
            "no_data_periods": (1, 52),
        }
        for name, (low, high) in limits.items():
            field = self.fields[name]
            field.min_value, field.max_value = low, high  # type: ignore[attr-defined]
            field.validators = [
                *field.validators,
                _between(low, high, str(self.fields[name].label)),
            ]
            field.error_messages["required"] = f"Enter {str(field.label).lower()}"
            field.error_messages["invalid"] = f"{field.label} must be a whole number"
        self.fields["stall_score"].error_messages["required"] = (
            "Enter the progress score a project may stall at"
        )
        self.fields["stall_score"].error_messages["invalid"] = "Progress score must be a number like 2.5"

    def clean_stall_score(self) -> Any:
        value = self.cleaned_data["stall_score"]
        if value is None:
            return value
        if not 0.5 <= float(value) <= 5 or float(value) * 2 != int(float(value) * 2):
            raise ValidationError("Progress score must be between 0.5 and 5.0, in steps of 0.5")
        return value


def _between(low: int, high: int, label: str) -> Any:
    def check(value: Any) -> None:
        if value is not None and not low <= value <= high:
            raise ValidationError(f"{label} must be between {low} and {high}")

    return check


class PrepareUpdateForm(forms.Form):
    sponsor = forms.ChoiceField(
        label="Which sponsor is the update for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the sponsor"},
    )
    month = forms.ChoiceField(label="Which month?", error_messages={"required": "Select the month"})

    def __init__(self, *args: Any, sponsors: Choices = (), months: Choices = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].choices = [(str(k), v) for k, v in sponsors]  # type: ignore[attr-defined]
        self.fields["month"].choices = list(months)  # type: ignore[attr-defined]


class EditUpdateForm(PersonalDataGuardMixin, forms.Form):
    """The coach's words in an update: an introduction, a summary per project, and what they need."""

    introduction = forms.CharField(
        label="Introduction (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    needs = forms.CharField(
        label="What I need from you",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obstacles the sponsor can remove, decisions they can make.",
    )

    def __init__(self, *args: Any, sections: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for pk, title in sections:
            self.fields[f"note_{pk}"] = forms.CharField(
                label=f"Your summary: {title}", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )

    def notes(self) -> dict[int, str]:
        return {
            int(name.removeprefix("note_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("note_")
        }
