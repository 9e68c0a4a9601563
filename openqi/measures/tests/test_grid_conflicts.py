"""The data grid saves only the rows a person changed, refuses a change to a row someone else saved
since the page was opened, deletes points on request, and audits every change per period and project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client

from openqi.core.models import AuditEvent
from openqi.measures.models import DataPoint
from openqi.measures.tests.factories import ProjectMeasureFactory, add_points

pytestmark = pytest.mark.django_db

WEEK1, WEEK2 = dt.date(2025, 1, 6), dt.date(2025, 1, 13)


class _Form(HTMLParser):
    """The grid form's fields as a browser would post them (unticked boxes left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("name") != "csrfmiddlewaretoken":
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.data[str(a["name"])] = a.get("value") or ""


def _grid(client: Client, url: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(client.get(url + "?from=2025-01-06").content.decode())
    return parser.data


def _row(data: dict[str, str], period: dt.date) -> str:
    return next(k[: -len("-period")] for k, v in data.items() if k.endswith("-period") and v == str(period))


@pytest.fixture
def setup(world, projects):  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    add_points(link.measure, [(4, 10), (5, 10)])
    url = f"/measures/project/{projects.shared.pk}/m/{link.pk}/data/"
    a, b = Client(), Client()
    a.force_login(world.lead)
    b.force_login(world.partner)
    return link, url, a, b


def test_saving_a_comment_does_not_undo_someone_elses_value(setup) -> None:  # type: ignore[no-untyped-def]
    link, url, a, b = setup
    seen_by_b = _grid(b, url)  # B opens the grid first
    mine = _grid(a, url)
    mine[f"{_row(mine, WEEK1)}-numerator"] = "9"
    assert a.post(url, mine).status_code == 302
    # B changes only a comment on another row; every row is posted, as the grid does.
    seen_by_b[f"{_row(seen_by_b, WEEK2)}-comment"] = "Bank holiday week"
    response = b.post(url, seen_by_b)
    assert response.status_code == 302
    points = {p.period: p for p in DataPoint.objects.filter(measure=link.measure)}
    assert points[WEEK1].numerator == 9  # A's value stands
    assert points[WEEK2].comment == "Bank holiday week"


def test_changing_a_row_someone_else_saved_is_refused_then_saving_again_succeeds(setup) -> None:  # type: ignore[no-untyped-def]
    link, url, a, b = setup
    seen_by_b = _grid(b, url)
    mine = _grid(a, url)
    mine[f"{_row(mine, WEEK1)}-numerator"] = "9"
    assert a.post(url, mine).status_code == 302
    seen_by_b[f"{_row(seen_by_b, WEEK1)}-numerator"] = "6"
    seen_by_b[f"{_row(seen_by_b, WEEK2)}-comment"] = "Bank holiday week"
    response = b.post(url, seen_by_b)
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html
    assert "Someone else changed this data while you were editing it" in html
    assert "someone else saved this period while you were editing. It now says 9 out of 10" in html
    assert "6 January 2025" in html
    # Nothing was saved (all or nothing), and what B typed is kept.
    points = {p.period: p for p in DataPoint.objects.filter(measure=link.measure)}
    assert points[WEEK1].numerator == 9 and points[WEEK2].comment == ""
    parser = _Form()
    parser.feed(html)
    again = parser.data
    assert again[f"{_row(again, WEEK1)}-numerator"] == "6"
    assert again[f"{_row(again, WEEK2)}-comment"] == "Bank holiday week"
    # Having read the message, B saves the form as shown: a deliberate choice, which succeeds.
    assert b.post(url, again).status_code == 302
    points = {p.period: p for p in DataPoint.objects.filter(measure=link.measure)}
    assert points[WEEK1].numerator == 6 and points[WEEK2].comment == "Bank holiday week"


def test_a_post_without_what_was_seen_cannot_overwrite_stored_data(setup) -> None:  # type: ignore[no-untyped-def]
    link, url, a, _b = setup
    data = {"rows": "1", "row-0-period": str(WEEK1), "row-0-numerator": "1", "row-0-denominator": "10"}
    assert a.post(url, data).status_code == 200
    assert DataPoint.objects.get(measure=link.measure, period=WEEK1).numerator == 4


def test_a_point_can_be_deleted_and_the_change_is_audited(setup) -> None:  # type: ignore[no-untyped-def]
    link, url, a, _b = setup
    version = link.measure.data_version
    data = _grid(a, url)
    data[f"{_row(data, WEEK2)}-delete"] = "on"
    assert a.post(url, data).status_code == 302
    assert list(DataPoint.objects.filter(measure=link.measure).values_list("period", flat=True)) == [WEEK1]
    link.measure.refresh_from_db()
    assert link.measure.data_version == version + 1
    event = AuditEvent.objects.get(object_type="measures.measure", action="update")
    assert event.changes["periods"] == {
        str(WEEK2): {"before": {"numerator": "5", "denominator": "10"}, "after": None}
    }


def test_clearing_a_stored_row_asks_to_tick_delete(setup) -> None:  # type: ignore[no-untyped-def]
    link, url, a, _b = setup
    data = _grid(a, url)
    row = _row(data, WEEK2)
    data[f"{row}-numerator"] = data[f"{row}-denominator"] = ""
    response = a.post(url, data)
    assert response.status_code == 200 and "tick Delete" in response.content.decode()
    assert DataPoint.objects.filter(measure=link.measure).count() == 2


def test_grid_audit_has_before_and_after_per_period_in_every_linked_project(world, projects, setup) -> None:  # type: ignore[no-untyped-def]
    from openqi.measures.dataio import DataRow
    from openqi.measures.services.data import AUDIT_PERIODS, save_rows

    link, url, a, _b = setup
    ProjectMeasureFactory(project=projects.private, measure=link.measure)  # the measure is shared
    data = _grid(a, url)
    data[f"{_row(data, WEEK1)}-numerator"] = "7"
    assert a.post(url, data).status_code == 302
    events = AuditEvent.objects.filter(object_type="measures.measure", action="update")
    assert {e.project_id for e in events} == {projects.shared.pk, projects.private.pk}
    for e in events:
        assert e.changes["periods"] == {
            str(WEEK1): {
                "before": {"numerator": "4", "denominator": "10"},
                "after": {"numerator": "7", "denominator": "10"},
            }
        }
        assert e.changes["periods_changed"] == 1
    assert events.get(project_id=projects.private.pk).changes["through_project"] == projects.shared.title
    # A large import lists at most AUDIT_PERIODS periods and counts the rest.
    rows = [
        DataRow(period=WEEK1 + dt.timedelta(weeks=i), numerator=Decimal(1), denominator=Decimal(2))
        for i in range(AUDIT_PERIODS + 5)
    ]
    save_rows(link.measure, rows, by=world.lead, project=projects.shared, source="import:x")
    big = AuditEvent.objects.filter(object_type="measures.measure").latest("pk")
    assert len(big.changes["periods"]) == AUDIT_PERIODS
    assert big.changes["periods_not_listed"] == 5 and big.changes["periods_changed"] == AUDIT_PERIODS + 5
