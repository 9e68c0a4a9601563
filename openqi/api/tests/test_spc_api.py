"""The SPC engine as a service: a posted series is analysed exactly as a measure holding the same data
(same engines, limits, signals, icons and words), and bad series are 422 problems naming the field."""

from __future__ import annotations

import pytest

from openqi.api.tests.helpers import API, ApiClient
from openqi.measures.models import ChartType, DataKind, Improvement
from openqi.measures.tests.factories import ProjectMeasureFactory, add_points

WAITS = [21, 19, 24, 22, 20, 23, 25, 18, 22, 21, 24, 20, 15, 14, 13, 15, 12, 14, 13, 12]
COMPLETED = [(31, 70), (29, 64), (33, 71), (30, 66), (35, 70), (28, 65), (32, 69), (30, 67), (34, 72),
             (31, 66), (33, 70), (29, 68), (45, 70), (47, 69), (44, 66), (48, 71)]  # fmt: skip


def _compare(measure_analysis: dict, stateless: dict) -> None:  # type: ignore[type-arg]
    for key in (
        "chart",
        "engine",
        "centre_label",
        "summary",
        "variation",
        "assurance",
        "parts",
        "baseline_end",
    ):
        assert stateless[key] == measure_analysis[key], key
    assert stateless["points"] == measure_analysis["points"]


@pytest.mark.parametrize(
    ("kind", "chart", "values", "improvement"),
    [
        (DataKind.CONTINUOUS, ChartType.I, WAITS, Improvement.DECREASE),
        (DataKind.PROPORTION, ChartType.P, COMPLETED, Improvement.INCREASE),
    ],
)
def test_a_series_is_analysed_as_a_measure_with_the_same_data(
    world, projects, kind, chart, values, improvement
) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(
        project=projects.shared,
        measure__kind=kind,
        measure__chart_type=chart,
        measure__improvement=improvement,
        measure__unit="%" if kind == DataKind.PROPORTION else "days",
    )
    add_points(link.measure, values)
    client = ApiClient(world.lead)
    analysis = client.get(f"{API}/projects/{link.project_id}/measures/{link.measure_id}/analysis").json()
    body = {
        "y": [v[0] for v in values] if kind == DataKind.PROPORTION else values,
        "x": [p["x"] for p in analysis["points"]],
        "chart": chart.value,
        "improvement": improvement.value,
        "target": 60,
        "unit": analysis["unit"],
        "period": "weeks",
    }
    if kind == DataKind.PROPORTION:
        body["n"] = [v[1] for v in values]
    stateless = client.post(f"{API}/spc/analyse", body)
    assert stateless.status_code == 200, stateless.json()
    _compare(analysis, stateless.json())
    assert analysis["variation"] is not None and analysis["variation"]["label"]


def test_freeze_rebase_and_exclude(world) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(world.lead)
    frozen = client.post(f"{API}/spc/analyse", {"y": WAITS, "freeze": 12, "improvement": "decrease"}).json()
    assert frozen["baseline_end"] == 11
    assert [p["baseline"] for p in frozen["points"]] == [True] * 12 + [False] * 8
    assert len({p["centre"] for p in frozen["points"]}) == 1  # one centre line, from the baseline
    rebased = client.post(f"{API}/spc/analyse", {"y": WAITS, "part": [12]}).json()
    assert [p["part"] for p in rebased["parts"]] == [1, 2] and rebased["parts"][1]["start"] == 12
    excluded = client.post(f"{API}/spc/analyse", {"y": WAITS, "exclude": [7]}).json()
    assert excluded["engine"] in ("mdc", "qic") and excluded["points"][7]["excluded"] is True
    assert "xcluded from calculations" in excluded["points"][7]["signal"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"y": [3, 4, 5], "chart": "p"}, "n"),  # a P chart needs denominators
        ({"y": [3, 4, 5], "n": [10, 10], "chart": "p"}, "n"),
        ({"y": [3, 4, 5], "n": [10, 10, 0], "chart": "p"}, "n"),
        ({"y": [12, 4, 5], "n": [10, 10, 10], "chart": "p"}, "y"),  # more events than cases
        ({"y": [0, 4, 5], "chart": "t"}, "y"),
        ({"y": [5]}, "y"),  # too few points for limits
        ({"y": WAITS, "freeze": 1}, "freeze"),
        ({"y": WAITS, "freeze": 21}, "freeze"),
        ({"y": WAITS, "part": [0]}, "part[0]"),
        ({"y": WAITS, "exclude": [20]}, "exclude[0]"),
        ({"y": WAITS, "x": ["2025-01-06"]}, "x"),
        ({"y": [1, None, 3e13]}, "y[2]"),
        ({"y": []}, "y"),
        ({"y": list(range(5001))}, "y"),
        ({"y": WAITS, "chart": "xbar"}, "chart"),
    ],
)
def test_a_bad_series_is_a_422_naming_the_field(world, body, field) -> None:  # type: ignore[no-untyped-def]
    response = ApiClient(world.lead).post(f"{API}/spc/analyse", body)
    assert response.status_code == 422, response.json()
    problem = response.json()
    assert problem["type"] == "urn:openqi:problem:validation"
    assert field in [e["field"] for e in problem["errors"]], problem


def test_labels_may_be_dates_numbers_or_words(world) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(world.lead)
    months = [f"2025-{m:02d}-01" for m in range(1, 13)]
    dated = client.post(f"{API}/spc/analyse", {"y": WAITS[:12], "x": months, "period": "months"}).json()
    assert dated["points"][0]["x"] == "2025-01-01" and "over 12 months" in " ".join(dated["summary"])
    numbered = client.post(f"{API}/spc/analyse", {"y": WAITS[:3], "x": [10, 20, 30]}).json()
    assert [p["x"] for p in numbered["points"]] == [10, 20, 30]
    named = client.post(
        f"{API}/spc/analyse", {"y": WAITS[:3], "x": ["Ward A", "Ward B", "Ward C"], "chart": "run"}
    )
    assert named.status_code == 200 and named.json()["points"][2]["x"] == "Ward C"
