"""The portfolio's forms: a forum pack to make, a forum's decision on a project, the board report's
choices. Errors show in the NHS.UK error summary; free text passes the personal-data guard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms

from openqi.core.formatting import long_date
from openqi.organisations.models import Directorate, Organisation
from openqi.portfolio.models import Decision
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.forms.story import EntryDateField
from openqi.projects.models import Project, StoryEntry

# The most story entries a storyboard shows as highlights.
MAX_HIGHLIGHTS = 6


class ForumPackForm(forms.Form):
    directorate = forms.ModelChoiceField(
        label="Directorate QI forum",
        queryset=Directorate.objects.none(),
        error_messages={"required": "Select the directorate", "invalid_choice": "Select the directorate"},
    )
    forum_date = EntryDateField(
        label="Date of the forum",
        help_text="For example 17/3/2025",
        error_messages={"required": "Enter the date of the forum"},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directorate"].queryset = Directorate.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")


class ForumDecisionForm(PersonalDataGuardMixin, forms.Form):
    personal_data_fields: ClassVar[Sequence[str] | None] = ("note",)

    decision = forms.ChoiceField(
        label="The forum's decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the forum's decision"},
    )
    note = forms.CharField(
        label="What the forum said",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="When asking for changes, say what the team should change.",
        error_messages={"max_length": "Note must be %(limit_value)d characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.CHANGES and not (data.get("note") or "").strip():
            self.add_error("note", "Say what the team should change")
        return data


QUARTERS = [
    ("1", "April to June (Q1)"),
    ("2", "July to September (Q2)"),
    ("3", "October to December (Q3)"),
    ("4", "January to March (Q4)"),
]


class BoardReportForm(forms.Form):
    """The quarter to report on and up to three project stories chosen by the QI team."""

    year = forms.IntegerField(
        label="Financial year starting in",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Enter the year the financial year starts in",
            "invalid": "Year must be a number, for example 2025",
            "min_value": "Year must be 2000 or later",
            "max_value": "Year must be 2100 or earlier",
        },
    )
    quarter = forms.ChoiceField(
        label="Quarter", choices=QUARTERS, error_messages={"required": "Select the quarter"}
    )
    stories = forms.ModelMultipleChoiceField(
        label="Project stories for the board (up to three)",
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Select projects from the list",
            "invalid_pk_value": "Select projects from the list",
        },
    )

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stories"].queryset = projects  # type: ignore[attr-defined]

    def clean_stories(self) -> Any:
        chosen = self.cleaned_data.get("stories")
        if chosen is not None and len(chosen) > 3:
            raise forms.ValidationError("Select up to three project stories")
        return chosen


class HighlightsForm(forms.Form):
    """The story entries the team chooses for its storyboard, poster and showcase page."""

    entries = forms.ModelMultipleChoiceField(
        label="Story entries to show",
        queryset=StoryEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"Up to {MAX_HIGHLIGHTS}. With none chosen, the latest milestones, celebrations and "
        "decisions are shown.",
        error_messages={
            "invalid_choice": "Select entries from the list",
            "invalid_pk_value": "Select entries from the list",
        },
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entries"]
        field.queryset = project.story_entries.order_by("-occurred_on", "-pk")  # type: ignore[attr-defined]
        field.label_from_instance = lambda e: f"{long_date(e.occurred_on)} – {e.title}"  # type: ignore[attr-defined]

    def clean_entries(self) -> Any:
        chosen = self.cleaned_data.get("entries")
        if chosen is not None and len(chosen) > MAX_HIGHLIGHTS:
            raise forms.ValidationError(f"Select up to {MAX_HIGHLIGHTS} story entries")
        return chosen
