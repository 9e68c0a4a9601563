"""Forms for meetings and actions. Plain forms: the services make the change and write the audit rows.

Papers are checked by the story log's own attachment field (projects.forms.story): the same allowed kinds,
the same check of the first bytes, the same size limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from openqi.core.concurrency import VersionField
from openqi.meetings.models import Attendance, AttendanceStatus, EmailFrequency, Meeting, Recurrence
from openqi.meetings.services.meetings import MAX_OCCURRENCES, MeetingDetails, Repeat
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.forms.story import (
    ALLOWED_ATTACHMENTS,
    ALLOWED_TYPES_TEXT,
    AttachmentsField,
    EntryDateField,
    clean_file_name,
)
from openqi.projects.models import Project

MAX_PAPERS = 10
# As many files in one request as a story entry takes, so the proxy's body limit fits both (ADR 0011).
PAPERS_AT_ONCE = 3


class TimeOfDayField(forms.TimeField):
    """A time typed as 10:00, 10.00 or 1000 (24-hour clock)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%H:%M", "%H.%M", "%H%M", "%H:%M:%S"])
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.time):
            return f"{value:%H:%M}"
        return value


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class PeopleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def team_people(project: Project) -> Any:
    """The project's current team, for invitations and action owners."""
    return (
        get_user_model()
        .objects.filter(project_roles__project=project, project_roles__left_on__isnull=True)
        .distinct()
        .order_by("name", "email")
    )


def _moment(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


class _PapersForm(PersonalDataGuardMixin, forms.Form):
    """The papers field (whose file names the guard reads), and the names of chosen files to ask for again
    after an error."""

    personal_data_fields: ClassVar[Sequence[str] | None] = ("papers",)

    papers = AttachmentsField(
        label="Papers (optional)",
        required=False,
        help_text=f"Up to {PAPERS_AT_ONCE} files at a time, each smaller than 10MB: {ALLOWED_TYPES_TEXT}",
    )

    @property
    def accept(self) -> str:
        return ",".join(ALLOWED_ATTACHMENTS)

    @property
    def chosen_file_names(self) -> list[str]:
        form: Any = self
        if not form.is_bound:
            return []
        return [clean_file_name(f.name) for f in form.files.getlist(form.add_prefix("papers"))]

    def _check_paper_count(self, already: int = 0) -> None:
        form: Any = self
        new = form.cleaned_data.get("papers") or []
        if len(new) > PAPERS_AT_ONCE:
            form.add_error("papers", f"Choose up to {PAPERS_AT_ONCE} files at a time")
        elif already + len(new) > MAX_PAPERS:
            room = MAX_PAPERS - already
            form.add_error(
                "papers",
                f"A meeting can have up to {MAX_PAPERS} papers"
                + (f": choose {room} or fewer" if room > 0 else ": remove one before adding another"),
            )


class MeetingForm(PersonalDataGuardMixin, forms.Form):
    """Change one meeting: title, when, where, agenda."""

    personal_data_fields: ClassVar[Sequence[str] | None] = ("title", "place", "agenda")

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"},
    )
    day = EntryDateField(
        label="Date",
        help_text="For example 17/3/2027",
        error_messages={"required": "Enter the date of the meeting"},
    )
    start_time = TimeOfDayField(
        label="Start time",
        help_text="24-hour clock, for example 10:00",
        error_messages={
            "required": "Enter the start time",
            "invalid": "Start time must be a time, like 10:00",
        },
    )
    end_time = TimeOfDayField(
        label="End time",
        help_text="24-hour clock, for example 11:30",
        error_messages={"required": "Enter the end time", "invalid": "End time must be a time, like 11:30"},
    )
    place = forms.CharField(
        label="Place (optional)",
        max_length=300,
        required=False,
        help_text="A room and building, for example Meeting room 2, Wellbeing Centre",
        error_messages={"max_length": "Place must be 300 characters or fewer"},
    )
    video_link = forms.URLField(
        label="Video link (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="The link to join by video (Teams, Zoom, Google Meet), for people joining from home",
        error_messages={
            "invalid": "Video link must be a web address, like https://teams.microsoft.com/…",
            "max_length": "Video link must be 500 characters or fewer",
        },
    )
    agenda = forms.CharField(
        label="Agenda (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the meeting will cover. Do not include anything that could identify a patient.",
    )

    def clean_video_link(self) -> str:
        link: str = self.cleaned_data.get("video_link") or ""
        if link and not link.lower().startswith("https://"):
            raise ValidationError("Video link must start with https://", code="not_https")
        return link

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day.year < 2000 or day.year > 2100:
            raise ValidationError("Date must be a real date between 2000 and 2100", code="out_of_range")
        return day

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        start, end = self.cleaned_data.get("start_time"), self.cleaned_data.get("end_time")
        if start is not None and end is not None and end <= start:
            self.add_error("end_time", "End time must be after the start time")
        return cleaned

    def details(self) -> MeetingDetails:
        data = self.cleaned_data
        return MeetingDetails(
            title=data["title"],
            start=_moment(data["day"], data["start_time"]),
            end=_moment(data["day"], data["end_time"]),
            place=data.get("place", ""),
            video_link=data.get("video_link", ""),
            agenda=data.get("agenda", ""),
        )


class ScheduleForm(MeetingForm, _PapersForm):
    """Schedule a meeting or a series, invite people and attach papers for the first meeting."""

    personal_data_fields: ClassVar[Sequence[str] | None] = ("title", "place", "agenda", "papers")

    recurrence = forms.ChoiceField(
        label="Does it repeat?",
        choices=Recurrence.choices,
        initial=Recurrence.NONE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the meeting repeats"},
    )
    until = EntryDateField(
        label="Repeat until (for a repeating meeting)",
        required=False,
        help_text=f"The date of the last meeting, for example 31/3/2028; up to {MAX_OCCURRENCES} meetings",
    )
    invitees = PeopleChoiceField(
        queryset=get_user_model().objects.none(),
        label="Who to invite",
        widget=forms.CheckboxSelectMultiple,
        help_text="Each person gets an e-mail with a calendar invitation, whatever their e-mail address.",
        error_messages={"required": "Select at least one person to invite"},
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = team_people(project)
        self.fields["invitees"].queryset = people  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("invitees", [p.pk for p in people])

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        recurrence = self.cleaned_data.get("recurrence")
        until, day = self.cleaned_data.get("until"), self.cleaned_data.get("day")
        if recurrence and recurrence != Recurrence.NONE:
            if until is None and "until" not in self.errors:
                self.add_error("until", "Enter the date of the last meeting in the series")
            elif until is not None and day is not None:
                if until < day:
                    self.add_error("until", "The last meeting must be on or after the first")
                elif (until - day).days > 7 * (MAX_OCCURRENCES - 1):
                    self.add_error("until", "A series can run for up to 2 years: choose an earlier date")
        self._check_paper_count()
        return cleaned

    def repeat(self) -> Repeat:
        recurrence = self.cleaned_data["recurrence"]
        if recurrence == Recurrence.NONE:
            return Repeat()
        return Repeat(recurrence=recurrence, until=self.cleaned_data["until"])


class MeetingEditForm(MeetingForm):
    version = VersionField()
    later_too = forms.BooleanField(
        label="Make the same change to every later meeting of this series",
        required=False,
        help_text="For example, when the team's weekly meeting moves to a new day or time.",
    )


class PapersForm(_PapersForm):
    def __init__(self, *args: Any, already: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.already = already
        self.fields["papers"].required = True
        self.fields["papers"].error_messages["required"] = "Choose a file to add"
        self.fields["papers"].label = "Add papers"

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self._check_paper_count(self.already)
        return cleaned


class MinutesForm(PersonalDataGuardMixin, forms.Form):
    personal_data_fields: ClassVar[Sequence[str] | None] = ("minutes",)

    minutes = forms.CharField(
        label="Minutes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "What was discussed and decided. Add the actions agreed below the minutes. Do not include "
            "anything that could identify a patient."
        ),
    )
    version = VersionField()


class AttendanceForm(forms.Form):
    """One radio group per invited person."""

    def __init__(self, *args: Any, rows: Sequence[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            self.fields[f"person_{row.pk}"] = forms.ChoiceField(
                label=str(row.person.display_name),
                choices=AttendanceStatus.choices,
                initial=row.status,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select whether {row.person.display_name} came"},
            )

    def statuses(self) -> dict[int, str]:
        return {row.pk: self.cleaned_data[f"person_{row.pk}"] for row in self.rows}


class InviteForm(forms.Form):
    people = PeopleChoiceField(
        queryset=get_user_model().objects.none(),
        label="Who else to invite",
        widget=forms.CheckboxSelectMultiple,
        help_text="Each person gets an e-mail with a calendar invitation, whatever their e-mail address.",
        error_messages={"required": "Select at least one person to invite"},
    )

    def __init__(self, *args: Any, project: Project, invited: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = team_people(project).exclude(pk__in=list(invited))  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    whole_series = forms.BooleanField(
        label="Cancel every meeting of this series from now on, not only this one", required=False
    )


class ActionForm(PersonalDataGuardMixin, forms.Form):
    personal_data_fields: ClassVar[Sequence[str] | None] = ("description",)

    description = forms.CharField(
        label="Action",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What will be done. Do not include anything that could identify a patient.",
        error_messages={
            "required": "Enter what needs doing",
            "max_length": "The action must be 1000 characters or fewer",
        },
    )
    owner = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        label="Who will do it (optional)",
        required=False,
        empty_label="Nobody yet",
    )
    due_on = EntryDateField(
        label="Due date (optional)",
        required=False,
        help_text="For example 17/3/2027",
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only people on the team now: someone who left should not be handed new work.
        self.fields["owner"].queryset = team_people(project)  # type: ignore[attr-defined]

    def clean_due_on(self) -> dt.date | None:
        due: dt.date | None = self.cleaned_data.get("due_on")
        if due is not None and not 2000 <= due.year <= 2100:
            raise ValidationError("Due date must be a real date between 2000 and 2100", code="out_of_range")
        return due


class ActionEditForm(ActionForm):
    version = VersionField()


class ActionDoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often should OpenQI e-mail you about meetings and actions?",
        choices=[
            (EmailFrequency.IMMEDIATE, "Straight away: when I am given an action, and a daily reminder"),
            (EmailFrequency.DAILY, "Once a day: overdue actions and tomorrow's meetings with their papers"),
            (EmailFrequency.NONE, "Never: I will look in OpenQI"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often OpenQI should e-mail you"},
    )


def meeting_initial(meeting: Meeting) -> dict[str, Any]:
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    return {
        "title": meeting.title,
        "day": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
        "place": meeting.place,
        "video_link": meeting.video_link,
        "agenda": meeting.agenda,
        "version": meeting.version,
    }
