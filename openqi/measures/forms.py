"""Forms for measure definitions, the data grid, uploads and what the team says about a chart.
Free text (definitions, comments, reasons, annotations) passes the personal-data guard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from openqi.core.concurrency import VersionField
from openqi.measures.dataio import COMMENT_MAX_LENGTH, DATA_NUMBER, MAX_FILE_BYTES, DataRow
from openqi.measures.fields import NumberField
from openqi.measures.models import ChartStyle, DataKind, LimitChangeKind, Measure, MeasureType
from openqi.measures.periods import EARLIEST_PERIOD, LATEST_PERIOD
from openqi.privacy.forms import PersonalDataGuardMixin


class MeasureForm(PersonalDataGuardMixin, forms.ModelForm):  # type: ignore[type-arg]
    # Every text field of the definition (the guard's default), the unit and what each value is included:
    # a definition copied from a record can name a patient anywhere.
    personal_data_fields = None

    version = VersionField()

    class Meta:
        model = Measure
        fields = Measure.DEFINITION_FIELDS
        widgets = {
            "kind": forms.RadioSelect,
            "improvement": forms.RadioSelect,
            "chart_style": forms.RadioSelect,
            "definition": forms.Textarea(attrs={"rows": 4}),
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "trajectory_from_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "target_value": "Target value",
            "target_date": "Target date",
            "trajectory_from_value": "Trajectory start value (optional)",
            "trajectory_from_date": "Trajectory start date (optional)",
            "chart_type": "Chart",
            "chart_style": "Chart style",
            "min_points_for_limits": "Points needed before limits are drawn",
            "numerator_definition": "Numerator (what is counted)",
            "denominator_definition": "Denominator (out of what)",
        }
        help_texts = {
            "chart_type": (
                "We suggest a chart for the data. A run chart is shown until there are enough points."
            ),
            "chart_style": (
                "Making Data Count is the NHS style every chart uses unless your team reads charts the "
                "qicharts2 way."
            ),
            "target_value": "In the measure's unit, for example 60 for 60%.",
            "min_points_for_limits": "12 is what the SPC references recommend for trial limits.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A definition posted without a style (an older form, a script) keeps the house style.
        self.fields["chart_style"].required = False

    def clean_chart_style(self) -> str:
        return str(self.cleaned_data.get("chart_style") or ChartStyle.MDC)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        assert cleaned is not None
        kind = cleaned.get("kind")
        if kind in (DataKind.PROPORTION, DataKind.RATE):
            if not cleaned.get("numerator_definition"):
                self.add_error("numerator_definition", "Enter what the numerator counts")
            if not cleaned.get("denominator_definition"):
                self.add_error("denominator_definition", "Enter what the denominator counts")
        if (cleaned.get("trajectory_from_value") is None) != (cleaned.get("trajectory_from_date") is None):
            self.add_error("trajectory_from_date", "Enter both a start value and a start date, or neither")
        if cleaned.get("trajectory_from_date") and not (
            cleaned.get("target_date") and cleaned.get("target_value") is not None
        ):
            self.add_error("target_date", "A trajectory needs a target value and a target date")
        return cleaned

    def definition(self) -> dict[str, Any]:
        """The definition as the person wrote it, for the services that create or change a measure."""
        return {name: self.cleaned_data[name] for name in Measure.DEFINITION_FIELDS}


class NewProjectMeasureForm(MeasureForm):
    version = None  # type: ignore[assignment]  # a new measure has no version to conflict with
    measure_type = forms.ChoiceField(
        label="Role in this project's family of measures",
        choices=MeasureType.choices,
        widget=forms.RadioSelect,
    )

    class Meta(MeasureForm.Meta):
        pass


class UseLibraryMeasureForm(forms.Form):
    measure = forms.ModelChoiceField(
        label="Measure from your organisation's library", queryset=Measure.objects.none()
    )
    measure_type = forms.ChoiceField(
        label="Role in this project's family of measures",
        choices=MeasureType.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, measures: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "library")
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures  # type: ignore[attr-defined]


class LinksForm(forms.Form):
    measure_type = forms.ChoiceField(
        label="Role in this project's family of measures",
        choices=MeasureType.choices,
        widget=forms.RadioSelect,
    )
    order = forms.IntegerField(label="Order within its group", min_value=0, max_value=999)
    pdsa_cycles = forms.MultipleChoiceField(
        label="PDSA cycles this measure tells you about", required=False, widget=forms.CheckboxSelectMultiple
    )
    change_ideas = forms.MultipleChoiceField(
        label="Change ideas this measure tells you about", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, cycles: Any, ideas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pdsa_cycles"].choices = [(str(c.pk), c.title) for c in cycles]  # type: ignore[attr-defined]
        self.fields["change_ideas"].choices = [(str(c.pk), c.title) for c in ideas]  # type: ignore[attr-defined]


class DataRowForm(PersonalDataGuardMixin, forms.Form):
    """One row of the data grid. An empty row is skipped; a row with anything in it must be complete."""

    personal_data_fields = ("comment",)

    period = forms.DateField(widget=forms.HiddenInput)
    value = NumberField(column=DATA_NUMBER, required=False)
    numerator = NumberField(column=DATA_NUMBER, required=False, min_value=0)
    denominator = NumberField(column=DATA_NUMBER, required=False, min_value=0)
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": f"The comment must be {COMMENT_MAX_LENGTH} characters or fewer"},
    )
    delete = forms.BooleanField(required=False)
    # What the row held when the page was shown: only rows the person changed are saved, and a changed
    # row is refused if someone else saved it since (services.DataConflict). They hold whatever is stored,
    # even a point saved before the limits above, so they have none: they are only compared, never saved.
    orig_value = forms.DecimalField(required=False, widget=forms.HiddenInput)
    orig_numerator = forms.DecimalField(required=False, widget=forms.HiddenInput)
    orig_denominator = forms.DecimalField(required=False, widget=forms.HiddenInput)
    orig_comment = forms.CharField(required=False, widget=forms.HiddenInput)

    VALUES = ("value", "numerator", "denominator", "comment")

    def __init__(self, *args: Any, has_denominator: bool, allow_above: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_denominator = has_denominator
        self.allow_above = allow_above

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return all(data.get(n) in (None, "") for n in self.VALUES)

    @property
    def had_data(self) -> bool:
        """Whether the row showed stored data when the page was rendered (bound or not)."""
        if self.is_bound:
            return any(str(self.data.get(self.add_prefix(f"orig_{n}"), "")).strip() for n in self.VALUES)
        return any(self.initial.get(f"orig_{n}") not in (None, "") for n in self.VALUES)

    def original(self) -> DataRow | None:
        """What the person saw in this row (None: no data), in the shape it is stored."""
        c = self.cleaned_data
        if all(c.get(f"orig_{n}") in (None, "") for n in self.VALUES):
            return None
        return DataRow(
            period=c["period"],
            value=None if self.has_denominator else c.get("orig_value"),
            numerator=c.get("orig_numerator") if self.has_denominator else None,
            denominator=c.get("orig_denominator") if self.has_denominator else None,
            comment=c.get("orig_comment") or "",
        )

    @property
    def is_untouched(self) -> bool:
        """Posted exactly as it was shown: there is nothing to check in it and nothing to save. A point
        stored before today's limits (a value too large, a comment too long) then never stops the person
        saving the other rows; it is checked when they change it."""
        if not self.is_bound or self.data.get(self.add_prefix("delete")):
            return False
        return all(
            str(self.data.get(self.add_prefix(n), "")).strip()
            == str(self.data.get(self.add_prefix(f"orig_{n}"), "")).strip()
            for n in self.VALUES
        )

    @property
    def is_changed(self) -> bool:
        if self.cleaned_data.get("delete"):
            return self.original() is not None
        if self.is_untouched or self.is_blank:
            return False
        return self.data_row() != self.original()

    def clean(self) -> dict[str, Any] | None:
        if self.cleaned_data.get("delete") or self.is_untouched:
            # A deleted row's boxes are thrown away with the point, and an untouched row is not saved, so
            # what is in them need not be valid (the personal-data guard, below, still reads them).
            for name in self.VALUES:
                self.errors.pop(name, None)  # during clean() this is the dict being filled
        cleaned = super().clean()
        assert cleaned is not None
        when = cleaned.get("period")
        label = f"{when:%d %b %Y}" if isinstance(when, dt.date) else "this period"
        if cleaned.get("delete") or self.is_untouched:
            return cleaned
        if isinstance(when, dt.date) and not EARLIEST_PERIOD <= when <= LATEST_PERIOD and not self.is_blank:
            # Only a changed page sends such a period; the grid's own rows are always in range.
            self.add_error(
                "period", f"Data can only be entered for {EARLIEST_PERIOD.year} to {LATEST_PERIOD.year}"
            )
            return cleaned
        if self.is_blank and self.had_data:
            first = "numerator" if self.has_denominator else "value"
            self.add_error(first, f"To remove the data for {label}, tick Delete, or enter the data")
            return cleaned
        if self.has_denominator:
            num, den = cleaned.get("numerator"), cleaned.get("denominator")
            if (num is None) != (den is None):
                missing = "numerator" if num is None else "denominator"
                self.add_error(missing, f"Enter the {missing} for {label}, or clear the row")
            elif den is not None and den == 0:
                self.add_error("denominator", f"The denominator for {label} must be more than 0")
            elif num is not None and den is not None and num > den and not self.allow_above:
                self.add_error("numerator", f"The numerator for {label} cannot be more than the denominator")
            elif num is None and cleaned.get("comment"):
                self.add_error(
                    "numerator", f"Enter the numerator and denominator for {label}, or clear the comment"
                )
        elif cleaned.get("value") is None and cleaned.get("comment"):
            self.add_error("value", f"Enter a value for {label}, or clear the comment")
        return cleaned

    def data_row(self) -> DataRow:
        c = self.cleaned_data
        return DataRow(
            period=c["period"],
            value=None if self.has_denominator else c.get("value"),
            numerator=c.get("numerator") if self.has_denominator else None,
            denominator=c.get("denominator") if self.has_denominator else None,
            comment=c.get("comment") or "",
        )


class UploadForm(PersonalDataGuardMixin, forms.Form):
    file = forms.FileField(
        label="CSV or Excel file", help_text="A CSV file or an Excel workbook (.xlsx), up to 5 MB."
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB.")
        return upload


class ConfirmImportForm(forms.Form):
    existing = forms.ChoiceField(
        label="Some periods already have data. What should happen to them?",
        choices=[
            ("update", "Update them with the values in the file"),
            ("skip", "Skip them and keep the data already entered"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, has_updates: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["existing"].required = has_updates


class LimitChangeForm(PersonalDataGuardMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What do you want to do?", choices=LimitChangeKind.choices, widget=forms.RadioSelect
    )
    period = forms.ChoiceField(
        label="At which period?",
        help_text="A freeze ends the baseline after this period; a rebase starts new limits at it.",
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example: the baseline before our first PDSA cycle.",
    )

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods  # type: ignore[attr-defined]


class ExcludeForm(PersonalDataGuardMixin, forms.Form):
    period = forms.ChoiceField(label="Point to exclude from the calculations")
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        help_text="For example: the data was incomplete that week (system outage).",
    )

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods  # type: ignore[attr-defined]


class AnnotationForm(PersonalDataGuardMixin, forms.Form):
    personal_data_fields = ("text",)

    period = forms.ChoiceField(label="Point to annotate")
    pdsa_cycle = forms.ChoiceField(label="PDSA cycle (optional)", required=False)
    story_entry = forms.ChoiceField(label="Story entry (optional)", required=False)
    text = forms.CharField(
        label="Note (optional if you chose a PDSA cycle or story entry)", max_length=300, required=False
    )

    def __init__(
        self, *args: Any, periods: list[tuple[str, str]], cycles: Any, entries: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods  # type: ignore[attr-defined]
        self.fields["pdsa_cycle"].choices = [("", "None")] + [(str(c.pk), c.title) for c in cycles]  # type: ignore[attr-defined]
        self.fields["story_entry"].choices = [("", "None")] + [(str(e.pk), e.title) for e in entries]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        assert cleaned is not None
        if (
            not (cleaned.get("text") or cleaned.get("pdsa_cycle") or cleaned.get("story_entry"))
            and not self.errors
        ):
            self.add_error("text", "Enter a note, or choose a PDSA cycle or story entry")
        return cleaned


def decimal_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text
