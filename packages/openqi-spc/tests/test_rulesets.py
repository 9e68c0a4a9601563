"""Western Electric (1956; Montgomery 5.3.6) and Nelson (1984) rules on the patterns their texts describe.

Values are in sigma units around a centre of 0 (cl = 0, sigma = 1) unless a test says otherwise; each test
builds the smallest pattern that must signal, checks the signal falls on the point completing it, and
checks the pattern one point short (or broken) does not signal.
"""

from __future__ import annotations

import numpy as np
import pytest
from openqi_spc import OptionError, check_rules, qic, zone_rules

QUIET = [0.3, -0.4, 0.2, -0.1, 0.5, -0.3]  # inside 1 sigma, alternating sides, no trend


def signals(values: list[float], ruleset: str, code: str) -> list[int]:
    return np.flatnonzero(zone_rules(values, 0.0, 1.0, ruleset).signals[code]).tolist()


@pytest.mark.parametrize(("ruleset", "code"), [("western_electric", "WE1"), ("nelson", "N1")])
def test_one_point_beyond_three_sigma(ruleset: str, code: str) -> None:
    assert signals([*QUIET, 3.2, *QUIET], ruleset, code) == [6]
    assert signals([*QUIET, -3.01], ruleset, code) == [6]
    assert signals([*QUIET, 3.0], ruleset, code) == []  # on the limit is not beyond it


@pytest.mark.parametrize(("ruleset", "code"), [("western_electric", "WE2"), ("nelson", "N5")])
def test_two_of_three_beyond_two_sigma_same_side(ruleset: str, code: str) -> None:
    assert signals([*QUIET, 2.5, 0.1, 2.2], ruleset, code) == [8]
    assert signals([*QUIET, 2.5, 2.2], ruleset, code) == [7]
    assert signals([*QUIET, 2.5, 0.1, -2.2], ruleset, code) == []  # opposite sides
    assert signals([*QUIET, 2.5, 0.1, 0.2, 2.2], ruleset, code) == []  # two of four, not of three


@pytest.mark.parametrize(("ruleset", "code"), [("western_electric", "WE3"), ("nelson", "N6")])
def test_four_of_five_beyond_one_sigma_same_side(ruleset: str, code: str) -> None:
    assert signals([*QUIET, -1.5, -1.2, 0.5, -1.1, -1.9], ruleset, code) == [10]
    assert signals([*QUIET, 1.5, 1.2, 0.5, 1.1, 0.9], ruleset, code) == []  # only three beyond


def test_western_electric_eight_on_one_side_nelson_nine() -> None:
    eight = [*QUIET, *[0.4] * 8]
    assert signals(eight, "western_electric", "WE4") == [13]
    assert signals(eight, "nelson", "N2") == []
    nine = [*QUIET, *[0.4] * 9]
    assert signals(nine, "nelson", "N2") == [14]
    broken = [*QUIET, *[0.4] * 4, 0.0, *[0.4] * 4]  # a point on the centre line breaks the run
    assert signals(broken, "western_electric", "WE4") == []


def test_nelson_six_points_steadily_increasing_or_decreasing() -> None:
    assert signals([0.0, -0.5, -0.4, -0.2, 0.0, 0.3, 0.6], "nelson", "N3") == [6]
    assert signals([0.5, 0.4, 0.2, 0.1, -0.1, -0.3], "nelson", "N3") == [5]
    assert signals([-0.5, -0.4, -0.2, -0.2, 0.0, 0.3, 0.6], "nelson", "N3") == []  # a tie breaks it
    assert signals([-0.4, -0.2, 0.0, 0.3, 0.6], "nelson", "N3") == []  # five points


def test_nelson_fourteen_alternating() -> None:
    zigzag = [0.5 if i % 2 else -0.5 for i in range(14)]
    assert signals(zigzag, "nelson", "N4") == [13]
    assert signals(zigzag[:13], "nelson", "N4") == []


def test_nelson_fifteen_within_one_sigma() -> None:
    hugging = [0.5, -0.5] * 7 + [0.2]
    assert signals(hugging, "nelson", "N7") == [14]
    assert signals(hugging[:14], "nelson", "N7") == []


def test_nelson_eight_beyond_one_sigma_either_side() -> None:
    mixture = [1.5, -1.5] * 4
    assert signals(mixture, "nelson", "N8") == [7]
    assert signals([*mixture[:7], 0.5], "nelson", "N8") == []


def test_signals_continue_while_the_pattern_does() -> None:
    assert signals([*[0.4] * 10], "western_electric", "WE4") == [7, 8, 9]


def test_missing_values_break_patterns() -> None:
    values = [*[0.4] * 4, float("nan"), *[0.4] * 4]
    assert signals(values, "western_electric", "WE4") == []


def test_on_a_qic_chart_parts_are_tested_apart_and_sigma_comes_from_the_limits() -> None:
    values = [10.0, 12.0, 8.0, 11.0, 9.0, 10.0, 12.0, 8.0, 11.0, 9.0, 10.0, 12.0]
    raised = [v + 0.5 for v in values]
    result = qic(values + raised[:6] + raised[6:], chart="i", part=[12])
    check = check_rules(result, "western_electric")
    assert not check.signals["WE4"].any()  # each part has its own centre line
    whole = check_rules(qic([*values, *[13.0] * 8], chart="i"), "western_electric")
    assert whole.first("WE4") == 18  # the last 12.0 (index 11) is above the mean of 11.3 and opens the run
    # sigma is (ucl - cl) / 3: the same zones as zone_rules with that sigma
    result = qic([*values, 40.0], chart="i")
    sigma = (result.points.ucl[0] - result.points.cl[0]) / 3
    direct = zone_rules(result.points.y, result.points.cl[0], sigma, "nelson")
    assert check_rules(result, "nelson").signals["N1"].tolist() == direct.signals["N1"].tolist()


def test_excluded_points_do_not_join_a_pattern() -> None:
    values = [10.0, 12.0, 8.0, 11.0, 9.0, 10.0, 12.0, 8.0, 11.0, 9.0, 10.0, 12.0, *[13.0] * 8]
    excluded = check_rules(qic(values, chart="i", exclude=[15]), "western_electric")
    assert not excluded.signals["WE4"].any()


def test_records_list_the_codes_at_each_point() -> None:
    records = zone_rules([*QUIET, 3.5], 0, 1, "nelson").to_records()
    assert records[-1] == {"point": 6, "rules": ["N1"]}
    assert records[0] == {"point": 0, "rules": []}


def test_unknown_ruleset_and_run_charts_are_refused() -> None:
    with pytest.raises(OptionError, match="ruleset must be one of western_electric, nelson"):
        zone_rules([1.0], 0, 1, "wheeler")
    with pytest.raises(OptionError, match="zone tests need a control chart"):
        check_rules(qic([1.0, 2.0, 3.0]), "nelson")
