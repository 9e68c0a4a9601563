"""The form mixin: warn -> confirm -> valid; block -> never valid; nothing typed is lost."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.utils.datastructures import MultiValueDict

from openqi.privacy import Kind
from openqi.privacy.forms import (
    BLOCK_MESSAGE,
    CONFIRM_FIELD,
    CONFIRM_LABEL,
    WARN_MESSAGE,
    PersonalDataGuardMixin,
)

NHS = "943 476 5919"
NHS_MESSAGE = (
    "This looks like an NHS number (943 476 5919). Remove it: QI records must not identify patients."
)


class StoryEntryForm(PersonalDataGuardMixin, forms.Form):
    title = forms.CharField(max_length=40)
    text = forms.CharField(widget=forms.Textarea)
    lead_email = forms.EmailField(required=False)
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    attachment = forms.FileField(required=False)


class TextOnlyForm(StoryEntryForm):
    personal_data_fields = ("text",)


def story(**data: str) -> dict[str, str]:
    return {"title": "Triage huddle", "text": "18 of 27 referrals triaged in time.", **data}


def test_clean_text_is_valid_and_shows_no_confirmation() -> None:
    form = StoryEntryForm(story())
    assert form.is_valid(), form.errors
    assert form.personal_data_findings == []
    assert not form.needs_personal_data_confirmation
    assert CONFIRM_FIELD not in form.fields


def test_unbound_form_shows_no_confirmation() -> None:
    form = StoryEntryForm()
    assert not form.needs_personal_data_confirmation
    assert CONFIRM_FIELD not in [f.name for f in form]


def test_warn_then_confirm_then_valid() -> None:
    typed = f"Seen patient {NHS} on Ward 12."
    first = StoryEntryForm(story(text=typed))
    assert not first.is_valid()
    assert first.non_field_errors() == [WARN_MESSAGE]
    assert first.errors["text"] == [NHS_MESSAGE]
    assert first.needs_personal_data_confirmation
    assert first[CONFIRM_FIELD].label == CONFIRM_LABEL
    assert first[CONFIRM_FIELD].value() is False  # shown unticked
    assert first["text"].value() == typed  # nothing typed is lost
    assert [(f.field, f.kind) for f in first.personal_data_findings] == [("text", Kind.NHS_NUMBER)]

    second = StoryEntryForm(story(text=typed, **{CONFIRM_FIELD: "on"}))
    assert second.is_valid(), second.errors
    assert second.personal_data_confirmed
    assert second.cleaned_data["text"] == typed
    # The view can audit that the person confirmed, without storing the number itself.
    assert second.personal_data_audit() == [
        {
            "field": "text",
            "kind": "nhs_number",
            "severity": "high",
            "excerpt": "943 *** ***9",
            "in_file_name": False,
        }
    ]


def test_ticking_the_box_without_findings_changes_nothing() -> None:
    form = StoryEntryForm(story(**{CONFIRM_FIELD: "on"}))
    assert form.is_valid()
    assert not form.personal_data_confirmed
    assert CONFIRM_FIELD not in form.fields


@pytest.mark.parametrize("ticked", [False, True])
def test_block_is_never_valid_and_offers_no_confirmation(ticked: bool) -> None:
    data = story(text=f"MRN RX1234567, NHS {NHS}")
    if ticked:
        data[CONFIRM_FIELD] = "on"
    form = StoryEntryForm(data, block=True)
    assert not form.is_valid()
    assert form.personal_data_blocked
    assert not form.personal_data_confirmed
    assert form.non_field_errors() == [BLOCK_MESSAGE]
    assert len(form.errors["text"]) == 2
    assert not form.needs_personal_data_confirmation
    assert CONFIRM_FIELD not in form.fields
    assert form["text"].value() == data["text"]


def test_block_still_lets_people_confirm_a_phone_number() -> None:
    # Phone numbers are low severity: in a QI record they are usually the team's own contact details.
    data = story(text="Contact the team lead on 07700 900123")
    warned = StoryEntryForm(data, block=True)
    assert not warned.is_valid()
    assert warned.needs_personal_data_confirmation and not warned.personal_data_blocked
    assert StoryEntryForm({**data, CONFIRM_FIELD: "on"}, block=True).is_valid()


def test_block_with_a_phone_and_an_nhs_number_blocks() -> None:
    form = StoryEntryForm(story(text=f"07700 900123 {NHS}", **{CONFIRM_FIELD: "on"}), block=True)
    assert not form.is_valid() and form.personal_data_blocked


def test_every_text_field_is_checked_by_default_and_each_error_is_on_its_field() -> None:
    form = StoryEntryForm(story(title="Mrs Jones, 84, falls", text=f"NHS {NHS}"))
    assert not form.is_valid()
    assert form.errors["title"][0].startswith("This looks like a person's name and age (Mrs Jones, 84)")
    assert form.errors["text"] == [NHS_MESSAGE]


def test_personal_data_fields_limits_the_check() -> None:
    form = TextOnlyForm(story(title="Mrs Jones, 84, falls"))
    assert form.is_valid(), form.errors


def test_email_and_hidden_fields_are_not_checked() -> None:
    form = StoryEntryForm(story(lead_email="sarah.jones@nhs.net", version=NHS.replace(" ", "")))
    assert form.is_valid(), form.errors


def test_a_field_with_its_own_error_is_still_checked() -> None:
    # One round trip shows every problem: the title is too long *and* holds an NHS number.
    form = StoryEntryForm(story(title=f"A very long title about the patient {NHS}"))
    assert not form.is_valid()
    assert NHS_MESSAGE in form.errors["title"]
    assert any("at most 40 characters" in e for e in form.errors["title"])


def test_uploaded_file_name_is_checked() -> None:
    upload = SimpleUploadedFile("J_Smith_DOB_12-03-1984.pdf", b"%PDF-1.4")
    form = StoryEntryForm(story(), MultiValueDict({"attachment": [upload]}))
    assert not form.is_valid()
    [message] = form.errors["attachment"]
    assert message.startswith("The file name looks like it contains a date of birth (DOB_12-03-1984).")
    [finding] = form.personal_data_findings
    assert finding.in_file_name and finding.field == "attachment"


def test_harmless_file_name_is_fine() -> None:
    upload = SimpleUploadedFile("PDSA_4_run_chart_2025-03-12.png", b"\x89PNG")
    assert StoryEntryForm(story(), MultiValueDict({"attachment": [upload]})).is_valid()


def test_prefixed_forms_read_their_own_confirmation() -> None:
    data = {"story-title": "Huddle", "story-text": f"NHS {NHS}", f"story-{CONFIRM_FIELD}": "on"}
    assert StoryEntryForm(data, prefix="story").is_valid()
    assert not StoryEntryForm(
        {**data, CONFIRM_FIELD: "on", f"story-{CONFIRM_FIELD}": ""}, prefix="story"
    ).is_valid()


def valid_nhs_numbers(count: int) -> list[str]:
    found = []
    for n in range(400_000_000, 500_000_000, 7919):
        first9 = str(n)
        check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(first9)) % 11
        if check != 10:
            found.append(first9 + str(check % 11))
        if len(found) == count:
            return found
    raise AssertionError("not enough numbers")


def test_many_findings_in_one_answer_are_capped() -> None:
    text = "; ".join(f"NHS {n}" for n in valid_nhs_numbers(8))
    form = StoryEntryForm(story(text=text))
    assert not form.is_valid()
    assert len(form.personal_data_findings) == 8
    errors = list(form.errors["text"])
    assert errors[:5] == [f.message for f in form.personal_data_findings[:5]]
    assert errors[5:] == ["There are 3 more possible patient details in this answer."]


def test_the_same_number_twice_is_one_error() -> None:
    form = StoryEntryForm(story(text=f"{NHS} and again {NHS}"))
    assert not form.is_valid()
    assert len(form.personal_data_findings) == 2
    assert form.errors["text"] == [NHS_MESSAGE]


def test_a_subclass_clean_keeps_working() -> None:
    class WithClean(StoryEntryForm):
        def clean(self) -> dict[str, Any] | None:
            cleaned = super().clean()
            if cleaned and cleaned.get("title") == "x":
                self.add_error("title", "Enter a real title")
            return cleaned

    form = WithClean(story(title="x", text=f"NHS {NHS}"))
    assert not form.is_valid()
    assert form.errors["title"] == ["Enter a real title"]
    assert form.errors["text"] == [NHS_MESSAGE]


def test_nhsuk_error_summary_links_each_finding_to_its_field() -> None:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    form = StoryEntryForm(story(text=f"NHS {NHS}"))
    form.is_valid()
    template = env.from_string(
        "{{ error_summary(form) }}{{ field(form['text']) }}"
        "{% if form.needs_personal_data_confirmation %}"
        "{{ field(form['confirm_no_personal_data']) }}"
        "{% endif %}"
    )
    html = template.render(form=form)
    assert 'href="#id_text"' in html
    assert "943 476 5919" in html  # the message, and the textarea still holds the text
    assert html.count("943 476 5919") >= 3
    assert 'id="id_confirm_no_personal_data"' in html
    assert "I have checked: this does not identify a patient" in html
    clean = StoryEntryForm(story())
    clean.is_valid()
    assert "confirm_no_personal_data" not in template.render(form=clean)
