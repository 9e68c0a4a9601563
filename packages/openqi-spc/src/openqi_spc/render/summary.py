"""Plain-language text for a chart: summary sentences and an accessible data table.

A chart image is not accessible on its own (WCAG 1.1.1); these give the same information as text: what a
QI team would say about the chart in a meeting, and every number behind it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openqi_spc import AssuranceIcon, Improvement, MDCResult, PointType, QicResult, SpecialCauseRule
from openqi_spc.icons import assurance_icon
from openqi_spc.render._format import (
    auto_decimals,
    count_periods,
    date_granularity,
    fmt_value,
    long_label,
    singular,
)
from openqi_spc.render.model import STATUS_TEXT, ChartSpec, PointStatus, XLabel, _x_labels


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
    if any(v is not None for v in (*(spec.lower or ()), *(spec.upper or ()))):
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


def _finite(v: Any) -> float | None:
    f = float(v)
    return f if math.isfinite(f) else None


def times(count: int) -> str:
    """ "once", "twice", "3 times"."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


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

    def named(self, i: int) -> str:
        # A bare number needs the period word ("point 12", "week 12"); dates and text labels do not.
        label = self.labels[i]
        if isinstance(label, int | float) and not isinstance(label, bool):
            return f"{singular(self.period)} {self.when(i)}"
        return self.when(i)

    def since(self, i: int) -> str:
        return f"since {self.named(i)}"

    def on(self, i: int) -> str:
        return f"on {self.named(i)}" if self.granularity != "none" else f"at {self.named(i)}"

    def span(self, first: int, last: int) -> str:
        """When something happened: "on 3 March 2026" or "from 3 March 2026 to 5 May 2026"."""
        return self.on(first) if first == last else f"from {self.named(first)} to {self.named(last)}"

    def value(self, v: float | None) -> str:
        return fmt_value(v, self.decimals, self.unit)

    def count(self, k: int) -> str:
        return count_periods(k, self.period)

    @property
    def each(self) -> str:
        return singular(self.period)


def _kind(high: bool, improvement: str | None) -> str:
    if improvement == "increase":
        return "improvement" if high else "concern"
    if improvement == "decrease":
        return "concern" if high else "improvement"
    return "neutral"


def _kind_name(kind: str) -> str:
    return (
        "Special cause variation (neither improvement nor concern)"
        if kind == "neutral"
        else f"Special cause {kind}"
    )


def _real_change(kind: str) -> str:
    """The plain-language verdict on a signal: a partner reads this first."""
    nature = {"improvement": " for the better", "concern": " for the worse"}.get(kind, "")
    return f"a real change{nature}, not chance"


# --- the first sentence: what is happening, is it real, will the target be met -------------------------


def _target_clause(
    w: _Writer, icon: AssuranceIcon | None, target: float | None, recalculate_from: int | None
) -> str:
    if target is None:
        return ""
    t = w.value(target)
    if recalculate_from is not None:
        return (
            f" Whether it will meet the target of {t} can be judged once the limits are recalculated "
            f"from {w.named(recalculate_from)}."
        )
    if icon is AssuranceIcon.CONSISTENTLY_PASS:
        return f" If nothing changes, it will meet the target of {t} every {w.each}."
    if icon is AssuranceIcon.CONSISTENTLY_FAIL:
        return f" It will not meet the target of {t} unless the process changes."
    if icon is AssuranceIcon.INCONSISTENT:
        return f" It will meet the target of {t} in some {w.period} but not in others."
    return ""


def _headline_of_signal(w: _Writer, kind: str, high: bool, rule: str, first: int, last: int) -> str:
    """What the latest signal means, in words: ``rule`` is "outside", "trend", "near" or "shift"."""
    verdict = _real_change(kind)
    if rule == "outside" and first == last:
        return f"The latest {w.each} ({w.named(last)}) is unusually {'high' if high else 'low'}: {verdict}."
    if rule == "trend":
        return f"The measure has been {'rising' if high else 'falling'} {w.since(first)}: {verdict}."
    if rule == "near":
        return (
            f"The latest {w.period} are close to the {'top' if high else 'bottom'} of the usual range: "
            f"{verdict}."
        )
    return f"The measure has been {'higher' if high else 'lower'} than usual {w.since(first)}: {verdict}."


def _steady_headline(w: _Writer, centre: float | None, quiet: int, total: int) -> str:
    level = f" at about {w.value(centre)}" if centre is not None else ""
    if quiet < total:
        return f"No sign of a real change in the latest {w.count(quiet)}: the measure is steady{level}."
    return (
        f"No sign of a real change: the measure is steady{level}, and its ups and downs are the usual "
        "variation."
    )


# --- Making Data Count (the house style, any chart) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Episode:
    """Consecutive special-cause points of one kind in one limit period: one signal on the chart."""

    kind: str
    points: tuple[int, ...]
    rules: tuple[SpecialCauseRule | None, ...]
    high: bool

    @property
    def rule(self) -> str:
        """The signal's main rule, for its words: outside, trend, near or shift."""
        outside = sum(r is SpecialCauseRule.OUTSIDE_LIMITS for r in self.rules)
        trend = sum(r is SpecialCauseRule.TREND for r in self.rules)
        near = sum(r is SpecialCauseRule.TWO_IN_THREE for r in self.rules)
        if outside == len(self.rules):
            return "outside"
        if trend * 2 > len(self.rules):
            return "trend"
        if near == len(self.rules):
            return "near"
        return "shift"


def _episodes(result: MDCResult, observed: list[int]) -> list[_Episode]:
    p = result.points
    groups = p.rebase_group.tolist()
    near = SpecialCauseRule.TWO_IN_THREE
    out: list[_Episode] = []
    position = {i: k for k, i in enumerate(observed)}
    for i in observed:
        pt = p.point_type[i]
        if pt is PointType.COMMON_CAUSE:
            continue
        label = p.special_cause_label[i]
        high = "Above" in label or "(Increasing)" in label
        kind = _kind_of_point(pt)
        rule = p.special_cause_rule[i]
        last = out[-1] if out else None
        # One signal: neighbouring points, or the two close points of one "2 of 3" window.
        gap = position[i] - position[last.points[-1]] if last is not None else 0
        joined = (
            last is not None
            and last.kind == kind
            and last.high == high
            and groups[last.points[-1]] == groups[i]
            and (gap == 1 or (gap == 2 and rule is near and last.rules[-1] is near))
        )
        if last is not None and joined:
            out[-1] = _Episode(kind, (*last.points, i), (*last.rules, rule), high)
        else:
            out.append(_Episode(kind, (i,), (rule,), high))
    return out


def _episode_sentence(w: _Writer, e: _Episode, mean_word: str, trend: int) -> str:
    upper = "upper" if e.high else "lower"
    side = "above" if e.high else "below"
    k = len(e.points)
    rule = e.rule
    if rule == "outside":
        what = f"{w.count(k)} {side} the {upper} process limit"
    elif rule == "trend":
        what = (
            f"{w.count(k)} in a {'rising' if e.high else 'falling'} trend ({trend} or more in a row, each "
            f"{'higher' if e.high else 'lower'} than the one before)"
        )
    elif rule == "near":
        what = f"{w.count(k)} close to the {upper} process limit (2 of 3 in a row beyond the 2-sigma line)"
    else:
        what = f"{w.count(k)} in a row {side} the {mean_word}"
        outside = sum(r is SpecialCauseRule.OUTSIDE_LIMITS for r in e.rules)
        if outside:
            what += f", {outside} of them {side} the {upper} process limit"
    return f"{_kind_name(e.kind)}: {what}, {w.span(e.points[0], e.points[-1])}."


def _kind_of_point(pt: PointType) -> str:
    if pt is PointType.SPECIAL_CAUSE_IMPROVEMENT:
        return "improvement"
    if pt is PointType.SPECIAL_CAUSE_CONCERN:
        return "concern"
    return "neutral"


def _assurance_sentence(
    w: _Writer, icon: AssuranceIcon | None, target: float, lower: float | None, upper: float | None, word: str
) -> str | None:
    if icon is None or lower is None or upper is None:
        return None
    t = w.value(target)
    if icon is AssuranceIcon.INCONSISTENT:
        return (
            f"Assurance: the target of {t} lies within the {word} limits ({w.value(lower)} to "
            f"{w.value(upper)}), so it will be met only some of the time."
        )
    above = target > upper or (target >= upper and not target <= lower)
    where = (
        f"above the upper {word} limit ({w.value(upper)})"
        if above
        else f"below the lower {word} limit ({w.value(lower)})"
    )
    if icon is AssuranceIcon.CONSISTENTLY_PASS:
        return f"Assurance: the target of {t} lies {where}, so it will be met consistently."
    return (
        f"Assurance: the target of {t} lies {where}, so it will not be met without a change to the process."
    )


def _withheld_sentence(w: _Writer, recalculate_from: int) -> str:
    return (
        "Assurance is withheld: the limits span a change in the process. Recalculate them from "
        f"{w.named(recalculate_from)} to judge the target against the process as it is now."
    )


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
    recalculate_from: int | None = None,
) -> list[str]:
    """What the chart says, in two layers: the first string is for anyone (what is happening, whether it
    is a real change, whether the target will be met); the rest are the technical detail (rules,
    limits, counts), every signal on the chart among them.

    ``improvement`` ("increase", "decrease", "neutral" or None) defaults to the MDC result's; ``target``
    (display units) to the MDC result's target. ``scale`` as in ``spec_from_qic``/``spec_from_mdc``.
    ``recalculate_from``: the 0-based point from which the limits should be recalculated
    (``openqi_spc.suggest_rebase``); the target is then not judged against limits that span a change.
    """
    if percent and not unit:
        unit = "%"
    if isinstance(result, MDCResult):
        if scale is None:
            scale = 100.0 if percent and result.chart in ("p", "pp") else 1.0
        return _summarise_mdc(
            result, x_labels, improvement, period, unit, scale, target, decimals, recalculate_from
        )
    if scale is None:
        scale = 100.0 if percent and result.chart in ("p", "pp") and result.multiply == 1 else 1.0
    return _summarise_qic(
        result, x_labels, improvement, period, unit, scale, target, decimals, recalculate_from
    )


def _summarise_mdc(
    result: MDCResult,
    x_labels: Sequence[XLabel] | None,
    improvement: str | None,
    period: str,
    unit: str,
    scale: float,
    target: float | None,
    decimals: int | None,
    recalculate_from: int | None,
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
    in_group = [i for i in observed if groups[i] == groups[last]]
    g = result.summary[-1]
    centre = _finite(p.mean[last] * scale)
    upl, lpl = _finite(p.upl[last] * scale), _finite(p.lpl[last] * scale)
    median = result.chart in ("run", "g")
    mean_word = "median" if median else "mean"
    if g.points_used_for_limits < g.n:
        mean_word = f"baseline {mean_word}"
    episodes = _episodes(result, observed)
    current = [e for e in episodes if groups[e.points[0]] == groups[last]]

    # The first layer.
    latest = current[-1] if current and current[-1].points[-1] == last else None
    if latest is not None:
        first = latest.points[0]
        head = _headline_of_signal(w, latest.kind, latest.high, latest.rule, first, last)
    else:
        quiet = [i for i in in_group if not current or i > current[-1].points[-1]]
        head = _steady_headline(w, centre, len(quiet), len(in_group))
    if target is None and result.target is not None:
        target = result.target * scale
    icon: AssuranceIcon | None = None
    if target is not None and improvement in ("increase", "decrease") and lpl is not None and upl is not None:
        if result.target is not None and math.isclose(target, result.target * scale):
            icon = result.assurance_icon
        elif result.chart not in ("run", "t", "g"):
            icon = assurance_icon(target, lpl, upl, Improvement(improvement))
    judged = target if improvement in ("increase", "decrease") else None
    if result.chart == "run" and judged is not None and recalculate_from is None:
        head += f" There are not yet enough {period} to judge the target of {w.value(judged)}."
    else:
        head += _target_clause(w, icon, judged, recalculate_from)
    sentences = [head]

    # The second layer: every signal, the limits, the target, then caveats.
    if episodes:
        sentences += [_episode_sentence(w, e, mean_word, _trend_length(result)) for e in episodes]
    elif centre is not None:
        sentences.append(
            "No special cause variation by the Making Data Count rules: no point outside the process "
            f"limits, no run of 7 on one side of the {mean_word}, no trend of 7, no 2 of 3 close to a limit."
        )
    if centre is not None:
        sentences.append(_lines_sentence(w, result, centre, lpl, upl, mean_word, len(in_group)))
    if recalculate_from is not None and judged is not None:
        sentences.append(_withheld_sentence(w, recalculate_from))
    elif judged is not None:
        assurance = _assurance_sentence(w, icon, judged, lpl, upl, "process")
        if assurance:
            sentences.append(assurance)
    if len(result.summary) > 1:
        sentences.append(
            f"The limits were recalculated from {w.named(in_group[0])}; the mean and limits above are "
            "those of the latest period."
        )
    if centre is not None and upl is not None and g.points_used_for_limits < 12:
        sentences.append(
            f"The limits rest on only {w.count(g.points_used_for_limits)}, so treat them as provisional."
        )
    return sentences


def _trend_length(result: MDCResult) -> int:
    label = next((lab for lab in result.points.special_cause_label if "Point Trend" in lab), "7 Point Trend")
    return int(label.split(" ", 1)[0])


def _lines_sentence(
    w: _Writer,
    result: MDCResult,
    centre: float,
    lpl: float | None,
    upl: float | None,
    mean_word: str,
    n: int,
) -> str:
    name = mean_word[0].upper() + mean_word[1:]
    if upl is None:
        return f"{name} {w.value(centre)} over {w.count(n)}; no process limits are drawn for this chart."
    low = w.value(lpl) if lpl is not None else "none"
    varying = result.chart in ("p", "pp", "u", "up", "xbar", "s")
    limits = f"process limits {low} to {w.value(upl)}"
    if varying:
        limits += f" for the latest {w.each} (they vary with each {w.each}'s denominator)"
    return f"{name} {w.value(centre)}, {limits}, over {w.count(n)}."


# --- qicharts2 (an option per measure) -----------------------------------------------------------------


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


def _summarise_qic(
    result: QicResult,
    x_labels: Sequence[XLabel] | None,
    improvement: str | None,
    period: str,
    unit: str,
    scale: float,
    target: float | None,
    decimals: int | None,
    recalculate_from: int | None,
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
    if not all(p.baseline.tolist()):
        centre_word = f"baseline {centre_word}"

    long_run: tuple[int, int, int] | None = None
    runs_bits: list[str] = []
    if summary.runs_signal and summary.longest_run is not None:
        if summary.longest_run_max is not None and summary.longest_run > summary.longest_run_max:
            long_run = _signal_run(y, cl, used, summary.longest_run_max)
            start, length, side = long_run
            runs_bits.append(
                f"a shift: {w.count(length)} in a row {'above' if side > 0 else 'below'} the "
                f"{centre_word} {w.since(start)} (with {summary.n_useful} useful points, a run longer "
                f"than {summary.longest_run_max} is unlikely by chance)"
            )
        if (
            summary.n_crossings is not None
            and summary.n_crossings_min is not None
            and summary.n_crossings < summary.n_crossings_min
        ):
            runs_bits.append(
                f"too few crossings: the data cross the {centre_word} {times(summary.n_crossings)} where "
                f"at least {summary.n_crossings_min} crossings are expected by chance"
            )
    runs_text = " and ".join(runs_bits)
    sigma = [i for i in idx if p.sigma_signal[i] and y[i] is not None]
    high = [i for i in sigma if _above(y[i], ucl[i])]
    low = [i for i in sigma if i not in high]

    # The first layer.
    if last in sigma:
        first = last
        for j in reversed([i for i in idx if i < last]):
            if j not in sigma or (j in high) != (last in high):
                break
            first = j
        head = _headline_of_signal(w, _kind(last in high, improvement), last in high, "outside", first, last)
    elif long_run is not None and y[last] is not None and centre is not None and y[last] != centre:
        now_high = (y[last] or 0) > centre
        head = _headline_of_signal(w, _kind(now_high, improvement), now_high, "shift", long_run[0], last)
    elif runs_text:
        head = (
            f"The data do not vary at random around the {centre_word}: something has changed, not by chance."
        )
    else:
        head = _steady_headline(w, centre, len(idx), len(idx))
    judged = target if improvement in ("increase", "decrease") else None
    icon = None
    if judged is not None and not is_run and lcl[last] is not None and ucl[last] is not None:
        icon = assurance_icon(
            judged, lcl[last] or 0.0, ucl[last] or 0.0, Improvement(improvement or "increase")
        )
    if is_run and judged is not None and recalculate_from is None:
        head += f" There are not yet enough {period} to judge the target of {w.value(judged)}."
    else:
        head += _target_clause(w, icon, judged, recalculate_from)
    sentences = [head]

    # The second layer.
    if is_run:
        if runs_text:
            sentences.append(
                f"Run chart of {w.count(summary.n_obs)}, Anhøj rules: non-random variation, {runs_text}."
            )
        elif summary.longest_run is None:
            sentences.append(
                f"Run chart of {w.count(summary.n_obs)}: too few points off the median for the runs rules."
            )
        else:
            sentences.append(
                f"Run chart of {w.count(summary.n_obs)}, Anhøj rules: random variation only. The longest "
                f"run is {summary.longest_run} (more than {summary.longest_run_max} would signal a shift) "
                f"and the data cross the median {times(summary.n_crossings or 0)} (at least "
                f"{summary.n_crossings_min} crossings expected); the median is {w.value(centre)}."
            )
        if summary.n_useful < 10:
            sentences.append(
                f"With {w.count(summary.n_useful)} off the median, "
                "the runs rules can detect only large changes."
            )
    else:
        for side, points in sorted(((True, high), (False, low)), key=lambda sp: sp[1][:1]):
            if not points:
                continue
            kind = _kind(side, improvement)
            limit = "above the upper control limit" if side else "below the lower control limit"
            when = w.on(points[0]) if len(points) == 1 else f"{w.span(points[0], points[-1])}"
            sentences.append(f"{_kind_name(kind)}: {w.count(len(points))} {limit}, {when}.")
        if runs_text:
            sentences.append(f"Runs analysis (Anhøj rules): {runs_text}.")
        if not sigma and not runs_text and centre is not None:
            sentences.append(
                "No signal: no point outside the control limits and no runs signal (Anhøj rules)."
            )
        if centre is None:
            sentences.append(f"Not enough data for control limits yet: {w.count(len(observed))}.")
        else:
            bounds = ""
            if lcl[last] is not None or ucl[last] is not None:
                lo_text = w.value(lcl[last]) if lcl[last] is not None else "none"
                bounds = f", control limits {lo_text} to {w.value(ucl[last])}"
            name = centre_word[0].upper() + centre_word[1:]
            sentences.append(f"{name} {w.value(centre)}{bounds}, over {w.count(len(idx))}.")
    if judged is not None and not is_run:
        if recalculate_from is not None:
            sentences.append(_withheld_sentence(w, recalculate_from))
        else:
            lo, hi = lcl[last], ucl[last]
            assurance = _assurance_sentence(w, icon, judged, lo, hi, "control")
            if assurance:
                sentences.append(assurance)
    if len(result.summary) > 1:
        sentences.append(
            f"The chart has {len(result.summary)} periods; the statements above are about the latest, "
            f"from {w.named(idx[0])}."
        )
    excluded = len(idx) - len(used)
    if excluded:
        verb = "is" if excluded == 1 else "are"
        sentences.append(f"{w.count(excluded)} {verb} excluded from the calculations.")
    return sentences


def _above(v: float | None, limit: float | None) -> bool:
    return v is not None and limit is not None and v > limit
