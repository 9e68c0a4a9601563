"""Views: who may see and change what, the grid, upload preview → confirm, exports, presenters."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from openqi.measures import presenters
from openqi.measures.models import DataPoint, MeasureType
from openqi.measures.tests.factories import MeasureFactory, ProjectMeasureFactory, add_points
from openqi.projects.access import Level
from openqi.projects.tests.factories import PDSACycleFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _url(link, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/measures/project/{link.project_id}/m/{link.pk}/{suffix}"


def test_team_can_enter_data_in_the_grid(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    c = _client(world.partner)
    page = c.get(_url(link, "data/"))
    assert page.status_code == 200
    html = page.content.decode()
    data = dict(re.findall(r'name="(row-\d+-period)" value="([0-9-]+)"', html))
    data["rows"] = str(len(data))
    data["row-0-numerator"], data["row-0-denominator"], data["row-0-comment"] = "9", "20", "Short week"
    response = c.post(_url(link, "data/"), data)
    assert response.status_code == 302
    point = DataPoint.objects.get(measure=link.measure)
    assert (point.numerator, point.denominator, point.comment) == (9, 20, "Short week")


def test_grid_errors_save_nothing(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    c = _client(world.lead)
    data = {
        "rows": "2",
        "row-0-period": "2025-01-06",
        "row-0-numerator": "5",
        "row-0-denominator": "10",
        "row-1-period": "2025-01-13",
        "row-1-numerator": "12",
        "row-1-denominator": "10",
    }
    response = c.post(_url(link, "data/"), data)
    assert response.status_code == 200
    assert "cannot be more than the denominator" in response.content.decode()
    assert not DataPoint.objects.exists()


@pytest.mark.parametrize(
    "suffix", ["data/", "upload/", "limits/", "annotate/", "edit/", "links/", "exclude/"]
)
def test_view_level_reads_but_cannot_change(world, projects, suffix: str) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    c = _client(world.member)  # organisation member, not in the team: VIEW on a shared project
    assert c.get(_url(link)).status_code == 200
    assert c.get(_url(link, "export.csv")).status_code == 200
    assert c.post(_url(link, suffix), {}).status_code == 403
    assert _client(world.sponsor).post(_url(link, suffix), {}).status_code == 403


def test_private_project_measures_are_hidden(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.private)
    assert _client(world.member).get(_url(link)).status_code == 404
    assert _client(world.outsider).get(_url(link)).status_code == 404
    assert _client(world.outsider).get(f"/measures/project/{projects.private.pk}/").status_code == 404
    assert _client(world.lead).get(_url(link)).status_code == 200


def test_measure_of_another_project_is_not_reachable_through_this_one(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.private)
    assert _client(world.lead).get(f"/measures/project/{projects.shared.pk}/m/{link.pk}/").status_code == 404


def test_library_is_scoped_per_organisation(world) -> None:  # type: ignore[no-untyped-def]
    MeasureFactory(organisation=world.trust, name="Completion of LI CBT")
    MeasureFactory(organisation=world.other_trust, name="Eastvale waiting time")
    mine = _client(world.member).get("/measures/").content.decode()
    assert "Completion of LI CBT" in mine and "Eastvale waiting time" not in mine
    theirs = _client(world.outsider).get("/measures/").content.decode()
    assert "Eastvale waiting time" in theirs and "Completion of LI CBT" not in theirs


def test_upload_preview_then_confirm(world, projects) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    link = ProjectMeasureFactory(project=projects.shared)
    c = _client(world.lead)
    bad = SimpleUploadedFile("d.csv", b"period,numerator,denominator\n2025-01-06,4,10\n2025-01-13,four,10\n")
    response = c.post(_url(link, "upload/"), {"file": bad})
    assert response.status_code == 302
    preview = c.get(response["Location"])
    assert "Row 3" in preview.content.decode() and "Nothing has been saved" in preview.content.decode()
    assert c.post(response["Location"], {}).status_code == 200
    assert not DataPoint.objects.exists()
    good = SimpleUploadedFile("d.csv", b"period,numerator,denominator\n2025-01-06,4,10\n2025-01-13,5,10\n")
    location = c.post(_url(link, "upload/"), {"file": good})["Location"]
    assert c.post(location, {}).status_code == 302
    assert DataPoint.objects.filter(measure=link.measure).count() == 2
    # The draft is spent: confirming twice imports nothing twice.
    assert c.get(location).status_code == 404


def test_another_persons_upload_draft_is_not_reachable(world, projects) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    link = ProjectMeasureFactory(project=projects.shared)
    location = _client(world.lead).post(
        _url(link, "upload/"),
        {"file": SimpleUploadedFile("d.csv", b"period,numerator,denominator\n2025-01-06,4,10\n")},
    )["Location"]
    assert _client(world.coach).get(location).status_code == 404


def test_exports_read_back(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    add_points(link.measure, [(4, 10), (5, 10)])
    c = _client(world.sponsor)
    book = load_workbook(io.BytesIO(c.get(_url(link, "export.xlsx")).content))
    assert [c.value for c in book["Data"][2]][:3] == ["2025-01-06", 4, 10] or book["Data"]["B2"].value == 4
    csv = c.get(_url(link, "export.csv")).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("period,numerator,denominator")
    png = c.get(_url(link, "chart.png"))
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n" and png["Content-Disposition"].startswith("attachment")
    assert c.get(_url(link, "chart.svg")).content.startswith(b"<svg")
    assert c.get(_url(link, "chart.gif")).status_code == 404


def test_family_orders_outcome_process_balancing_and_flags_balancing_concern(world, projects) -> None:  # type: ignore[no-untyped-def]
    p = projects.shared
    bal = ProjectMeasureFactory(
        project=p,
        measure_type=MeasureType.BALANCING,
        measure__kind="continuous",
        measure__unit="days",
        measure__improvement="decrease",
        measure__target_value=None,
    )
    proc = ProjectMeasureFactory(project=p, measure_type=MeasureType.PROCESS)
    out = ProjectMeasureFactory(project=p, measure_type=MeasureType.OUTCOME)
    add_points(bal.measure, [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 10, 10, 11, 10, 30])
    family = presenters.family_for(p, Level.VIEW)
    assert [c.link.pk for c in family.cards] == [out.pk, proc.pk, bal.pk]
    assert [c.link.pk for c in family.concerns] == [bal.pk]
    html = _client(world.member).get(f"/measures/project/{p.pk}/").content.decode()
    assert "Balancing measure showing concern" in html and "Special cause concern (higher)" in html


def test_measures_for_cycle(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.measures.services import notes

    cycle = PDSACycleFactory(project=projects.shared, title="Reminder texts")
    linked = ProjectMeasureFactory(project=projects.shared)
    linked.pdsa_cycles.add(cycle)
    annotated = ProjectMeasureFactory(project=projects.shared, measure_type=MeasureType.BALANCING)
    add_points(annotated.measure, [1.0, 2.0])
    notes.add_annotation(
        annotated.measure,
        project=projects.shared,
        period=annotated.measure.points.first().period,
        pdsa_cycle=cycle,
        by=world.lead,
    )
    found = presenters.measures_for_cycle(cycle)
    assert [m.name for m in found] == [linked.measure.name, annotated.measure.name]
    assert found[0].href == f"/measures/project/{projects.shared.pk}/m/{linked.pk}/"


def test_definition_edit_conflict_is_reported(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    c = _client(world.lead)
    m = link.measure
    data = {
        "name": "Renamed",
        "version": "1",
        "kind": m.kind,
        "frequency": m.frequency,
        "improvement": m.improvement,
        "chart_type": m.chart_type,
        "min_points_for_limits": "12",
        "numerator_definition": "a",
        "denominator_definition": "b",
    }
    link.measure.save_versioned(1)  # someone else saved first
    response = c.post(_url(link, "edit/"), data)
    assert response.status_code == 200 and "Someone else changed this record" in response.content.decode()


def test_add_a_new_measure_to_the_project(world, projects) -> None:  # type: ignore[no-untyped-def]
    c = _client(world.lead)
    response = c.post(
        f"/measures/project/{projects.shared.pk}/add/",
        {
            "action": "new",
            "measure_type": "balancing",
            "name": "Waiting time",
            "kind": "continuous",
            "unit": "days",
            "frequency": "weekly",
            "improvement": "decrease",
            "chart_type": "auto",
            "min_points_for_limits": "12",
        },
    )
    assert response.status_code == 302
    link = projects.shared.project_measures.get()
    assert link.measure_type == "balancing" and link.measure.organisation == world.trust


def test_annotations_appear_on_the_project_timeline(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.measures.services import notes
    from openqi.projects.presenters.timeline import timeline_for

    link = ProjectMeasureFactory(project=projects.shared)
    add_points(link.measure, [(4, 10), (5, 10)])
    notes.add_annotation(
        link.measure,
        project=projects.shared,
        period=link.measure.points.first().period,
        text="New leaflet",
        by=world.lead,
    )
    items = [i for i in timeline_for(projects.shared) if i.kind == "measure_annotation"]
    assert [(i.title, i.detail) for i in items] == [(f"Chart note on {link.measure.name}", "New leaflet")]
    assert items[0].link == f"/measures/project/{projects.shared.pk}/m/{link.pk}/"


def _definition_post(m, **overrides) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "name": "Renamed",
        "kind": m.kind,
        "frequency": m.frequency,
        "improvement": m.improvement,
        "chart_type": m.chart_type,
        "min_points_for_limits": "12",
        "numerator_definition": "a",
        "denominator_definition": "b",
    }
    data.update(overrides)
    return data


def test_definition_edit_without_a_version_is_refused(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    response = _client(world.lead).post(_url(link, "edit/"), _definition_post(link.measure))
    assert response.status_code == 200
    link.measure.refresh_from_db()
    assert link.measure.name != "Renamed" and link.measure.version == 1


def test_after_a_definition_conflict_saving_again_succeeds(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.measures.services import definitions

    link = ProjectMeasureFactory(project=projects.shared)
    c = _client(world.lead)
    data = _definition_post(link.measure, version="1")
    # Someone else renames it after the page was opened.
    definitions.update_definition(
        link.measure, changes={"name": "Their name"}, expected_version=1, by=world.coach
    )
    first = c.post(_url(link, "edit/"), data)
    html = first.content.decode()
    assert first.status_code == 200 and "Someone else changed this record" in html
    assert 'name="version" value="2"' in html and "Name: Their name" in html
    assert 'value="Renamed"' in html  # what they typed is kept
    # Having read the message, they save the form as re-shown: it succeeds.
    second = c.post(_url(link, "edit/"), {**data, "version": "2"})
    assert second.status_code == 302
    link.measure.refresh_from_db()
    assert link.measure.name == "Renamed" and link.measure.version == 3


PATIENT = "Mr John Smith NHS 943 476 5919 DOB 01/02/1960"


def test_an_upload_with_patient_details_in_a_comment_cannot_be_imported(world, projects) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from openqi.measures.services import imports

    link = ProjectMeasureFactory(project=projects.shared)
    c = _client(world.lead)
    content = f"period,numerator,denominator,comment\n2025-01-06,4,10,ok\n2025-01-13,5,10,{PATIENT}\n"
    location = c.post(_url(link, "upload/"), {"file": SimpleUploadedFile("d.csv", content.encode())})[
        "Location"
    ]
    html = c.get(location).content.decode()
    assert "Row 3: This looks like an NHS number (943 476 5919)" in html
    assert "Row 3: This looks like a date of birth" in html and "Nothing has been saved" in html
    assert c.post(location, {}).status_code == 200
    assert not DataPoint.objects.exists()
    draft = link.measure.import_drafts.get()
    with pytest.raises(imports.ImportRefused):
        imports.confirm_import(draft, include_updates=True, by=world.lead)
    assert not DataPoint.objects.exists()


def test_grid_comments_pass_the_personal_data_guard(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    data = {"rows": "1", "row-0-period": "2025-01-06", "row-0-numerator": "5", "row-0-denominator": "10"}
    response = _client(world.lead).post(_url(link, "data/"), {**data, "row-0-comment": PATIENT})
    assert response.status_code == 200 and "This looks like an NHS number" in response.content.decode()
    assert not DataPoint.objects.exists()


def _duplicate_ids(html: str) -> list[str]:
    ids = re.findall(r'\bid="([^"]+)"', html)
    return sorted({i for i in ids if ids.count(i) > 1})


def test_no_two_charts_on_a_page_share_an_id_whatever_was_downloaded(world, projects) -> None:  # type: ignore[no-untyped-def]
    links = [ProjectMeasureFactory(project=projects.shared) for _ in range(3)]
    for link in links:
        add_points(link.measure, [(4 + i % 3, 10) for i in range(14)])
    c = _client(world.coach)
    # Downloads come first, so that anything they cache is what the pages find.
    assert c.get(_url(links[0], "chart.svg")).status_code == 200
    assert c.get(_url(links[1], "chart.png")).status_code == 200
    assert c.get(_url(links[2], "chart.svg")).status_code == 200
    # The family of measures (its own page and the project overview's panel) shows every card.
    for page in (f"/measures/project/{projects.shared.pk}/", f"/projects/{projects.shared.pk}/"):
        html = c.get(page).content.decode()
        assert all(f'id="cardpm{link.pk}-title"' in html for link in links), page
        assert _duplicate_ids(html) == [], page
    for link in links:
        html = c.get(_url(link)).content.decode()
        assert f'id="chartpm{link.pk}-title"' in html
        assert _duplicate_ids(html) == []
