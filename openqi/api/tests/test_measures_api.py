"""A measure through the API: its data read with its version, written as a bulk upload by period
(checked as a file's rows, all or nothing, idempotent, existing periods only on request, refused on stale
data), its annotations, and its family of measures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openqi.api.tests.helpers import API, ApiClient
from openqi.core.models import AuditEvent
from openqi.measures.models import DataKind, DataPoint
from openqi.measures.tests.factories import MONDAY, ProjectMeasureFactory, add_points


@pytest.fixture
def link(projects):  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    add_points(link.measure, [(9, 20), (10, 21), (8, 19), (11, 20)])
    return link


def _url(link, tail: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"{API}/projects/{link.project_id}/measures/{link.measure_id}{tail}"


def _points(*rows: tuple[str, int, int]) -> dict:  # type: ignore[type-arg]
    return {"points": [{"period": p, "numerator": n, "denominator": d} for p, n, d in rows]}


def test_the_data_and_its_version(world, link) -> None:  # type: ignore[no-untyped-def]
    response = ApiClient(world.sponsor).get(_url(link, "/data"))
    body = response.json()
    assert (
        response["ETag"] == f'"{body["data_version"]}"' and body["data_version"] == link.measure.data_version
    )
    assert body["has_denominator"] and body["frequency"] == "weekly"
    assert [(p["period"], p["numerator"], p["denominator"]) for p in body["points"]][0] == (
        MONDAY.isoformat(),
        9.0,
        20.0,
    )


def test_a_bulk_upload_adds_periods_moved_to_the_start_of_their_week(world, link) -> None:  # type: ignore[no-untyped-def]
    response = ApiClient(world.partner).post(
        _url(link, "/data"), _points(("2025-02-03", 12, 20), ("12/2/2025", 13, 21))
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["skipped"]) == (2, 0, 0, [])
    assert body["data_version"] == link.measure.data_version + 1
    # 12/2/2025 is day first, a Wednesday: recorded as the week starting Monday 10 February, as in a file.
    assert DataPoint.objects.filter(measure=link.measure, period=dt.date(2025, 2, 10), numerator=13).exists()


def test_rows_for_the_same_period_are_refused_like_a_files(world, link) -> None:  # type: ignore[no-untyped-def]
    response = ApiClient(world.partner).post(
        _url(link, "/data"), _points(("2025-02-03", 12, 20), ("5/2/2025", 13, 21))
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == [
        {"field": "points[1]", "row": 2, "message": errors[0]["message"]},
    ]
    assert "is also in row 1" in errors[0]["message"]
    assert not DataPoint.objects.filter(measure=link.measure, period=dt.date(2025, 2, 3)).exists()


def test_one_bad_row_refuses_the_whole_batch_with_every_problem(world, link) -> None:  # type: ignore[no-untyped-def]
    before = link.measure.data_version
    body = {
        "points": [
            {"period": "2025-02-03", "numerator": 12, "denominator": 20},
            {"period": "31/2/2025", "numerator": 5, "denominator": 4},
            {"period": "2025-02-17", "numerator": 1.5, "denominator": 20, "comment": "NHS 943 476 5919"},
        ]
    }
    response = ApiClient(world.partner).post(_url(link, "/data"), body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["detail"].startswith("2 of 3 rows have problems; nothing was saved.")
    rows = {(e["row"], e["field"]) for e in problem["errors"]}
    assert rows == {(2, "points[1]"), (3, "points[2]")}
    messages = " ".join(e["message"] for e in problem["errors"])
    assert "Row 2: '31/2/2025' is not a real date" in messages
    assert "Row 3: The numerator must be a whole number" in messages
    assert "NHS number" in messages  # the personal-data guard, as for a file
    link.measure.refresh_from_db()
    assert link.measure.data_version == before
    assert DataPoint.objects.filter(measure=link.measure).count() == 4


def test_sending_the_same_rows_again_changes_nothing(world, link) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(world.partner)
    rows = _points(("2025-02-03", 12, 20))
    first = client.post(_url(link, "/data"), rows).json()
    again = client.post(_url(link, "/data"), rows).json()
    assert (again["created"], again["updated"], again["unchanged"], again["skipped"]) == (0, 0, 1, [])
    assert again["data_version"] == first["data_version"]


def test_an_existing_period_changes_only_when_asked(world, link) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(world.partner)
    changed = _points((MONDAY.isoformat(), 10, 20))
    skipped = client.post(_url(link, "/data"), changed).json()
    assert skipped["skipped"] == [MONDAY.isoformat()] and skipped["updated"] == 0
    assert DataPoint.objects.get(measure=link.measure, period=MONDAY).numerator == Decimal(9)
    updated = client.post(_url(link, "/data"), {**changed, "existing": "update"}).json()
    assert updated["updated"] == 1 and updated["skipped"] == []
    assert DataPoint.objects.get(measure=link.measure, period=MONDAY).numerator == Decimal(10)
    event = AuditEvent.objects.filter(project_id=link.project_id, object_type="measures.measure").first()
    assert event.actor == world.partner
    assert event.changes["data"]["source"] == "api"
    assert event.changes["periods"][MONDAY.isoformat()]["before"]["numerator"] == "9"


def test_a_write_based_on_stale_data_is_refused(world, link) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(world.partner)
    version = client.get(_url(link, "/data")).json()["data_version"]
    ApiClient(world.lead).post(_url(link, "/data"), _points(("2025-02-03", 12, 20)))  # someone else, since

    by_header = client.post(
        _url(link, "/data"), _points(("2025-02-10", 1, 2)), **{"If-Match": f'"{version}"'}
    )
    assert by_header.status_code == 412
    assert by_header.json()["type"] == "urn:openqi:problem:stale-data"
    assert f"now at version {version + 1}" in by_header.json()["detail"]
    by_field = client.post(
        _url(link, "/data"), {**_points(("2025-02-10", 1, 2)), "expected_data_version": version}
    )
    assert by_field.status_code == 409
    assert not DataPoint.objects.filter(measure=link.measure, period=dt.date(2025, 2, 10)).exists()

    current = client.get(_url(link, "/data"))
    fresh = client.post(_url(link, "/data"), _points(("2025-02-10", 1, 2)), **{"If-Match": current["ETag"]})
    assert fresh.status_code == 200
    assert (
        client.post(
            _url(link, "/data"), _points(("2025-02-17", 1, 2)), **{"If-Match": "nonsense"}
        ).status_code
        == 412
    )


def test_a_measure_of_single_values_takes_value_not_counts(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(
        project=projects.shared, measure__kind=DataKind.CONTINUOUS, measure__unit="days"
    )
    client = ApiClient(world.lead)
    refused = client.post(_url(link, "/data"), _points(("2025-02-03", 1, 2)))
    assert "Row 1: Enter a value" in refused.json()["errors"][0]["message"]
    saved = client.post(_url(link, "/data"), {"points": [{"period": "2025-02-03", "value": 12.5}]})
    assert saved.status_code == 200
    assert DataPoint.objects.get(measure=link.measure).value == Decimal("12.5")


def test_annotations(world, link, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.projects.tests.factories import PDSACycleFactory

    cycle = PDSACycleFactory(project=projects.shared, title="Reminder calls")
    client = ApiClient(world.coach)
    made = client.post(_url(link, "/annotations"), {"period": MONDAY.isoformat(), "pdsa_cycle_id": cycle.pk})
    assert made.status_code == 201
    assert made.json()["label"] == "PDSA: Reminder calls"
    notes = client.get(_url(link, "/annotations")).json()
    assert [n["id"] for n in notes] == [made.json()["id"]]
    analysis = client.get(_url(link, "/analysis")).json()
    assert analysis["annotations"] == [
        {"number": 1, "label": "PDSA: Reminder calls", "x": MONDAY.isoformat()}
    ]

    no_point = client.post(_url(link, "/annotations"), {"period": "2030-01-07", "text": "x"})
    assert no_point.status_code == 422 and no_point.json()["errors"][0]["field"] == "period"
    empty = client.post(_url(link, "/annotations"), {"period": MONDAY.isoformat()})
    assert empty.json()["errors"][0]["field"] == "text"
    personal = {"period": MONDAY.isoformat(), "text": "Called 943 476 5919"}
    warned = client.post(_url(link, "/annotations"), personal)
    assert warned.status_code == 422
    assert "confirm_no_personal_data: true" in " ".join(e["message"] for e in warned.json()["errors"])


def test_a_cycle_of_another_project_cannot_be_linked(world, link, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.projects.tests.factories import PDSACycleFactory

    elsewhere = PDSACycleFactory(project=projects.private)
    refused = ApiClient(world.lead).post(
        _url(link, "/annotations"), {"period": MONDAY.isoformat(), "pdsa_cycle_id": elsewhere.pk}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "pdsa_cycle_id"


def test_the_family_of_measures(world, link, projects) -> None:  # type: ignore[no-untyped-def]
    family = ApiClient(world.member).get(f"{API}/projects/{projects.shared.pk}/measures").json()
    assert [m["id"] for m in family] == [link.measure_id]
    card = family[0]
    assert card["measure_type"]["code"] == "outcome" and card["n_points"] == 4
    analysis = ApiClient(world.member).get(card["links"]["analysis"]).json()
    assert card["headline"] == analysis["summary"][0]
    definition = ApiClient(world.member).get(card["links"]["definition"]).json()
    assert definition["kind"]["code"] == "proportion" and definition["target_value"] == 60.0
    assert (
        ApiClient(world.member).get(f"{API}/projects/{projects.shared.pk}/measures/999999").status_code == 404
    )
