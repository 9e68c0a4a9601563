"""Summary sentences and the data table for constructed cases."""

from __future__ import annotations

from openqi.charts import (
    ChartSpec,
    data_table_headers,
    data_table_rows,
    spec_from_mdc,
    spec_from_qic,
    summarise,
)
from openqi.charts.tests.helpers import months, quiet_mdc, quiet_qic, shifted, stable, weeks


def test_shift_up_with_increase_is_improvement() -> None:
    y = shifted(jump=12)
    sentences = summarise(quiet_mdc(y, x=weeks(len(y)), improvement="increase"), period="weeks", unit="%")
    head = sentences[0]
    assert head.startswith("Special cause improvement: ")
    assert "weeks" in head and "above" in head and "since " in head and "2024" in head


def test_shift_up_with_decrease_is_concern() -> None:
    y = shifted(jump=12)
    head = summarise(quiet_mdc(y, x=weeks(len(y)), improvement="decrease"), period="weeks")[0]
    assert head.startswith("Special cause concern: ")


def test_neutral_direction() -> None:
    y = shifted(jump=12)
    head = summarise(quiet_mdc(y, improvement="neutral"))[0]
    assert head.startswith("Special cause variation (neither improvement nor concern)")
    assert "since point" in head


def test_stable_is_common_cause_only() -> None:
    y = stable(40)
    sentences = summarise(quiet_mdc(y, x=weeks(40)), period="weeks", unit="%", decimals=1)
    assert sentences[0].startswith(
        "Common cause variation only: no signal in 40 weeks; the process is stable"
    )
    assert sentences[0].endswith("%.")


def test_single_point_above_limit() -> None:
    y = stable(30) + [70.0]
    head = summarise(quiet_mdc(y, x=months(31)), period="months")[0]
    assert head.startswith("Special cause improvement: the latest month (")
    assert "above the upper process limit" in head


def test_assurance_sentences() -> None:
    y = stable(40)
    inside = summarise(quiet_mdc(y, target=46, improvement="increase"), unit="%")
    assert any("lies within the process limits" in s and "only some of the time" in s for s in inside)
    fail = summarise(quiet_mdc(y, target=80, improvement="increase"), unit="%")
    assert any("above the upper process limit" in s and "will not be met" in s for s in fail)
    met = summarise(quiet_mdc(y, target=20, improvement="increase"), unit="%")
    assert any("below the lower process limit" in s and "met consistently" in s for s in met)


def test_common_cause_after_earlier_signal_mentions_it() -> None:
    y = [60.0] + stable(30)
    sentences = summarise(quiet_mdc(y, x=weeks(31)), period="weeks")
    assert sentences[0].startswith("Common cause variation: no signal in the latest ")
    assert "(since " in sentences[0]
    earlier = [s for s in sentences if s.startswith("Earlier in this period: ")]
    assert len(earlier) == 1 and "improvement" in earlier[0] and "the last on " in earlier[0]


def test_run_chart_shift_and_stable() -> None:
    y = shifted(12, 12, jump=12)
    sentences = summarise(quiet_qic(y, chart="run", x=weeks(24)), period="weeks", improvement="increase")
    assert sentences[0].startswith("Run chart: 24 weeks; non-random variation, a shift: ")
    assert "above the median" in sentences[0] and "improving" in sentences[0]
    calm = summarise(quiet_qic(stable(24), chart="run"), period="weeks")
    assert calm[0].startswith("Run chart: 24 weeks; random variation only: the longest run is ")
    assert "crosses" not in calm[0] and "cross the median" in calm[0]


def test_control_chart_sentences() -> None:
    y = stable(30) + [70.0]
    head = summarise(quiet_qic(y, chart="i"), improvement="decrease", period="days")[0]
    assert head.startswith("Special cause concern: 1 day above the upper control limit")
    calm = summarise(quiet_qic(stable(30), chart="i"), period="days")
    assert calm[0].startswith("Common cause variation only: no signal in 30 days")
    assert "control limits" in calm[0]


def test_p_chart_percent_scaling() -> None:
    y = [40 + (i % 5) for i in range(24)]
    result = quiet_qic(y, n=[100] * 24, chart="p")
    head = summarise(result, percent=True, period="months")[0]
    assert "%" in head and "0.4" not in head
    spec = spec_from_qic(result, title="p", percent=True)
    assert spec.centre is not None and 40 < (spec.centre[0] or 0) < 45


def test_no_data() -> None:
    assert summarise(quiet_qic([None, None, None], chart="run"), period="weeks")[0].startswith("No data yet")


def test_data_table_rows() -> None:
    y = stable(30) + [70.0]
    spec = spec_from_mdc(
        quiet_mdc(y, x=months(31)), title="t", unit="%", annotations=[(30, 1, "Outreach"), (30, 2, "Audit")]
    )
    rows = data_table_rows(spec)
    assert len(rows) == 31
    assert rows[0].period == "January 2023"
    last = rows[-1]
    assert last.value.endswith("%") and last.centre and last.lower and last.upper
    assert last.signal.startswith("Special cause improvement")
    assert last.annotations == "1. Outreach; 2. Audit"
    assert [key for key, _ in data_table_headers(spec)] == [
        "period",
        "value",
        "centre",
        "lower",
        "upper",
        "signal",
        "annotations",
    ]
    assert dict(data_table_headers(spec))["centre"] == "Mean"


def test_data_table_for_a_plain_run_chart_and_excluded_points() -> None:
    spec = ChartSpec(title="t", x=["A", "B"], y=[1.0, None], excluded=[False, True])
    rows = data_table_rows(spec)
    assert rows[1].value == "" and rows[1].signal == "Excluded from calculations"
    assert [key for key, _ in data_table_headers(spec)] == ["period", "value", "signal", "annotations"]
