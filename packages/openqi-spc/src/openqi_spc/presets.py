"""Reference presets: one switch that sets every option on which the reference tools disagree.

The three references are qicharts2 0.8.1 (run and Shewhart charts), NHSRplotthedots 0.2.2 (the NHS-R
implementation of "Making Data Count") and NHS England's SPC SQL tool v2.4 (the official MDC
implementation). Each disagreement is one field below; packages/openqi-spc/docs/spc.md explains every default.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any, Final, Literal

from openqi_spc.errors import OptionError
from openqi_spc.limits import GCentre, LimitOptions, MRScreen, TLower

Reference = Literal["qicharts2", "nhsrplotthedots", "nhse"]
REFERENCES: Final[tuple[Reference, ...]] = ("qicharts2", "nhsrplotthedots", "nhse")

ConflictRule = Literal["priority", "improvement", "concern"]
Rule = Literal["outside_limits", "trend", "two_in_three", "shift"]


@dataclass(frozen=True, slots=True)
class Preset:
    """Every reference-dependent option, with its value for one reference."""

    name: Reference
    # Moving-range screening (Nelson 1982): drop MRs above 3.267 x AMR before estimating sigma.
    screened_mr: bool
    mr_screen: MRScreen  # "strict" keeps MR < limit (qicharts2, NHSR); "inclusive" keeps MR <= limit (NHSE)
    mr_screen_remean: bool  # NHSE also leaves the points with an outlying MR out of the mean
    g_centre: GCentre  # G chart centre line: median (qicharts2) or 0.693 x mean (NHSE, old qicharts)
    t_lower: TLower  # T chart lower limit when the transformed limit is negative: 0 or none (NHSE)
    # Making Data Count
    xmr_factor: float  # process limits = mean +/- factor x AMR: 2.66 (MDC) or 3/1.128 (qicharts2)
    trend_across_rebase: bool  # NHSE v2.2+ looks for trends across re-based partitions
    assurance_inclusive: bool  # NHSE: a target exactly on a limit is pass/fail; NHSR: "inconsistent"
    conflict_rule: ConflictRule  # which direction wins when one point has signals both ways
    rule_priority: tuple[Rule, ...]  # order in which the point's label is chosen
    two_in_three_beyond_limits: bool  # does a point beyond 3 sigma count as "near the limit"?
    min_points_limits: int  # fewer points than this in a limit period: FewPointsWarning

    def limit_options(self) -> LimitOptions:
        return _limit_options(self)


@lru_cache(maxsize=64)
def _limit_options(preset: Preset) -> LimitOptions:
    return LimitOptions(
        screened_mr=preset.screened_mr,
        mr_screen=preset.mr_screen,
        mr_screen_remean=preset.mr_screen_remean,
        g_centre=preset.g_centre,
        t_lower=preset.t_lower,
    )


_NHSR_PRIORITY: Final[tuple[Rule, ...]] = ("outside_limits", "trend", "two_in_three", "shift")

PRESETS: Final[dict[Reference, Preset]] = {
    "qicharts2": Preset(
        name="qicharts2",
        screened_mr=True,  # qicharts2 sets qic.screenedmr = TRUE when the package is attached
        mr_screen="strict",
        mr_screen_remean=False,
        g_centre="median",
        t_lower="zero",
        xmr_factor=3.0 / 1.128,
        trend_across_rebase=False,
        assurance_inclusive=False,
        conflict_rule="priority",
        rule_priority=_NHSR_PRIORITY,
        two_in_three_beyond_limits=False,
        min_points_limits=12,
    ),
    "nhsrplotthedots": Preset(
        name="nhsrplotthedots",
        screened_mr=True,
        mr_screen="strict",
        mr_screen_remean=False,
        g_centre="median",
        t_lower="zero",
        xmr_factor=2.66,
        trend_across_rebase=False,
        assurance_inclusive=False,
        conflict_rule="priority",
        rule_priority=_NHSR_PRIORITY,
        two_in_three_beyond_limits=False,
        min_points_limits=13,  # ptd_spc warns below 13 points per group (its message says 12)
    ),
    "nhse": Preset(
        name="nhse",
        screened_mr=False,
        mr_screen="inclusive",
        mr_screen_remean=True,
        g_centre="mean_0693",
        t_lower="none",
        xmr_factor=2.66,
        trend_across_rebase=True,
        assurance_inclusive=True,
        conflict_rule="improvement",
        rule_priority=("outside_limits", "two_in_three", "shift", "trend"),
        two_in_three_beyond_limits=False,
        min_points_limits=12,
    ),
}

_OVERRIDABLE: Final = frozenset(f.name for f in fields(Preset)) - {"name"}


def resolve(reference: str | None, default: Reference, overrides: dict[str, Any]) -> Preset:
    """The preset named by ``reference`` (or ``default``) with explicit, non-None options applied."""
    name = default if reference is None else reference
    if name not in PRESETS:
        raise OptionError(f"reference must be one of {', '.join(REFERENCES)}; got {reference!r}")
    preset = PRESETS[name]  # type: ignore[index]
    changes = {key: value for key, value in overrides.items() if value is not None}
    unknown = set(changes) - _OVERRIDABLE
    if unknown:
        raise OptionError(f"unknown option(s): {', '.join(sorted(unknown))}")
    _validate(changes)
    return replace(preset, **changes) if changes else preset


def _validate(changes: dict[str, Any]) -> None:
    choices: dict[str, tuple[Any, ...]] = {
        "mr_screen": ("strict", "inclusive"),
        "g_centre": ("median", "mean_0693"),
        "t_lower": ("zero", "none"),
        "conflict_rule": ("priority", "improvement", "concern"),
    }
    for key, allowed in choices.items():
        if key in changes and changes[key] not in allowed:
            raise OptionError(f"{key} must be one of {', '.join(map(str, allowed))}; got {changes[key]!r}")
    if "xmr_factor" in changes and not changes["xmr_factor"] > 0:
        raise OptionError("xmr_factor must be positive")
    if "rule_priority" in changes:
        order = tuple(changes["rule_priority"])
        if sorted(order) != sorted(_NHSR_PRIORITY):
            raise OptionError(f"rule_priority must order exactly {', '.join(_NHSR_PRIORITY)}")
        changes["rule_priority"] = order
