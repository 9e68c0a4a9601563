"""Find patient-identifiable data in free text, with regular expressions and checksums only.

QI records (problem statements, story entries, PDSA notes, measure comments, file names) are read by
the whole programme, partners and the board, so they must never identify a patient. This module spots
the identifiers people actually paste by mistake and explains each one in plain English. It imports
nothing from Django so that importers, reports and notebooks can use the same rules (a test enforces it).

Design choices (see docs/adr/0009-personal-data-guard.md):

* Precision over recall. Ordinary QI text is full of dates, counts, percentages and staff names, and a
  guard that cries wolf teaches people to tick "I have checked" without reading. So a date is only a
  date of birth when a keyword or a person's name sits right next to it, a postcode only counts next to
  a name or an address keyword, and a ten-digit number only counts when its NHS check digit is right.
* Email addresses are never flagged: staff and partners put theirs in text legitimately. Phone numbers
  are flagged but with a softer message and `Severity.LOW`, because they are often a staff contact.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Finding",
    "Kind",
    "Severity",
    "find_personal_data",
    "find_personal_data_in_filename",
    "is_valid_nhs_number",
]


class Kind(StrEnum):
    """What a finding looks like; the value is stable and safe to store in an audit log."""

    NHS_NUMBER = "nhs_number"
    DATE_OF_BIRTH = "date_of_birth"
    NAME_AND_AGE = "name_and_age"
    HOSPITAL_NUMBER = "hospital_number"
    POSTCODE = "postcode"
    PHONE_NUMBER = "phone_number"


class Severity(StrEnum):
    """HIGH: identifies a patient on its face. LOW: may just as well belong to staff (phone numbers)."""

    HIGH = "high"
    LOW = "low"


_LOW_SEVERITY = frozenset({Kind.PHONE_NUMBER})

# The description goes in "This looks like <description> (<text>)."
_DESCRIPTIONS: dict[Kind, str] = {
    Kind.NHS_NUMBER: "an NHS number",
    Kind.DATE_OF_BIRTH: "a date of birth",
    Kind.NAME_AND_AGE: "a person's name and age",
    Kind.HOSPITAL_NUMBER: "a hospital or patient record number",
    Kind.POSTCODE: "a home address postcode",
    Kind.PHONE_NUMBER: "a phone number",
}
_REMOVE = "Remove it: QI records must not identify patients."
# Phone numbers are often the team's own contact details, so we ask rather than tell.
_REMOVE_IF_PATIENT = (
    "If it belongs to a patient or their family, remove it: QI records must not identify patients."
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One suspected piece of patient-identifiable data in a text.

    `start`/`end` index the checked text (`text[start:end]`). `excerpt` is masked and is what may be
    written to logs and audit trails. `message` quotes the text unmasked so that the person who typed
    it can find it in a long answer: show it back to that person only, never log it.
    """

    kind: Kind
    start: int
    end: int
    excerpt: str
    message: str

    @property
    def severity(self) -> Severity:
        return Severity.LOW if self.kind in _LOW_SEVERITY else Severity.HIGH


# --------------------------------------------------------------------------------------------------
# NHS numbers

_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_NHS_SEPARATORS = re.compile(r"[ \u00a0-]")
_TEN_DIGITS = re.compile(r"[0-9]{10}")
# 3-3-4 with one consistent separator (space, no-break space or hyphen), or ten digits in a row. The
# look-arounds keep us out of longer numbers, decimals ("0.9434765919") and words ("ref9434765919").
_NHS_CANDIDATE = re.compile(
    r"(?<![\w.,/])"
    r"(?P<a>[0-9]{3})(?P<sep>[ \u00a0-]?)(?P<b>[0-9]{3})(?P=sep)(?P<c>[0-9]{4})"
    r"(?![\w%/]|[.,][0-9])"
)


def is_valid_nhs_number(s: str) -> bool:
    """True if `s` is a valid NHS number: 10 digits (spaces or hyphens allowed) with a correct check digit.

    Modulus 11: weights 10..2 over the first nine digits; the check digit is 11 minus the remainder,
    where 11 means 0 and 10 means the number can never be issued. Numbers of one repeated digit
    ("1111111111" passes the checksum) are test data, not real patients, and are rejected.
    """
    digits = _NHS_SEPARATORS.sub("", s)
    if not _TEN_DIGITS.fullmatch(digits) or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# --------------------------------------------------------------------------------------------------
# Dates

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_ORD = r"(?:st|nd|rd|th)?"
_DATE = re.compile(
    # 12/03/1984, 12.03.84, 12-3-1984: the same separator twice, as people type them.
    r"(?<![0-9/.\-])(?P<d1>[0-9]{1,2})(?P<s1>[/.\-])(?P<m1>[0-9]{1,2})(?P=s1)(?P<y1>[0-9]{4}|[0-9]{2})"
    r"(?![0-9]|[/\-][0-9]|\.[0-9])"
    # 1984-03-12 or 1984/03/12 (ISO order)
    r"|(?<![0-9/.\-])(?P<y2>[0-9]{4})(?P<s2>[/\-])(?P<m2>[0-9]{1,2})(?P=s2)(?P<d2>[0-9]{1,2})(?![0-9])"
    # 3 March 1984, 3rd of Mar. 1984
    rf"|\b(?P<d3>[0-9]{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m3>{_MONTH})\.?,?\s+(?P<y3>[0-9]{{4}})\b"
    # March 3, 1984
    rf"|\b(?P<m4>{_MONTH})\.?\s+(?P<d4>[0-9]{{1,2}}){_ORD},?\s+(?P<y4>[0-9]{{4}})\b",
    re.IGNORECASE,
)
# Month and year only ("DOB March 1984"): identifying after an explicit date-of-birth keyword only.
_MONTH_YEAR = re.compile(
    rf"(?P<m>{_MONTH})\.?,?\s+(?P<y>[0-9]{{4}})\b|(?P<mn>[0-9]{{1,2}})/(?P<yn>[0-9]{{4}})\b", re.IGNORECASE
)


def _parse_date(m: re.Match[str], today: dt.date) -> dt.date | None:
    """The calendar date a `_DATE` match stands for, or None when it is no real date (31/02/1984)."""
    for i in "1234":
        if m.group(f"y{i}") is None:
            continue
        day, month_text, year_text = m.group(f"d{i}"), m.group(f"m{i}"), m.group(f"y{i}")
        month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
        year = int(year_text)
        if len(year_text) == 2:  # "84" is 1984 but "19" is 2019: a two-digit year is never in the future
            year += 2000 if year <= today.year % 100 else 1900
        try:
            return dt.date(year, month, int(day))
        except ValueError:
            return None
    return None


_DOB_KEYWORD = re.compile(
    r"(?<![a-z])(?P<kw>d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)"
    r"\s*(?:[:=\-\u2013]\s*)?(?:(?:is|was)\s+)?[(\[]?",
    re.IGNORECASE,
)
# Next to a name without a keyword, only an old date is read as a birth date: "Sarah Jones 14/03/2025"
# in an action log is a staff member and a deadline. Young children's birth dates are then missed unless
# a keyword is used; we accept that to keep the warnings believable.
NAME_DATE_MIN_YEARS_AGO = 3


# --------------------------------------------------------------------------------------------------
# Names (only ever flagged next to an age, a date or an address, never on their own)

_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "master"})
# Capitalised words that are not names in QI text. A name needs two proper-name words (or a title and
# one), so excluding these keeps "Ward Round 12/03/1984"-style headings and sentence starts out.
_NOT_NAME_WORDS = """
    a an and at as after also all any are be before but by during each every for from had has have he her
    his how i if in into is it its last many more most my new next no not of on once one or our out over
    she since so some than that the their them then there these they this those to under until up us was we
    were what when where which while who why will with within without yes you your
    about according again against among around because between both can could did does either even ever
    here however just may might must never now often only other per should such though through too very
    team teams ward wards meeting meetings project projects lead leads leader coach sponsor service services
    user users trust nhs staff nurse nurses doctor doctors consultant consultants manager managers matron
    sister charge clinic clinics clinical hospital hospitals unit units centre center community mental
    health care forum board pdsa cycle cycles qi audit data measure measures baseline target aim aims
    driver drivers change changes idea ideas week weeks month months year years day days today yesterday
    tomorrow morning afternoon evening night monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec patient patients carer carers family families partner partners client
    clients dr prof professor sr st street road lane avenue drive close way house court place crescent
    gardens terrace hill park square building buildings floor room rooms office offices hub base site
    north south east west upper lower high low main old great royal general district county city borough
    london england scotland wales ireland uk gp gps practice practices surgery pharmacy therapy therapies
    therapist recovery college low intensity cbt iapt camhs ot physio admission admissions discharge
    discharges referral referrals assessment assessments appointment appointments waiting list lists
    total average mean median run chart charts spc action actions note notes update updates story log
    summary plan do study act adopt adapt abandon test tests prediction result results learning
    directorate directorates executive quality improvement safety programme programmes network
    dob mrn rio pas id ref number numbers date dates age aged born birth address postcode lives
    q1 q2 q3 q4 fy period phase stage step people person adult adults child children young older elderly
    women men woman man boys girls babies baby residents inpatient inpatients outpatient outpatients group
    groups cohort band bay bays bed beds bank agency rota handover round rounds review reviews panel
    committee session sessions training workshop survey feedback dashboard report reports strategy policy
    protocol guideline guidelines tool toolkit form forms template letter letters sheet poster leaflet
    fall falls huddle huddles pathway pathways shift shifts
    """
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
_CAP_WORD = r"[A-Z][A-Za-z'\u2019\-]*(?:\.(?=[ \t]))?"
_CAP_RUN = re.compile(rf"(?<![\w'\u2019\-])(?:{_CAP_WORD}[ \t]+)*{_CAP_WORD}")
_WORD_IN_RUN = re.compile(_CAP_WORD)
_POSSESSIVE = re.compile(r"['\u2019]s?$")


def _word_class(word: str) -> str:
    """'title', 'initial', 'name' or 'other' for one capitalised word."""
    bare = word.rstrip(".")
    lower = bare.lower()
    if lower in _TITLES:
        return "title"
    if len(bare) == 1:
        return "initial"
    # A proper name has lower-case letters after its capital: acronyms (NHS, DOB, CBT) are not names.
    singular = _POSSESSIVE.sub("", lower)
    if any(c.islower() for c in bare[1:]) and lower not in _NOT_NAMES and singular not in _NOT_NAMES:
        return "name"
    return "other"


def _name_span(words: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The span of `words` (in order, outwards from the context) if they start with a person's name.

    A name is a title and at least one name word ("Mrs Jones", "Mr J. Smith") or two or more name words
    ("John Smith", "Mary Ann Jones"). Initials may sit between, but the word next to the title or the
    last word is a real name word.
    """
    names = 0
    taken: list[tuple[int, int, str]] = []
    title: tuple[int, int, str] | None = None
    for start, end, word in words:
        kind = _word_class(word)
        if kind == "name" and names < 4:
            names += 1
            taken.append((start, end, kind))
        elif kind == "initial" and taken:
            taken.append((start, end, kind))
        elif kind == "title":
            title = (start, end, kind)
            break
        else:
            break
    while taken and taken[-1][2] == "initial":
        taken.pop()
    if not taken or not (names >= 2 or (title and names >= 1)):
        return None
    if title:
        taken.append(title)
    return min(s for s, _, _ in taken), max(e for _, e, _ in taken)


class _Names:
    """Runs of capitalised words, indexed by where they start and end, to find a name next to a context."""

    def __init__(self, text: str) -> None:
        self.by_end: dict[int, list[tuple[int, int, str]]] = {}
        self.by_start: dict[int, list[tuple[int, int, str]]] = {}
        self.starts: list[int] = []  # ascending, for `any_between`
        for run in _CAP_RUN.finditer(text):
            words = [
                (run.start() + w.start(), run.start() + w.end(), w.group())
                for w in _WORD_IN_RUN.finditer(run.group())
            ]
            self.by_end[run.end()] = words
            self.by_start[run.start()] = words
            self.starts.append(run.start())

    def ending_at(self, pos: int) -> tuple[int, int] | None:
        """A name whose last word ends at `pos`: read right to left, a title may only come first."""
        words = self.by_end.get(pos)
        if not words:
            return None
        return _name_span(list(reversed(words)))

    def any_between(self, start: int, end: int) -> bool:
        """Whether a name lies wholly within text[start:end], anywhere inside a run of capitals.

        Used for postcodes, where the name need not touch the postcode ("Mrs Jones LS6 2AB" or
        "Mr Smith, 12 High Street, Leeds LS1 4AB").
        """
        first = bisect.bisect_left(self.starts, start)
        last = bisect.bisect_left(self.starts, end)
        for run_start in self.starts[first:last]:
            words = [w for w in self.by_start[run_start] if w[1] <= end]
            if any(_name_span(list(reversed(words[: k + 1]))) for k in range(1, len(words))):
                return True
        return False

    def starting_at(self, pos: int) -> tuple[int, int] | None:
        """A name whose first word (or title) starts at `pos`, as long as possible."""
        words = self.by_start.get(pos)
        if not words:
            return None
        # Try the longest prefix first and read it right to left, so the rules equal `ending_at`'s.
        for n in range(min(len(words), 6), 1, -1):
            span = _name_span(list(reversed(words[:n])))
            if span and span[0] == pos:
                return span
        return None


_SEP_CHARS = " \t,:;(\u2013-"


def _skip_back(text: str, pos: int, limit: int = 4) -> int:
    """Step left over a short separator (", ", " (", ": ") so "Mrs Jones, 84" links name and age."""
    q = pos
    while q > 0 and pos - q < limit and text[q - 1] in _SEP_CHARS:
        q -= 1
    return q


def _skip_forward(text: str, pos: int, limit: int = 4) -> int:
    q = pos
    while q < len(text) and q - pos < limit and text[q] in _SEP_CHARS:
        q += 1
    return q


# Ages written after a name. Any name: "aged 84", "84 years old", "84yo". Titled names only (a bare
# number after two capitalised words is too often a count: "Low Intensity (45)"): "Mrs Jones, 84," and
# "Mrs Jones (84)".
_AGE_EXPLICIT_AFTER = re.compile(
    r"[ \t]*[,(]?[ \t]*(?:(?:is|was|now)[ \t]+)?"
    # "aged 18-65", "aged 65+", "aged 16 to 25" describe a group, not a person.
    r"(?:aged?[ \t]*:?[ \t]*(?P<a>[0-9]{1,3})\b(?![ \t]*(?:[\-\u2013+]|to\b|and\b|or\b|plus\b|and\s+over))"
    r"|(?P<b>[0-9]{1,3})[ \t]*-?[ \t]*(?:years?|yrs?)[ \t-]*old\b"
    r"|(?P<c>[0-9]{1,3})[ \t]*y/?o\b)"
    r"(?:[ \t]*\))?",
    re.IGNORECASE,
)
_AGE_BARE_AFTER = re.compile(
    r"[ \t]*,[ \t]*(?P<a>[0-9]{1,3})[ \t]*(?=[,;)]|\.(?![0-9])|[ \t]*$)"
    r"|[ \t]*\([ \t]*(?P<b>[0-9]{1,3})[ \t]*\)",
    re.MULTILINE,
)
# "84-year-old Mrs Jones", "84 yo John Smith": the name starts where the match ends.
_AGE_BEFORE = re.compile(
    r"(?<![\w.,])(?P<a>[0-9]{1,3})[ \t]*-?[ \t]*(?:years?|yrs?)[ \t-]*old[ \t]+"
    r"|(?<![\w.,])(?P<b>[0-9]{1,3})[ \t]*y/?o[ \t]+",
    re.IGNORECASE,
)
_MAX_AGE = 120


def _age(m: re.Match[str]) -> int | None:
    value = next((g for g in m.groups() if g is not None), None)
    return int(value) if value is not None and int(value) <= _MAX_AGE else None


# --------------------------------------------------------------------------------------------------
# Hospital / record numbers, postcodes, phone numbers

_ID_KEYWORD = re.compile(
    r"(?<![a-z])(?P<kw>MRN|medical\s+record\s+(?:number|no\b\.?)"
    r"|(?:hospital|rio|pas|unit|case\s+note|patient|client|service\s+user)\s*(?:number|no\b\.?|num\b\.?|id\b|identifier|ref\b\.?|reference)"
    r")(?![a-z])[ \t]*(?:[:#=\-\u2013][ \t]*|(?:is|was)[ \t]+)?",
    re.IGNORECASE,
)
# The identifier itself: letters, digits and joining hyphens or slashes, with at least four digits so
# that "patient number 3" (an anonymised reference) and words after the keyword are left alone.
_ID_VALUE = re.compile(
    r"(?=(?:[A-Za-z/\-]*[0-9]){4})[A-Za-z0-9][A-Za-z0-9/\-]{3,19}(?![A-Za-z0-9%]|[.,][0-9])"
)

# UK postcode (the Royal Mail pattern, not accepting every letter in every position).
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?:GIR[ \t]?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPSTUW]?[ \t]?[0-9][ABD-HJLNP-UW-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ADDRESS_KEYWORD = re.compile(
    r"\b(?:lives?|living|resides?|residing|moved|staying)\s+(?:at|in|to)\b|\baddress\b|\bpost\s*code\b",
    re.IGNORECASE,
)
_POSTCODE_WINDOW = 80

# +44 7700 900123, 07700 900123, (0113) 496 0000, 020 7946 0958: a prefix, then groups of digits.
_PHONE = re.compile(
    r"(?<![\w+])(?P<prefix>(?:\+|00)[ \t]?44[ \t]?(?:\(0\)[ \t]?)?|\(?0)"
    r"(?P<rest>[127][0-9]*(?:(?:\)[ \t]?|[ \t\-])[0-9]+){0,3})"
)
_PHONE_GROUP = re.compile(r"[0-9]+")


# --------------------------------------------------------------------------------------------------
# Masking and messages


def _mask(s: str, keep_first: int = 0, keep_last: int = 0) -> str:
    """Replace letters and digits by '*', keeping separators and the first/last few characters."""
    positions = [i for i, c in enumerate(s) if c.isalnum()]
    hidden = set(positions[keep_first : len(positions) - keep_last])
    return "".join("*" if i in hidden else c for i, c in enumerate(s))


def _mask_name(s: str) -> str:
    """'Mrs Jones' -> 'Mrs J****': titles stay, each name keeps its initial."""
    return " ".join(w if w.rstrip(".").lower() in _TITLES else _mask(w, keep_first=1) for w in s.split())


def _quote(s: str) -> str:
    flat = " ".join(s.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _message(kind: Kind, shown: str, *, in_file_name: bool = False) -> str:
    if in_file_name:
        # The person cannot edit a file name in the form, only rename the file and upload it again.
        advice = "If it belongs to a patient, rename the file" if kind in _LOW_SEVERITY else "Rename the file"
        return (
            f"The file name looks like it contains {_DESCRIPTIONS[kind]} ({_quote(shown)}). "
            f"{advice}: QI records must not identify patients."
        )
    advice = _REMOVE_IF_PATIENT if kind in _LOW_SEVERITY else _REMOVE
    return f"This looks like {_DESCRIPTIONS[kind]} ({_quote(shown)}). {advice}"


# --------------------------------------------------------------------------------------------------
# Detectors: each yields (kind, start, end, excerpt). `scan` is the text searched; it has the same
# length as the text shown, so offsets are shared.

_Candidate = tuple[Kind, int, int, str]


def _nhs_numbers(scan: str, _names: _Names, _today: dt.date) -> Iterator[_Candidate]:
    for m in _NHS_CANDIDATE.finditer(scan):
        if is_valid_nhs_number(m.group("a") + m.group("b") + m.group("c")):
            yield Kind.NHS_NUMBER, m.start(), m.end(), _mask(m.group(), keep_first=3, keep_last=1)


def _dates_of_birth(scan: str, names: _Names, today: dt.date) -> Iterator[_Candidate]:
    for kw in _DOB_KEYWORD.finditer(scan):
        date = _DATE.match(scan, kw.end())
        if date is None and not kw.group("kw").lower().startswith("born"):
            # "DOB March 1984" is enough to narrow a patient down; "born in March 2024" is how an idea
            # is described, so the month-year form only counts after an explicit DOB keyword.
            date = _MONTH_YEAR.match(scan, kw.end())
        elif date is not None and _parse_date(date, today) is None:
            date = None
        if date is not None:
            excerpt = kw.group("kw") + " " + _mask(date.group())
            yield Kind.DATE_OF_BIRTH, kw.start(), date.end(), excerpt
    cutoff = today - dt.timedelta(days=round(365.25 * NAME_DATE_MIN_YEARS_AGO))
    for date in _DATE.finditer(scan):
        when = _parse_date(date, today)
        if when is None or when > cutoff:
            continue
        before = names.ending_at(_skip_back(scan, date.start()))
        if before:
            shown = scan[before[0] : before[1]]
            yield Kind.DATE_OF_BIRTH, before[0], date.end(), f"{_mask_name(shown)} {_mask(date.group())}"
            continue
        after = names.starting_at(_skip_forward(scan, date.end()))
        if after:
            shown = scan[after[0] : after[1]]
            yield Kind.DATE_OF_BIRTH, date.start(), after[1], f"{_mask(date.group())} {_mask_name(shown)}"


def _names_with_ages(scan: str, names: _Names, _today: dt.date) -> Iterator[_Candidate]:
    for end in names.by_end:
        span = names.ending_at(end)
        if span is None:
            continue
        titled = _word_class(scan[span[0] : span[1]].split()[0]) == "title"
        age = _AGE_EXPLICIT_AFTER.match(scan, end)
        if (age is None or _age(age) is None) and titled:
            age = _AGE_BARE_AFTER.match(scan, end)
        if age is not None and _age(age) is not None:
            shown = scan[span[0] : span[1]]
            yield Kind.NAME_AND_AGE, span[0], age.end(), f"{_mask_name(shown)}, {_mask(str(_age(age)))}"
    for age in _AGE_BEFORE.finditer(scan):
        if _age(age) is None:
            continue
        span = names.starting_at(age.end())
        if span:
            shown = scan[span[0] : span[1]]
            yield Kind.NAME_AND_AGE, age.start(), span[1], f"{_mask(str(_age(age)))} {_mask_name(shown)}"


def _hospital_numbers(scan: str, _names: _Names, _today: dt.date) -> Iterator[_Candidate]:
    for kw in _ID_KEYWORD.finditer(scan):
        value = _ID_VALUE.match(scan, kw.end())
        if value is None or re.fullmatch(r"(?:19|20)[0-9]{2}", value.group()):  # "patient ID 2024 audit"
            continue
        yield (
            Kind.HOSPITAL_NUMBER,
            kw.start(),
            value.end(),
            f"{kw.group('kw')} {_mask(value.group(), keep_last=2)}",
        )


def _postcodes(scan: str, names: _Names, _today: dt.date) -> Iterator[_Candidate]:
    for pc in _POSTCODE.finditer(scan):
        # Look back along the same line only: an address is written on one line of a story entry.
        line_start = scan.rfind("\n", 0, pc.start()) + 1
        window_start = max(line_start, pc.start() - _POSTCODE_WINDOW)
        window = scan[window_start : pc.start()]
        if names.any_between(window_start, pc.start()) or _ADDRESS_KEYWORD.search(window):
            outward = pc.group()[:-3].rstrip()
            yield Kind.POSTCODE, pc.start(), pc.end(), f"{outward} ***"


def _phone_numbers(scan: str, _names: _Names, _today: dt.date) -> Iterator[_Candidate]:
    for m in _PHONE.finditer(scan):
        # The national number (after 0 or +44) has ten digits. The pattern may have swallowed a number
        # that follows ("07700 900123 45 times"), so keep the shortest run of groups that makes ten.
        rest_start = m.start("rest")
        digits = 0
        end = None
        for group in _PHONE_GROUP.finditer(m.group("rest")):
            digits += len(group.group())
            if digits == 10:
                end = rest_start + group.end()
                break
            if digits > 10:
                break
        if end is None:
            continue
        if end < len(scan) and (
            scan[end].isalnum() or (scan[end] in ".," and scan[end + 1 : end + 2].isdigit())
        ):
            continue
        text = scan[m.start() : end]
        yield Kind.PHONE_NUMBER, m.start(), end, _mask(text, keep_first=2, keep_last=3)


_DETECTORS: tuple[Callable[[str, _Names, dt.date], Iterator[_Candidate]], ...] = (
    _nhs_numbers,
    _dates_of_birth,
    _names_with_ages,
    _hospital_numbers,
    _postcodes,
    _phone_numbers,
)


def _detect(shown: str, scan: str, today: dt.date | None, *, in_file_name: bool = False) -> list[Finding]:
    today = today or dt.date.today()
    names = _Names(scan)
    candidates = [c for detector in _DETECTORS for c in detector(scan, names, today)]
    # Where two findings overlap keep the longer one: "+44 117 496 0123" is one phone number, not a
    # phone number containing an NHS-number-shaped tail; "MRN 9434765919" is one record number.
    candidates.sort(key=lambda c: (-(c[2] - c[1]), c[1], c[0] in _LOW_SEVERITY))
    kept: list[_Candidate] = []
    for cand in candidates:
        if all(cand[2] <= k[1] or cand[1] >= k[2] for k in kept):
            kept.append(cand)
    kept.sort(key=lambda c: c[1])
    return [
        Finding(
            kind=kind,
            start=start,
            end=end,
            excerpt=excerpt,
            message=_message(kind, shown[start:end], in_file_name=in_file_name),
        )
        for kind, start, end, excerpt in kept
    ]


def find_personal_data(text: str, *, today: dt.date | None = None) -> list[Finding]:
    """All suspected patient identifiers in `text`, in order of position, never overlapping.

    `today` (default: the real date) decides which dates are old enough to be a birth date when they
    stand next to a name without a keyword; tests pass it to stay deterministic.
    """
    return _detect(text, text, today)


def find_personal_data_in_filename(name: str, *, today: dt.date | None = None) -> list[Finding]:
    """Like `find_personal_data` for an uploaded file's name ("J_Smith_DOB_12-03-1984.pdf").

    Underscores join words in file names, so they are read as spaces; messages quote the real name.
    """
    return _detect(name, name.replace("_", " "), today, in_file_name=True)
