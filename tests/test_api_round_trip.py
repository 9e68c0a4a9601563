"""Round trips between the API and the pages: data written by the API is on the chart page, and the
analysis the API gives is the one the page shows; then the issue's "done when", on the demo trust."""

from __future__ import annotations

import html
import io
import re

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from openqi.api.tests.helpers import API, ApiClient
from openqi.measures.tests.factories import ProjectMeasureFactory, add_points

WEEKS = [(31, 70), (29, 64), (33, 71), (30, 66), (35, 70), (28, 65), (32, 69), (30, 67), (34, 72), (31, 66),
         (33, 70), (29, 68)]  # fmt: skip
LATER = [("2025-03-31", 45, 70), ("2025-04-07", 47, 69), ("2025-04-14", 44, 66), ("2025-04-21", 48, 71)]


def _cells(row: str) -> list[str]:
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def _data_table(page: str) -> list[dict[str, str]]:
    """The chart page's data table, a dict per row keyed by the column headings."""
    table = page[page.index('<table class="nhsuk-table openqi-data-table">') :]
    head, body = table[: table.index("</table>")].split("</thead>")
    headings = _cells(head[head.index("<thead") :])
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [dict(zip(headings, _cells(row), strict=True)) for row in rows]


def _number(cell: str) -> float:
    return float(cell.replace("%", "").replace(",", "").strip())


def test_data_written_by_the_api_is_on_the_chart_page_and_the_analyses_agree(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    add_points(link.measure, WEEKS)
    api = ApiClient(world.partner)
    measure_url = f"{API}/projects/{link.project_id}/measures/{link.measure_id}"
    points = [{"period": p, "numerator": n, "denominator": d} for p, n, d in LATER]
    saved = api.post(f"{measure_url}/data", {"points": points})
    assert saved.status_code == 200 and saved.json()["created"] == 4

    browser = Client()
    browser.force_login(world.partner)
    page = browser.get(
        reverse("measures:detail", kwargs={"pk": link.project_id, "pm": link.pk})
    ).content.decode()
    analysis = api.get(f"{measure_url}/analysis").json()

    rows = _data_table(page)
    assert len(rows) == len(analysis["points"]) == len(WEEKS) + len(LATER)
    for row, point in zip(rows, analysis["points"], strict=True):
        assert abs(_number(row["Value"]) - point["value"]) < 0.05  # the page rounds for people
        assert abs(_number(row["Upper limit"]) - point["upper"]) < 0.05
        assert row["Signal"] == point["signal"]
    assert any(p["signal"] for p in analysis["points"])  # the later weeks are a signal on both
    for sentence in analysis["summary"]:
        assert html.escape(sentence, quote=False) in page or sentence in html.unescape(page)
    assert analysis["variation"]["label"] in page
    assert analysis["data_version"] == saved.json()["data_version"]
    # The API's analysis is the page's computation, read from the same cache entry set.
    from openqi.measures import charting

    full = charting.chart_payload(link.measure, link.project_id, "full", charting.chart_id_for(link))
    assert full["summary"] == analysis["summary"] and full["chart"] == analysis["chart"]


def test_done_when_on_the_demo_trust(db) -> None:  # type: ignore[no-untyped-def]
    """`manage.py api_token` prints a token; with it the document is OpenAPI 3.x, the demo projects list,
    the LI CBT project's measures have their analysis, a bulk upload changes the chart, and Eastvale's
    lead sees none of Northshire's projects."""
    from openapi_spec_validator import validate

    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("api_token", "qi.admin@northshire.nhs.uk", stdout=out)
    token = out.getvalue().strip()
    assert re.fullmatch(r"oqi_[A-Za-z0-9_-]{43}", token)
    admin = ApiClient(secret=token)

    document = admin.get(f"{API}/openapi.json").json()
    assert document["openapi"].startswith("3.")
    validate(document)

    listed = admin.get(f"{API}/projects").json()
    assert listed["count"] >= 3
    cbt = admin.get(f"{API}/projects", {"q": "Low Intensity CBT"}).json()["items"][0]
    assert cbt["title"] == "Increasing completion of Low Intensity CBT"
    measures = admin.get(f"{API}/projects/{cbt['id']}/measures").json()
    assert len(measures) >= 3
    for measure in measures:
        analysis = admin.get(measure["links"]["analysis"]).json()
        assert analysis["points"] and analysis["summary"] and analysis["variation"]

    completion = next(m for m in measures if m["name"] == "Completion of Low Intensity CBT")
    before = admin.get(completion["links"]["analysis"]).json()
    data = admin.get(completion["links"]["data"])
    last = data.json()["points"][-1]["period"]
    week = {"period": last, "numerator": 70, "denominator": 70}
    changed = admin.post(
        completion["links"]["data"], {"points": [week], "existing": "update"}, **{"If-Match": data["ETag"]}
    )
    assert changed.status_code == 200 and changed.json()["updated"] == 1
    after = admin.get(completion["links"]["analysis"]).json()
    assert after["points"][-1]["value"] == 100.0 != before["points"][-1]["value"]
    assert after["data_version"] > before["data_version"]

    out = io.StringIO()
    call_command("api_token", "qi.lead@eastvale.nhs.uk", stdout=out)
    eastvale = ApiClient(secret=out.getvalue().strip())
    assert eastvale.get(f"{API}/projects").json()["count"] == 0
    assert eastvale.get(f"{API}/projects/{cbt['id']}").status_code == 404
    assert eastvale.get(completion["links"]["analysis"]).status_code == 404
