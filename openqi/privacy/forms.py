"""The personal-data guard at the form layer: one mixin for every form that takes QI free text.

    class StoryEntryForm(PersonalDataGuardMixin, forms.ModelForm):
        personal_data_fields = ("text",)          # default: every text field and file field

    form = StoryEntryForm(request.POST or None, request.FILES or None, block=org.blocks_personal_data)

Why the form layer: it is the one place that sees what a person typed, can explain a problem next to
the field, and redisplays the text unchanged so nothing is lost. Models and services stay unaware.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile

from openqi.privacy.detect import (
    Finding,
    Kind,
    Severity,
    find_personal_data,
    find_personal_data_in_filename,
)

__all__ = [
    "BLOCK_MESSAGE",
    "CONFIRM_FIELD",
    "CONFIRM_LABEL",
    "WARN_MESSAGE",
    "FieldFinding",
    "PersonalDataGuardMixin",
    "is_free_text",
]

CONFIRM_FIELD = "confirm_no_personal_data"
CONFIRM_LABEL = "I have checked: this does not identify a patient"
WARN_MESSAGE = (
    "Some of your answers may identify a patient. Remove the details, or if they do not identify "
    f"anyone, tick \u2018{CONFIRM_LABEL}\u2019 and save again."
)
BLOCK_MESSAGE = (
    "Some of your answers look like patient details. Remove them to save: your organisation does not "
    "allow patient details in QI records."
)

# Text-like fields whose values are legitimately identifiers of other things (addresses of staff,
# links, slugs, machine data), so scanning them would only produce noise.
_NOT_FREE_TEXT = (forms.EmailField, forms.URLField, forms.SlugField, forms.UUIDField, forms.JSONField)


def is_free_text(field: forms.Field) -> bool:
    """Whether the guard reads this field by default: text a person types (a CharField or TextField that
    is shown and is not an e-mail address, link, slug or password) or an uploaded file, whose name is."""
    if isinstance(field, forms.FileField):
        return True
    return (
        isinstance(field, forms.CharField)
        and not isinstance(field, _NOT_FREE_TEXT)
        and not field.widget.is_hidden
        and not isinstance(field.widget, forms.PasswordInput)
    )


@dataclass(frozen=True, slots=True)
class FieldFinding:
    """A finding in one form field; `in_file_name` when it is in an uploaded file's name."""

    field: str
    finding: Finding
    in_file_name: bool = False

    @property
    def kind(self) -> Kind:
        return self.finding.kind

    @property
    def excerpt(self) -> str:
        return self.finding.excerpt

    @property
    def message(self) -> str:
        return self.finding.message

    def for_audit(self) -> dict[str, str | bool]:
        """What may be stored: the kind and the masked excerpt, never the text itself."""
        return {
            "field": self.field,
            "kind": self.finding.kind.value,
            "severity": self.finding.severity.value,
            "excerpt": self.finding.excerpt,
            "in_file_name": self.in_file_name,
        }


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class PersonalDataGuardMixin(_FormBase):
    """Warn about (or block) patient-identifiable data in a form's free text and file names.

    Put it first among the bases: `class F(PersonalDataGuardMixin, forms.ModelForm)`. If the form
    defines `clean()`, call `super().clean()` in it.

    After validation:

    * `personal_data_findings` lists every `FieldFinding` in the submission, also when the person
      confirmed and the form is valid, so the view can audit the confirmation.
    * Warn mode (`block=False`): the form is invalid with a non-field error and one error per finding on
      its field, and gains the checkbox field `confirm_no_personal_data`. Resubmitted with the box
      ticked, the form is valid (`personal_data_confirmed` is True).
    * Block mode (`block=True`): the form is invalid with errors while any HIGH-severity finding remains;
      no confirmation field exists and a ticked box in the data is ignored. Phone numbers (LOW severity,
      often a staff contact) stay confirmable even then.

    Bound data is never altered, so every answer is redisplayed exactly as typed.
    """

    personal_data_fields: ClassVar[Sequence[str] | None] = None
    """Fields to check; None means every free-text CharField (TextField) and every FileField."""
    personal_data_max_errors_per_field: ClassVar[int] = 5
    """A long answer can hold many findings; past this many, one line says how many more there are."""

    def __init__(self, *args: Any, block: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.personal_data_block = block
        self.personal_data_findings: list[FieldFinding] = []
        self.personal_data_confirmed = False
        self.personal_data_blocked = False

    # ---------------------------------------------------------------------------------------------
    # What templates and views read

    @property
    def needs_personal_data_confirmation(self) -> bool:
        """True when the confirmation checkbox should be rendered (validates the form if needed)."""
        if self.is_bound:
            _ = self.errors  # runs full_clean() once; templates may ask before the view called is_valid()
        return CONFIRM_FIELD in self.fields

    def personal_data_audit(self) -> list[dict[str, str | bool]]:
        """The findings as rows safe to store in an audit trail (masked excerpts only)."""
        return [f.for_audit() for f in self.personal_data_findings]

    # ---------------------------------------------------------------------------------------------
    # Validation

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self._guard_personal_data()
        return cleaned

    def _guard_personal_data(self) -> None:
        findings = list(self._scan_for_personal_data())
        self.personal_data_findings = findings
        self.personal_data_confirmed = False
        self.personal_data_blocked = False
        self.fields.pop(CONFIRM_FIELD, None)
        if not findings:
            return
        if self.personal_data_block and any(f.finding.severity is Severity.HIGH for f in findings):
            # Blocked: no confirmation field at all, and the raw data's tick is never read.
            self.personal_data_blocked = True
            self.add_error(None, BLOCK_MESSAGE)
        else:
            # The field is added only now, so a form without findings never renders (or accepts) it.
            self.fields[CONFIRM_FIELD] = forms.BooleanField(required=False, label=CONFIRM_LABEL)
            if self._confirmation_ticked():
                self.personal_data_confirmed = True
                return
            self.add_error(None, WARN_MESSAGE)
        self._add_finding_errors(findings)

    def _confirmation_ticked(self) -> bool:
        # Read from the raw data with the widget Django would use, because the field did not exist
        # while the other fields were cleaned.
        widget = forms.CheckboxInput()
        return bool(widget.value_from_datadict(self.data, self.files, self.add_prefix(CONFIRM_FIELD)))

    def _add_finding_errors(self, findings: list[FieldFinding]) -> None:
        by_field: dict[str, list[str]] = {}
        for f in findings:
            messages = by_field.setdefault(f.field, [])
            if f.message not in messages:  # the same NHS number pasted twice is one problem
                messages.append(f.message)
        limit = max(1, self.personal_data_max_errors_per_field)
        for name, messages in by_field.items():
            shown = messages[:limit]
            if len(messages) > limit:
                more = len(messages) - limit
                shown.append(f"There {'is' if more == 1 else 'are'} {more} more possible patient "
                             f"detail{'' if more == 1 else 's'} in this answer.")  # fmt: skip
            # add_error() drops the field from cleaned_data but never touches self.data, so the
            # person's text is redisplayed as typed.
            self.add_error(name, shown)

    @classmethod
    def personal_data_field_names(cls, fields: Mapping[str, forms.Field]) -> list[str]:
        """The names among `fields` that the guard reads (a test checks every form's text is among them)."""
        if cls.personal_data_fields is not None:
            return [n for n in cls.personal_data_fields if n in fields and n != CONFIRM_FIELD]
        return [name for name, field in fields.items() if name != CONFIRM_FIELD and is_free_text(field)]

    def _scan_for_personal_data(self) -> Iterator[FieldFinding]:
        for name in self.personal_data_field_names(self.fields):
            field = self.fields[name]
            if field.disabled:  # the submitted value is ignored for disabled fields, so is ours
                continue
            # The raw submitted value, not cleaned_data: a field that failed its own validation
            # ("too long") is checked too, so every problem is reported in one round trip.
            value = self[name].data
            if isinstance(field, forms.FileField):
                for upload in _uploads(value):
                    for finding in find_personal_data_in_filename(upload.name or ""):
                        yield FieldFinding(name, finding, in_file_name=True)
            elif isinstance(value, str):
                for finding in find_personal_data(value):
                    yield FieldFinding(name, finding)


def _uploads(value: object) -> Iterator[UploadedFile]:
    """Newly uploaded files only: an existing FieldFile was checked when it was uploaded."""
    items = value if isinstance(value, list | tuple) else [value]
    for item in items:
        if isinstance(item, UploadedFile):
            yield item
