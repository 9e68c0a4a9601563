"""Learning forms. Free text passes the personal-data guard; choices are limited to the organisation's own
people, programmes, directorates and projects (the view passes them in, already scoped)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from openqi.core.concurrency import VersionField
from openqi.learning.models import Audience, Group, Programme, ProgrammeKind
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.forms.story import EntryDateField

RATING_SCALE = [(str(n), str(n)) for n in range(1, 6)]


def _people_choices(people: Sequence[Any]) -> list[tuple[str, str]]:
    return [(str(u.pk), f"{u.display_name} ({u.email})") for u in people]


class ProgrammeForm(PersonalDataGuardMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        error_messages={
            "required": "Enter the programme's name",
            "max_length": "Name must be 120 characters or fewer",
        },
    )
    short_name = forms.CharField(
        label="Short name (optional)", max_length=30, required=False, help_text="For example ILP"
    )
    audience = forms.ChoiceField(
        label="Who is it for?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the programme is for"},
    )
    kind = forms.ChoiceField(
        label="How do people take part?",
        choices=ProgrammeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how people take part"},
    )
    length = forms.CharField(
        label="Length (optional)",
        max_length=80,
        required=False,
        help_text="For example: half a day, 6 months",
    )
    prepares_for = forms.CharField(
        label="What it prepares you for (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    completion_percent = forms.IntegerField(
        label="Share of sessions to attend to complete (%)",
        min_value=1,
        max_value=100,
        error_messages={
            "required": "Enter the share of sessions to attend, for example 80",
            "invalid": "Share of sessions must be a whole number, for example 80",
            "min_value": "Share of sessions must be between 1 and 100",
            "max_value": "Share of sessions must be between 1 and 100",
        },
    )
    prepares_coaches = forms.BooleanField(label="It trains QI coaches", required=False)
    position = forms.IntegerField(
        label="Place on the pathway",
        min_value=0,
        max_value=1000,
        initial=0,
        help_text="Lower numbers come first",
        error_messages={
            "required": "Enter the place on the pathway, for example 3",
            "invalid": "Place on the pathway must be a whole number",
            "min_value": "Place on the pathway must be between 0 and 1000",
            "max_value": "Place on the pathway must be between 0 and 1000",
        },
    )
    next_programmes = forms.MultipleChoiceField(
        label="What comes next on the pathway (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        programmes: Sequence[Programme] = (),
        taken_names: Sequence[str] = (),
        versioned: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._programmes = {str(p.pk): p for p in programmes}
        self._taken = {name.casefold() for name in taken_names}
        self.fields["next_programmes"].choices = [(pk, p.name) for pk, p in self._programmes.items()]  # type: ignore[attr-defined]
        if versioned:
            self.fields["version"] = VersionField()

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if name.casefold() in self._taken:
            raise ValidationError("There is already a programme with this name: choose another name")
        return name

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("confirm_no_personal_data", None)
        data["next_programmes"] = [self._programmes[pk] for pk in data.get("next_programmes") or []]
        return data


class CohortForm(PersonalDataGuardMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="For example: Wave 9, Cohort 3, January 2027",
        error_messages={
            "required": "Enter the cohort's name",
            "max_length": "Name must be 120 characters or fewer",
        },
    )
    starts_on = EntryDateField(
        label="Starts on",
        help_text="For example 14/1/2027",
        error_messages={"required": "Enter the start date"},
    )
    ends_on = EntryDateField(label="Ends on (optional)", required=False)
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=1000,
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Places must be a whole number",
            "min_value": "Places must be between 1 and 1000",
            "max_value": "Places must be between 1 and 1000",
        },
    )
    self_enrolment = forms.BooleanField(label="People may ask to join (the QI team approves)", required=False)
    facilitators = forms.MultipleChoiceField(
        label="Facilitators (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        people: Sequence[Any] = (),
        taken_names: Sequence[str] = (),
        versioned: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._people = {str(u.pk): u for u in people}
        self._taken = {name.casefold() for name in taken_names}
        self.fields["facilitators"].choices = _people_choices(people)  # type: ignore[attr-defined]
        if versioned:
            self.fields["version"] = VersionField()

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if name.casefold() in self._taken:
            raise ValidationError("The programme already has a cohort with this name: choose another name")
        return name

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        starts, ends = self.cleaned_data.get("starts_on"), self.cleaned_data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return cleaned

    def values(self) -> dict[str, Any]:
        data = {
            k: self.cleaned_data[k] for k in ("name", "starts_on", "ends_on", "capacity", "self_enrolment")
        }
        data["facilitators"] = [self._people[pk] for pk in self.cleaned_data.get("facilitators") or []]
        return data


class SessionForm(PersonalDataGuardMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=160,
        error_messages={
            "required": "Enter the session's title",
            "max_length": "Title must be 160 characters or fewer",
        },
    )
    date = EntryDateField(
        label="Date",
        help_text="For example 14/1/2027",
        error_messages={"required": "Enter the session's date"},
    )
    starts_at = forms.TimeField(
        label="Starts at (optional)",
        required=False,
        help_text="For example 10:00",
        error_messages={"invalid": "Enter a time, for example 10:00"},
    )
    ends_at = forms.TimeField(
        label="Ends at (optional)",
        required=False,
        help_text="For example 12:30",
        error_messages={"invalid": "Enter a time, for example 12:30"},
    )
    place = forms.CharField(
        label="Place (optional)", max_length=200, required=False, help_text="A room and building, or Online"
    )
    video_link = forms.URLField(
        label="Video link (optional)",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": "Enter a link starting with https://"},
    )
    facilitators = forms.MultipleChoiceField(
        label="Facilitators (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._people = {str(u.pk): u for u in people}
        self.fields["facilitators"].choices = _people_choices(people)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        starts, ends = self.cleaned_data.get("starts_at"), self.cleaned_data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end time must be after the start time")
        return cleaned

    def values(self) -> dict[str, Any]:
        data = {
            k: self.cleaned_data[k] for k in ("title", "date", "starts_at", "ends_at", "place", "video_link")
        }
        data["facilitators"] = [self._people[pk] for pk in self.cleaned_data.get("facilitators") or []]
        return data


class EnrolForm(forms.Form):
    group = forms.ChoiceField(
        label="Are you taking part as",
        choices=Group.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you are taking part as staff or as a service user or carer"
        },
    )
    directorate = forms.ChoiceField(label="Where do you work? (optional)", required=False)

    def __init__(self, *args: Any, directorates: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._directorates = {str(d.pk): d for d in directorates}
        self.fields["directorate"].choices = [("", "Not part of a directorate / prefer not to say")] + [  # type: ignore[attr-defined]
            (pk, d.name) for pk, d in self._directorates.items()
        ]

    @property
    def chosen_directorate(self) -> Any:
        return self._directorates.get(self.cleaned_data.get("directorate") or "")


class AddPersonForm(EnrolForm):
    person = forms.ChoiceField(label="Person", error_messages={"required": "Select the person to enrol"})
    field_order = ["person", "group", "directorate"]

    def __init__(self, *args: Any, people: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._people = {str(u.pk): u for u in people}
        self.fields["person"].choices = [("", "Choose a person")] + _people_choices(people)  # type: ignore[attr-defined]
        self.fields["group"].label = "Taking part as"
        self.fields["directorate"].label = "Directorate (optional)"

    @property
    def chosen_person(self) -> Any:
        return self._people[self.cleaned_data["person"]]


class CohortTeamForm(PersonalDataGuardMixin, forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=160,
        error_messages={
            "required": "Enter the team's name",
            "max_length": "Team name must be 160 characters or fewer",
        },
    )
    project = forms.ChoiceField(label="Project the team runs (optional)", required=False)

    def __init__(self, *args: Any, projects: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._projects = {str(p.pk): p for p in projects}
        choices = [("", "No project yet")] + [(pk, p.title) for pk, p in self._projects.items()]
        self.fields["project"].choices = choices  # type: ignore[attr-defined]

    @property
    def chosen_project(self) -> Any:
        return self._projects.get(self.cleaned_data.get("project") or "")


class RegisterForm(forms.Form):
    """The register on a phone: one checkbox per enrolled person, ticked for those who came."""

    present = forms.MultipleChoiceField(
        label="Who came?", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, enrolments: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(e.pk), e.user.display_name) for e in enrolments]  # type: ignore[attr-defined]

    @property
    def present_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("present") or []]


class FeedbackForm(PersonalDataGuardMixin, forms.Form):
    useful = forms.ChoiceField(
        label="Was the session useful?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the session was useful"},
    )
    rating = forms.ChoiceField(
        label="How would you rate the session? (1 = poor, 5 = great)",
        choices=RATING_SCALE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a rating from 1 to 5"},
    )
    usefulness = forms.ChoiceField(
        label="How useful will it be in your work on improvement? (1 = not useful at all, 5 = very useful)",
        choices=RATING_SCALE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how useful it will be, from 1 to 5"},
    )
    comment = forms.CharField(
        label="Anything else you want to tell us? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "The facilitators read comments without your name. "
            "Do not include anything that could identify a patient."
        ),
        error_messages={"max_length": "Comment must be 2000 characters or fewer"},
    )


class RecordImportForm(PersonalDataGuardMixin, forms.Form):
    file = forms.FileField(
        label="File of training records",
        help_text="CSV or Excel (.xlsx), up to 5MB",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size and upload.size > 5 * 1024 * 1024:
            raise ValidationError("The selected file must be smaller than 5MB")
        return upload


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label="Year", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Every year")] + [(str(y), str(y)) for y in years]  # type: ignore[attr-defined]
