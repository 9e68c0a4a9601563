"""Making Data Count point types and icons, as string enums with plain-language descriptions.

The codes are NHSRplotthedots' (point types, variation icons) and the wording of the assurance icons follows
the NHS England "Making Data Count" guidance, so a template can map each code to the official icon.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Improvement(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"


class PointType(StrEnum):
    COMMON_CAUSE = "common_cause"
    SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
    SPECIAL_CAUSE_CONCERN = "special_cause_concern"
    SPECIAL_CAUSE_NEUTRAL_HIGH = "special_cause_neutral_high"
    SPECIAL_CAUSE_NEUTRAL_LOW = "special_cause_neutral_low"


class SpecialCauseRule(StrEnum):
    OUTSIDE_LIMITS = "outside_limits"
    TREND = "trend"
    TWO_IN_THREE = "two_in_three"
    SHIFT = "shift"


class VariationIcon(StrEnum):
    COMMON_CAUSE = "common_cause"
    SPECIAL_CAUSE_IMPROVEMENT_HIGH = "special_cause_improvement_high"
    SPECIAL_CAUSE_IMPROVEMENT_LOW = "special_cause_improvement_low"
    SPECIAL_CAUSE_CONCERN_HIGH = "special_cause_concern_high"
    SPECIAL_CAUSE_CONCERN_LOW = "special_cause_concern_low"
    SPECIAL_CAUSE_NEUTRAL_HIGH = "special_cause_neutral_high"
    SPECIAL_CAUSE_NEUTRAL_LOW = "special_cause_neutral_low"

    @property
    def description(self) -> str:
        return _VARIATION_TEXT[self]


class AssuranceIcon(StrEnum):
    CONSISTENTLY_PASS = "consistently_pass"  # noqa: S105 - an icon code, not a password
    CONSISTENTLY_FAIL = "consistently_fail"
    INCONSISTENT = "inconsistent"

    @property
    def description(self) -> str:
        return _ASSURANCE_TEXT[self]


_VARIATION_TEXT: Final = {
    VariationIcon.COMMON_CAUSE: "Common cause variation: no significant change.",
    VariationIcon.SPECIAL_CAUSE_IMPROVEMENT_HIGH: (
        "Special cause variation of an improving nature: the measure is significantly higher."
    ),
    VariationIcon.SPECIAL_CAUSE_IMPROVEMENT_LOW: (
        "Special cause variation of an improving nature: the measure is significantly lower."
    ),
    VariationIcon.SPECIAL_CAUSE_CONCERN_HIGH: (
        "Special cause variation of a concerning nature: the measure is significantly higher."
    ),
    VariationIcon.SPECIAL_CAUSE_CONCERN_LOW: (
        "Special cause variation of a concerning nature: the measure is significantly lower."
    ),
    VariationIcon.SPECIAL_CAUSE_NEUTRAL_HIGH: (
        "Special cause variation: the measure is significantly higher (neither better nor worse)."
    ),
    VariationIcon.SPECIAL_CAUSE_NEUTRAL_LOW: (
        "Special cause variation: the measure is significantly lower (neither better nor worse)."
    ),
}

_ASSURANCE_TEXT: Final = {
    AssuranceIcon.CONSISTENTLY_PASS: "The system is expected to consistently meet the target.",
    AssuranceIcon.CONSISTENTLY_FAIL: (
        "The system is expected to consistently fail the target: it will not be met without a change."
    ),
    AssuranceIcon.INCONSISTENT: ("The system may achieve or fail the target, subject to random variation."),
}


def variation_icon(point_type: PointType, improvement: Improvement) -> VariationIcon:
    """The icon for a chart whose last point has ``point_type`` (NHSRplotthedots' mapping)."""
    if point_type is PointType.COMMON_CAUSE:
        return VariationIcon.COMMON_CAUSE
    if point_type is PointType.SPECIAL_CAUSE_NEUTRAL_HIGH:
        return VariationIcon.SPECIAL_CAUSE_NEUTRAL_HIGH
    if point_type is PointType.SPECIAL_CAUSE_NEUTRAL_LOW:
        return VariationIcon.SPECIAL_CAUSE_NEUTRAL_LOW
    high_is_good = improvement is Improvement.INCREASE
    if point_type is PointType.SPECIAL_CAUSE_IMPROVEMENT:
        return (
            VariationIcon.SPECIAL_CAUSE_IMPROVEMENT_HIGH
            if high_is_good
            else VariationIcon.SPECIAL_CAUSE_IMPROVEMENT_LOW
        )
    return (
        VariationIcon.SPECIAL_CAUSE_CONCERN_LOW if high_is_good else VariationIcon.SPECIAL_CAUSE_CONCERN_HIGH
    )


def assurance_icon(
    target: float | None,
    lower_limit: float,
    upper_limit: float,
    improvement: Improvement,
    *,
    inclusive: bool = False,
) -> AssuranceIcon | None:
    """Assurance of meeting ``target`` given the process limits of the latest period.

    Strict comparisons (NHSRplotthedots) call a target exactly on a limit "inconsistent"; ``inclusive``
    (NHS England's SQL tool) calls it a pass or a fail. None without a target or for neutral measures.
    """
    if target is None or improvement is Improvement.NEUTRAL:
        return None
    if lower_limit != lower_limit or upper_limit != upper_limit:  # NaN limits: no assurance possible
        return None
    above = target >= upper_limit if inclusive else target > upper_limit
    below = target <= lower_limit if inclusive else target < lower_limit
    if above:
        return (
            AssuranceIcon.CONSISTENTLY_FAIL
            if improvement is Improvement.INCREASE
            else AssuranceIcon.CONSISTENTLY_PASS
        )
    if below:
        return (
            AssuranceIcon.CONSISTENTLY_PASS
            if improvement is Improvement.INCREASE
            else AssuranceIcon.CONSISTENTLY_FAIL
        )
    return AssuranceIcon.INCONSISTENT
