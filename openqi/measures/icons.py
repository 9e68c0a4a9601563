"""Making Data Count's icons as the pages and the exported figures show them: a symbol (a letter in a
ring, coloured by its tone) that is decorative, and words that carry the meaning."""

from __future__ import annotations

from dataclasses import dataclass

from openqi_spc import AssuranceIcon, VariationIcon


@dataclass(frozen=True)
class Icon:
    """An MDC icon as an accessible badge: a drawn symbol (decorative) and its words."""

    code: str
    tone: str  # improvement, concern, neutral, common, pass, fail, inconsistent, withheld
    letter: str
    label: str
    description: str


_VARIATION: dict[str, tuple[str, str, str]] = {
    "common_cause": ("common", "", "Common cause variation"),
    "special_cause_improvement_high": ("improvement", "H", "Special cause improvement (higher)"),
    "special_cause_improvement_low": ("improvement", "L", "Special cause improvement (lower)"),
    "special_cause_concern_high": ("concern", "H", "Special cause concern (higher)"),
    "special_cause_concern_low": ("concern", "L", "Special cause concern (lower)"),
    "special_cause_neutral_high": ("neutral", "H", "Special cause, neither improvement nor concern (higher)"),
    "special_cause_neutral_low": ("neutral", "L", "Special cause, neither improvement nor concern (lower)"),
}
_ASSURANCE: dict[str, tuple[str, str, str]] = {
    "consistently_pass": ("pass", "P", "Target consistently met"),
    "consistently_fail": ("fail", "F", "Target consistently missed"),
    "inconsistent": ("inconsistent", "?", "Target met only some of the time"),
}
WITHHELD = Icon(
    code="withheld",
    tone="withheld",
    letter="",
    label="Assurance withheld",
    description="The limits span a change in the process; recalculate them to judge the target.",
)


def variation_icon(code: str | None) -> Icon | None:
    if not code:
        return None
    tone, letter, label = _VARIATION[code]
    return Icon(code, tone, letter, label, VariationIcon(code).description)


def assurance_icon(code: str | None) -> Icon | None:
    if not code:
        return None
    tone, letter, label = _ASSURANCE[code]
    return Icon(code, tone, letter, label, AssuranceIcon(code).description)


def shown_assurance(code: str | None, *, recalculation: object) -> Icon | None:
    """The assurance icon a reader is shown: withheld while the chart suggests recalculating its limits
    (the judgement would be made against a process that no longer exists). The one place this is decided,
    for the chart page, the project page's cards, exported figures and the API."""
    if recalculation and code is None:
        return WITHHELD
    return assurance_icon(code)
