"""Making Data Count rules on any qic() chart: the NHS house style for P, U, C and the other charts.

MDC is defined for XmR charts (and T and G), but its four special-cause rules read only points, a centre
line and the 2- and 3-sigma lines, so they apply unchanged to a qicharts2 chart's points and limits, which
for P and U charts differ from point to point. ``mdc_from_qic(qic(...))`` does that and returns an
``MDCResult``, so every chart type is coloured, described and given its icons the MDC way.

* The rules run per part (a rebased limit period), as ``mdc()`` runs them per rebase group.
* Excluded points and missing values are skipped: they neither break nor extend a shift or trend, and
  they are never a special cause (NHS England's SQL tool "ghosts" such points the same way).
* The variation icon comes from the last included point with a value; the assurance icon from that
  point's limits (none for run, T and G charts, none for neutral measures, as in ``mdc()``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from openqi_spc.icons import AssuranceIcon, PointType, SpecialCauseRule, assurance_icon
from openqi_spc.mdc import (
    NO_RULE,
    GroupLines,
    MDCGroupSummary,
    MDCPoints,
    MDCResult,
    MDCRules,
    RuleFlags,
    check_improvement,
    check_rule_length,
    evaluate_rules,
    special_cause_label,
    trend_flags,
)
from openqi_spc.mdc import _last_icon as last_icon
from openqi_spc.presets import resolve
from openqi_spc.results import QicResult, plain

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

NO_ASSURANCE_CHARTS: Final = frozenset({"run", "t", "g", "mr"})
_RULES: Final = tuple(SpecialCauseRule)
_POINT_TYPES: Final = tuple(PointType)


def mdc_from_qic(
    result: QicResult,
    improvement: str = "increase",
    target: float | None = None,
    *,
    shift: int = 7,
    trend: int = 7,
    reference: str | None = None,
    trend_across_rebase: bool | None = None,
    assurance_inclusive: bool | None = None,
    conflict_rule: str | None = None,
    rule_priority: Sequence[str] | None = None,
    two_in_three_beyond_limits: bool | None = None,
) -> MDCResult:
    """The Making Data Count analysis of a ``qic()`` chart: MDC rules, point types and icons.

    ``target`` is on the scale of the result's values (a fraction for a P chart computed with
    ``multiply=1``). The lines are the qic() result's own: centre ``cl``, process limits ``lcl``/``ucl``
    and near-limit lines ``lcl_95``/``ucl_95`` (2 sigma). Rule options and ``reference`` are as ``mdc()``'s
    (default NHSRplotthedots).
    """
    direction = check_improvement(improvement)
    preset = resolve(
        reference,
        "nhsrplotthedots",
        {
            "trend_across_rebase": trend_across_rebase,
            "assurance_inclusive": assurance_inclusive,
            "conflict_rule": conflict_rule,
            "rule_priority": None if rule_priority is None else tuple(rule_priority),
            "two_in_three_beyond_limits": two_in_three_beyond_limits,
        },
    )
    rules = MDCRules(
        shift=check_rule_length(shift, "shift"),
        trend=check_rule_length(trend, "trend"),
        priority=preset.rule_priority,
        conflict_rule=preset.conflict_rule,
        two_in_three_beyond_limits=preset.two_in_three_beyond_limits,
        improvement=direction,
    )
    p = result.points
    size = len(p)
    with np.errstate(invalid="ignore"):
        side_all = np.sign(p.y - p.cl)
    side_all[np.isnan(side_all)] = 0
    flags = _Flags(size, side_all.astype(np.int8))
    counted = p.include & np.isfinite(p.y)
    across = None
    if preset.trend_across_rebase:
        kept = np.flatnonzero(counted)
        up, down = trend_flags(p.y[kept][None, :], rules)
        across = (_scatter(up[0], kept, size), _scatter(down[0], kept, size))
    parts = p.part.tolist()
    for part in sorted(set(parts)):
        kept = np.flatnonzero(counted & (p.part == part))
        if kept.size == 0:
            continue
        lines = GroupLines(
            centre=p.cl[kept][None, :],
            lpl=p.lcl[kept][None, :],
            upl=p.ucl[kept][None, :],
            nlpl=p.lcl_95[kept][None, :],
            nupl=p.ucl_95[kept][None, :],
            mean=p.cl[kept][None, :],
            show_lpl=p.lcl[kept][None, :],
            show_upl=p.ucl[kept][None, :],
            show_nlpl=p.lcl_95[kept][None, :],
            show_nupl=p.ucl_95[kept][None, :],
            points_used=np.array([kept.size]),
        )
        trend_parts = None
        if across is not None:
            trend_parts = (across[0][kept][None, :], across[1][kept][None, :])
        flags.put(kept, evaluate_rules(p.y[kept][None, :], lines, rules, trend_parts))
    return _result(result, flags, rules, target, preset.assurance_inclusive, preset.name)


def _scatter(values: npt.NDArray[np.bool_], kept: npt.NDArray[np.intp], size: int) -> BoolArray:
    out = np.zeros(size, dtype=np.bool_)
    out[kept] = values
    return out


class _Flags:
    """Per-point rule flags of the whole chart, filled in part by part."""

    def __init__(self, size: int, side: npt.NDArray[np.int8]) -> None:
        self.side = side
        self.outside = np.zeros(size, dtype=np.bool_)
        self.close = np.zeros(size, dtype=np.bool_)
        self.trend = np.zeros(size, dtype=np.bool_)
        self.two_in_three = np.zeros(size, dtype=np.bool_)
        self.shift = np.zeros(size, dtype=np.bool_)
        self.rule = np.full(size, NO_RULE, dtype=np.int64)
        self.direction = np.zeros(size, dtype=np.int8)
        self.point_type = np.zeros(size, dtype=np.int64)

    def put(self, kept: npt.NDArray[np.intp], found: RuleFlags) -> None:
        self.outside[kept] = found.outside_limits[0]
        self.close[kept] = found.close_to_limits[0]
        self.trend[kept] = found.trend[0]
        self.two_in_three[kept] = found.two_in_three[0]
        self.shift[kept] = found.shift[0]
        self.rule[kept] = found.rule[0]
        self.direction[kept] = found.direction[0]
        self.point_type[kept] = found.point_type[0]


def _result(
    result: QicResult,
    flags: _Flags,
    rules: MDCRules,
    target: float | None,
    inclusive: bool,
    reference: str,
) -> MDCResult:
    p = result.points
    point_types = tuple(_POINT_TYPES[code] for code in flags.point_type.tolist())
    rule_list = flags.rule.tolist()
    labels = tuple(
        special_cause_label(r, d, rules.shift, rules.trend)
        for r, d in zip(rule_list, flags.direction.tolist(), strict=True)
    )
    points = MDCPoints(
        x=p.x,
        y=p.y,
        mean=p.cl,
        lpl=p.lcl,
        upl=p.ucl,
        nlpl=p.lcl_95,
        nupl=p.ucl_95,
        rebase_group=p.part.astype(np.int64),
        relative_to_mean=flags.side,
        outside_limits=flags.outside,
        close_to_limits=flags.close,
        trend=flags.trend,
        two_in_three=flags.two_in_three,
        shift=flags.shift,
        special_cause=flags.rule != NO_RULE,
        special_cause_rule=tuple(None if r == NO_RULE else _RULES[r] for r in rule_list),
        special_cause_label=labels,
        point_type=point_types,
    )
    # Icons from the last point that counts: an excluded point says nothing about the process.
    counted = np.where(p.include, p.y, np.nan)
    icon = last_icon(counted, point_types, 0, len(p), rules.improvement)
    assurance = _assurance(result, counted, target, rules, inclusive)
    summary = []
    parts = p.part.tolist()
    for k, part in enumerate(sorted(set(parts))):
        idx = [i for i, q in enumerate(parts) if q == part]
        lo, hi = idx[0], idx[-1] + 1
        codes = flags.point_type[lo:hi]
        last = hi - 1
        summary.append(
            MDCGroupSummary(
                rebase_group=k + 1,
                n=hi - lo,
                points_used_for_limits=int((p.baseline & p.include & np.isfinite(p.y))[lo:hi].sum()),
                mean=plain(float(p.cl[last])),
                lpl=plain(float(p.lcl[last])),
                upl=plain(float(p.ucl[last])),
                nlpl=plain(float(p.lcl_95[last])),
                nupl=plain(float(p.ucl_95[last])),
                common_cause=int((codes == 0).sum()),
                special_cause_improvement=int((codes == 1).sum()),
                special_cause_concern=int((codes == 2).sum()),
                special_cause_neutral=int(((codes == 3) | (codes == 4)).sum()),
                variation_icon=last_icon(counted, point_types, lo, hi, rules.improvement),
                assurance_icon=assurance if hi == len(p) else None,
            )
        )
    return MDCResult(
        chart=result.chart,
        improvement=rules.improvement,
        target=None if target is None else float(target),
        points=points,
        summary=tuple(summary),
        variation_icon=icon,
        assurance_icon=assurance,
        reference=reference,
    )


def _assurance(
    result: QicResult, counted: FloatArray, target: float | None, rules: MDCRules, inclusive: bool
) -> AssuranceIcon | None:
    if target is None or result.chart in NO_ASSURANCE_CHARTS:
        return None
    if not math.isfinite(target):
        return None
    observed = np.flatnonzero(~np.isnan(counted))
    if observed.size == 0:
        return None
    last = int(observed[-1])
    p = result.points
    return assurance_icon(
        float(target), float(p.lcl[last]), float(p.ucl[last]), rules.improvement, inclusive=inclusive
    )


__all__ = ["mdc_from_qic"]
