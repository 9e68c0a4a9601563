"""ChartSpec normalisation and the builders' mapping of engine results."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from openqi_spc.render import ChartSpec, PointStatus, spec_from_mdc, spec_from_qic

from render.helpers import quiet_mdc, quiet_qic, shifted, stable, weeks


def test_spec_normalises_missing_values_and_arrays() -> None:
    spec = ChartSpec(title="t", x=np.arange(3), y=np.array([1.0, np.nan, 3.0]), centre=[2, None, math.inf])  # type: ignore[arg-type]
    assert spec.y == (1.0, None, 3.0)
    assert spec.centre == (2.0, None, None)
    assert spec.status == (PointStatus.COMMON,) * 3
    assert spec.excluded == (False,) * 3
    assert spec.x == (0, 1, 2)


def test_spec_validates_lengths_and_indices() -> None:
    with pytest.raises(ValueError, match="centre"):
        ChartSpec(title="t", x=[1, 2], y=[1.0, 2.0], centre=[1.0])
    with pytest.raises(ValueError, match="annotation"):
        ChartSpec(title="t", x=[1, 2], y=[1.0, 2.0], annotations=[(5, 1, "x")])
    with pytest.raises(ValueError, match="improvement"):
        ChartSpec(title="t", x=[1], y=[1.0], improvement="up")


def test_parts_from_rebase() -> None:
    spec = ChartSpec(
        title="t", x=list(range(6)), y=[1.0] * 6, rebase=[2, 4, 0, 99], runs_signal=[False, True]
    )
    assert spec.rebase == (2, 4)
    assert spec.part == (1, 1, 2, 2, 3, 3)
    assert spec.part_has_runs_signal(2) and not spec.part_has_runs_signal(3)


def test_spec_from_qic_maps_sigma_signals_by_direction() -> None:
    y = stable(30) + [70.0, 20.0]
    result = quiet_qic(y, x=weeks(32), chart="i")
    up = spec_from_qic(result, title="t", improvement="increase")
    assert up.status[-2] is PointStatus.IMPROVEMENT and up.status[-1] is PointStatus.CONCERN
    down = spec_from_qic(result, title="t", improvement="decrease")
    assert down.status[-2] is PointStatus.CONCERN and down.status[-1] is PointStatus.IMPROVEMENT
    neutral = spec_from_qic(result, title="t")
    assert neutral.status[-1] is PointStatus.NEUTRAL
    assert up.x[0] == weeks(1)[0] and up.chart == "i" and up.centre_label == "Centre line"
    assert up.signal_text is not None and "above the upper control limit" in up.signal_text[-2]


def test_spec_from_qic_run_chart_has_no_limits() -> None:
    spec = spec_from_qic(quiet_qic(stable(20), chart="run"), title="t")
    assert spec.upper is None and spec.lower is None and spec.centre_label == "Median"


def test_spec_from_mdc_maps_point_types_and_target() -> None:
    y = shifted(jump=12)
    result = quiet_mdc(y, improvement="increase", target=50)
    spec = spec_from_mdc(result, title="t", scale=1)
    types = [t.value for t in result.points.point_type]
    assert [s.value for s in spec.status] == [
        {"common_cause": "common", "special_cause_improvement": "improvement"}.get(t, "concern")
        for t in types
    ]
    assert spec.target == 50 and spec.improvement == "increase" and spec.centre_label == "Mean"
    assert spec.signal_text is not None
    assert any("part of a run above the mean" in s for s in spec.signal_text)


def test_package_does_not_import_django() -> None:
    code = "import sys, openqi_spc.render; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    # A fresh interpreter: this test process has Django loaded by pytest-django already.
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0  # noqa: S603
