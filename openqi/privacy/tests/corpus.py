"""A corpus for the personal-data guard: identifiers in the disguises people (and copy-paste) give them,
and ordinary QI text that must be left alone.

Used by `test_corpus.py` (every positive found, no negative flagged) and by `bench/guard_bench.py` (the
detection and false-positive rates by shape, and the time per KB). Cases are built from a few parts so
that every disguise is tried on several numbers, and every hard negative is the same disguise around a
number whose check digit is wrong. All identifiers here are made up; the NHS numbers are computed to
pass (or fail) the modulus-11 check and are not known to belong to anyone.

Detection is judged on `TODAY`, so that "how old is this date" never depends on when the tests run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from openqi.privacy.detect import Kind

TODAY = dt.date(2025, 6, 1)


@dataclass(frozen=True, slots=True)
class Case:
    """One text. `kind` is what must be found in it, or None when nothing may be flagged. `shape` groups
    cases for the bench report; `excerpt`, when given, is the masked excerpt the finding must carry (so
    the right number was found, not some other ten digits)."""

    text: str
    kind: Kind | None
    shape: str
    file_name: bool = False
    excerpt: str | None = None


# --------------------------------------------------------------------------------------------------
# NHS numbers


def _check_digit(first9: str) -> int | None:
    check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(first9)) % 11
    return {11: 0, 10: None}.get(check, check)


def _nhs_numbers(count: int) -> list[tuple[str, str]]:
    """`count` pairs (valid, invalid): a valid NHS number and the same first nine digits with a wrong
    check digit, spread over the range of issued numbers."""
    pairs = []
    n = 400_000_001
    while len(pairs) < count:
        first9 = str(n)
        check = _check_digit(first9)
        if check is not None and len(set(first9)) > 1:
            pairs.append((first9 + str(check), first9 + str((check + 3) % 10)))
        n += 45_678_913
        if n >= 1_000_000_000:
            n -= 600_000_000
    return pairs


def _groups(n: str) -> tuple[str, str, str]:
    return n[:3], n[3:6], n[6:]


def _every_digit(n: str, sep: str) -> str:
    return sep.join(n)


def _fullwidth(s: str) -> str:
    return "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in s)


def _bold_maths(s: str) -> str:
    return "".join(chr(0x1D7CE + int(c)) if c.isdigit() else c for c in s)


def _arabic_indic(s: str) -> str:
    return "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in s)


def _entity(n: str, i: int, hexa: bool = False) -> str:
    ref = f"&#x{ord(n[i]):x};" if hexa else f"&#{ord(n[i])};"
    return n[:i] + ref + n[i + 1 :]


def _spaced(n: str) -> str:
    a, b, c = _groups(n)
    return f"{a} {b} {c}"


# Each disguise turns ten digits into what was typed; the reader of the page sees the number.
NHS_DISGUISES: dict[str, Callable[[str], str]] = {
    "unbroken": lambda n: n,
    "3-3-4 spaces": _spaced,
    "3-3-4 hyphens": lambda n: "-".join(_groups(n)),
    "3-3-4 no-break spaces": lambda n: "\u00a0".join(_groups(n)),
    "decimal reference in a digit": lambda n: _entity(_spaced(n), 5),
    "hex reference in a digit": lambda n: _entity(_spaced(n), 1, hexa=True),
    "&nbsp; between groups": lambda n: "&nbsp;".join(_groups(n)),
    "emphasis round a group": lambda n: "{} *{}* {}".format(*_groups(n)),
    "strong emphasis glued": lambda n: "{}**{}**{}".format(*_groups(n)),
    "underscore emphasis": lambda n: "{} _{}_ {}".format(*_groups(n)),
    "emphasis inside a group": lambda n: f"{n[:4]}**{n[4:7]}**{n[7:]}",
    "escaped dashes": lambda n: "\\-".join(_groups(n)),
    "link splitting the digits": lambda n: "{} [{}](https://example.org/notes) {}".format(*_groups(n)),
    "link round the number": lambda n: f"[{_spaced(n)}](https://example.org/referral)",
    "code spans": lambda n: "`{}` `{}` `{}`".format(*_groups(n)),
    "line breaks": lambda n: "\n".join(_groups(n)),
    "hard line breaks": lambda n: "  \n".join(_groups(n)),
    "blockquote lines": lambda n: "> " + "\n> ".join(_groups(n)),
    "en dashes": lambda n: "\u2013".join(_groups(n)),
    "em dashes": lambda n: "\u2014".join(_groups(n)),
    "minus signs": lambda n: "\u2212".join(_groups(n)),
    "dots": lambda n: ".".join(_groups(n)),
    "slashes": lambda n: "/".join(_groups(n)),
    "underscores": lambda n: "_".join(_groups(n)),
    "zero-width spaces": lambda n: _every_digit(n, "\u200b"),
    "zero-width joiners": lambda n: _every_digit(n, "\u200d"),
    "word joiners": lambda n: "\u2060".join(_groups(n)),
    "soft hyphens": lambda n: "\u00ad".join(_groups(n)),
    "byte-order marks": lambda n: "\ufeff".join(_groups(n)),
    "full-width digits": lambda n: _fullwidth(_spaced(n)),
    "full-width digits and hyphens": lambda n: _fullwidth("\uff0d".join(_groups(n))),
    "mathematical bold digits": lambda n: _bold_maths(_spaced(n)),
    "Arabic-Indic digits": lambda n: _arabic_indic(_spaced(n)),
    "mixed separators": lambda n: "{}-{} {}".format(*_groups(n)),
    "mixed dot and dash": lambda n: "{}.{}\u2013{}".format(*_groups(n)),
    "spaced hyphens": lambda n: " - ".join(_groups(n)),
    "2-4-4 spaces": lambda n: f"{n[:2]} {n[2:6]} {n[6:]}",
    "2-4-4 hyphens": lambda n: f"{n[:2]}-{n[2:6]}-{n[6:]}",
    "prefix glued: NHS no.": lambda n: f"NHS no.{n}",
    "prefix glued: ref": lambda n: f"ref{n}",
    "prefix glued: NHS": lambda n: f"NHS{n}",
    "prefix glued: NHS#": lambda n: f"NHS#{n}",
    "prefix glued: nhs:": lambda n: f"nhs:{_spaced(n)}",
    "zero-width and emphasis": lambda n: "{}\u200b *{}* {}".format(*_groups(n)),
    "reference, link and dash": lambda n: _entity("{}\u2013[{}](https://a.org) {}".format(*_groups(n)), 0),
}

# Around the disguised number: the sentences identifiers are pasted into.
_NHS_CONTEXTS = (
    "{}",
    "Seen in clinic today: {}.",
    "NHS number {} was discussed at the huddle",
    "Case review (patient {}) - adapt the letter",
    "**Referral:** {}\n\nFollow up next week.",
)


def nhs_number_cases() -> tuple[list[Case], list[Case]]:
    """Every disguise on several valid numbers (positives) and on the same numbers with a wrong check
    digit (hard negatives: a measure value or a reference number that only looks like one)."""
    positives, negatives = [], []
    for i, (valid, invalid) in enumerate(_nhs_numbers(12)):
        for j, (shape, disguise) in enumerate(NHS_DISGUISES.items()):
            context = _NHS_CONTEXTS[(i + j) % len(_NHS_CONTEXTS)]
            excerpt = f"{valid[:3]} *** ***{valid[9]}"
            positives.append(Case(context.format(disguise(valid)), Kind.NHS_NUMBER, shape, excerpt=excerpt))
            negatives.append(Case(context.format(disguise(invalid)), None, f"wrong check digit: {shape}"))
    for valid, invalid in _nhs_numbers(4):
        for name in (f"referral-{valid}.docx", f"scan_{'_'.join(_groups(valid))}.pdf", f"NHS{valid}.pdf"):
            positives.append(Case(name, Kind.NHS_NUMBER, "file name", file_name=True))
            wrong = name.replace(valid, invalid).replace("_".join(_groups(valid)), "_".join(_groups(invalid)))
            negatives.append(Case(wrong, None, "file name: wrong check digit", file_name=True))
    return positives, negatives


# --------------------------------------------------------------------------------------------------
# Dates of birth

_DOB_LABELS = (
    "DOB {}",
    "DOB: {}",
    "DoB: {}",
    "D.O.B. {}",
    "d.o.b {}",
    "dob{}",
    "dob: {}",
    "Date of birth: {}",
    "date of birth {}",
    "Date of Birth - {}",
    "Birth date: {}",
    "birthdate {}",
    "born {}",
    "born on {}",
    "(DOB {})",
    "**DOB:** {}",
    "DOB: **{}**",
    "DOB={}",
    "JOHN SMITH DOB {}",
)
_BIRTH_DATES = (dt.date(1984, 3, 12), dt.date(1940, 11, 2), dt.date(2001, 7, 30), dt.date(2019, 1, 5))
_DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    "dd/mm/yyyy": lambda d: f"{d:%d/%m/%Y}",
    "d/m/yy": lambda d: f"{d.day}/{d.month}/{d:%y}",
    "dd.mm.yyyy": lambda d: f"{d:%d.%m.%Y}",
    "dd-mm-yyyy": lambda d: f"{d:%d-%m-%Y}",
    "dd-Mon-yyyy": lambda d: f"{d:%d-%b-%Y}",
    "dd Mon yy": lambda d: f"{d:%d %b %y}",
    "d Month yyyy": lambda d: f"{d.day} {d:%B %Y}",
    "dth Month yyyy": lambda d: f"{d.day}th {d:%B %Y}",
    "dth of Month yyyy": lambda d: f"{d.day}th of {d:%B %Y}",
    "Month d, yyyy": lambda d: f"{d:%B} {d.day}, {d:%Y}",
    "yyyy-mm-dd": lambda d: f"{d:%Y-%m-%d}",
    "ddMONyyyy": lambda d: f"{d:%d}{d:%b}".upper() + f"{d:%Y}",
    "dd mm yyyy": lambda d: f"{d:%d %m %Y}",
    "dd/Mon/yy": lambda d: f"{d:%d/%b/%y}",
}


def _labelled_dates() -> list[Case]:
    cases = []
    for i, label in enumerate(_DOB_LABELS):
        for j, (shape, fmt) in enumerate(_DATE_FORMATS.items()):
            if label == "dob{}" and shape.startswith("Month"):
                continue  # "dobJuly 30, 2001": nobody glues a label to a word
            born = _BIRTH_DATES[(i + j) % len(_BIRTH_DATES)]
            cases.append(Case(f"Referral received. {label.format(fmt(born))} seen today", Kind.DATE_OF_BIRTH,
                              f"label + {shape}"))  # fmt: skip
    cases += [
        Case("DOB 12031984", Kind.DATE_OF_BIRTH, "label + ddmmyyyy"),
        Case("DOB March 1984", Kind.DATE_OF_BIRTH, "label + month and year"),
        Case("D.O.B 03/1984", Kind.DATE_OF_BIRTH, "label + month and year"),
        Case("DOB&#58; 12/03/1984", Kind.DATE_OF_BIRTH, "label + reference"),
        Case("DOB 1\u200b2/03/1984", Kind.DATE_OF_BIRTH, "label + zero-width space"),
        Case(_fullwidth("DOB 12/03/1984"), Kind.DATE_OF_BIRTH, "label + full-width digits"),
        Case("DOB\n12/03/1984", Kind.DATE_OF_BIRTH, "label + line break"),
        Case("born on the 12th of March 1984", Kind.DATE_OF_BIRTH, "label + dth of Month yyyy"),
    ]
    return cases


# Names beside birth dates, without a label: the shapes a line copied from a record takes.
_NAME_DATE_SHAPES = (
    ("Smith, John {}", "Surname, First"),
    ("SMITH, John {}", "SURNAME, First"),
    ("SMITH, JOHN {}", "SURNAME, FIRST"),
    ("Smith, J {}", "Surname, Initial"),
    ("Jones, Mary Ann ({})", "Surname, First Middle"),
    ("O'Brien, Seán {}", "Surname, First (accents)"),
    ("Referral: Khan, Amira {}", "label: Surname, First"),
    ("John Smith {}", "First Surname"),
    ("JOHN SMITH {}", "NAME IN CAPITALS"),
    ("John SMITH {}", "First SURNAME"),
    ("J Smith {}", "Initial Surname"),
    ("Mrs Ann Jones ({})", "Title Name"),
    ("MRS JONES {}", "TITLE NAME"),
    ("Referral for John Smith - {}", "First Surname - date"),
)


def _names_and_dates() -> list[Case]:
    cases = []
    for i, (shape, label) in enumerate(_NAME_DATE_SHAPES):
        for j, fmt in enumerate(("dd/mm/yyyy", "dd-Mon-yyyy", "d Month yyyy", "yyyy-mm-dd")):
            born = dt.date(1950 + 7 * i % 50, 1 + j * 3, 9 + i)
            text = shape.format(_DATE_FORMATS[fmt](born))
            cases.append(Case(text, Kind.DATE_OF_BIRTH, f"{label} + old date"))
    # In the record-system shape a child's recent birth date is a birth date too.
    cases += [
        Case("Smith, Amy 12/03/2019", Kind.DATE_OF_BIRTH, "Surname, First + child's date"),
        Case("PATEL, Ravi 05-Jan-2021", Kind.DATE_OF_BIRTH, "SURNAME, First + child's date"),
    ]
    files = (
        "J_Smith_12-03-1984.pdf",
        "J_Smith_12-03-2015.pdf",
        "SMITH_John_1984-03-12_referral.pdf",
        "Smith_John_12.03.1984.docx",
        "John Smith 12-Mar-1984.docx",
        "Referral - John Smith - 12.03.1984.docx",
        "jsmith_dob_12-03-1984.pdf",
        "SMITH_J_DOB_12031984.pdf",
        "Patient_Jones_Mary_date_of_birth_1950-02-01.pdf",
    )
    cases += [Case(name, Kind.DATE_OF_BIRTH, "file name", file_name=True) for name in files]
    return cases


# --------------------------------------------------------------------------------------------------
# Other identifiers (names with ages, record numbers, home addresses): a few of each shape

_OTHER_POSITIVES = (
    ("Mrs Jones, 84, was admitted after a fall", Kind.NAME_AND_AGE, "title name, age"),
    ("MRS JONES (84) fell twice", Kind.NAME_AND_AGE, "TITLE NAME (age)"),
    ("Mary Ann Jones aged 90 lives alone", Kind.NAME_AND_AGE, "name aged"),
    ("an 84-year-old Mr Khan", Kind.NAME_AND_AGE, "age-year-old title name"),
    ("Siân Evans is 45 years old", Kind.NAME_AND_AGE, "name is n years old"),
    ("**Mrs Jones**, 84, was seen", Kind.NAME_AND_AGE, "emphasised title name, age"),
    ("MRN RX1234567 noted", Kind.HOSPITAL_NUMBER, "MRN"),
    ("RiO ID: 70012345", Kind.HOSPITAL_NUMBER, "RiO ID"),
    ("hospital number: 1234567", Kind.HOSPITAL_NUMBER, "hospital number"),
    ("she lives at 4 Acacia Avenue, LS1 4AB", Kind.POSTCODE, "lives at"),
    ("Address: Flat 2, 10 Park Road, SW1A 1AA", Kind.POSTCODE, "address, flat"),
    ("home postcode m1 1ae", Kind.POSTCODE, "home postcode"),
    ("Mrs Jones LS6 2AB", Kind.POSTCODE, "title name postcode"),
    ("Mr Smith, 12 High Street, Leeds LS1 4AB", Kind.POSTCODE, "name, street, postcode"),
    ("MR SMITH, 12 HIGH STREET, LEEDS LS1 4AB", Kind.POSTCODE, "NAME, STREET, POSTCODE"),
    ("Sarah Jones moved to M1 1AE last week", Kind.POSTCODE, "name moved to"),
    ("his address is 3 Elm Close, LS6 2AB", Kind.POSTCODE, "his address"),
    ("She lives in a care home, Oak House, LS1 4AB", Kind.POSTCODE, "lives in a care home"),
    ("Patient's postcode: LS6 2AB", Kind.POSTCODE, "patient's postcode"),
)


# --------------------------------------------------------------------------------------------------
# Ordinary QI text

_STAFF = (
    "Sarah Jones",
    "Tom Baker",
    "Amira Khan",
    "Dr Patel",
    "Priya Sharma",
    "Kwame Mensah",
    "Siân Evans",
    "Chloé Martin",
    "Seán O'Brien",
    "Mary-Jane Clarke",
    "Prof Okafor",
    "Nurse Kelly",
)
# Meetings and actions from the start of trust QI programmes (mid-2010s) to the day before TODAY.
_MEETING_DATES = (
    dt.date(2014, 9, 17),
    dt.date(2016, 2, 3),
    dt.date(2018, 11, 28),
    dt.date(2019, 3, 12),
    dt.date(2021, 6, 30),
    dt.date(2023, 1, 9),
    dt.date(2024, 10, 1),
    dt.date(2025, 5, 31),
)
_MEETING_LINES = (
    "Met with {name} on {date} to review the run chart.",
    "{name} {date}: agreed the family of measures.",
    "{name} {date}",
    "{date} {name}",
    "{name}, {date}: PDSA 3 adapted, move the huddle to 09:15.",
    "Action: {name} to update the driver diagram by {date}.",
    "{date} - huddle led by {name}; 12 of 15 referrals triaged in time.",
    "Team meeting {date} ({name}, QI lead; Amira Khan, service user partner).",
    "**{name}** ({date}) presented at the directorate QI forum.",
    "Thanks to {name} - {date}",
)


def _meetings() -> list[Case]:
    cases = []
    formats = ("dd/mm/yyyy", "d Month yyyy", "dd-Mon-yyyy", "yyyy-mm-dd", "d/m/yy")
    for i, line in enumerate(_MEETING_LINES):
        for j, name in enumerate(_STAFF):
            when = _MEETING_DATES[(i + j) % len(_MEETING_DATES)]
            date = _DATE_FORMATS[formats[(i * 3 + j) % len(formats)]](when)
            cases.append(Case(line.format(name=name, date=date), None, "staff name beside a meeting date"))
    return cases


_CLINICS = (
    ("Riverside Clinic, 12 High Street, Leeds", "LS1 4AB"),
    ("Beeches Centre, Alma Street, Leeds", "LS9 7BE"),
    ("Trust HQ, 2150 Century Way, Leeds", "LS15 8ZB"),
    ("Oak House, Bradford", "BD1 1AA"),
    ("St Mary's Hospital, Greenhill Road, Leeds", "LS12 3QE"),
    ("Leeds Recovery College, 1 Merrion Way", "LS2 8AJ"),
    ("Park Lane Surgery, Wakefield", "WF1 2QS"),
)
_CLINIC_LINES = (
    "{place} {pc}",
    "Clinic address: {place}, {pc}",
    "Sessions are held at {place}, {pc}.",
    "Contact Sarah Jones at {place}, {pc}",
    "Sarah Jones, {place}, {pc}",
    "Our base: {place} {pc}",
    "The team moved to {place}, {pc} in April.",
    "Postcode of the clinic: {pc} ({place})",
    "Send papers to the QI team, {place}, {pc}",
    "Drop-in at {place} ({pc}), Tuesdays 2pm",
)


def _clinics() -> list[Case]:
    return [
        Case(line.format(place=place, pc=pc), None, "a clinic's postcode")
        for line in _CLINIC_LINES
        for place, pc in _CLINICS
    ]


_QI_TEXT = (
    # aims, with percentages and dates
    "Increase the percentage of service users who complete Low Intensity CBT from 45 % to 60 % by March 2026",
    "Reduce falls on Ward 12 by 30% (from 9.4 to 6.6 per 1,000 occupied bed days) by 31/03/2026",
    "**Aim:** 90% of referrals triaged within 5 working days by *December 2025*",
    "Reduce the median wait from referral to first appointment from 42 to 28 days by 01/04/2026.",
    "By the end of Q4 2025/26, 80% of discharge letters sent within 24 hours",
    "Increase the proportion of inpatients with a care plan co-produced with them from 38% to 75%.",
    # PDSA notes
    "PDSA 3 started 01/04/2025; 12 of 15 patients seen within 7 days",
    "Prediction: at least 8 of the 10 people we ring will attend their first session.",
    "Do: text reminders sent the day before to 27 people; 2 numbers were out of date.",
    "Study: DNA rate fell from 18% to 9% (n = 27); staff said the reminders took 10 minutes a day.",
    "Act: adapt - send reminders 2 days before, and test on the Monday clinic too.",
    "Cycle 4 ran 03/02/2025 to 14/02/2025 on Ward 12 and Ward 14 (bays 1-3).",
    "Tested the new triage form with 5 referrals, then 15, then 40 (ramp of tests).",
    # measures, values and references that are not identifiers
    "Median 4.5 days (n = 132), UCL 12.7, LCL 0",
    "45.2% of patients had a care plan; baseline 38.0% (April 2024 to March 2025)",
    "Total cost \u00a31,234,567,890 across the ICB",
    "Values this week: 123, 456, 7890",
    "1234567890",
    "Datix 1234567890 was closed",
    "0.9434765919",
    "94347659190",
    "Order number 4500123456 for the new scales",
    "ISBN 978-0-14-103614-4",
    "Ward extension 4567, bleep 1234",
    "Ticket INC0012345 raised with IT on 12/03/2025",
    "ODS code RX4, site code RX4AB",
    "Version 2.3.1 of the toolkit",
    "Room 3.14, floor 2",
    "Q1 2024/25: 312 referrals; Q2: 298; Q3: 305",
    "Improvement Leaders wave 05 2024 2025, wave 01 2019 2020",
    "FY2024-25 report, Apr-24 to Mar-25",
    "Baseline period 01/04/2023 - 31/03/2024",
    "Week commencing 3 March 2025",
    "The idea was born in March 2024 at the directorate forum",
    "This project was born out of the 2019 staff survey.",
    "Date of birth recorded in 85% of notes (was 60%)",
    "Date of birth field made mandatory in RiO from 01/04/2025",
    "hospital numbers were missing in 45% of records",
    "patient number 3 said the letters were confusing",
    "The patient ID 2024 audit",
    "MRN completeness rose to 98.5%",
    # people, ages and places that are not patients
    "Young People aged 16-25 are offered a choice",
    "Service Users aged 18-65 in the Older Adults service",
    "Low Intensity (45)",
    "Dr Patel, 45, led the session",
    "An 84 year old woman fell twice: we mapped the falls pathway",
    "Over-65s made up 40% of admissions",
    "Our base is LS1 4AB",
    "Trust HQ, Leeds LS1 4AB",
    "Base: Recovery College, Leeds LS1 4AB",
    "Francis Report (06/02/2013): we reread the recommendations on candour.",
    "Robert Francis 06/02/2013",
    "Attendees: Jones, Sarah; Baker, Tom; Khan, Amira",
    "Apologies: Priya Sharma, Kwame Mensah",
    "However, Sarah agreed to chair the next forum.",
    # contacts staff share on purpose
    "Email sarah.jones@nhs.net or the QI inbox qi.team@example.nhs.uk",
    # Markdown
    "- baseline: 38%\n- target: 60%\n- by: March 2026",
    "1. Map the process\n2. Fishbone\n3. Pareto chart of 120 incidents",
    "See [the NHS website](https://www.nhs.uk/conditions/) and the [QI hub](https://example.org/qi/2024/03/12)",
    "> We tried it for 2 weeks - staff liked it.\n\n_Adopt._",
    "`SPC` chart: 8 points below the centre line since 03/02/2025",
    "~~Tuesday~~ Wednesday 14:00, Room 3",
)

STORY_LOG = """\
12/03/2025 - Team meeting (Sarah Jones, QI lead; Tom Baker, coach; Amira Khan, service user partner).
We reviewed the run chart: 45.2% of referrals were triaged within 5 days in February, up from 38%
at baseline (April 2024 to March 2025). Amira said the new letter was easier to read. Dr Patel agreed
to test the triage huddle on Ward 12 for 2 weeks (PDSA 4). Prediction: 60% within 5 days by 30/04/2025.

19/03/2025 - PDSA 4 study. 18 of 27 referrals triaged in time (66.7%). Two huddles were cancelled
because of staffing. Adapt: move the huddle to 09:15 and invite the duty worker. Baseline median 7.5
days; the SPC chart shows a shift of 8 points below the centre line since 03/02/2025.
Action: Tom Baker to update the driver diagram by 26/03/2025; write to qi.team@example.nhs.uk.
Next directorate QI forum: Tuesday 8 April 2025, 2pm, Room 3, Trust HQ, Leeds LS15 8ZB.
Balancing measure (staff experience survey, n = 23): 4.1 / 5, no change. Q4 2024/25 report submitted.

**02/05/2019 (from the old log)** - Sarah Jones 02/05/2019 set up the first huddle with *Kwame Mensah*.
"""

_QI_FILE_NAMES = (
    "PDSA_4_run_chart_2025-03-12.png",
    "driver_diagram_v2.pptx",
    "Team_meeting_2021-03-12.docx",
    "Forum_slides_12-03-2024.pptx",
    "Falls_audit_Q1_2024-25.xlsx",
    "process map (final).pdf",
    "Riverside_Clinic_LS1_4AB_poster.pdf",
)


def qi_text_cases() -> list[Case]:
    return (
        [Case(text, None, "ordinary QI text") for text in _QI_TEXT]
        + [Case(STORY_LOG, None, "a story log")]
        + [Case(name, None, "QI file name", file_name=True) for name in _QI_FILE_NAMES]
        + _meetings()
        + _clinics()
    )


# --------------------------------------------------------------------------------------------------


def positives() -> list[Case]:
    nhs, _ = nhs_number_cases()
    others = [Case(text, kind, shape) for text, kind, shape in _OTHER_POSITIVES]
    return nhs + _labelled_dates() + _names_and_dates() + others


def negatives() -> list[Case]:
    _, nhs = nhs_number_cases()
    return nhs + qi_text_cases()


# What the guard does not catch, on purpose or for now (see the ADR): printed by the bench, not asserted.
KNOWN_MISSES = (
    Case("Mrs Jones was admitted after a fall", Kind.NAME_AND_AGE, "a name with no age, date or address"),
    Case("943 476 591 9", Kind.NHS_NUMBER, "3-3-3-1 grouping"),
    Case("nine four three 476 5919", Kind.NHS_NUMBER, "digits spelled out"),
    Case("943 476 59I9", Kind.NHS_NUMBER, "a letter for a digit"),
    Case("Smith J 2015", Kind.DATE_OF_BIRTH, "a year of birth alone"),
    Case("Sarah Jones 12/03/2015 was seen", Kind.DATE_OF_BIRTH, "a child's birth date by a name, no label"),
    Case("Mrs Jones, Rose House, Leeds LS6 2AB", Kind.POSTCODE, "a home named House (a workplace word)"),
)
