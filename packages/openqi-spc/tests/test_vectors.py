"""Every reference case of vectors-public.json, one test each.

The file is the project's shared oracle (qicharts2 .rds references at full precision, NHSRplotthedots test
expectations, qicharts2's tables). It must exist: a missing file fails the suite rather than skipping it.
Vector conventions: qicharts2 option names, 1-based point indices (``exclude`` included) - translated here
to the Python API (0-based ``exclude``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from openqi_spc import QicPoints, mdc, qic
from openqi_spc.anhoej import box_bounds, longest_run_max, n_crossings_min, runs_signal_for
from openqi_spc.icons import AssuranceIcon, Improvement, assurance_icon
from openqi_spc.rules import (
    part_of_two_in_three,
    shift_ends,
    special_cause_labels,
    trend_ends,
    two_in_three_windows,
)


def _vectors_path() -> Path:
    # A copy lives beside the tests so a clean clone (CI) has it; OPENQI_SHARED_DIR points at a newer
    # shared oracle when one is issued.
    env = os.environ.get("OPENQI_SHARED_DIR")
    if env:
        return Path(env) / "spc" / "vectors-public.json"
    return Path(__file__).resolve().parent / "data" / "vectors-public.json"


VECTORS_PATH = _vectors_path()


def _load() -> list[dict[str, Any]]:
    if not VECTORS_PATH.exists():  # collected as a failing test below, never a silent skip
        return []
    return json.loads(VECTORS_PATH.read_text())  # type: ignore[no-any-return]


VECTORS = _load()
REL = 1e-9  # the .rds numbers are full doubles; NHSRplotthedots snapshots carry 7 significant digits


def test_vectors_file_is_present_and_complete() -> None:
    assert VECTORS_PATH.exists(), f"reference vectors missing: {VECTORS_PATH} (set OPENQI_SHARED_DIR)"
    assert len(VECTORS) >= 16
    ids = [case["id"] for case in VECTORS]
    assert len(ids) == len(set(ids))


def close(actual: Any, expected: Any, rel: float = REL, abs_: float = 1e-12) -> None:
    a = np.asarray(actual, dtype=float)
    e = np.asarray(expected, dtype=float)
    if e.ndim == 0 and a.ndim == 1:
        e = np.full(a.shape, float(e))
    np.testing.assert_allclose(a, e, rtol=rel, atol=abs_, equal_nan=True)


def qic_options(options: dict[str, Any]) -> dict[str, Any]:
    out = {key.replace(".", "_"): value for key, value in options.items()}  # R's y.neg -> y_neg
    if "exclude" in out:
        out["exclude"] = [i - 1 for i in out["exclude"]]
    return out


def check_runs(summary: Any, expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        got = getattr(summary, key)
        assert got == value, f"{key}: got {got}, expected {value}"


def run_qic_case(case: dict[str, Any]) -> None:
    result = qic(case["y"], case.get("n"), case.get("x"), case["chart"], **qic_options(case["options"]))
    points, expected = result.points, case["expected"]
    for key, value in expected.items():
        if key in ("cl", "lcl", "ucl", "lcl_95", "ucl_95"):
            close(getattr(points, key), value)
        elif key == "y_plotted":
            close(points.y, value)
        elif key == "x":
            if all(isinstance(v, int | float) for v in value):
                close(points.x, value)
            else:
                assert [str(v) for v in points.x.tolist()] == [str(v) for v in value]
        elif key == "y_length":
            assert points.y_length.tolist() == value
        elif key == "part":
            assert points.part.tolist() == value
        elif key == "include":
            assert points.include.tolist() == value
        elif key == "sigma_signal_points":
            assert (np.flatnonzero(points.sigma_signal) + 1).tolist() == value
        elif key == "runs":
            assert len(result.summary) == 1
            check_runs(result.summary[0], value)
        elif key.startswith("runs_part"):
            check_runs(result.summary[int(key.removeprefix("runs_part")) - 1], value)
        elif key == "amr_baseline":
            close((points.ucl[0] - points.cl[0]) * 1.128 / 3, value)
        elif key in (
            "n_useful",
            "longest_run",
            "longest_run_max",
            "n_crossings",
            "n_crossings_min",
            "runs_signal",
        ):
            assert getattr(result.summary[0], key) == value, key
        elif key in QicPoints.__dataclass_fields__ and isinstance(value, list):
            close(getattr(points, key), value)
        else:
            raise AssertionError(f"unhandled expected field {key!r} in {case['id']}")


MDC_OPTION_NAMES = {"improvement_direction": "improvement", "screen_outliers": "screen_outliers"}
ICON_NAMES = {"consistent_pass": "consistently_pass", "consistent_fail": "consistently_fail"}


def _icon_code(value: str | None) -> str | None:
    """NHSRplotthedots' icon codes in OpenQI's spelling ("improvement_high" -> "special_cause_...")."""
    if value is None:
        return None
    value = ICON_NAMES.get(value, value)
    if value.startswith(("improvement_", "concern_", "neutral_")):
        return "special_cause_" + value
    return value


def run_xmr_mdc_case(case: dict[str, Any]) -> None:
    x = np.array(case["x"], dtype="datetime64[D]") if case.get("x") else None
    options = {MDC_OPTION_NAMES.get(k, k): v for k, v in case["options"].items()}
    if x is not None and "rebase" in options:
        options["rebase"] = np.array(options["rebase"], dtype="datetime64[D]")
    result = mdc(case["y"], x=x, **options)
    group = result.summary[-1]
    for key, value in case["expected"].items():
        if key in ("variation_icon", "variation_type"):
            assert result.variation_icon.value == _icon_code(value)
        elif key in ("assurance_icon", "assurance_type"):
            icon = result.assurance_icon
            assert (None if icon is None else icon.value) == _icon_code(value)
        elif key == "point_type":
            assert [p.value for p in result.points.point_type] == value
        elif key == "special_cause_type":
            assert list(result.points.special_cause_label) == value
        elif isinstance(value, list):
            close(getattr(result.points, key), value, rel=1e-6, abs_=1e-6)
        else:
            # the snapshot prints 7 significant digits
            assert getattr(group, key) == pytest.approx(value, rel=1e-6, abs=1e-6), key


def run_rule_case(case: dict[str, Any]) -> None:
    expected = case["expected"]
    cid = case["id"]
    if cid == "ptd_rule_seven_point_one_side_mean":
        for sub in expected["cases"]:
            assert shift_ends(sub["input"], 7)[0].astype(int).tolist() == sub["output"]
    elif cid == "ptd_rule_seven_point_trend":
        for sub in expected["cases"]:
            assert trend_ends(sub["input"], 7)[0].tolist() == sub["output"]
    elif cid == "ptd_rule_two_in_three":
        for sub in expected["cases"]:
            if "two_in_three" in sub:
                got = two_in_three_windows(sub["close"], sub["rtm"])[0].astype(int).tolist()
                assert got == sub["two_in_three"], sub
            if "part_of_two_in_three" in sub:
                got = part_of_two_in_three(sub["close"], sub["rtm"])[0].astype(int).tolist()
                assert got == sub["part_of_two_in_three"], sub
    elif cid == "ptd_rule_special_cause_priority":
        inputs = expected["inputs"]
        y = np.asarray(inputs["y"], dtype=float)
        trend = np.asarray(inputs["part_of_trend"]) != 0
        # direction of a trend point: the step to its right when the next point is also in the trend
        from openqi_spc.rules import trend_direction

        labels = special_cause_labels(
            inputs["relative_to_mean"],
            inputs["outside_limits"],
            inputs["part_of_trend"],
            inputs["part_of_two_in_three"],
            inputs["part_of_one_side"],
            trend_direction(y[None, :], trend[None, :])[0],
        )
        assert labels == expected["output"]
    elif cid == "ptd_assurance_icons":
        names = {
            "consistent_pass": AssuranceIcon.CONSISTENTLY_PASS,
            "consistent_fail": AssuranceIcon.CONSISTENTLY_FAIL,
            "inconsistent": AssuranceIcon.INCONSISTENT,
            None: None,
        }
        for direction in ("increase", "decrease", "neutral"):
            for limits, want in zip(expected["limits"], expected[direction], strict=True):
                got = assurance_icon(expected["target"], limits["lpl"], limits["upl"], Improvement(direction))
                assert got == names[want], (direction, limits)
        # the icon uses the limits of the last row (latest rebase group), whatever order groups came in
        for label, want in expected["rebase_order_decrease"].items():
            last = {"(1,5)": (1, 5), "(1,3)": (1, 3), "(5,7)": (5, 7)}[label.rsplit("_", 1)[-1]]
            got = assurance_icon(expected["target"], last[0], last[1], Improvement.DECREASE)
            assert got == names[want]
    else:
        raise AssertionError(f"unhandled rule case {cid}")


def run_table_case(case: dict[str, Any]) -> None:
    expected = case["expected"]
    if "table" in expected:
        for row in expected["table"]:
            n = row["n_useful"]
            assert longest_run_max(n) == row["longest_run_max"], n
            assert n_crossings_min(n) == row["n_crossings_min"], n
        return
    for i, n in enumerate(expected["n"]):
        bounds = box_bounds(n)
        assert bounds is not None
        assert (bounds.cb, bounds.lb) == (expected["cb"][i], expected["lb"][i])
        assert bounds.cbord == expected["cbord"][i] and bounds.lbord == expected["lbord"][i]
        # the decision rules, exercised at the box edges
        assert runs_signal_for(n, bounds.cb, bounds.lb, "bestbox") is False
        assert runs_signal_for(n, bounds.cb - 1, bounds.lb, "bestbox") is True
        assert runs_signal_for(n, bounds.cb, bounds.lb + 1, "bestbox") is True
        if bounds.cbord is not None and bounds.lbord is not None:
            assert runs_signal_for(n, bounds.cb, bounds.lbord, "cutbox") is False
            assert runs_signal_for(n, bounds.cb + 1, bounds.lb - 1, "cutbox") is False
            assert runs_signal_for(n, bounds.cbord, bounds.lb, "cutbox") is False
    assert box_bounds(9) is None and box_bounds(101) is None


@pytest.mark.parametrize("case", VECTORS, ids=[case["id"] for case in VECTORS])
def test_reference_vector(case: dict[str, Any]) -> None:
    chart = case["chart"]
    if chart == "rule":
        run_rule_case(case)
    elif chart == "xmr_mdc":
        run_xmr_mdc_case(case)
    elif case["y"] is None:
        run_table_case(case)
    else:
        run_qic_case(case)
