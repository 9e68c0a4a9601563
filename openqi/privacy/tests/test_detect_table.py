"""Table tests: what the guard must catch, and the ordinary QI text it must leave alone."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from openqi.privacy import Finding, Kind, Severity, find_personal_data, find_personal_data_in_filename

TODAY = dt.date(2025, 6, 1)


def kinds(text: str) -> list[tuple[Kind, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text, today=TODAY)]


POSITIVES: list[tuple[str, Kind, str]] = [
    # (text, kind, the part that is flagged)
    ("Patient 943 476 5919 was seen in clinic", Kind.NHS_NUMBER, "943 476 5919"),
    ("NHS no. 9434765919.", Kind.NHS_NUMBER, "9434765919"),
    ("nhs number: 943-476-5919", Kind.NHS_NUMBER, "943-476-5919"),
    ("John Smith DOB 12/03/1984 attended", Kind.DATE_OF_BIRTH, "DOB 12/03/1984"),
    ("born 3 March 1984 in Leeds", Kind.DATE_OF_BIRTH, "born 3 March 1984"),
    ("D.O.B: 1984-03-12", Kind.DATE_OF_BIRTH, "D.O.B: 1984-03-12"),
    ("dob 12.3.84", Kind.DATE_OF_BIRTH, "dob 12.3.84"),
    ("Date of birth: 3rd of March 1984", Kind.DATE_OF_BIRTH, "Date of birth: 3rd of March 1984"),
    ("date of birth is March 3, 1984", Kind.DATE_OF_BIRTH, "date of birth is March 3, 1984"),
    ("DOB (12/03/1984)", Kind.DATE_OF_BIRTH, "DOB (12/03/1984"),
    ("DOB March 1984", Kind.DATE_OF_BIRTH, "DOB March 1984"),
    ("born on 12/03/2024 at 32 weeks", Kind.DATE_OF_BIRTH, "born on 12/03/2024"),
    ("John Smith 12/03/1984 was referred", Kind.DATE_OF_BIRTH, "John Smith 12/03/1984"),
    ("Referral: Mrs Ann Jones (12/03/1950)", Kind.DATE_OF_BIRTH, "Mrs Ann Jones (12/03/1950"),
    ("12/03/1984 John Smith", Kind.DATE_OF_BIRTH, "12/03/1984 John Smith"),
    ("Mrs Jones, 84, was admitted after a fall", Kind.NAME_AND_AGE, "Mrs Jones, 84"),
    ("We spoke to Mr O'Brien (72) about it", Kind.NAME_AND_AGE, "Mr O'Brien (72)"),
    ("Mr J. Smith, 84.", Kind.NAME_AND_AGE, "Mr J. Smith, 84"),
    ("Mary Ann Jones aged 90 lives alone", Kind.NAME_AND_AGE, "Mary Ann Jones aged 90"),
    ("John Smith is 45 years old", Kind.NAME_AND_AGE, "John Smith is 45 years old"),
    ("Tom McDonald 16yo was", Kind.NAME_AND_AGE, "Tom McDonald 16yo"),
    ("an 84-year-old Mrs Jones", Kind.NAME_AND_AGE, "84-year-old Mrs Jones"),
    ("MRN RX1234567 noted", Kind.HOSPITAL_NUMBER, "MRN RX1234567"),
    ("hospital number: 1234567", Kind.HOSPITAL_NUMBER, "hospital number: 1234567"),
    ("Hospital No. A123456B", Kind.HOSPITAL_NUMBER, "Hospital No. A123456B"),
    ("RiO number 1234567", Kind.HOSPITAL_NUMBER, "RiO number 1234567"),
    ("RiO ID: 70012345", Kind.HOSPITAL_NUMBER, "RiO ID: 70012345"),
    ("patient ID A123456", Kind.HOSPITAL_NUMBER, "patient ID A123456"),
    ("the patient identifier is 55-1234", Kind.HOSPITAL_NUMBER, "patient identifier is 55-1234"),
    ("Mr Smith, 12 High Street, Leeds LS1 4AB", Kind.POSTCODE, "LS1 4AB"),
    ("she lives at 4 Acacia Avenue, LS1 4AB", Kind.POSTCODE, "LS1 4AB"),
    ("Address: Flat 2, 10 Park Road, SW1A 1AA", Kind.POSTCODE, "SW1A 1AA"),
    ("home postcode m1 1ae", Kind.POSTCODE, "m1 1ae"),
    ("Mrs Jones LS6 2AB", Kind.POSTCODE, "LS6 2AB"),
    ("Sarah Jones moved to M1 1AE last week", Kind.POSTCODE, "M1 1AE"),
    ("call her on 07700 900123", Kind.PHONE_NUMBER, "07700 900123"),
    ("mobile 07700900123", Kind.PHONE_NUMBER, "07700900123"),
    ("+44 7700 900123", Kind.PHONE_NUMBER, "+44 7700 900123"),
    ("+44 (0)20 7946 0958", Kind.PHONE_NUMBER, "+44 (0)20 7946 0958"),
    ("(0113) 496 0000", Kind.PHONE_NUMBER, "(0113) 496 0000"),
    ("called 07700 900123 3 times", Kind.PHONE_NUMBER, "07700 900123"),
    # As a reader sees it: references, Markdown, invisible characters, look-alike digits, glued prefixes.
    ("Seen: 943 4&#55;6 5919", Kind.NHS_NUMBER, "943 4&#55;6 5919"),
    ("Seen: 943 *476* 5919", Kind.NHS_NUMBER, "943 *476* 5919"),
    ("Seen: 943 [476](https://example.org) 5919", Kind.NHS_NUMBER, "943 [476](https://example.org) 5919"),
    ("Seen: 943\u2013476.5919", Kind.NHS_NUMBER, "943\u2013476.5919"),
    ("Seen: 94 3476 5919", Kind.NHS_NUMBER, "94 3476 5919"),
    ("NHS no.9434765919", Kind.NHS_NUMBER, "9434765919"),
    ("ref9434765919", Kind.NHS_NUMBER, "9434765919"),
    ("DoB: 12-Mar-1984", Kind.DATE_OF_BIRTH, "DoB: 12-Mar-1984"),
    ("dob12/03/1984", Kind.DATE_OF_BIRTH, "dob12/03/1984"),
    ("DOB: 12 Mar 84", Kind.DATE_OF_BIRTH, "DOB: 12 Mar 84"),
    ("Referral: Smith, John 12/03/1984", Kind.DATE_OF_BIRTH, "Smith, John 12/03/1984"),
    ("SMITH, JOHN 12/03/1984", Kind.DATE_OF_BIRTH, "SMITH, JOHN 12/03/1984"),
    ("JOHN SMITH 12/03/1984", Kind.DATE_OF_BIRTH, "JOHN SMITH 12/03/1984"),
    ("MRS JONES, 84, fell", Kind.NAME_AND_AGE, "MRS JONES, 84"),
    ("Patient's postcode: LS6 2AB", Kind.POSTCODE, "LS6 2AB"),
    # Overlaps: the longer reading wins, so one thing is reported once.
    ("+44 117 496 0123", Kind.PHONE_NUMBER, "+44 117 496 0123"),
    ("MRN 9434765919", Kind.HOSPITAL_NUMBER, "MRN 9434765919"),
]


@pytest.mark.parametrize(("text", "kind", "flagged"), POSITIVES)
def test_positive(text: str, kind: Kind, flagged: str) -> None:
    assert kinds(text) == [(kind, flagged)]


NEGATIVES = [
    # dates of meetings and periods
    "On 12/03/2025 the team met to review the run chart.",
    "Team Meeting 12/03/2021: agreed the family of measures",
    "Sarah Jones 14/03/2025 to chase the data request",
    "Baseline period 01/04/2023 - 31/03/2024",
    "Apr-24 to Mar-25; Q1 2024/25; FY2024-25; 2024-25",
    "Week commencing 3 March 2025",
    "The idea was born in March 2024 at the directorate forum",
    "Date of birth recorded in 85% of notes (was 60%)",
    # percentages, counts, measure values
    "45.2% of patients had a care plan",
    "Increase the percentage of service users who complete Low Intensity CBT from 45 % to 60 % by March 2026",
    "PDSA 3 started 01/04/2025; 12 of 15 patients seen within 7 days",
    "Median 4.5 days (n = 132), UCL 12.7, LCL 0",
    "1,234,567,890 pounds",
    "Ward 12, bay 3: 7 admissions",
    # ten-digit numbers that are not NHS numbers
    "1234567890",
    "Datix 1234567890 was closed",
    "0.9434765919",
    "94347659190",
    # people, ages and places that are not patients
    "Young People aged 16-25 are offered a choice",
    "Service Users aged 18-65 in the Older Adults service",
    "Low Intensity (45)",
    "Dr Patel, 45, led the session",  # staff are introduced with their role title
    "patient number 3 said the letters were confusing",
    "hospital numbers were missing in 45% of records",
    "The patient ID 2024 audit",
    "MRN completeness rose to 98.5%",
    "Our base is LS1 4AB",
    "Trust HQ, Leeds LS1 4AB",
    "Base: Recovery College, Leeds LS1 4AB",
    # staff beside old meeting dates, and the addresses of the places they work
    "met with Dr Patel on 12/03/2019",
    "Sarah Jones 12/03/2019",
    "12/03/2019 Sarah Jones",
    "Clinic address: Oak House, Leeds LS1 4AB",
    "Sarah Jones, Beeches Centre, Leeds LS9 7BE",
    "The team moved to Unit 4, Leeds LS11 5DR",
    # look-alikes: a wrong check digit in any disguise, two years after a number
    "Seen: 943 *476* 5918",
    "Improvement Leaders wave 05 2024 2025",
    # contacts staff share on purpose
    "Email sarah.jones@nhs.net or the QI inbox qi.team@example.nhs.uk",
    "An 84 year old woman fell twice: we mapped the falls pathway",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative(text: str) -> None:
    assert kinds(text) == []


STORY_LOG = """\
12/03/2025 - Team meeting (Sarah Jones, QI lead; Tom Baker, coach; Amira Khan, service user partner).
We reviewed the run chart: 45.2% of referrals were triaged within 5 days in February, up from 38%
at baseline (April 2024 to March 2025). Amira said the new letter was easier to read. Dr Patel agreed
to test the triage huddle on Ward 12 for 2 weeks (PDSA 4). Prediction: 60% within 5 days by 30/04/2025.

19/03/2025 - PDSA 4 study. 18 of 27 referrals triaged in time (66.7%). Two huddles were cancelled
because of staffing. Adapt: move the huddle to 09:15 and invite the duty worker. Baseline median 7.5
days; the SPC chart shows a shift of 8 points below the centre line since 03/02/2025.
Action: Tom Baker to update the driver diagram by 26/03/2025; contact the QI team on 0300 123 4567
or qi.team@example.nhs.uk. Next directorate QI forum: Tuesday 8 April 2025, 2pm, Room 3, Trust HQ.
Balancing measure (staff experience survey, n = 23): 4.1 / 5, no change. Q4 2024/25 report submitted.
"""


def test_realistic_story_log_is_left_alone() -> None:
    assert find_personal_data(STORY_LOG, today=TODAY) == []


def test_story_log_with_a_pasted_identifier_flags_only_that() -> None:
    text = (
        STORY_LOG + "Case discussed: Mrs Jones, 84, NHS number 943 476 5919, lives at 3 Elm Close LS6 2AB.\n"
    )
    assert [k for k, _ in kinds(text)] == [Kind.NAME_AND_AGE, Kind.NHS_NUMBER, Kind.POSTCODE]


def test_finding_example_from_the_brief() -> None:
    [finding] = find_personal_data("Seen: 943 476 5919", today=TODAY)
    assert finding == Finding(
        kind=Kind.NHS_NUMBER,
        start=6,
        end=18,
        excerpt="943 *** ***9",
        message=(
            "This looks like an NHS number (943 476 5919). Remove it: QI records must not identify patients."
        ),
    )
    assert finding.severity is Severity.HIGH
    with pytest.raises(AttributeError):
        finding.kind = Kind.POSTCODE  # type: ignore[misc]


def test_excerpts_are_masked() -> None:
    text = "Mrs Jones, 84, DOB 12/03/1940, MRN RX1234567, 07700 900123, lives at LS6 2AB"
    excerpts = {f.kind: f.excerpt for f in find_personal_data(text, today=TODAY)}
    assert excerpts == {
        Kind.NAME_AND_AGE: "Mrs J****, **",
        Kind.DATE_OF_BIRTH: "DOB **/**/****",
        Kind.HOSPITAL_NUMBER: "MRN *******67",
        Kind.PHONE_NUMBER: "07*** ***123",
        Kind.POSTCODE: "LS6 ***",
    }
    for secret in ("Jones", "1940", "1234567", "900123", "2AB"):
        assert not any(secret in e for e in excerpts.values())


def test_phone_numbers_get_the_softer_message_and_low_severity() -> None:
    [phone] = find_personal_data("Ring 07700 900123", today=TODAY)
    assert phone.severity is Severity.LOW
    assert phone.message == (
        "This looks like a phone number (07700 900123). If it belongs to a patient or their family, "
        "remove it: QI records must not identify patients."
    )


def test_name_next_to_a_date_needs_a_date_older_than_any_meeting() -> None:
    # A date by a name is an action or a meeting, however old the story entry: staff beside dates.
    assert kinds("John Smith 12/03/2023") == []
    assert kinds("Sarah Jones 14/03/2019 agreed to lead the huddle") == []
    assert kinds("John Smith 12/03/2009") == [(Kind.DATE_OF_BIRTH, "John Smith 12/03/2009")]
    # The record-system shape and a label mark a birth date at any age.
    assert kinds("Smith, Amy 12/03/2023") == [(Kind.DATE_OF_BIRTH, "Smith, Amy 12/03/2023")]
    assert kinds("DOB 12/03/2025") == [(Kind.DATE_OF_BIRTH, "DOB 12/03/2025")]  # a keyword needs no age
    assert kinds("DOB 31/02/1984") == []  # no such date


def test_file_names() -> None:
    [finding] = find_personal_data_in_filename("J_Smith_DOB_12-03-1984.pdf", today=TODAY)
    assert finding.kind is Kind.DATE_OF_BIRTH
    assert finding.message.startswith(
        "The file name looks like it contains a date of birth (DOB_12-03-1984)."
    )
    assert "Rename the file" in finding.message
    [nhs] = find_personal_data_in_filename("referral-9434765919.docx", today=TODAY)
    assert nhs.kind is Kind.NHS_NUMBER
    assert find_personal_data_in_filename("PDSA_4_run_chart_2025-03-12.png", today=TODAY) == []
    assert find_personal_data_in_filename("driver_diagram_v2.pptx", today=TODAY) == []


def test_detector_imports_without_django() -> None:
    code = (
        "import sys, openqi.privacy, openqi.privacy.detect, openqi.privacy.display; "
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[3])  # noqa: S603
