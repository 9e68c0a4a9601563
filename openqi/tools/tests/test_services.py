"""The tools' services: every change is versioned (a stale version changes nothing), kept in the history
and audited; references stay inside the project; counts come from CSV and Excel files."""

from __future__ import annotations

import io

import openpyxl
import pytest

from openqi.core.concurrency import EditConflict
from openqi.core.models import AuditEvent
from openqi.measures.dataio.reading import UploadError
from openqi.projects.tests.factories import DriverFactory, PDSACycleFactory
from openqi.tools import services
from openqi.tools.importing import read_counts
from openqi.tools.models import ItemKind, Tool, ToolKind

pytestmark = pytest.mark.django_db


def test_a_stale_change_is_refused_and_changes_nothing(world, projects) -> None:  # type: ignore[no-untyped-def]
    tool = services.create_tool(projects.shared, kind=ToolKind.PARETO, title="Reasons", by=world.lead)
    item = services.add_item(
        tool, kind=ItemKind.CATEGORY, values={"text": "Times", "count": 3}, expected_version=1, by=world.lead
    )
    with pytest.raises(EditConflict):
        services.edit_item(
            item, values={"text": "Evening times", "count": 9}, expected_version=1, by=world.coach
        )
    item.refresh_from_db()
    assert (item.text, item.count) == ("Times", 3)
    pk = item.pk
    with pytest.raises(EditConflict):
        services.remove_item(item, expected_version=1, by=world.coach)
    assert tool.items.filter(pk=pk).exists()
    with pytest.raises(EditConflict):
        services.set_counts(tool, [("Times", 1)], replace=True, expected_version=1, by=world.coach)
    assert list(tool.items.values_list("text", "count")) == [("Times", 3)]
    tool.refresh_from_db()
    assert tool.version == 2 and [v.number for v in tool.versions.all()] == [2, 1]


def test_every_change_is_audited_and_its_version_keeps_the_content(world, projects) -> None:  # type: ignore[no-untyped-def]
    tool = services.create_tool(projects.shared, kind=ToolKind.FIVE_WHYS, title="Whys", by=world.lead)
    why = services.add_item(
        tool, kind=ItemKind.WHY, values={"text": "they forget"}, expected_version=1, by=world.lead
    )
    services.edit_item(why, values={"text": "they forget", "marked": True}, expected_version=2, by=world.lead)
    services.remove_item(why, expected_version=3, by=world.lead)
    actions = list(
        AuditEvent.objects.filter(project_id=projects.shared.pk, object_type__startswith="tools.")
        .order_by("id")
        .values_list("object_type", "action")
    )
    assert actions == [
        ("tools.tool", "create"),
        ("tools.toolitem", "create"),
        ("tools.toolitem", "update"),
        ("tools.toolitem", "delete"),
    ]
    marked = tool.versions.get(number=3).content["items"][0]
    assert marked["text"] == "they forget" and marked["marked"] is True
    assert tool.versions.get(number=4).content["items"] == []


def test_references_stay_inside_the_project(world, projects) -> None:  # type: ignore[no-untyped-def]
    tool = services.create_tool(projects.shared, kind=ToolKind.FISHBONE, title="Causes", by=world.lead)
    other_driver = DriverFactory(project=projects.private)
    people = tool.items.get(text="People")
    with pytest.raises(ValueError):
        services.add_item(
            tool,
            kind=ItemKind.CAUSE,
            values={"text": "x", "parent": people, "driver": other_driver},
            expected_version=1,
            by=world.lead,
        )
    other_tool = services.create_tool(projects.private, kind=ToolKind.FISHBONE, title="Other", by=world.lead)
    with pytest.raises(ValueError):
        services.add_item(
            tool,
            kind=ItemKind.CAUSE,
            values={"text": "x", "parent": other_tool.items.first()},
            expected_version=1,
            by=world.lead,
        )
    with pytest.raises(ValueError):
        services.link(tool, cycle=PDSACycleFactory(project=projects.private), by=world.lead)
    with pytest.raises(services.NotAThemeOfThisTool):
        services.seed_primary_driver(people, expected_version=1, by=world.lead)
    assert not projects.shared.drivers.exists()


def test_replacing_counts_and_adding_notes(world, projects) -> None:  # type: ignore[no-untyped-def]
    tool = services.create_tool(projects.shared, kind=ToolKind.PARETO, title="Reasons", by=world.lead)
    services.set_counts(
        tool, [("Times", 3), ("Letters", 1)], replace=False, expected_version=1, by=world.lead
    )
    services.set_counts(
        tool, [("times", 5), ("Parking", 2)], replace=False, expected_version=2, by=world.lead
    )
    assert sorted(tool.items.values_list("text", "count")) == [("Letters", 1), ("Parking", 2), ("Times", 5)]
    services.set_counts(tool, [("Parking", 4)], replace=True, expected_version=3, by=world.lead)
    assert list(tool.items.values_list("text", "count")) == [("Parking", 4)]
    affinity = services.create_tool(projects.shared, kind=ToolKind.AFFINITY, title="Notes", by=world.lead)
    assert services.add_notes(affinity, ["Evening", " ", "Video"], expected_version=1, by=world.lead) == 2
    assert Tool.objects.get(pk=affinity.pk).version == 2


def test_counts_are_read_from_csv_and_excel() -> None:
    assert read_counts("c.csv", b"Reason;Count\nTimes;3\nLetters;1\ntimes;2\n") == [
        ("Times", 5),
        ("Letters", 1),
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (("Count", "Reason"), (12, "Times"), (4, "Letters")):
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    assert read_counts("c.xlsx", data.getvalue()) == [("Times", 12), ("Letters", 4)]
    for content, message in (
        (b"Reason,Count\n", "no categories"),
        (b"Reason,Count\nTimes,2.5\n", "whole number"),
        (b"Reason,Count\n,3\n", "no category"),
        (b"Reason,Count\nTimes,-1\n", "whole number"),
    ):
        with pytest.raises(UploadError) as refused:
            read_counts("c.csv", content)
        assert message in refused.value.message
