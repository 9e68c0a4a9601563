"""When the limits should be recalculated: crafted series with known answers (packages/openqi-spc/docs/spc.md,
"Recalculating the limits")."""

from __future__ import annotations

import pytest
from openqi_spc import RebaseSuggestion, mdc, mdc_from_qic, qic, suggest_rebase

pytestmark = pytest.mark.filterwarnings("ignore::openqi_spc.errors.FewPointsWarning")

# Twenty points of an unremarkable process, then fifteen at a level 8 higher: the shift starts at 20.
BEFORE = [10.0, 11, 9, 10, 12, 9, 11, 10, 9, 11, 10, 12, 9, 10, 11, 10, 9, 11, 10, 11]
AFTER = [18.0, 19, 17, 18, 20, 17, 19, 18, 17, 19, 18, 20, 17, 18, 19]
STEP = BEFORE + AFTER


def test_a_sustained_shift_suggests_recalculating_from_its_first_point() -> None:
    suggestion = suggest_rebase(mdc(STEP))
    assert suggestion == RebaseSuggestion(
        start=20, run_start=20, run_length=15, side=1, points_after=15, change=None, rule="shift"
    )


def test_a_linked_change_just_before_the_run_moves_the_start_to_it() -> None:
    # Changes at 5 (long before), 18 (two points before the run) and 30 (well inside it): 18 is chosen.
    suggestion = suggest_rebase(mdc(STEP), changes=[5, 30, 18])
    assert suggestion is not None
    assert (suggestion.start, suggestion.run_start, suggestion.change) == (18, 20, 2)
    assert suggestion.points_after == 17


def test_the_nearest_change_wins_and_one_just_after_the_run_start_counts() -> None:
    suggestion = suggest_rebase(mdc(STEP), changes=[18, 21])
    assert suggestion is not None and (suggestion.start, suggestion.change) == (21, 1)
    tie = suggest_rebase(mdc(STEP), changes=[21, 19])
    assert tie is not None and (tie.start, tie.change) == (19, 1)


def test_a_change_too_far_from_the_run_is_not_used() -> None:
    suggestion = suggest_rebase(mdc(STEP), changes=[16, 24], snap_within=3)
    assert suggestion is not None and (suggestion.start, suggestion.change) == (20, None)


def test_too_few_points_after_the_change_gives_no_suggestion_yet() -> None:
    eleven = BEFORE + AFTER[:11]
    assert suggest_rebase(mdc(eleven)) is None
    assert suggest_rebase(mdc(eleven), min_points=11) is not None
    assert suggest_rebase(mdc(BEFORE + AFTER[:12])) is not None


def test_a_stable_process_gives_no_suggestion() -> None:
    assert suggest_rebase(mdc(BEFORE + BEFORE)) is None
    assert suggest_rebase(qic(BEFORE + BEFORE, chart="i")) is None


def test_a_shift_that_has_ended_gives_no_suggestion() -> None:
    back = BEFORE + AFTER[:12] + [10.0, 9, 11, 10]
    assert suggest_rebase(mdc(back)) is None


def test_once_recalculated_there_is_nothing_more_to_suggest() -> None:
    assert suggest_rebase(mdc(STEP, rebase=[20])) is None
    # ... and a change before the rebase does not pull the start back into the old period.
    assert suggest_rebase(mdc(STEP, rebase=[20]), changes=[19]) is None


@pytest.mark.parametrize("improvement", ["increase", "decrease", "neutral"])
def test_the_direction_of_improvement_does_not_matter(improvement: str) -> None:
    down = BEFORE + [v - 16 for v in AFTER]
    for series, side in ((STEP, 1), (down, -1)):
        suggestion = suggest_rebase(mdc(series, improvement=improvement))
        assert suggestion is not None and (suggestion.start, suggestion.side) == (20, side)


def test_p_chart_with_varying_denominators() -> None:
    n = [120, 80, 100, 150, 90, 110] * 6
    rates = [0.30] * 20 + [0.55] * 16
    y = [round(d * r) for d, r in zip(n, rates, strict=True)]
    result = mdc_from_qic(qic(y, n=n, chart="p"), "increase", target=0.9)
    suggestion = suggest_rebase(result, changes=[19])
    assert suggestion is not None and (suggestion.start, suggestion.change, suggestion.rule) == (
        19,
        0,
        "shift",
    )


def test_u_chart() -> None:
    n = [40.0, 60, 50, 45, 55] * 7
    rates = [2.0] * 20 + [1.0] * 15
    y = [round(d * r) for d, r in zip(n, rates, strict=True)]
    result = mdc_from_qic(qic(y, n=n, chart="u"), "decrease")
    suggestion = suggest_rebase(result)
    assert suggestion is not None and (suggestion.start, suggestion.side) == (20, -1)


def test_c_chart_needs_twelve_points_after() -> None:
    counts = [4, 6, 5, 3, 5, 7, 4, 5, 6, 4, 5, 3, 6, 5, 4, 6, 5, 4, 5, 6]
    higher = [12, 14, 11, 13, 12, 15, 13, 12, 14, 11]
    assert suggest_rebase(mdc_from_qic(qic(counts + higher, chart="c"))) is None
    longer = suggest_rebase(mdc_from_qic(qic(counts + higher + [13, 12], chart="c")))
    assert longer is not None and longer.start == 20 and longer.points_after == 12


def test_i_chart_with_an_excluded_point_inside_the_run() -> None:
    y = list(STEP)
    y[25] = 40.0
    chart = qic(y, chart="i", exclude=[25])
    suggestion = suggest_rebase(mdc_from_qic(chart), skip=[i == 25 for i in range(len(y))])
    assert suggestion is not None
    assert (suggestion.start, suggestion.run_length, suggestion.points_after) == (20, 14, 14)


def test_a_frozen_baseline_is_not_a_recalculation() -> None:
    # Limits frozen on the first 20 points, then the process moves: the frozen limits no longer
    # describe it, so the suggestion stands (a freeze is not a rebase). Against the baseline mean
    # (10.25) the run above it begins with the last baseline point (11), but a new period does not
    # start inside the baseline.
    frozen = mdc_from_qic(qic(STEP, chart="i", freeze=20), "increase", target=15)
    suggestion = suggest_rebase(frozen, not_before=20)
    assert suggestion is not None and (suggestion.start, suggestion.run_start) == (20, 19)
    assert suggest_rebase(frozen, not_before=20, changes=[19]) == suggestion


def test_qicharts2_style_uses_anhoej_long_runs() -> None:
    chart = qic(STEP, chart="i")
    suggestion = suggest_rebase(chart, changes=[20])
    assert suggestion is not None
    assert (suggestion.start, suggestion.rule, suggestion.change) == (20, "long_run", 0)
    # A run of 7 in 33 points is within Anhøj's limit (longer than 8 signals): no suggestion.
    short = BEFORE + [13.0] * 6 + [10, 11, 9, 10, 12, 9, 11]
    assert suggest_rebase(qic(short, chart="i"), min_points=8) is None


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="min_points"):
        suggest_rebase(mdc(STEP), min_points=0)
    with pytest.raises(ValueError, match="skip"):
        suggest_rebase(mdc(STEP), skip=[False])
