"""The story entry form and the rules for its attachments.

Attachments are checked twice: by extension (what the person and their computer think the file is)
and by its first bytes (what it really is). Both must agree with one allowed kind, so a web page
renamed to .pdf, an executable renamed to .docx or an SVG (which can carry script) is refused. The
content type we store and serve comes from this table, never from the browser.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from openqi.core.concurrency import VersionField
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.models import StoryAttachment, StoryCategory, StoryEntry

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# How much of a file is read to decide what it is; enough for every signature below.
_SNIFF_BYTES = 2048

_EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows executables and DLLs
    b"\x7fELF",  # Linux executables
    b"\xfe\xed\xfa",  # Mach-O
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binaries (and Java classes)
    b"#!",  # scripts
)
# Markup a browser might render (and run script in) if it ever ignored our headers.
_MARKUP_HINTS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe", b"<head")


def _is_pdf(head: bytes, upload: UploadedFile) -> bool:
    return head.startswith(b"%PDF-")


def _is_png(head: bytes, upload: UploadedFile) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(head: bytes, upload: UploadedFile) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _office(folder: str) -> Callable[[bytes, UploadedFile], bool]:
    """An Office Open XML file: a zip with the package manifest and the part folder of its kind, and no
    macros (a macro-enabled document renamed to .docx would otherwise slip through)."""

    def check(head: bytes, upload: UploadedFile) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        try:
            # Only the central directory is read; nothing is decompressed, so a zip bomb costs nothing.
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
        return (
            "[Content_Types].xml" in names
            and any(n.startswith(folder) for n in names)
            and not any(n.lower().endswith("vbaproject.bin") for n in names)
        )

    return check


def _is_plain_text(head: bytes, upload: UploadedFile) -> bool:
    if b"\x00" in head or head.startswith(_EXECUTABLE_SIGNATURES):
        return False
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(hint in lowered for hint in _MARKUP_HINTS):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may end part-way through a character; anything else is not UTF-8, so try the
        # Windows code page that Excel uses for CSV in the UK.
        if exc.start < len(head) - 3:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


@dataclass(frozen=True)
class AttachmentKind:
    label: str
    content_type: str
    sniff: Callable[[bytes, UploadedFile], bool]


ALLOWED_ATTACHMENTS: dict[str, AttachmentKind] = {
    ".pdf": AttachmentKind("PDF", "application/pdf", _is_pdf),
    ".png": AttachmentKind("PNG image", "image/png", _is_png),
    ".jpg": AttachmentKind("JPEG image", "image/jpeg", _is_jpeg),
    ".jpeg": AttachmentKind("JPEG image", "image/jpeg", _is_jpeg),
    ".docx": AttachmentKind(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _office("word/"),
    ),
    ".xlsx": AttachmentKind(
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _office("xl/"),
    ),
    ".pptx": AttachmentKind(
        "PowerPoint presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _office("ppt/"),
    ),
    ".csv": AttachmentKind("CSV file", "text/csv", _is_plain_text),
    ".txt": AttachmentKind("text file", "text/plain", _is_plain_text),
}
ALLOWED_TYPES_TEXT = "PDF, PNG, JPEG, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), CSV or TXT"


def clean_file_name(name: str | None) -> str:
    """The name the person's computer gave the file, without any folder, safe to show and to offer back
    in Content-Disposition (control characters removed; never used as a storage path)."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in base if ch.isprintable()).strip().strip(".")
    if not base:
        return "attachment"
    if len(base) > 200:
        suffix = PurePosixPath(base).suffix[:20]
        base = base[: 200 - len(suffix)] + suffix
    return base


def attachment_kind(upload: UploadedFile) -> AttachmentKind:
    """The allowed kind this upload really is, or ValidationError with a message for the person."""
    name = clean_file_name(upload.name)
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"{name} must be smaller than 10MB", code="too_big")
    if not upload.size:
        raise ValidationError(f"{name} is empty", code="empty")
    kind = ALLOWED_ATTACHMENTS.get(PurePosixPath(name).suffix.lower())
    if kind is None:
        raise ValidationError(f"{name} must be a {ALLOWED_TYPES_TEXT}", code="wrong_type")
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(_EXECUTABLE_SIGNATURES) or not kind.sniff(head, upload):
        raise ValidationError(
            f"{name} is not a real {kind.label}. Save it again as a {kind.label} and choose it again",
            code="content_mismatch",
        )
    return kind


class _MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_ATTACHMENTS files in one <input type="file" multiple>; cleans to a list of
    (upload, kind) pairs."""

    widget = _MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[tuple[UploadedFile, AttachmentKind]]:
        uploads = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        errors: list[ValidationError] = []
        cleaned: list[tuple[UploadedFile, AttachmentKind]] = []
        for upload in uploads:
            try:
                super().clean(upload, initial)
                cleaned.append((upload, attachment_kind(upload)))
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)
        return cleaned


def _parse_date(value: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


class EntryDateField(forms.DateField):
    """A date typed as 17/3/2025 (the way people in UK services write it); ISO and '17 March 2025' too."""

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        parsed = _parse_date(str(value))
        if parsed is None:
            raise ValidationError("Date must be a real date, for example 17/3/2025", code="invalid")
        return parsed

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return f"{value.day}/{value.month}/{value.year}"
        return value


class StoryEntryForm(PersonalDataGuardMixin, forms.Form):
    """Add or edit one story entry. A plain form (not a ModelForm) so that validation never touches the
    stored entry: the service makes the change, compares before and after for the audit trail and saves
    with the version the person started from."""

    personal_data_fields: ClassVar[Sequence[str] | None] = ("title", "text", "attachments")

    occurred_on = EntryDateField(
        label="Date",
        help_text="When it happened, for example 17/3/2025",
        error_messages={"required": "Enter the date it happened"},
    )
    category = forms.ChoiceField(
        label="What kind of entry is this?",
        choices=StoryCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of entry this is"},
    )
    title = forms.CharField(
        label="Title",
        max_length=StoryEntry._meta.get_field("title").max_length,
        error_messages={
            "required": "Enter a title",
            "max_length": "Title must be %(limit_value)d characters or fewer",
        },
    )
    text = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Meetings, decisions, learning, setbacks and celebrations. You can use **bold**, lists "
            "and [links](https://www.nhs.uk). Do not include anything that could identify a patient."
        ),
        error_messages={"required": "Enter what happened"},
    )
    attachments = AttachmentsField(
        label="Attach files (optional)",
        required=False,
        help_text=f"Up to {MAX_ATTACHMENTS} files, each smaller than 10MB: {ALLOWED_TYPES_TEXT}",
    )

    def __init__(
        self,
        *args: Any,
        existing: Sequence[StoryAttachment] = (),
        versioned: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.existing = list(existing)
        if versioned:
            self.fields["version"] = VersionField()
        if self.existing:
            self.fields["remove_attachments"] = forms.TypedMultipleChoiceField(
                label="Remove attachments",
                required=False,
                coerce=int,
                choices=[(a.pk, a.original_name) for a in self.existing],
                widget=forms.CheckboxSelectMultiple,
                help_text="Ticked files are deleted when you save.",
            )

    def clean_occurred_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise ValidationError("Date must be today or in the past", code="future")
        if value.year < 2000:
            raise ValidationError("Date must be after 1 January 2000", code="too_old")
        return value

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        new = self.cleaned_data.get("attachments") or []
        removed = set(self.cleaned_data.get("remove_attachments") or [])
        kept = [a for a in self.existing if a.pk not in removed]
        if len(kept) + len(new) > MAX_ATTACHMENTS:
            room = MAX_ATTACHMENTS - len(kept)
            message = f"You can attach up to {MAX_ATTACHMENTS} files to an entry" + (
                f": choose {room} or fewer" if room > 0 else ": remove one before adding another"
            )
            self.add_error("attachments", message)
        return cleaned

    @property
    def accept(self) -> str:
        """For the file input's accept attribute: the chooser offers the right files first (only a hint;
        the checks above are what count)."""
        return ",".join(ALLOWED_ATTACHMENTS)

    @property
    def chosen_file_names(self) -> list[str]:
        """Names of files the person chose: a browser cannot re-fill a file input when the form is shown
        again with errors, so the page lists them and asks for them again."""
        if not self.is_bound:
            return []
        return [clean_file_name(f.name) for f in self.files.getlist(self.add_prefix("attachments"))]
