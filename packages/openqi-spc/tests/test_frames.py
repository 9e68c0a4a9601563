"""DataFrames in and out: qicharts2's and NHSRplotthedots' column names, facets, long tables for batches."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pytest
from openqi_spc import ColumnError, MDCFrames, QicFrames, mdc, mdc_batch, qic, qic_batch

QIC_POINT_COLUMNS = [
    "facet1",
    "part",
    "x",
    "y",
    "n",
    "y.length",
    "cl",
    "lcl",
    "ucl",
    "lcl.95",
    "ucl.95",
    "runs.signal",
    "sigma.signal",
    "include",
    "baseline",
]
QIC_SUMMARY_COLUMNS = [
    "facet1",
    "part",
    "n.obs",
    "n.useful",
    "longest.run",
    "longest.run.max",
    "n.crossings",
    "n.crossings.min",
    "runs.signal",
    "aLCL.95",
    "aLCL",
    "CL",
    "aUCL",
    "aUCL.95",
    "sigma.signal",
]


@pytest.fixture
def weekly() -> pd.DataFrame:
    rng = np.random.default_rng(20)
    weeks = [dt.date(2024, 1, 1) + dt.timedelta(weeks=i) for i in range(26)]
    frames = []
    for service, rate in (("Talking therapies", 0.55), ("Addictions", 0.4)):
        started = rng.integers(40, 80, size=26)
        frames.append(
            pd.DataFrame(
                {
                    "week": weeks,
                    "started": started,
                    "completed": rng.binomial(started, rate),
                    "service": service,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def as_polars(frame: pd.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({name: frame[name].tolist() for name in frame.columns})


def test_qic_with_a_dataframe_and_facets_matches_the_array_engine(weekly: pd.DataFrame) -> None:
    result = qic(data=weekly, x="week", y="completed", n="started", chart="p", facets="service")
    assert isinstance(result, QicFrames)
    points, summary = result.points, result.summary
    assert isinstance(points, pd.DataFrame)
    assert list(points.columns) == QIC_POINT_COLUMNS
    assert list(summary.columns) == QIC_SUMMARY_COLUMNS
    assert list(summary["facet1"]) == ["Talking therapies", "Addictions"]
    for service in ("Talking therapies", "Addictions"):
        rows = weekly[weekly.service == service]
        alone = qic(rows.completed.to_numpy(), rows.started.to_numpy(), rows.week.to_numpy(), chart="p")
        mine = points[points.facet1 == service]
        np.testing.assert_allclose(mine["ucl"], alone.points.ucl)
        np.testing.assert_allclose(mine["cl"], alone.points.cl)
        assert list(mine["sigma.signal"]) == alone.points.sigma_signal.tolist()
        row = summary[summary.facet1 == service].iloc[0]
        assert row["n.crossings"] == alone.summary[0].n_crossings
        assert row["sigma.signal"] == alone.summary[0].sigma_signals
        assert result.result(service).points.y.tolist() == alone.points.y.tolist()


def test_qic_columns_may_be_arrays_and_repeated_x_values_aggregate() -> None:
    frame = pd.DataFrame({"day": [1, 1, 2, 2, 3, 3], "value": [1.0, 3.0, 2.0, 4.0, 5.0, 7.0]})
    result = qic(data=frame, x="day", y=frame["value"].to_numpy(), chart="xbar")
    assert result.points["y"].tolist() == [2.0, 3.0, 6.0]
    assert result.points["y.length"].tolist() == [2, 2, 2]
    assert "facet1" not in result.points.columns


def test_a_plain_result_converts_to_dataframes() -> None:
    frames = qic([3.0, 5.0, 4.0, 6.0, 5.0, 7.0, 6.0, 8.0, 7.0, 9.0], chart="i").to_pandas()
    assert list(frames.summary.columns) == QIC_SUMMARY_COLUMNS[1:]
    assert frames.summary["n.obs"].tolist() == [10]


def test_polars_in_polars_out(weekly: pd.DataFrame) -> None:
    frame = as_polars(weekly)
    result = qic(data=frame, x="week", y="completed", n="started", chart="pp", facets="service")
    assert isinstance(result.points, pl.DataFrame)
    assert result.points.columns == QIC_POINT_COLUMNS
    expected = qic(data=weekly, x="week", y="completed", n="started", chart="pp", facets="service")
    np.testing.assert_allclose(result.points["ucl"].to_numpy(), expected.points["ucl"].to_numpy())


def test_a_dict_of_columns_gives_pandas() -> None:
    result = qic(data={"v": [1.0, 2.0, 3.0, 2.0, 1.0]}, y="v", chart="run")
    assert isinstance(result.points, pd.DataFrame)


def test_a_missing_column_is_a_typed_error_naming_the_columns(weekly: pd.DataFrame) -> None:
    with pytest.raises(
        ColumnError, match=r"y column 'done' is not in the data; its columns are: week, started"
    ):
        qic(data=weekly, x="week", y="done", chart="i")
    with pytest.raises(ColumnError, match="facet column 'team'"):
        qic(data=weekly, y="completed", chart="i", facets="team")


def test_text_in_a_number_column_names_the_row() -> None:
    frame = pd.DataFrame({"v": ["1", "2", "three", "4"]})
    with pytest.raises(ColumnError, match=r"row 2: 'three'"):
        qic(data=frame, y="v", chart="i")


def test_an_error_in_one_facet_names_it(weekly: pd.DataFrame) -> None:
    broken = weekly.copy()
    broken.loc[broken.index[-1], "completed"] = 500  # above its denominator
    with pytest.raises(ValueError, match="facet Addictions: P chart numerator above its denominator"):
        qic(data=broken, x="week", y="completed", n="started", chart="p", facets="service")


def test_mdc_with_a_dataframe_has_nhsrplotthedots_columns(weekly: pd.DataFrame) -> None:
    result = mdc(data=weekly, x="week", y="completed", facets="service", target={"Addictions": 60})
    assert isinstance(result, MDCFrames)
    points, summary = result.points, result.summary
    assert list(points.columns)[:4] == ["f", "x", "y", "rebase_group"]
    for name in ("mean", "lpl", "upl", "outside_limits", "relative_to_mean", "close_to_limits", "trend"):
        assert name in points.columns
    assert {"special_cause_flag", "point_type", "two_in_three", "target"} <= set(points.columns)
    assert list(summary.columns) == [
        "f",
        "rebase_group",
        "mean",
        "lpl",
        "upl",
        "n",
        "common_cause",
        "special_cause_improvement",
        "special_cause_concern",
        "variation_type",
        "assurance_type",
    ]
    addictions = weekly[weekly.service == "Addictions"]
    alone = mdc(addictions.completed.to_numpy(), addictions.week.to_numpy(), target=60)
    row = summary[summary.f == "Addictions"].iloc[0]
    assert row["upl"] == pytest.approx(alone.summary[0].upl)
    assert row["assurance_type"] == alone.assurance_icon.value
    assert pd.isna(summary[summary.f == "Talking therapies"].iloc[0]["assurance_type"])
    assert points[points.f == "Addictions"]["point_type"].tolist() == [
        p.value for p in alone.points.point_type
    ]


def test_batch_accepts_a_long_table_with_a_group_column(weekly: pd.DataFrame) -> None:
    shuffled = weekly.sample(frac=1.0, random_state=3)  # rows out of order: x puts them back
    batch = qic_batch(data=shuffled, y="completed", n="started", series_id="service", x="week", chart="p")
    summary = batch.summary_frame()
    assert list(summary.columns)[:2] == ["service", "n.obs"]
    for service in ("Talking therapies", "Addictions"):
        rows = weekly[weekly.service == service]
        alone = qic(rows.completed.to_numpy(), rows.started.to_numpy(), chart="p")
        np.testing.assert_allclose(batch.ucl[batch.index(service), :26], alone.points.ucl)
        assert summary[summary.service == service]["sigma.signal"].iloc[0] == alone.summary[0].sigma_signals
    points = batch.points_frame()
    assert len(points) == len(weekly)
    assert {"service", "x", "y", "cl", "ucl", "sigma.signal"} <= set(points.columns)
    addictions = points[points.service == "Addictions"]
    assert list(addictions.x) == sorted(weekly.week.unique())  # the x column, in order
    expected = weekly[weekly.service == "Addictions"].sort_values("week")
    np.testing.assert_allclose(addictions.y, expected.completed / expected.started)


def test_mdc_batch_accepts_a_long_table(weekly: pd.DataFrame) -> None:
    batch = mdc_batch(data=as_polars(weekly), y="completed", series_id="service", x="week", target=30)
    summary = batch.summary_frame()
    assert isinstance(summary, pl.DataFrame)
    rows = weekly[weekly.service == "Addictions"]
    alone = mdc(rows.completed.to_numpy(), target=30)
    row = summary.filter(pl.col("service") == "Addictions").row(0, named=True)
    assert row["variation_type"] == alone.variation_icon.value
    assert row["assurance_type"] == alone.assurance_icon.value
    assert row["upl"] == pytest.approx(alone.summary[0].upl)
