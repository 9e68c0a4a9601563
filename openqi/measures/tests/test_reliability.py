"""Regressions from the reliability issue (items 1, 2, 5 and 7): numbers the database cannot hold, huge
exponents, long comments, piles of drafts, and malformed grid requests. Each answers with a message and
saves nothing; points stored before the limits break no page and can be corrected or deleted."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from openqi.measures.models import DataKind, DataPoint, Frequency, ImportDraft
from openqi.measures.tests.factories import MeasureFactory, ProjectMeasureFactory

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY, MARCH = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(link: Any, suffix: str = "") -> str:
    return f"/measures/project/{link.project_id}/m/{link.pk}/{suffix}"


@pytest.fixture
def monthly(world, projects) -> Any:  # type: ignore[no-untyped-def]
    """A monthly value measure (waiting time in days) in the shared project."""
    measure = MeasureFactory(
        organisation=world.trust,
        kind=DataKind.CONTINUOUS,
        frequency=Frequency.MONTHLY,
        numerator_definition="",
        denominator_definition="",
        unit="days",
        target_value=Decimal(20),
    )
    return ProjectMeasureFactory(project=projects.shared, measure=measure)


def upload(client: Client, link: Any, content: bytes, name: str = "data.csv") -> str:
    response = client.post(url(link, "upload/"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    location: str = response["Location"]
    return location


def grid_post(client: Client, link: Any, rows: list[dict[str, str]], **extra: str) -> Any:
    data: dict[str, str] = {"rows": str(len(rows)), **extra}
    for i, row in enumerate(rows):
        data.update({f"row-{i}-{name}": value for name, value in row.items()})
    return client.post(url(link, "data/"), data)


# --- item 1: a number the database cannot hold ----------------------------------------------------------


def test_an_import_of_a_value_too_large_for_the_database_is_refused(world, monthly) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    preview = upload(client, monthly, b"period,value\n2025-01-01,99999999999999\n")
    page = client.get(preview)
    assert page.status_code == 200
    assert "The value must be less than 1,000,000,000,000." in page.content.decode()
    assert client.post(preview, {}).status_code in (200, 302)
    assert not DataPoint.objects.exists()


def stored_before_the_limits(link: Any) -> None:
    """Points as an upload could save them on SQLite before numbers were checked."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite ever stored these: PostgreSQL refuses such a number when it is written")
    DataPoint.objects.bulk_create(
        [
            DataPoint(
                measure=link.measure, period=JANUARY, value=Decimal("99999999999999"), comment="x" * 5000
            ),
            DataPoint(measure=link.measure, period=FEBRUARY, value=Decimal(12)),
        ]
    )


def test_a_point_stored_before_the_limits_breaks_no_page(world, projects, monthly, settings) -> None:  # type: ignore[no-untyped-def]
    stored_before_the_limits(monthly)
    client = signed_in(world.lead)
    pages = [
        f"/projects/{projects.shared.pk}/",
        f"/measures/project/{projects.shared.pk}/",
        url(monthly),
        url(monthly, "data/"),
        url(monthly, "export.csv"),
        url(monthly, "export.xlsx"),
        url(monthly, "chart.svg"),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    out = io.StringIO()
    call_command("dumpdata", "measures.datapoint", stdout=out)
    assert "99999999999999" in out.getvalue()


def test_other_rows_save_and_the_bad_point_can_be_corrected_then_deleted(world, monthly) -> None:  # type: ignore[no-untyped-def]
    stored_before_the_limits(monthly)
    client = signed_in(world.lead)
    shown = client.get(url(monthly, "data/")).content.decode()
    fields = {
        name: value
        for name, value in re.findall(r'name="(row-\d+-[a-z_]+)"[^>]*value="([^"]*)"', shown)
        if not name.endswith("-delete")  # a checkbox's value, sent only when ticked
    }
    fields.update({"rows": str(sum(1 for name in fields if name.endswith("-period")))})
    bad, good = (f"row-{i}" for i in range(2))
    assert fields[f"{bad}-orig_value"] == "99999999999999"

    # Another row saves although the bad one, untouched, is in the same post.
    response = client.post(url(monthly, "data/"), {**fields, f"{good}-value": "13"})
    assert response.status_code == 302
    assert DataPoint.objects.get(period=FEBRUARY).value == 13

    # Changing the bad row checks it, then saves the correction.
    fields[f"{good}-value"] = fields[f"{good}-orig_value"] = "13"
    refused = client.post(url(monthly, "data/"), {**fields, f"{bad}-value": "99999999999998"})
    assert refused.status_code == 200
    assert "Enter a number less than 1,000,000,000,000" in refused.content.decode()
    fixed = client.post(url(monthly, "data/"), {**fields, f"{bad}-value": "9", f"{bad}-comment": "Fixed"})
    assert fixed.status_code == 302
    point = DataPoint.objects.get(period=JANUARY)
    assert (point.value, point.comment) == (9, "Fixed")

    # Or it is deleted, whatever its boxes hold.
    DataPoint.objects.filter(period=JANUARY).update(value=Decimal("99999999999999"))
    deleted = client.post(
        url(monthly, "data/"), {**fields, f"{bad}-delete": "on", f"{bad}-orig_comment": "Fixed"}
    )
    assert deleted.status_code == 302
    assert not DataPoint.objects.filter(period=JANUARY).exists()


def test_reimporting_a_corrected_value_replaces_the_bad_point(world, monthly) -> None:  # type: ignore[no-untyped-def]
    stored_before_the_limits(monthly)
    client = signed_in(world.lead)
    preview = upload(client, monthly, b"period,value\n2025-01-01,14\n")
    assert client.post(preview, {"existing": "update"}).status_code == 302
    assert DataPoint.objects.get(period=JANUARY).value == 14


def test_the_grid_and_the_measure_form_refuse_what_the_columns_cannot_hold(world, monthly) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    for typed, message in [
        ("1000000000000", "Enter a number less than 1,000,000,000,000"),
        ("1e-300000000", "Enter the number in full, like 1200 or 0.05, not in scientific notation"),
        ("1,5", "Use a full stop for decimals, like 1.5"),
        ("NaN", "Enter a number, like 12 or 12.5"),
    ]:
        response = grid_post(client, monthly, [{"period": "2025-01-01", "value": typed}])
        assert response.status_code == 200 and message in response.content.decode(), typed
    long_comment = grid_post(client, monthly, [{"period": "2025-01-01", "value": "5", "comment": "a" * 501}])
    assert "The comment must be 500 characters or fewer" in long_comment.content.decode()
    assert not DataPoint.objects.exists()
    # The largest number every database keeps exactly (SQLite: 15 significant digits).
    largest = grid_post(client, monthly, [{"period": "2025-01-01", "value": "999999999999.999"}])
    assert largest.status_code == 302
    assert DataPoint.objects.get().value == Decimal("999999999999.999")

    edit = client.get(url(monthly, "edit/")).content.decode()
    version = re.search(r'name="version" value="(\d+)"', edit)
    assert version
    definition = {
        "name": "Waiting time",
        "kind": "continuous",
        "frequency": "monthly",
        "improvement": "decrease",
        "chart_type": "auto",
        "min_points_for_limits": "12",
        "version": version.group(1),
    }
    for target in ("10000000000", "1e-300000000"):
        response = client.post(url(monthly, "edit/"), {**definition, "target_value": target})
        assert response.status_code == 200 and "There is a problem" in response.content.decode(), target
    monthly.measure.refresh_from_db()
    assert monthly.measure.target_value == 20


# --- item 2: a tiny CSV that ties up a worker ------------------------------------------------------------


def test_a_huge_exponent_is_previewed_at_once_and_briefly(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)  # a proportion
    client = signed_in(world.lead)
    preview = upload(client, link, b"period,numerator,denominator\n2025-01-06,1e-300000000,5\n")
    started = time.perf_counter()
    page = client.get(preview)
    assert time.perf_counter() - started < 2
    assert page.status_code == 200 and len(page.content) < 200_000
    assert "scientific notation" in page.content.decode()


# --- item 5: long comments and piles of drafts ----------------------------------------------------------


def test_an_imported_comment_longer_than_the_grid_allows_is_refused(world, monthly) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    preview = upload(client, monthly, b"period,value,comment\n2025-01-01,5," + b"a" * 5000 + b"\n")
    assert "The comment must be 500 characters or fewer" in client.get(preview).content.decode()
    client.post(preview, {})
    assert not DataPoint.objects.exists()


def test_one_person_keeps_only_a_few_unconfirmed_drafts(world, monthly, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    for n in range(10):
        upload(client, monthly, f"period,value\n2025-01-01,{n}\n".encode())
    drafts = ImportDraft.objects.filter(created_by=world.lead)
    assert drafts.count() == ImportDraft.MAX_PER_PERSON
    # The newest are kept: the file being fixed.
    assert sorted(bytes(d.content)[-2:] for d in drafts) == [b"7\n", b"8\n", b"9\n"]
    # Someone else's drafts are theirs.
    upload(signed_in(world.partner), monthly, b"period,value\n2025-01-01,1\n")
    assert ImportDraft.objects.filter(created_by=world.lead).count() == ImportDraft.MAX_PER_PERSON


def test_expired_drafts_are_deleted(world, monthly) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    upload(client, monthly, b"period,value\n2025-01-01,1\n")
    ImportDraft.objects.update(
        created_at=timezone.now() - ImportDraft.DRAFT_LIFETIME - dt.timedelta(minutes=1)
    )
    out = io.StringIO()
    call_command("delete_import_drafts", stdout=out)
    assert "Deleted 1 expired import draft." in out.getvalue()
    assert not ImportDraft.objects.exists()


# --- item 7: malformed grid requests ---------------------------------------------------------------------


def test_a_grid_post_with_a_malformed_row_count_is_a_400_with_a_message(world, monthly) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    for rows in ("abc", "²", "-1", "9" * 40):
        response = client.post(
            url(monthly, "data/"), {"rows": rows, "row-0-period": "2025-01-01", "row-0-value": "5"}
        )
        assert response.status_code == 400, rows
        assert "the page was not sent in full" in response.content.decode()
    assert not DataPoint.objects.exists()


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "2025-02-30", "soon", "1" * 500])
def test_a_start_date_out_of_range_is_a_400_with_a_message(world, monthly, start: str) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(world.lead).get(url(monthly, "data/"), {"from": start})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "Enter a real date between 1900 and 2099" in body


def test_a_changed_period_outside_the_years_data_is_entered_for_is_refused(world, monthly) -> None:  # type: ignore[no-untyped-def]
    response = grid_post(signed_in(world.lead), monthly, [{"period": "9999-12-01", "value": "5"}])
    assert response.status_code == 200
    assert "Data can only be entered for 1900 to 2099" in response.content.decode()
    assert not DataPoint.objects.exists()


def test_a_malformed_data_version_does_not_fail_a_save(world, monthly) -> None:  # type: ignore[no-untyped-def]
    response = grid_post(
        signed_in(world.lead), monthly, [{"period": "2025-03-01", "value": "5"}], data_version="²"
    )
    assert response.status_code == 302
    assert DataPoint.objects.get().period == MARCH
