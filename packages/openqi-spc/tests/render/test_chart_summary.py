"""Summary sentences and the data table for constructed cases."""

from __future__ import annotations

from openqi_spc.render import (
    ChartSpec,
    data_table_headers,
    data_table_rows,
    spec_from_mdc,
    spec_from_qic,
    summarise,
)

from render.helpers import months, quiet_mdc, quiet_qic, shifted, stable, weeks

JARGON = ("special cause", "common cause", "limit", "sigma", "mean", "median", "shift", "trend", "Anhøj")


def _plain(head: str) -> None:
    """The first sentence is for anyone: no SPC words."""
    assert not [word for word in JARGON if word.lower() in head.lower()], head


def test_shift_up_with_increase_is_improvement() -> None:
    y = shifted(jump=12)
    sentences = summarise(quiet_mdc(y, x=weeks(len(y)), improvement="increase"), period="weeks", unit="%")
    head = sentences[0]
    assert head.startswith("The measure has been higher than usual since ")
    assert "2024" in head and "a real change for the better, not chance" in head
    _plain(head)
    detail = " ".join(sentences[1:])
    assert "Special cause improvement: " in detail and "weeks in a row above the mean" in detail


def test_shift_up_with_decrease_is_concern() -> None:
    y = shifted(jump=12)
    sentences = summarise(quiet_mdc(y, x=weeks(len(y)), improvement="decrease"), period="weeks")
    assert "a real change for the worse" in sentences[0]
    assert any(s.startswith("Special cause concern: ") for s in sentences[1:])


def test_neutral_direction() -> None:
    y = shifted(jump=12)
    sentences = summarise(quiet_mdc(y, improvement="neutral"))
    assert sentences[0].endswith("a real change, not chance.") and "since point" in sentences[0]
    assert any(
        s.startswith("Special cause variation (neither improvement nor concern)") for s in sentences[1:]
    )


def test_stable_is_common_cause_only() -> None:
    y = stable(40)
    sentences = summarise(quiet_mdc(y, x=weeks(40)), period="weeks", unit="%", decimals=1)
    assert sentences[0].startswith("No sign of a real change: the measure is steady at about ")
    _plain(sentences[0])
    assert sentences[1].startswith("No special cause variation by the Making Data Count rules")
    assert sentences[2].startswith("Mean ") and "over 40 weeks" in sentences[2]


def test_single_point_above_limit() -> None:
    y = stable(30) + [70.0]
    sentences = summarise(quiet_mdc(y, x=months(31)), period="months")
    assert sentences[0].startswith("The latest month (July 2025) is unusually high: a real change")
    assert "Special cause improvement: 1 month above the upper process limit, on July 2025." in sentences


def test_assurance_sentences() -> None:
    y = stable(40)
    inside = summarise(quiet_mdc(y, target=46, improvement="increase"), unit="%")
    assert "in some points but not in others" in inside[0]
    assert any("lies within the process limits" in s and "only some of the time" in s for s in inside)
    fail = summarise(quiet_mdc(y, target=80, improvement="increase"), unit="%")
    assert "It will not meet the target of 80.0% unless the process changes." in fail[0]
    assert any("above the upper process limit" in s and "will not be met" in s for s in fail)
    met = summarise(quiet_mdc(y, target=20, improvement="increase"), unit="%")
    assert "it will meet the target of 20.0% every point" in met[0]
    assert any("below the lower process limit" in s and "met consistently" in s for s in met)


def test_assurance_is_withheld_while_the_limits_should_be_recalculated() -> None:
    y = shifted(jump=12)
    sentences = summarise(
        quiet_mdc(y, x=weeks(len(y)), target=80), period="weeks", unit="%", recalculate_from=24
    )
    assert "can be judged once the limits are recalculated from 17 June 2024" in sentences[0]
    assert not any(s.startswith("Assurance:") for s in sentences)
    assert any(
        s.startswith("Assurance is withheld: the limits span a change in the process") for s in sentences
    )


def test_every_signal_on_the_chart_is_mentioned() -> None:
    y = [60.0] + stable(30)
    result = quiet_mdc(y, x=weeks(31))
    sentences = summarise(result, period="weeks")
    assert sentences[0].startswith("No sign of a real change in the latest ")
    signalled = {i for i, flag in enumerate(result.points.special_cause) if flag}
    mentioned = [s for s in sentences if s.startswith("Special cause")]
    assert len(signalled) >= 2 and "1 week above the upper process limit, on 1 January 2024" in mentioned[0]
    # Each signalled week is in one sentence, by its date.
    for i in signalled:
        day = weeks(31)[i]
        assert any(f"{day.day} {day:%B %Y}" in s for s in mentioned), day


def test_run_chart_shift_and_stable() -> None:
    y = shifted(12, 12, jump=12)
    sentences = summarise(quiet_qic(y, chart="run", x=weeks(24)), period="weeks", improvement="increase")
    assert sentences[0].startswith("The measure has been higher than usual since ")
    assert sentences[1].startswith("Run chart of 24 weeks, Anhøj rules: non-random variation, a shift: ")
    assert "above the median" in sentences[1]
    calm = summarise(quiet_qic(stable(24), chart="run"), period="weeks")
    assert calm[0].startswith("No sign of a real change")
    assert calm[1].startswith("Run chart of 24 weeks, Anhøj rules: random variation only. The longest run ")
    assert "cross the median 10 times" in calm[1]


def test_crossings_are_counted_in_words() -> None:
    y = [10.0] * 12 + [20.0] * 12
    sentences = summarise(quiet_qic(y, chart="i"), period="weeks", improvement="increase")
    assert any("cross the centre line once where at least" in s for s in sentences)
    assert not any("1 times" in s for s in sentences)


def test_control_chart_sentences() -> None:
    y = stable(30) + [70.0]
    sentences = summarise(quiet_qic(y, chart="i"), improvement="decrease", period="days")
    assert sentences[0].startswith("The latest day (day 31) is unusually high: a real change for the worse")
    assert "Special cause concern: 1 day above the upper control limit, at day 31." in sentences
    calm = summarise(quiet_qic(stable(30), chart="i"), period="days")
    assert calm[0].startswith("No sign of a real change")
    assert any(s.startswith("Centre line ") and "control limits" in s for s in calm)


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
