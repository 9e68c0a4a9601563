"""Forms for the project record. Free text goes through the personal-data guard."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from openqi.core.concurrency import VersionField
from openqi.organisations.models import Directorate, Organisation, Service, StrategicPriority
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.models import (
    LIFECYCLE_NEXT,
    PROGRESS_LEVELS,
    CoproductionLevel,
    Lifecycle,
    Project,
    Visibility,
)


def _field(form: forms.BaseForm, name: str) -> Any:
    """A field whose queryset or choices are set per request (typed loosely: Field lacks them)."""
    return form.fields[name]


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(PersonalDataGuardMixin, forms.ModelForm[Project]):
    personal_data_fields = None  # every text field of the record
    version = VersionField()

    class Meta:
        model = Project
        fields = list(Project.RECORD_FIELDS)
        labels = {
            "title": "Project title",
            "problem": "The problem",
            "aim_what": "What will improve",
            "aim_for_whom": "For whom",
            "aim_baseline": "From (the baseline now)",
            "aim_target": "To (the target)",
            "aim_by": "By when",
            "priorities": "Strategic priorities",
            "expected_end_date": "Expected end date",
            "coproduction": "How are service users involved?",
        }
        help_texts = {
            "problem": (
                "Why it matters, and what the data shows now. "
                "Do not include anything that identifies a patient."
            ),
            "aim_what": (
                "Start with a verb, for example "
                "‘Increase the proportion of people who complete Low Intensity CBT’."
            ),
            "aim_for_whom": "For example ‘adults discharged from step 2 of the talking therapies service’.",
            "aim_baseline": "For example ‘45%’.",
            "aim_target": "For example ‘60%’.",
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5}),
            "aim_by": DATE,
            "start_date": DATE,
            "expected_end_date": DATE,
            "visibility": forms.RadioSelect,
            "coproduction": forms.RadioSelect,
            "priorities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        _field(self, "directorate").queryset = Directorate.objects.filter(organisation=organisation)
        _field(self, "service").queryset = Service.objects.filter(directorate__organisation=organisation)
        _field(self, "priorities").queryset = StrategicPriority.objects.filter(
            organisation=organisation, is_active=True
        )
        _field(self, "visibility").choices = Visibility.choices
        _field(self, "coproduction").choices = CoproductionLevel.choices
        self.fields["aim_what"].required = True
        if self.instance.pk is None:
            self.fields["version"].required = False
        else:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        directorate, service = data.get("directorate"), data.get("service")
        if directorate and service and service.directorate_id != directorate.pk:
            self.add_error(
                "service",
                f"{service.name} is not in {directorate.name}. Choose a service in that directorate.",
            )
        start, end = data.get("start_date"), data.get("expected_end_date")
        if start and end and end < start:
            self.add_error("expected_end_date", "The expected end date must be after the start date.")
        return data


class LifecycleForm(PersonalDataGuardMixin, forms.Form):
    to_state = forms.ChoiceField(label="Move the project to", widget=forms.RadioSelect)
    approved_on = forms.DateField(label="Date approved", required=False, widget=DATE)
    approved_by = forms.CharField(
        label="Approved by",
        required=False,
        max_length=200,
        help_text="For example ‘Primary Care Mental Health QI forum’.",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when closing a project: say why.",
    )
    version = VersionField()

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        allowed = LIFECYCLE_NEXT[project.lifecycle]
        _field(self, "to_state").choices = [(s, Lifecycle(s).label) for s in allowed]
        self.fields["version"].initial = project.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        to_state = data.get("to_state")
        if to_state == Lifecycle.APPROVED:
            if not data.get("approved_on"):
                self.add_error("approved_on", "Enter the date the project was approved.")
            if not data.get("approved_by"):
                self.add_error(
                    "approved_by", "Enter who approved the project, for example the directorate QI forum."
                )
        if to_state == Lifecycle.CLOSED and not (data.get("note") or "").strip():
            self.add_error("note", "Enter the reason for closing the project.")
        return data


class ProgressScoreForm(PersonalDataGuardMixin, forms.Form):
    personal_data_fields = ("note",)
    score = forms.TypedChoiceField(
        label="Progress score",
        coerce=Decimal,
        widget=forms.RadioSelect,
        choices=[(str(k), f"{k} – {label}") for k, (label, _) in PROGRESS_LEVELS.items()],
        error_messages={"required": "Select a progress score."},
    )
    note = forms.CharField(
        label="What has changed since the last review?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a note: say why the score is what it is."},
    )
    version = VersionField()


class ProjectFilterForm(forms.Form):
    """GET filters for the projects list; every field optional."""

    q = forms.CharField(
        label="Search projects",
        required=False,
        max_length=200,
        help_text="Searches titles, aims, problems and story logs.",
    )
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.none(), required=False, empty_label="Any"
    )
    service = forms.ModelChoiceField(queryset=Service.objects.none(), required=False, empty_label="Any")
    lifecycle = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any"), *Lifecycle.choices])
    score = forms.ChoiceField(
        label="Progress score at least",
        required=False,
        choices=[("", "Any")] + [(str(k), str(k)) for k in PROGRESS_LEVELS],
    )
    priority = forms.ModelChoiceField(
        label="Strategic priority",
        queryset=StrategicPriority.objects.none(),
        required=False,
        empty_label="Any",
    )
    coproduction = forms.ChoiceField(
        label="Co-production", required=False, choices=[("", "Any"), *CoproductionLevel.choices]
    )
    coach = forms.ChoiceField(label="QI coach", required=False)

    def __init__(
        self, *args: Any, organisation_ids: list[int], coaches: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        _field(self, "directorate").queryset = Directorate.objects.filter(
            organisation_id__in=organisation_ids
        )
        _field(self, "service").queryset = Service.objects.filter(
            directorate__organisation_id__in=organisation_ids
        )
        _field(self, "priority").queryset = StrategicPriority.objects.filter(
            organisation_id__in=organisation_ids
        )
        _field(self, "coach").choices = [("", "Any"), *coaches]
