"""Property tests: NHS numbers are found exactly when their modulus-11 check digit is right."""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, example, given
from hypothesis import strategies as st

from openqi.privacy import Kind, find_personal_data, is_valid_nhs_number

TODAY = dt.date(2025, 6, 1)
digits9 = st.text(alphabet="0123456789", min_size=9, max_size=9)
digits10 = st.text(alphabet="0123456789", min_size=10, max_size=10)
formats = st.sampled_from(["plain", "spaces", "hyphens", "nbsp"])
# Surroundings that QI text puts around a number; none of them makes it anything else.
prefixes = st.sampled_from(["", "NHS number ", "Patient ", "(", "ref: ", "Seen today \u2013 ", "no. "])
suffixes = st.sampled_from(["", ".", ",", ")", " was seen on the ward", "; follow up", "\n"])


def reference_check_digit(first9: str) -> int | None:
    """Written independently of the code under test, from the NHS Data Dictionary wording."""
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(first9)) % 11
    check = 11 - remainder
    return {11: 0, 10: None}.get(check, check)


def reference_valid(ten: str) -> bool:
    return len(set(ten)) > 1 and reference_check_digit(ten[:9]) == int(ten[9])


def formatted(ten: str, style: str) -> str:
    sep = {"plain": "", "spaces": " ", "hyphens": "-", "nbsp": "\u00a0"}[style]
    return f"{ten[:3]}{sep}{ten[3:6]}{sep}{ten[6:]}"


@st.composite
def valid_nhs_numbers(draw: st.DrawFn) -> str:
    first9 = draw(digits9)
    check = reference_check_digit(first9)
    assume(check is not None)
    ten = first9 + str(check)
    assume(len(set(ten)) > 1)
    return ten


@given(valid_nhs_numbers(), formats, prefixes, suffixes)
@example("9434765919", "spaces", "NHS number ", ".")
def test_every_valid_nhs_number_is_found_in_any_format(ten: str, style: str, before: str, after: str) -> None:
    shown = formatted(ten, style)
    text = before + shown + after
    findings = find_personal_data(text, today=TODAY)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [(Kind.NHS_NUMBER, shown)]
    assert is_valid_nhs_number(shown)
    # The excerpt is safe to log: only the first three and last digit survive.
    assert findings[0].excerpt.replace("*", "").replace(" ", "").replace("-", "").replace("\u00a0", "") == (
        ten[:3] + ten[9]
    )
    # The message quotes the number (whitespace normalised) so the person can find it in a long answer.
    assert f"NHS number ({' '.join(shown.split())})" in findings[0].message


@given(valid_nhs_numbers(), st.integers(min_value=1, max_value=9), formats, prefixes, suffixes)
def test_a_wrong_check_digit_is_invalid_and_not_flagged(
    ten: str, shift: int, style: str, before: str, after: str
) -> None:
    mutated = ten[:9] + str((int(ten[9]) + shift) % 10)
    assert not is_valid_nhs_number(mutated)
    assert find_personal_data(before + formatted(mutated, style) + after, today=TODAY) == []


@given(digits10, formats)
@example("0000000000", "plain")  # passes the checksum but is one repeated digit
@example("1111111111", "spaces")
@example("4010232137", "plain")  # valid, starts like a phone number would not
def test_random_ten_digit_strings_are_flagged_iff_the_checksum_is_valid(ten: str, style: str) -> None:
    text = formatted(ten, style)
    flagged = bool(find_personal_data(text, today=TODAY))
    assert flagged == reference_valid(ten) == is_valid_nhs_number(text)


@given(st.text(max_size=300))
def test_any_text_gives_ordered_non_overlapping_findings_within_the_text(text: str) -> None:
    findings = find_personal_data(text, today=TODAY)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.message.startswith("This looks like ")
    for a, b in zip(findings, findings[1:], strict=False):
        assert a.end <= b.start


@given(st.text(alphabet="0123456789 -", max_size=30))
def test_is_valid_nhs_number_never_raises(s: str) -> None:
    assert isinstance(is_valid_nhs_number(s), bool)


def test_is_valid_nhs_number_examples() -> None:
    assert is_valid_nhs_number("943 476 5919")
    assert is_valid_nhs_number("943-476-5919")
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918")  # wrong check digit
    assert not is_valid_nhs_number("943476591")  # nine digits
    assert not is_valid_nhs_number("94347659190")  # eleven digits
    assert not is_valid_nhs_number("1111111111")  # checksum fine, but never issued
    assert not is_valid_nhs_number("943 476 591a")
    assert not is_valid_nhs_number(
        "\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669"
    )  # non-ASCII digits
    # A remainder giving check digit 10 can never be issued, whatever the tenth digit says.
    first9 = next(
        f"{n:09d}" for n in range(100_000_000, 200_000_000) if reference_check_digit(f"{n:09d}") is None
    )
    assert not any(is_valid_nhs_number(first9 + str(d)) for d in range(10))
