"""Western Electric and Nelson rule sets: the zone tests of industrial SPC, beside Anhøj's and MDC's rules.

    check_rules(qic(y, chart="i"), "nelson")           # on a computed chart (sigma from its 3-sigma limits)
    zone_rules(y, cl=10, sigma=1, ruleset="western_electric")

References (each rule's wording is from these sources; zones are measured in sigmas from the centre line):

* Western Electric Company (1956). *Statistical Quality Control Handbook*. Indianapolis: Western Electric,
  pp. 25-28 ("tests for unnatural patterns"); restated in Montgomery D.C. (2009) *Introduction to
  Statistical Quality Control*, 6th ed., section 5.3.6:
  WE1 one point beyond 3 sigma; WE2 two of three consecutive points beyond 2 sigma on the same side;
  WE3 four of five consecutive points beyond 1 sigma on the same side; WE4 eight consecutive points on one
  side of the centre line.
* Nelson L.S. (1984). The Shewhart control chart - tests for special causes. *Journal of Quality
  Technology* 16(4):237-239: N1 one point beyond 3 sigma; N2 nine points in a row on one side of the
  centre line; N3 six points in a row steadily increasing or decreasing; N4 fourteen points in a row
  alternating up and down; N5 two of three points in a row beyond 2 sigma, same side; N6 four of five
  points in a row beyond 1 sigma, same side; N7 fifteen points in a row within 1 sigma (either side);
  N8 eight points in a row beyond 1 sigma on either side (none within 1 sigma).

Conventions (Nelson's, as Minitab applies them): a test signals **at the point that completes the
pattern**, and for the "k of m" tests that point must itself be one of the k; "beyond" is strict (> 2
sigma) and "within" strict (< 1 sigma); a point exactly on the centre line belongs to neither side and
breaks a run; equal neighbours break a trend or an alternation. Missing values (and points without limits)
break every pattern. On a ``qic()`` result each part is tested on its own, with sigma = (ucl - cl) / 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from openqi_spc.errors import InputLengthError, OptionError

if TYPE_CHECKING:
    from openqi_spc.results import QicResult

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    text: str


WESTERN_ELECTRIC: Final = (
    Rule("WE1", "One point beyond 3 sigma"),
    Rule("WE2", "Two of three consecutive points beyond 2 sigma, same side"),
    Rule("WE3", "Four of five consecutive points beyond 1 sigma, same side"),
    Rule("WE4", "Eight consecutive points on one side of the centre line"),
)
NELSON: Final = (
    Rule("N1", "One point beyond 3 sigma"),
    Rule("N2", "Nine points in a row on one side of the centre line"),
    Rule("N3", "Six points in a row steadily increasing or decreasing"),
    Rule("N4", "Fourteen points in a row alternating up and down"),
    Rule("N5", "Two of three points in a row beyond 2 sigma, same side"),
    Rule("N6", "Four of five points in a row beyond 1 sigma, same side"),
    Rule("N7", "Fifteen points in a row within 1 sigma"),
    Rule("N8", "Eight points in a row beyond 1 sigma, either side"),
)
RULESETS: Final = {"western_electric": WESTERN_ELECTRIC, "nelson": NELSON}
CITATIONS: Final = {
    "western_electric": "Western Electric (1956) Statistical Quality Control Handbook; Montgomery 5.3.6",
    "nelson": "Nelson L.S. (1984) J Quality Technology 16(4):237-239",
}


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """Which points signal under which rule. ``signals[code]``: True at the point completing a pattern."""

    ruleset: str
    rules: tuple[Rule, ...]
    signals: dict[str, BoolArray]

    @property
    def any(self) -> BoolArray:
        """Points at which at least one rule signals."""
        out = np.zeros_like(next(iter(self.signals.values())))
        for flags in self.signals.values():
            out |= flags
        return out

    def first(self, code: str) -> int | None:
        """0-based position of the first signal of a rule, or None."""
        hits = np.flatnonzero(self.signals[code])
        return int(hits[0]) if hits.size else None

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per point: its position and the codes of the rules that signal there."""
        size = next(iter(self.signals.values())).size
        return [
            {"point": i, "rules": [r.code for r in self.rules if self.signals[r.code][i]]}
            for i in range(size)
        ]


def run_length(condition: BoolArray) -> npt.NDArray[np.int64]:
    """For each point, how many consecutive True values end there (0 where False)."""
    out = np.zeros(condition.size, dtype=np.int64)
    count = 0
    for i, value in enumerate(condition.tolist()):
        count = count + 1 if value else 0
        out[i] = count
    return out


def window_count(condition: BoolArray, width: int, valid: BoolArray) -> npt.NDArray[np.int64]:
    """True values among the last ``width`` points ending at each point; -1 where the window is short or
    holds a missing point."""
    c = np.concatenate(([0], np.cumsum(condition.astype(np.int64))))
    bad = np.concatenate(([0], np.cumsum((~valid).astype(np.int64))))
    out = np.full(condition.size, -1, dtype=np.int64)
    if condition.size >= width:
        ends = np.arange(width - 1, condition.size)
        counts = c[ends + 1] - c[ends + 1 - width]
        clean = (bad[ends + 1] - bad[ends + 1 - width]) == 0
        out[ends] = np.where(clean, counts, -1)
    return out


def _k_of_m(z: FloatArray, valid: BoolArray, k: int, m: int, beyond: float) -> BoolArray:
    signal = np.zeros(z.size, dtype=np.bool_)
    for side in (1.0, -1.0):
        out = valid & (side * z > beyond)
        signal |= out & (window_count(out, m, valid) >= k)
    return signal


def _one_side(z: FloatArray, valid: BoolArray, length: int) -> BoolArray:
    above = run_length(valid & (z > 0))
    below = run_length(valid & (z < 0))
    return (above >= length) | (below >= length)


def _steps(y: FloatArray) -> tuple[FloatArray, BoolArray]:
    diff = np.full(y.size, np.nan)
    diff[1:] = y[1:] - y[:-1]
    return diff, ~np.isnan(diff)


def _trend(y: FloatArray, points: int) -> BoolArray:
    diff, ok = _steps(y)
    ups = run_length(ok & (diff > 0))
    downs = run_length(ok & (diff < 0))
    return (ups >= points - 1) | (downs >= points - 1)


def _alternating(y: FloatArray, points: int) -> BoolArray:
    diff, ok = _steps(y)
    sign = np.sign(np.where(ok, diff, 0.0))
    flips = np.zeros(y.size, dtype=np.bool_)
    flips[2:] = (sign[2:] != 0) & (sign[1:-1] != 0) & (sign[2:] == -sign[1:-1])
    # a run of k sign flips spans k + 2 points
    return run_length(flips) >= points - 2


def zone_tests(y: FloatArray, cl: FloatArray, sigma: FloatArray, ruleset: str) -> dict[str, BoolArray]:
    """The tests of ``ruleset`` on one stretch of points (no part boundaries inside)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (y - cl) / sigma
    valid = np.isfinite(z) & (sigma > 0)
    z = np.where(valid, z, np.nan)
    beyond3 = valid & (np.abs(z) > 3.0)
    if ruleset == "western_electric":
        return {
            "WE1": beyond3,
            "WE2": _k_of_m(z, valid, 2, 3, 2.0),
            "WE3": _k_of_m(z, valid, 4, 5, 1.0),
            "WE4": _one_side(z, valid, 8),
        }
    y_valid = np.where(valid, y, np.nan)
    return {
        "N1": beyond3,
        "N2": _one_side(z, valid, 9),
        "N3": _trend(y_valid, 6),
        "N4": _alternating(y_valid, 14),
        "N5": _k_of_m(z, valid, 2, 3, 2.0),
        "N6": _k_of_m(z, valid, 4, 5, 1.0),
        "N7": run_length(valid & (np.abs(z) < 1.0)) >= 15,
        "N8": run_length(valid & (np.abs(z) > 1.0)) >= 8,
    }


def _check_ruleset(ruleset: str) -> tuple[Rule, ...]:
    try:
        return RULESETS[ruleset]
    except KeyError:
        raise OptionError(f"ruleset must be one of {', '.join(RULESETS)}; got {ruleset!r}") from None


def zone_rules(
    y: npt.ArrayLike,
    cl: float | npt.ArrayLike,
    sigma: float | npt.ArrayLike,
    ruleset: str = "western_electric",
    *,
    part: npt.ArrayLike | None = None,
) -> RuleCheck:
    """Apply a rule set to values ``y`` with centre ``cl`` and ``sigma`` (scalars or one per point).
    ``part``: one label per point; patterns do not cross a change of label."""
    rules = _check_ruleset(ruleset)
    values = np.asarray(y, dtype=np.float64)
    size = values.size
    centre = np.broadcast_to(np.asarray(cl, dtype=np.float64), (size,))
    spread = np.broadcast_to(np.asarray(sigma, dtype=np.float64), (size,))
    labels = np.zeros(size, dtype=np.int64) if part is None else np.asarray(part)
    if labels.shape != (size,):
        raise InputLengthError(f"part has {labels.size} labels but y has {size} values")
    signals = {r.code: np.zeros(size, dtype=np.bool_) for r in rules}
    starts = [0, *[i for i in range(1, size) if labels[i] != labels[i - 1]], size]
    for lo, hi in zip(starts[:-1], starts[1:], strict=True):
        for code, flags in zone_tests(values[lo:hi], centre[lo:hi], spread[lo:hi], ruleset).items():
            signals[code][lo:hi] = flags
    return RuleCheck(ruleset, rules, signals)


def check_rules(result: QicResult, ruleset: str = "western_electric") -> RuleCheck:
    """A rule set on a computed ``qic()`` chart: sigma from the 3-sigma limits per point, parts tested apart.

    Meant for charts with symmetric limits (I, Xbar, C, U, P, np, Xbar-R); the zones of T and G charts'
    skewed limits are not the zones these rules were written for.

    Excluded points are left out of the patterns (they break them), as qicharts2 leaves them out of its
    runs analysis. Charts without limits (run charts) cannot be zone-tested.
    """
    if result.chart == "run":
        raise OptionError("a run chart has no sigma: zone tests need a control chart")
    points = result.points
    # P and C charts clamp a limit at 0 or 1, which only ever brings it nearer the centre: the wider side
    # is the unclamped one.
    with np.errstate(invalid="ignore"):
        sigma = np.fmax(points.ucl - points.cl, points.cl - points.lcl) / 3.0
    y = np.where(points.include, points.y, np.nan)
    return zone_rules(y, points.cl, sigma, ruleset, part=points.part)
