"""Find patient-identifiable data in free text, with regular expressions and checksums only.

QI records (problem statements, story entries, PDSA notes, measure definitions, file names) are read by
the whole programme, partners and the board, so they must never identify a patient. This module spots
the identifiers people actually paste by mistake and explains each one in plain English. It imports
nothing from Django so that importers, reports and notebooks can use the same rules (a test enforces it).

Design choices (see docs/adr/0009-personal-data-guard.md):

* The text is judged as a reader sees it. Each text is read twice: as typed, and as the page displays
  it (Markdown rendered by the renderer the pages use, `openqi.privacy.display`). Both readings decode
  HTML character references, apply Unicode NFKC (full-width and other look-alike digits become 0-9),
  drop invisible format characters (zero-width spaces and joiners, the word joiner, the byte-order mark,
  soft hyphens) and treat any short run of separators between digits (spaces, line breaks, dots,
  hyphens and dashes, slashes, underscores, emphasis and escape characters) as one separator. So
  `943 4&#55;6 5919`, `943 *476* 5919` and `９４３-４７６-５９１９` are the NHS number they display as.
  Findings point into the text as typed, so messages quote what the person wrote.
* Precision over recall. Ordinary QI text is full of dates, counts, percentages, staff names and the
  addresses of clinics, and a guard that cries wolf teaches people to tick "I have checked" without
  reading. So a date is a date of birth only after a date-of-birth label, in the record-system shape
  "Surname, First 12/03/1984", or beside a name when it is older than any QI meeting could be; a
  postcode only counts when something ties it to a person's home; a ten-digit number only counts when
  its NHS check digit is right.
* Email addresses are never flagged: staff and partners put theirs in text legitimately. Phone numbers
  are flagged but with a softer message and `Severity.LOW`, because they are often a staff contact.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from openqi.privacy.display import displayed_chunks

__all__ = [
    "FILE_NAME_DATE_MIN_YEARS_AGO",
    "NAME_DATE_MIN_YEARS_AGO",
    "Finding",
    "Kind",
    "Severity",
    "find_personal_data",
    "find_personal_data_in_filename",
    "is_valid_nhs_number",
    "reader_view",
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

    `start`/`end` index the checked text as typed (`text[start:end]`), also when the identifier was
    only visible once the text was read as displayed. `excerpt` is masked and is what may be written to
    logs and audit trails. `message` quotes the text unmasked so that the person who typed it can find
    it in a long answer: show it back to that person only, never log it.
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
# The reader's view: the text as displayed, and where each displayed character was typed


@dataclass(frozen=True, slots=True)
class _View:
    """Text as the detectors read it. Character i came from `source[starts[i]:ends[i]]`; a character the
    page adds (a line break between paragraphs) has an empty source span where it sits."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


# A character reference (`&#55;`, `&#x37;`, `&nbsp;`) or any non-ASCII character: the only things the
# typed reading changes. Everything else is copied as it is.
_SPECIAL = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|[^\x00-\x7f]")


def _as_displayed(s: str) -> str:
    """NFKC, invisible format characters (Unicode category Cf: zero-width space, joiners, word joiner,
    byte-order mark, soft hyphen, direction marks) removed, and every decimal digit as its ASCII digit,
    so that digits are judged as a reader sees them."""
    if s.isascii():
        return s
    out = []
    for ch in unicodedata.normalize("NFKC", s):
        if unicodedata.category(ch) == "Cf":
            continue
        out.append(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch)
    return "".join(out)


def _typed_view(source: str) -> _View:
    """The text as typed, with character references decoded and Unicode read as displayed."""
    if source.isascii() and "&" not in source:
        return _View(source, range(len(source)), range(1, len(source) + 1))
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def copy(a: int, b: int) -> None:
        parts.append(source[a:b])
        starts.extend(range(a, b))
        ends.extend(range(a + 1, b + 1))

    pos = 0
    for m in _SPECIAL.finditer(source):
        copy(pos, m.start())
        token = m.group()
        shown = _as_displayed(html.unescape(token) if token.startswith("&") else token)
        if shown == token:
            copy(m.start(), m.end())
        else:
            parts.append(shown)
            starts.extend([m.start()] * len(shown))
            ends.extend([m.end()] * len(shown))
        pos = m.end()
    copy(pos, len(source))
    return _View("".join(parts), starts, ends)


# Without any of these, rendering changes nothing a detector could see but whitespace.
_MARKDOWN_SYNTAX = re.compile(r"[*_`\\\[\]<~]|^[ \t]*(?:[-+>]|[0-9]{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)
# How far ahead a displayed character is looked for in the typed text: past a link's address for a
# letter or digit, only a little way for punctuation, which is everywhere.
_ALIGN_WINDOW = 2048
_ALIGN_WINDOW_SHORT = 16


def _displayed_view(source: str, typed: _View) -> _View | None:
    """The text as the page displays it (Markdown rendered), aligned to the typed text; None when
    rendering changes nothing but whitespace, so there is nothing new to read."""
    if not _MARKDOWN_SYNTAX.search(source):
        return None
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    typed_text = typed.text
    j = 0  # the typed text before j is aligned
    here = 0  # the source position after the last aligned character
    for chunk, added in displayed_chunks(source):
        shown = _as_displayed(chunk)
        if added:
            parts.append(shown)
            starts.extend([here] * len(shown))
            ends.extend([here] * len(shown))
            continue
        # Most displayed runs of text are typed as they are: align them in one step.
        k = typed_text.find(shown, j, j + len(shown) + _ALIGN_WINDOW) if len(shown) >= 4 else -1
        if k >= 0:
            parts.append(shown)
            starts.extend(typed.starts[k : k + len(shown)])
            ends.extend(typed.ends[k : k + len(shown)])
            j = k + len(shown)
            here = typed.ends[j - 1]
            continue
        for ch in shown:
            # Spaces and line breaks are everywhere and are never quoted on their own: looking for
            # them would jump ahead and skip the text they sit in, so they stay where they are.
            window = _ALIGN_WINDOW if ch.isalnum() else 0 if ch.isspace() else _ALIGN_WINDOW_SHORT
            k = typed_text.find(ch, j, j + window) if window else -1
            if k >= 0:
                start, end = typed.starts[k], typed.ends[k]
                j = k + 1
                here = end
            else:  # an escape's result or a decoded reference shown inside code: not typed as such
                start = end = here
            parts.append(ch)
            starts.append(start)
            ends.append(end)
    text = "".join(parts)
    if text.split() == typed_text.split():
        return None
    return _View(text, starts, ends)


def reader_view(text: str) -> str:
    """`text` as the detectors read it when displayed: Markdown rendered, references decoded, Unicode
    normalised (for tests and for explaining a finding; detection reads the typed text too)."""
    typed = _typed_view(text)
    shown = _displayed_view(text, typed)
    return (shown or typed).text


# --------------------------------------------------------------------------------------------------
# NHS numbers

_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_NHS_SEPARATORS = re.compile(r"[ \u00a0-]")
_TEN_DIGITS = re.compile(r"[0-9]{10}")
# Between digit groups: any short run of what a reader skips over, so mixed separators, line breaks,
# Markdown emphasis, escapes and code marks all count as one separator.
_NHS_SEP = r"[\s.\-/_*~\\`\u00b7\u2010-\u2015\u2212]{1,8}"
# 3-3-4 (separators optional, so ten digits in a row too) or 2-4-4. Letters may be glued on in front
# ("NHS no.9434765919", "ref9434765919"), but never a digit, a slash (a path or a fraction) or a digit
# and a point (a decimal "0.9434765919"); no digit, decimal part or percentage may follow.
_NHS_CANDIDATE = re.compile(
    r"(?<![0-9/])(?<![0-9][.,\-])"
    rf"(?:(?P<a>[0-9]{{3}})(?:{_NHS_SEP})?(?P<b>[0-9]{{3}})(?:{_NHS_SEP})?(?P<c>[0-9]{{4}})"
    rf"|(?P<d>[0-9]{{2}}){_NHS_SEP}(?P<e>[0-9]{{4}}){_NHS_SEP}(?P<f>[0-9]{{4}}))"
    r"(?![0-9]|[.,/\-][0-9]|[ \t]?%)"
)


def _nhs_check_ok(digits: str) -> bool:
    if len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def is_valid_nhs_number(s: str) -> bool:
    """True if `s` is a valid NHS number: 10 digits (spaces or hyphens allowed) with a correct check digit.

    Modulus 11: weights 10..2 over the first nine digits; the check digit is 11 minus the remainder,
    where 11 means 0 and 10 means the number can never be issued. Numbers of one repeated digit
    ("1111111111" passes the checksum) are test data, not real patients, and are rejected.
    """
    digits = _NHS_SEPARATORS.sub("", s)
    return bool(_TEN_DIGITS.fullmatch(digits)) and _nhs_check_ok(digits)


# --------------------------------------------------------------------------------------------------
# Dates

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-z])"
_ORD = r"(?:st|nd|rd|th)?"
_DATE = re.compile(
    # 12/03/1984, 12.03.84, 12-3-1984, 12 03 1984: the same separator twice, as people type them.
    r"(?<![0-9/.\-])(?P<d1>[0-9]{1,2})(?P<s1>[/.\- ])(?P<m1>[0-9]{1,2})(?P=s1)(?P<y1>[0-9]{4}|[0-9]{2})"
    r"(?![0-9]|[/\-][0-9]|\.[0-9])"
    # 1984-03-12 or 1984/03/12 (ISO order)
    r"|(?<![0-9/.\-])(?P<y2>[0-9]{4})(?P<s2>[/\-.])(?P<m2>[0-9]{1,2})(?P=s2)(?P<d2>[0-9]{1,2})(?![0-9])"
    # 3 March 1984, 3rd of Mar. 1984, 12-Mar-1984, 12 Mar 84, 12MAR1984
    rf"|(?<![0-9])(?P<d3>[0-9]{{1,2}}){_ORD}(?:\s+of\s+|[\s\-/.]*)(?P<m3>{_MONTH})\.?"
    r"(?:,?\s*|[\-/.]\s*)(?P<y3>[0-9]{4}|[0-9]{2})(?![0-9])"
    # March 3, 1984
    rf"|(?<![a-z])(?P<m4>{_MONTH})\.?\s+(?P<d4>[0-9]{{1,2}}){_ORD},?\s+(?P<y4>[0-9]{{4}})(?![0-9])",
    re.IGNORECASE,
)
# Only after an explicit date-of-birth label: month and year ("DOB March 1984", "DOB 03/1984"), which is
# enough to narrow a patient down, and eight digits run together ("DOB 12031984").
_MONTH_YEAR = re.compile(
    rf"(?P<m>{_MONTH})\.?,?\s+(?P<y>[0-9]{{4}})\b|(?P<mn>[0-9]{{1,2}})/(?P<yn>[0-9]{{4}})\b", re.IGNORECASE
)
_EIGHT_DIGIT_DATE = re.compile(r"(?P<d>[0-3][0-9])(?P<m>[01][0-9])(?P<y>(?:19|20)[0-9]{2})(?![0-9])")


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


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _real_date(day: str, month: str, year: str) -> bool:
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


# "DOB", "D.O.B.", "DoB:", "dob12/03/1984" (glued), "date of birth", "birth date", "born (on the)", and
# in a file name "date_of_birth". Markdown emphasis may close round the label ("**DOB:** 12/03/1984").
_DOB_KEYWORD = re.compile(
    r"(?<![a-z])(?P<kw>d\.?o\.?b(?![a-z])\.?|date[\s_\-]+of[\s_\-]+birth|birth[\s_\-]*date"
    r"|born(?:\s+on)?(?:\s+the)?)"
    r"[\s*_]*(?:[:=\-\u2013][\s*_]*)?(?:(?:is|was)\s+)?[(\[]?",
    re.IGNORECASE,
)
# Beside a name without a label, only a date older than any QI project's meetings is read as a birth
# date: "Sarah Jones 14/03/2019" in a story log is a member of staff and a meeting, "John Smith 12/03/1984"
# is a line copied from a record. Trust QI programmes date from the mid-2010s, so 16 years also covers
# the birth date of anyone aged 16 or over; younger children's birth dates need a label or the
# "Surname, First" shape. File names are stricter (see FILE_NAME_DATE_MIN_YEARS_AGO).
NAME_DATE_MIN_YEARS_AGO = 16
# A person's name beside a date in a file name is how patient letters are named ("J_Smith_12-03-2015.pdf");
# documents of a QI project are named after what they are, so a date older than a project is enough.
FILE_NAME_DATE_MIN_YEARS_AGO = 3


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
    afterwards meanwhile finally firstly secondly thirdly lastly later overall unfortunately fortunately
    thankfully additionally subsequently previously initially separately recently currently otherwise
    thanks thank welcome hello hi dear regards attendees present apologies chair minutes agenda item items
    incident incidents serious annual quarterly monthly weekly daily draft final version
    mdt cqc icb ics pcn hca rgn cpa cpn amhp adhd asd ptsd nice cquin kpi rag sop ld mh ppe epr ecg bp
    icu itu hdu ae ed sho nhse hee nmc gmc hcpc bma rcn datix
    """
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
# A capital, then letters (any alphabet: Siân, Zoë), apostrophes and hyphens; an initial may keep its point.
_CAP_WORD = r"[A-Z](?:[^\W\d_]|['\u2019\-])*(?:\.(?=[ \t]))?"
_CAP_RUN = re.compile(rf"(?<![\w'\u2019\-])(?:{_CAP_WORD}[ \t]+)*{_CAP_WORD}")
_WORD_IN_RUN = re.compile(_CAP_WORD)
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_Word = tuple[int, int, str]


def _word_class(word: str) -> str:
    """'title', 'initial', 'name', 'caps' (a name in capitals, "SMITH") or 'other' for one word."""
    bare = word.rstrip(".")
    lower = bare.lower()
    if lower in _TITLES:
        return "title"
    if len(bare) == 1:
        return "initial"
    singular = _POSSESSIVE.sub("", lower)
    if lower in _NOT_NAMES or singular in _NOT_NAMES:
        return "other"
    if any(c.islower() for c in bare[1:]):
        return "name"
    # Capitals: a surname as record systems print it, or an acronym (NHS, CBT) when nothing says
    # otherwise, so it counts only beside a title, a proper-case name or in a date of birth's context.
    return "caps" if sum(c.isalpha() for c in bare) >= 2 else "other"


def _name_span(words: list[_Word], *, loose: bool = False) -> tuple[int, int] | None:
    """The span of `words` (in order, outwards from the context) if they start with a person's name.

    A name is a title and at least one name word ("Mrs Jones", "Mr J. Smith", "MRS JONES") or two or
    more name words with at least one in proper case ("John Smith", "John SMITH"). Initials may sit
    between, but the word next to the title or the last word is a real name word. `loose` (beside a
    birth date) also takes names in capitals alone ("JOHN SMITH") and an initial with a surname
    ("J Smith", as in a file name "J_Smith_12-03-1984.pdf").
    """
    proper = caps = 0
    taken: list[tuple[int, int, str]] = []
    title: tuple[int, int, str] | None = None
    for start, end, word in words:
        kind = _word_class(word)
        if kind in ("name", "caps") and proper + caps < 4:
            proper += kind == "name"
            caps += kind == "caps"
            taken.append((start, end, kind))
        elif kind == "initial" and (taken or loose):
            taken.append((start, end, kind))
        elif kind == "title":
            title = (start, end, kind)
            break
        else:
            break
    initials = sum(1 for t in taken if t[2] == "initial")
    if title or not loose:
        while taken and taken[-1][2] == "initial":
            taken.pop()
    words_found = proper + caps
    if title:
        ok = words_found >= 1 and bool(taken)
    elif loose:
        ok = words_found >= 2 or (words_found >= 1 and initials >= 1)
    else:
        ok = words_found >= 2 and proper >= 1
    if not ok or not taken:
        return None
    if title:
        taken.append(title)
    return min(s for s, _, _ in taken), max(e for _, e, _ in taken)


class _Names:
    """Runs of capitalised words, indexed by where they start and end, to find a name next to a context."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.by_end: dict[int, list[_Word]] = {}
        self.by_start: dict[int, list[_Word]] = {}
        self.starts: list[int] = []  # ascending, for `any_between`
        for run in _CAP_RUN.finditer(text):
            words = [
                (run.start() + w.start(), run.start() + w.end(), w.group())
                for w in _WORD_IN_RUN.finditer(run.group())
            ]
            self.by_end[run.end()] = words
            self.by_start[run.start()] = words
            self.starts.append(run.start())

    def ending_at(self, pos: int, *, loose: bool = False) -> tuple[int, int] | None:
        """A name whose last word ends at `pos`: read right to left, a title may only come first."""
        words = self.by_end.get(pos)
        if not words:
            return None
        return _name_span(list(reversed(words)), loose=loose)

    def surname_first_ending_at(self, pos: int) -> tuple[int, int] | None:
        """A name in the record-system shape "Smith, John" / "SMITH, John A" whose last word ends at `pos`."""
        first = self.by_end.get(pos)
        if not first or len(first) > 3:
            return None
        comma = first[0][0]
        while comma > 0 and self.text[comma - 1] in " \t":
            comma -= 1
        if comma == 0 or self.text[comma - 1] != ",":
            return None
        before = self.by_end.get(comma - 1)
        if not before:
            return None
        surname = before[-1]
        kinds = [_word_class(w) for _, _, w in first]
        if _word_class(surname[2]) not in ("name", "caps") or not all(
            k in ("name", "caps", "initial") for k in kinds
        ):
            return None
        return surname[0], first[-1][1]

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

    def starting_at(self, pos: int, *, loose: bool = False) -> tuple[int, int] | None:
        """A name whose first word (or title) starts at `pos`, as long as possible."""
        words = self.by_start.get(pos)
        if not words:
            return None
        # Try the longest prefix first and read it right to left, so the rules equal `ending_at`'s.
        for n in range(min(len(words), 6), 1, -1):
            span = _name_span(list(reversed(words[:n])), loose=loose)
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

# A postcode is part of a person's address only when something ties it to a home. A home keyword does,
# wherever it stands on the line: "lives at", "moved to", "home address", "her postcode", "Flat 2".
_HOME_KEYWORD = re.compile(
    r"\b(?:lives?|living|resides?|residing|staying|stays)\s+(?:at|in|with)\b"
    r"|\bhome\s+(?:address|post\s*code)\b"
    r"|\b(?:his|her|their|patient['\u2019]?s?|client['\u2019]?s?|user['\u2019]?s?|carer['\u2019]?s?)"
    r"\s+(?:home\s+)?(?:address|post\s*code)\b"
    r"|\bnext\s+of\s+kin\b|\b(?:flat|apartment|apt)\.?\s*[0-9]",
    re.IGNORECASE,
)
# A person's name, a bare "address" / "postcode" or "moved to" does only when nothing on the line says
# the address is a place of work: "Sarah Jones, Beeches Centre, LS9 7BE", "Clinic address: ... LS1 4AB"
# and "the team moved to Unit 4, LS11 5DR" are where staff work and patients are seen; a clinic's
# postcode is public.
_ADDRESS_KEYWORD = re.compile(r"\baddress\b|\bpost\s*code\b|\b(?:moved|moving)\s+(?:to|in)\b", re.IGNORECASE)
_WORKPLACE_WORD = re.compile(
    r"\b(?:clinics?|centres?|centers?|hospitals?|surgery|surgeries|practice|hq|headquarters|trust|units?"
    r"|wards?|offices?|base|college|house|building|hub|site|campus|school|university|library|church|hall"
    r"|pharmacy|department|dept|team|service|services|our|nhs|gp)\b",
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


def _flat(s: str) -> str:
    return " ".join(s.split())


def _quote(s: str) -> str:
    flat = _flat(s)
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _message(kind: Kind, typed: str, reading: str, *, in_file_name: bool = False) -> str:
    """The message quotes what the person typed, and what it reads as when that differs ("943 4&#55;6
    5919, which reads as 943 476 5919"), so they see both why it was flagged and where it is."""
    shown = _quote(typed)
    if _flat(reading) != _flat(typed.replace("_", " ") if in_file_name else typed):
        shown += f", which reads as {_quote(reading)}"
    if in_file_name:
        # The person cannot edit a file name in the form, only rename the file and upload it again.
        advice = "If it belongs to a patient, rename the file" if kind in _LOW_SEVERITY else "Rename the file"
        return (
            f"The file name looks like it contains {_DESCRIPTIONS[kind]} ({shown}). "
            f"{advice}: QI records must not identify patients."
        )
    advice = _REMOVE_IF_PATIENT if kind in _LOW_SEVERITY else _REMOVE
    return f"This looks like {_DESCRIPTIONS[kind]} ({shown}). {advice}"


# --------------------------------------------------------------------------------------------------
# Detectors: each yields candidates in the coordinates of the text it reads.


class _Candidate(NamedTuple):
    kind: Kind
    start: int
    end: int
    excerpt: str


@dataclass(frozen=True, slots=True)
class _Rules:
    today: dt.date
    name_date_min_years: int


_YEAR = re.compile(r"(?:19|20)[0-9]{2}")


def _nhs_numbers(scan: str, _names: _Names, _rules: _Rules) -> Iterator[_Candidate]:
    for m in _NHS_CANDIDATE.finditer(scan):
        if m.group("a"):
            digits = m.group("a") + m.group("b") + m.group("c")
        elif _YEAR.fullmatch(m.group("e")) and _YEAR.fullmatch(m.group("f")):
            continue  # "wave 05 2024 2025": a number and two years, not a 2-4-4 NHS number
        else:
            digits = m.group("d") + m.group("e") + m.group("f")
        if _nhs_check_ok(digits):
            # Always shown in 3-3-4, whatever the disguise, keeping what the old excerpts kept.
            yield _Candidate(Kind.NHS_NUMBER, m.start(), m.end(), f"{digits[:3]} *** ***{digits[9]}")


def _labelled_dates_of_birth(scan: str, _names: _Names, rules: _Rules) -> Iterator[_Candidate]:
    today = rules.today
    for kw in _DOB_KEYWORD.finditer(scan):
        date = _DATE.match(scan, kw.end())
        if date is not None:
            when = _parse_date(date, today)
            if when is None or when > today:
                continue
            end = date.end()
        elif kw.group("kw").lower().startswith("born"):
            # "born in March 2024" is how an idea is described: a label alone needs a whole date.
            continue
        else:
            eight = _EIGHT_DIGIT_DATE.match(scan, kw.end())
            if eight is not None and _real_date(eight.group("d"), eight.group("m"), eight.group("y")):
                end = eight.end()
            elif (month_year := _MONTH_YEAR.match(scan, kw.end())) is not None:
                end = month_year.end()
            else:
                continue
        label = _flat(kw.group("kw"))
        yield _Candidate(Kind.DATE_OF_BIRTH, kw.start(), end, f"{label} {_mask(scan[kw.end() : end])}")


def _dates_of_birth_by_names(scan: str, names: _Names, rules: _Rules) -> Iterator[_Candidate]:
    today = rules.today
    cutoff = _years_before(today, rules.name_date_min_years)
    for date in _DATE.finditer(scan):
        when = _parse_date(date, today)
        if when is None or when > today:
            continue
        at = _skip_back(scan, date.start())
        # "Smith, John 12/03/1984" is how record systems print a patient: any past date counts.
        span = names.surname_first_ending_at(at)
        if span is None and when <= cutoff:
            span = names.ending_at(at, loose=True)
        if span:
            shown = scan[span[0] : span[1]].replace(",", "")
            yield _Candidate(
                Kind.DATE_OF_BIRTH, span[0], date.end(), f"{_mask_name(shown)} {_mask(date.group())}"
            )
            continue
        if when > cutoff:
            continue
        after = names.starting_at(_skip_forward(scan, date.end()), loose=True)
        if after:
            shown = scan[after[0] : after[1]]
            yield _Candidate(
                Kind.DATE_OF_BIRTH, date.start(), after[1], f"{_mask(date.group())} {_mask_name(shown)}"
            )


def _names_with_ages(scan: str, names: _Names, _rules: _Rules) -> Iterator[_Candidate]:
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
            yield _Candidate(
                Kind.NAME_AND_AGE, span[0], age.end(), f"{_mask_name(shown)}, {_mask(str(_age(age)))}"
            )
    for age in _AGE_BEFORE.finditer(scan):
        if _age(age) is None:
            continue
        span = names.starting_at(age.end())
        if span:
            shown = scan[span[0] : span[1]]
            yield _Candidate(
                Kind.NAME_AND_AGE, age.start(), span[1], f"{_mask(str(_age(age)))} {_mask_name(shown)}"
            )


def _hospital_numbers(scan: str, _names: _Names, _rules: _Rules) -> Iterator[_Candidate]:
    for kw in _ID_KEYWORD.finditer(scan):
        value = _ID_VALUE.match(scan, kw.end())
        if value is None or re.fullmatch(r"(?:19|20)[0-9]{2}", value.group()):  # "patient ID 2024 audit"
            continue
        yield _Candidate(
            Kind.HOSPITAL_NUMBER,
            kw.start(),
            value.end(),
            f"{kw.group('kw')} {_mask(value.group(), keep_last=2)}",
        )


def _postcodes(scan: str, names: _Names, _rules: _Rules) -> Iterator[_Candidate]:
    for pc in _POSTCODE.finditer(scan):
        # Look back along the same line only: an address is written on one line of a story entry.
        line_start = scan.rfind("\n", 0, pc.start()) + 1
        window_start = max(line_start, pc.start() - _POSTCODE_WINDOW)
        window = scan[window_start : pc.start()]
        if _HOME_KEYWORD.search(window) or (
            not _WORKPLACE_WORD.search(window)
            and (_ADDRESS_KEYWORD.search(window) or names.any_between(window_start, pc.start()))
        ):
            outward = pc.group()[:-3].rstrip()
            yield _Candidate(Kind.POSTCODE, pc.start(), pc.end(), f"{outward} ***")


def _phone_numbers(scan: str, _names: _Names, _rules: _Rules) -> Iterator[_Candidate]:
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
        yield _Candidate(Kind.PHONE_NUMBER, m.start(), end, _mask(text, keep_first=2, keep_last=3))


_DETECTORS: tuple[Callable[[str, _Names, _Rules], Iterator[_Candidate]], ...] = (
    _nhs_numbers,
    _labelled_dates_of_birth,
    _dates_of_birth_by_names,
    _names_with_ages,
    _hospital_numbers,
    _postcodes,
    _phone_numbers,
)


class _Located(NamedTuple):
    kind: Kind
    start: int  # in the text as typed
    end: int
    excerpt: str
    reading: str  # the flagged text as the detector read it


def _detect(text: str, today: dt.date | None, *, in_file_name: bool = False) -> list[Finding]:
    today = today or dt.date.today()
    rules = _Rules(today, FILE_NAME_DATE_MIN_YEARS_AGO if in_file_name else NAME_DATE_MIN_YEARS_AGO)
    typed = _typed_view(text)
    views = [typed]
    if in_file_name:
        # Underscores join words in file names, so they are read as spaces (same length: same offsets).
        views = [_View(typed.text.replace("_", " "), typed.starts, typed.ends)]
    elif (shown := _displayed_view(text, typed)) is not None:
        views.append(shown)
    candidates: list[_Located] = []
    for view in views:
        names = _Names(view.text)
        for detector in _DETECTORS:
            for kind, start, end, excerpt in detector(view.text, names, rules):
                typed_start, typed_end = view.source_span(start, end)
                if typed_start < typed_end:
                    candidates.append(_Located(kind, typed_start, typed_end, excerpt, view.text[start:end]))
    # Where two findings overlap keep the longer one: "+44 117 496 0123" is one phone number, not a
    # phone number containing an NHS-number-shaped tail; "MRN 9434765919" is one record number. The
    # same finding in both readings is one finding (the typed reading comes first and is kept).
    candidates.sort(key=lambda c: (-(c.end - c.start), c.start, c.kind in _LOW_SEVERITY))
    kept: list[_Located] = []
    for cand in candidates:
        if all(cand.end <= k.start or cand.start >= k.end for k in kept):
            kept.append(cand)
    kept.sort(key=lambda c: c.start)
    return [
        Finding(
            kind=c.kind,
            start=c.start,
            end=c.end,
            excerpt=c.excerpt,
            message=_message(c.kind, _visible(text[c.start : c.end]), c.reading, in_file_name=in_file_name),
        )
        for c in kept
    ]


def _visible(s: str) -> str:
    """`s` without invisible format characters, so a quoted number reads as it was seen."""
    return s if s.isascii() else "".join(ch for ch in s if unicodedata.category(ch) != "Cf")


def find_personal_data(text: str, *, today: dt.date | None = None) -> list[Finding]:
    """All suspected patient identifiers in `text`, in order of position, never overlapping.

    The text is read as typed and as a page displays it (Markdown rendered, character references
    decoded, Unicode normalised); findings index the text as typed. `today` (default: the real date)
    decides which dates are old enough to be a birth date when they stand next to a name without a
    label; tests pass it to stay deterministic.
    """
    return _detect(text, today)


def find_personal_data_in_filename(name: str, *, today: dt.date | None = None) -> list[Finding]:
    """Like `find_personal_data` for an uploaded file's name ("J_Smith_DOB_12-03-1984.pdf").

    Underscores join words in file names, so they are read as spaces; messages quote the real name.
    File names are not Markdown, so only the typed reading applies.
    """
    return _detect(name, today, in_file_name=True)
