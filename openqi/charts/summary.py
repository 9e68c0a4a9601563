"""Plain-language text for a chart: summary sentences and an accessible data table.

A chart image is not accessible on its own (WCAG 1.1.1); these give the same information as text: what a
QI team would say about the chart in a meeting, and every number behind it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openqi.charts._format import (
    auto_decimals,
    count_periods,
    date_granularity,
    fmt_value,
    long_label,
    singular,
)
from openqi.charts.model import STATUS_TEXT, ChartSpec, PointStatus, XLabel, _x_labels
from openqi.spc import AssuranceIcon, Improvement, MDCResult, PointType, QicResult, SpecialCauseRule
from openqi.spc.icons import assurance_icon


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the data table, every cell already formatted ("" for none)."""

    index: int
    period: str
    value: str
    centre: str
    lower: str
    upper: str
    signal: str
    annotations: str
    status: str
    excluded: bool


def data_table_headers(spec: ChartSpec) -> list[tuple[str, str]]:
    """``(TableRow attribute, column header)`` pairs; limit columns only when the chart has limits."""
    headers = [("period", "Period"), ("value", "Value")]
    if spec.centre is not None:
        headers.append(("centre", spec.centre_label))
    if spec.lower is not None or spec.upper is not None:
        headers += [("lower", "Lower limit"), ("upper", "Upper limit")]
    headers += [("signal", "Signal"), ("annotations", "Annotations")]
    return headers


def data_table_rows(spec: ChartSpec) -> list[TableRow]:
    """One row per point, formatted with the spec's unit and decimals, for a ``<table>`` under the chart."""
    decimals = spec.decimals if spec.decimals is not None else auto_decimals(spec.y)
    granularity = date_granularity(spec.x)
    notes: dict[int, list[str]] = {}
    for a in spec.annotations:
        notes.setdefault(a[0], []).append(f"{a[1]}. {a[2]}")
    status_seq = spec.status
    excluded_seq = spec.excluded

    def cell(series: Sequence[float | None] | None, i: int) -> str:
        return "" if series is None else fmt_value(series[i], decimals, spec.unit)

    rows = []
    for i in range(len(spec.y)):
        status = PointStatus(status_seq[i])
        signal = spec.signal_text[i] if spec.signal_text is not None else ""
        if not signal and status is not PointStatus.COMMON:
            signal = STATUS_TEXT[status]
        if excluded_seq[i]:
            signal = f"{signal}; excluded from calculations" if signal else "Excluded from calculations"
        rows.append(
            TableRow(
                index=i,
                period=long_label(spec.x[i], granularity),
                value=cell(spec.y, i),
                centre=cell(spec.centre, i),
                lower=cell(spec.lower, i),
                upper=cell(spec.upper, i),
                signal=signal,
                annotations="; ".join(notes.get(i, ())),
                status=status.value,
                excluded=excluded_seq[i],
            )
        )
    return rows


def _above(v: float | None, limit: float | None) -> bool:
    return v is not None and limit is not None and v > limit


def _finite(v: Any) -> float | None:
    f = float(v)
    return f if math.isfinite(f) else None


class _Writer:
    """Formatting context shared by the sentences of one summary."""

    def __init__(self, labels: Sequence[XLabel], period: str, unit: str, decimals: int) -> None:
        self.labels = labels
        self.granularity = date_granularity(labels)
        self.period = period
        self.unit = unit
        self.decimals = decimals

    def when(self, i: int) -> str:
        return long_label(self.labels[i], self.granularity)

    def _named(self, i: int) -> str:
        # A bare number needs the period word ("point 12", "week 12"); dates and text labels do not.
        label = self.labels[i]
        if isinstance(label, int | float) and not isinstance(label, bool):
            return f"{singular(self.period)} {self.when(i)}"
        return self.when(i)

    def since(self, i: int) -> str:
        return f"since {self._named(i)}"

    def on(self, i: int) -> str:
        return f"on {self._named(i)}" if self.granularity != "none" else f"at {self._named(i)}"

    def value(self, v: float | None) -> str:
        return fmt_value(v, self.decimals, self.unit)

    def count(self, k: int) -> str:
        return count_periods(k, self.period)


def _kind(high: bool, improvement: str | None) -> str:
    if improvement == "increase":
        return "improvement" if high else "concern"
    if improvement == "decrease":
        return "concern" if high else "improvement"
    return "neutral"


def _headline_prefix(kind: str) -> str:
    return (
        "Special cause variation (neither improvement nor concern)"
        if kind == "neutral"
        else f"Special cause {kind}"
    )


def _assurance_sentence(
    w: _Writer, icon: AssuranceIcon | None, target: float, lower: float | None, upper: float | None, word: str
) -> str | None:
    if icon is None or lower is None or upper is None:
        return None
    t = w.value(target)
    if icon is AssuranceIcon.INCONSISTENT:
        return (
            f"The target of {t} lies within the {word} limits ({w.value(lower)} to {w.value(upper)}), "
            "so it will be met only some of the time."
        )
    above = target > upper or (target >= upper and not target <= lower)
    where = (
        f"above the upper {word} limit ({w.value(upper)})"
        if above
        else (f"below the lower {word} limit ({w.value(lower)})")
    )
    if icon is AssuranceIcon.CONSISTENTLY_PASS:
        return f"The target of {t} lies {where}, so it will be met consistently unless the process changes."
    return f"The target of {t} lies {where}, so it will not be met without a change to the process."


def _signal_run(
    y: list[float | None], cl: list[float | None], idx: list[int], longer_than: int
) -> tuple[int, int, int]:
    """(start, length, side) of the most recent run longer than ``longer_than`` on one side of the centre.

    The most recent, not the longest: after a shift up, the run below the median at the start is as long
    as the run above it at the end, but the team cares about where the process is now. Points on the
    centre line are skipped, as in the Anhøj rules. Falls back to the longest run.
    """
    runs: list[tuple[int, int, int]] = []
    side = 0
    for i in idx:
        v, c = y[i], cl[i]
        if v is None or c is None or v == c:
            continue
        s = 1 if v > c else -1
        if s == side:
            start, length, _ = runs[-1]
            runs[-1] = (start, length + 1, s)
        else:
            runs.append((i, 1, s))
            side = s
    if not runs:
        return (idx[0] if idx else 0, 0, 0)
    signalling = [r for r in runs if r[1] > longer_than]
    return signalling[-1] if signalling else max(runs, key=lambda r: r[1])


def summarise(
    result: QicResult | MDCResult,
    x_labels: Sequence[XLabel] | None = None,
    *,
    improvement: str | None = None,
    period: str = "points",
    unit: str = "",
    percent: bool = False,
    scale: float | None = None,
    target: float | None = None,
    decimals: int | None = None,
) -> list[str]:
    """Plain-language sentences about a chart; the first is the headline.

    ``improvement`` ("increase", "decrease", "neutral" or None) defaults to the MDC result's; ``target``
    (display units) to the MDC result's target. ``scale`` as in ``spec_from_qic``/``spec_from_mdc``.
    """
    if percent and not unit:
        unit = "%"
    if isinstance(result, MDCResult):
        return _summarise_mdc(result, x_labels, improvement, period, unit, scale or 1.0, target, decimals)
    if scale is None:
        scale = 100.0 if percent and result.chart in ("p", "pp") and result.multiply == 1 else 1.0
    return _summarise_qic(result, x_labels, improvement, period, unit, scale, target, decimals)


def _summarise_mdc(
    result: MDCResult,
    x_labels: Sequence[XLabel] | None,
    improvement: str | None,
    period: str,
    unit: str,
    scale: float,
    target: float | None,
    decimals: int | None,
) -> list[str]:
    p = result.points
    improvement = improvement or result.improvement.value
    y: list[float | None] = [_finite(v * scale) for v in p.y.tolist()]
    labels = list(x_labels) if x_labels is not None else _x_labels(p.x, zero_based_default=True)
    w = _Writer(labels, period, unit, decimals if decimals is not None else auto_decimals(y))
    observed = [i for i, v in enumerate(y) if v is not None]
    if not observed:
        return [f"No data yet: the chart will appear once the first {singular(period)} is recorded."]
    groups = p.rebase_group.tolist()
    last = observed[-1]
    group = groups[last]
    in_group = [i for i in observed if groups[i] == group]
    g = result.summary[-1]
    mean = _finite(p.mean[last] * scale)
    mean_word = "baseline mean" if g.points_used_for_limits < g.n else "mean"
    sentences: list[str] = []
    pt = p.point_type[last]
    if mean is None:
        sentences.append(
            f"Not enough data for process limits yet: {w.count(len(in_group))}; "
            f"the latest value is {w.value(y[last])}."
        )
    elif pt is PointType.COMMON_CAUSE:
        signals = [i for i in in_group if p.special_cause[i]]
        if not signals:
            sentences.append(
                f"Common cause variation only: no signal in {w.count(len(in_group))}; "
                f"the process is stable around {w.value(mean)}."
            )
        else:
            quiet = [i for i in in_group if i > signals[-1]]
            sentences.append(
                f"Common cause variation: no signal in the latest {w.count(len(quiet))} "
                f"({w.since(quiet[0])}); the process is stable around {w.value(mean)}."
            )
            kinds = sorted({_kind_of_point(p.point_type[i]) for i in signals})
            sentences.append(
                f"Earlier in this period: {w.count(len(signals))} of special cause "
                f"{' and '.join(kinds)}, the last {w.on(signals[-1])}."
            )
    else:
        run = [last]
        for j in reversed(in_group[:-1]):
            if p.point_type[j] is not pt:
                break
            run.append(j)
        run.reverse()
        kind = _kind_of_point(pt)
        rules = [p.special_cause_rule[i] for i in run]
        label = p.special_cause_label[last]
        up = "Above" in label or "(Increasing)" in label
        upl, lpl = _finite(p.upl[last] * scale), _finite(p.lpl[last] * scale)
        side = 1 if up else -1
        upper_word = "upper" if up else "lower"
        limit_value = w.value(upl if up else lpl)
        outside = sum(r is SpecialCauseRule.OUTSIDE_LIMITS for r in rules)
        trends = sum(r is SpecialCauseRule.TREND for r in rules)
        same_side = all(int(p.relative_to_mean[i]) == side for i in run)
        if len(run) == 1:
            rule = rules[0]
            if rule is SpecialCauseRule.OUTSIDE_LIMITS:
                phrase = f"{'above' if up else 'below'} the {upper_word} process limit of {limit_value}"
            elif rule is SpecialCauseRule.TWO_IN_THREE:
                phrase = f"close to the {upper_word} process limit (2 of the latest 3 {period})"
            elif rule is SpecialCauseRule.TREND:
                phrase = f"the end of a {'rising' if up else 'falling'} trend"
            else:
                phrase = f"{'above' if up else 'below'} the {mean_word} of {w.value(mean)}"
            sentences.append(
                f"{_headline_prefix(kind)}: the latest {singular(period)} ({w.when(last)}) is {phrase}."
            )
        elif trends * 2 > len(run):
            sentences.append(
                f"{_headline_prefix(kind)}: {w.count(len(run))} of {'rising' if up else 'falling'} values "
                f"in a row {w.since(run[0])}."
            )
        elif same_side:
            # Every non-trend rule flags points on one side of the mean, so "N weeks above the mean" holds
            # for the whole run; points beyond the limit are the strongest evidence and are counted too.
            beyond = ""
            if outside:
                beyond = f", {outside} of them {'above' if up else 'below'} the {upper_word} process limit"
            sentences.append(
                f"{_headline_prefix(kind)}: {w.count(len(run))} {'above' if up else 'below'} the "
                f"{mean_word} of {w.value(mean)} {w.since(run[0])}{beyond}."
            )
        else:
            sentences.append(
                f"{_headline_prefix(kind)}: {w.count(len(run))} of special cause {w.since(run[0])}."
            )
    if target is None and result.target is not None:
        target = result.target * scale
    if target is not None:
        lpl_g, upl_g = _finite(p.lpl[last] * scale), _finite(p.upl[last] * scale)
        if result.target is not None and math.isclose(target, result.target * scale):
            icon = result.assurance_icon
        elif lpl_g is not None and upl_g is not None:
            icon = assurance_icon(target, lpl_g, upl_g, Improvement(improvement))
        else:
            icon = None
        assurance = _assurance_sentence(w, icon, target, lpl_g, upl_g, "process")
        if assurance:
            sentences.append(assurance)
    if len(result.summary) > 1:
        sentences.append(
            f"The limits were recalculated {w.since(in_group[0]).replace('since', 'from')}; "
            "the statements above are about that latest period."
        )
    if mean is not None and g.points_used_for_limits < 12:
        sentences.append(
            f"The limits rest on only {w.count(g.points_used_for_limits)}, so treat them as provisional."
        )
    return sentences


def _kind_of_point(pt: PointType) -> str:
    if pt is PointType.SPECIAL_CAUSE_IMPROVEMENT:
        return "improvement"
    if pt is PointType.SPECIAL_CAUSE_CONCERN:
        return "concern"
    return "neutral"


def _summarise_qic(
    result: QicResult,
    x_labels: Sequence[XLabel] | None,
    improvement: str | None,
    period: str,
    unit: str,
    scale: float,
    target: float | None,
    decimals: int | None,
) -> list[str]:
    p = result.points
    y: list[float | None] = [_finite(v * scale) for v in p.y.tolist()]
    cl: list[float | None] = [_finite(v * scale) for v in p.cl.tolist()]
    lcl: list[float | None] = [_finite(v * scale) for v in p.lcl.tolist()]
    ucl: list[float | None] = [_finite(v * scale) for v in p.ucl.tolist()]
    labels = list(x_labels) if x_labels is not None else _x_labels(p.x)
    w = _Writer(labels, period, unit, decimals if decimals is not None else auto_decimals(y))
    observed = [i for i, v in enumerate(y) if v is not None]
    if not observed:
        return [f"No data yet: the chart will appear once the first {singular(period)} is recorded."]
    parts = p.part.tolist()
    last = observed[-1]
    part = parts[last]
    summary = next((s for s in result.summary if s.part == part), result.summary[-1])
    include = p.include.tolist()
    idx = [i for i in range(len(y)) if parts[i] == part]
    used = [i for i in idx if include[i]]
    centre = cl[last]
    is_run = result.chart == "run"
    centre_word = "median" if result.chart in ("run", "g") else "centre line"
    frozen = not all(p.baseline.tolist())
    if frozen:
        centre_word = f"baseline {centre_word}"
    sentences: list[str] = []

    runs_text: str | None = None
    runs_kind: str | None = None
    if summary.runs_signal and summary.longest_run is not None:
        bits = []
        if summary.longest_run_max is not None and summary.longest_run > summary.longest_run_max:
            start, length, side = _signal_run(y, cl, used, summary.longest_run_max)
            runs_kind = _kind(side > 0, improvement)
            bits.append(
                f"a shift: {w.count(length)} in a row {'above' if side > 0 else 'below'} the "
                f"{centre_word} {w.since(start)} "
                f"(a run longer than {summary.longest_run_max} is unlikely by chance)"
            )
        if (
            summary.n_crossings is not None
            and summary.n_crossings_min is not None
            and (summary.n_crossings < summary.n_crossings_min)
        ):
            bits.append(
                f"too few crossings: the data cross the {centre_word} {summary.n_crossings} times where at "
                f"least {summary.n_crossings_min} are expected by chance"
            )
        runs_text = " and ".join(bits)

    if is_run:
        head = f"Run chart: {w.count(summary.n_obs)}; "
        if runs_text:
            tail = ""
            if runs_kind and runs_kind != "neutral":
                nature = "an improving" if runs_kind == "improvement" else "a concerning"
                tail = f"; this is non-random variation of {nature} nature"
            sentences.append(f"{head}non-random variation, {runs_text}{tail}.")
        elif summary.longest_run is None:
            sentences.append(f"{head}too few points off the median for the runs rules.")
        else:
            sentences.append(
                f"{head}random variation only: the longest run is {summary.longest_run} (more than "
                f"{summary.longest_run_max} would signal a shift) and the data cross the median "
                f"{summary.n_crossings} times (at least {summary.n_crossings_min} expected); "
                f"the median is {w.value(centre)}."
            )
        if summary.n_useful < 10:
            sentences.append(
                f"With {w.count(summary.n_useful)} off the median, "
                "the runs rules can detect only large changes."
            )
    else:
        sigma = [i for i in idx if p.sigma_signal[i] and y[i] is not None]
        high = [i for i in sigma if _above(y[i], ucl[i])]
        if sigma:
            latest = sigma[-1]
            is_high = latest in high
            kind = _kind(is_high, improvement)
            same = [i for i in sigma if (i in high) == is_high]
            limit = "above the upper control limit" if is_high else "below the lower control limit"
            if len(same) == 1:
                text = f"{w.count(1)} {limit} ({w.when(latest)})"
            else:
                text = f"{w.count(len(same))} {limit}, the latest {w.on(latest)}"
            sentences.append(f"{_headline_prefix(kind)}: {text}.")
            if runs_text:
                sentences.append(f"The runs analysis also signals {runs_text}.")
        elif runs_text:
            kind = runs_kind or "neutral"
            if runs_kind is None:
                sentences.append(f"Special cause variation: {runs_text}.")
            else:
                sentences.append(f"{_headline_prefix(kind)}: {runs_text}.")
        elif centre is None:
            sentences.append(f"Not enough data for control limits yet: {w.count(len(observed))}.")
        else:
            limits = ""
            if lcl[last] is not None or ucl[last] is not None:
                low = w.value(lcl[last]) if lcl[last] is not None else "none"
                limits = f" (control limits {low} to {w.value(ucl[last])})"
            sentences.append(
                f"Common cause variation only: no signal in {w.count(len(idx))}; "
                f"the process is stable around {w.value(centre)}{limits}."
            )
    if target is not None and not is_run and improvement in ("increase", "decrease"):
        lo, hi = lcl[last], ucl[last]
        if lo is not None and hi is not None:
            icon = assurance_icon(target, lo, hi, Improvement(improvement))
            assurance = _assurance_sentence(w, icon, target, lo, hi, "control")
            if assurance:
                sentences.append(assurance)
    if len(result.summary) > 1:
        sentences.append(
            f"The chart has {len(result.summary)} periods; the statements above are about the latest, "
            f"{w.since(idx[0]).replace('since', 'from')}."
        )
    excluded = len(idx) - len(used)
    if excluded:
        verb = "is" if excluded == 1 else "are"
        sentences.append(f"{w.count(excluded)} {verb} excluded from the calculations.")
    return sentences
