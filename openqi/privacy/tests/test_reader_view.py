"""The text as a reader sees it: Markdown rendered, references decoded, Unicode normalised, invisible
characters gone, and findings that still point at what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openqi.privacy import Kind, find_personal_data
from openqi.privacy.detect import reader_view
from openqi.privacy.display import displayed_text

TODAY = dt.date(2025, 6, 1)
NHS = "9434765919"


def flagged(text: str) -> list[tuple[Kind, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text, today=TODAY)]


def test_displayed_text_is_what_the_page_shows() -> None:
    source = "**Aim:** 60% by *March*\n\n- see [the note](https://example.org/1234)\n- 4&#55; &amp; 5\n"
    assert displayed_text(source) == "Aim: 60% by March\nsee the note\n47 & 5\n"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("943 4&#55;6 5919", "943 476 5919"),
        ("943 *476* 5919", "943 476 5919"),
        ("943\\-476\\-5919", "943-476-5919"),
        ("943 [476](https://example.org) 5919", "943 476 5919"),
        ("9\u200b4\u200d3\u2060476\u00ad5919\ufeff", NHS),
        ("\uff19\uff14\uff13 \uff14\uff17\uff16 \uff15\uff19\uff11\uff19", "943 476 5919"),
        ("\u0669\u0664\u0663", "943"),
    ],
)
def test_the_reader_view(typed: str, read: str) -> None:
    assert reader_view(typed).strip() == read


def test_a_finding_in_the_displayed_text_points_at_what_was_typed() -> None:
    text = "Seen: 9434**765**919, follow up"
    [finding] = find_personal_data(text, today=TODAY)
    assert text[finding.start : finding.end] == "9434**765**919"
    assert finding.message == (
        "This looks like an NHS number (9434**765**919, which reads as 9434765919). "
        "Remove it: QI records must not identify patients."
    )
    assert finding.excerpt == "943 *** ***9"


def test_invisible_characters_are_not_quoted() -> None:
    text = "ref 943\u200b476\u200b5919"
    [finding] = find_personal_data(text, today=TODAY)
    assert "(9434765919)" in finding.message


def test_the_same_finding_in_both_readings_is_reported_once() -> None:
    assert flagged("**NHS 943 476 5919** and DOB *12/03/1984*") == [
        (Kind.NHS_NUMBER, "943 476 5919"),
        (Kind.DATE_OF_BIRTH, "DOB *12/03/1984"),
    ]


def test_a_link_address_is_not_displayed_but_is_still_read_as_typed() -> None:
    # The address is stored with the record and shown on hover: an NHS number in it is still found,
    # unless it is part of a path (after a slash), which is how ordinary links carry long numbers.
    assert flagged(f"[the letter](https://example.org/?nhs={NHS})") == [(Kind.NHS_NUMBER, NHS)]
    assert flagged(f"[the letter](https://example.org/docs/{NHS})") == []


_PIECES = st.sampled_from(
    ["943", "476", "5919", "12", "03", "1984", " ", "\n", "*", "**", "_", "\\", "`", "[", "](https://a.b)",
     "&#55;", "&amp;", "&nbsp;", "\u200b", "\uff19", "-", "\u2013", ".", "/", "> ", "- ", "DOB ",
     "Mrs Jones, 84", "Smith, John ", "LS6 2AB", "lives at "]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_mix_of_markup_gives_ordered_findings_within_the_typed_text(text: str) -> None:
    findings = find_personal_data(text, today=TODAY)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
    for a, b in zip(findings, findings[1:], strict=False):
        assert a.end <= b.start


@given(
    st.sampled_from(["*", "**", "_", "__", "`", "~~", "\u200b", "&#8203;"]), st.sampled_from([" ", "", "\n"])
)
def test_markup_round_the_middle_group_never_hides_the_number(mark: str, gap: str) -> None:
    text = f"943{gap}{mark}476{mark}{gap}5919"
    assert [k for k, _ in flagged(text)] == [Kind.NHS_NUMBER]
