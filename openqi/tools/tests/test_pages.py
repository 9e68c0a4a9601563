"""The tool pages end to end with plain forms (no JavaScript): start each tool, add to it, link it to the
driver diagram, a PDSA cycle and a story entry, and see conflicts, history, timeline and exports."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from openqi_spc.render.png import read_text

from openqi.core.models import AuditEvent
from openqi.projects.tests.factories import DriverFactory, PDSACycleFactory, StoryEntryFactory
from openqi.tools.models import ItemKind, Tool, ToolItem, ToolKind, ToolVersion

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def start(client: Client, project, kind: str, title: str, subject: str = "") -> Tool:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("tools:create", kwargs={"pk": project.pk}), {"kind": kind, "title": title, "subject": subject}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Tool.objects.get(project=project, title=title)


def add(client: Client, tool: Tool, item_type: str, data: dict) -> ToolItem:  # type: ignore[type-arg]
    tool.refresh_from_db()
    response = client.post(
        reverse("tools:item_add", kwargs={"pk": tool.project_id, "tool": tool.pk, "item_type": item_type}),
        {"version": tool.version, **data},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return tool.items.latest("id")


def page(client: Client, tool: Tool) -> str:
    return client.get(
        reverse("tools:detail", kwargs={"pk": tool.project_id, "tool": tool.pk})
    ).content.decode()


def test_a_fishbone_has_default_categories_marked_causes_and_links_to_a_driver(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    driver = DriverFactory(project=projects.shared, title="Timely first appointment")
    tool = start(
        client, projects.shared, ToolKind.FISHBONE, "Why people stop", "People do not complete LI CBT"
    )
    categories = {item.text: item for item in tool.items.all()}
    assert list(categories) == ["People", "Methods", "Equipment", "Environment", "Materials", "Measurement"]
    letters = add(
        client,
        tool,
        "cause",
        {
            "text": "Letters arrive late",
            "parent": categories["Methods"].pk,
            "marked": "on",
            "driver": driver.pk,
        },
    )
    add(
        client,
        tool,
        "cause",
        {"text": "Times clash with work", "parent": categories["People"].pk, "marked": "on"},
    )
    add(client, tool, "cause", {"text": "Second class post", "parent": letters.pk, "votes": "3"})
    body = page(client, tool)
    assert body.count("Team will act") == 2
    assert "Driver: <a" in body and "Timely first appointment" in body
    assert "The team will act on 2: ‘Letters arrive late’ and ‘Times clash with work’." in body
    # The drawing names the effect and the marked causes with a star, as text.
    assert "<svg" in body and "★ Letters arrive late" in body and "People do not complete LI CBT" in body
    assert ToolItem.objects.get(text="Second class post").parent == letters
    tool.refresh_from_db()
    assert tool.version == 4 and tool.versions.count() == 4


def test_a_stale_version_is_refused_and_the_text_kept(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.partner)
    tool = start(client, projects.shared, ToolKind.PARETO, "Reasons for dropping out")
    stale = tool.version
    add(client, tool, "bar", {"text": "Times offered", "count": "10"})
    response = client.post(
        reverse("tools:item_add", kwargs={"pk": tool.project_id, "tool": tool.pk, "item_type": "bar"}),
        {"version": stale, "text": "Felt better", "count": "4"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record" in body and 'value="Felt better"' in body
    assert not tool.items.filter(text="Felt better").exists()


def test_a_process_map_with_a_decision_and_swimlanes_draws_and_prints(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.coach)
    tool = start(client, projects.shared, ToolKind.PROCESS_MAP, "Step 2 pathway")
    add(client, tool, "step", {"kind": "start", "text": "Referral received", "lane": "Admin team"})
    add(
        client,
        tool,
        "step",
        {"kind": "activity", "text": "Assessment call", "lane": "PWP", "data_collected": "on"},
    )
    end = add(client, tool, "step", {"kind": "end", "text": "Discharged", "lane": "PWP"})
    decision = add(
        client,
        tool,
        "step",
        {
            "kind": "decision",
            "text": "Suitable for step 2?",
            "lane": "PWP",
            "next_label": "Yes",
            "branch_label": "No",
            "branch_to": end.pk,
            "note": "People wait 3 weeks here",
        },
    )
    # Move the decision up, above the end.
    tool.refresh_from_db()
    client.post(
        reverse("tools:item_move", kwargs={"pk": tool.project_id, "tool": tool.pk, "item": decision.pk}),
        {"direction": "up", "version": tool.version},
    )
    assert [i.text for i in tool.items.all()] == [
        "Referral received",
        "Assessment call",
        "Suitable for step 2?",
        "Discharged",
    ]
    body = page(client, tool)
    assert "Admin team" in body and "<polygon" in body and "stroke-dasharray" in body
    assert "No: ‘Discharged’" in body and "People wait 3 weeks here" in body
    printed = client.get(
        reverse("tools:print", kwargs={"pk": tool.project_id, "tool": tool.pk})
    ).content.decode()
    assert "A4 landscape" in printed and "<svg" in printed
    pdf = client.get(reverse("tools:export", kwargs={"pk": tool.project_id, "tool": tool.pk, "fmt": "pdf"}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    png = client.get(reverse("tools:export", kwargs={"pk": tool.project_id, "tool": tool.pk, "fmt": "png"}))
    assert png.content.startswith(b"\x89PNG") and read_text(png.content)["Title"] == "Step 2 pathway"
    svg = client.get(reverse("tools:export", kwargs={"pk": tool.project_id, "tool": tool.pk, "fmt": "svg"}))
    assert svg["Content-Type"] == "image/svg+xml" and b"<title" in svg.content


def test_a_decision_label_on_another_step_is_an_error_not_a_500(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    tool = start(client, projects.shared, ToolKind.PROCESS_MAP, "Pathway")
    response = client.post(
        reverse("tools:item_add", kwargs={"pk": tool.project_id, "tool": tool.pk, "item_type": "step"}),
        {"version": tool.version, "kind": "activity", "text": "Call", "branch_label": "No"},
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert "Only a decision has labelled paths" in response.content.decode()


def test_counts_imported_from_csv_give_qicharts2s_example(world, projects) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(world.lead)
    tool = start(client, projects.shared, ToolKind.PARETO, "Letters")
    rows = "\n".join(
        f"{letter},{n}" for letter, n in zip("IHGFEDCBA", [1, 2, 4, 8, 16, 32, 64, 128, 256], strict=True)
    )
    upload = SimpleUploadedFile("counts.csv", f"Category,Count\n{rows}\n".encode())
    response = client.post(
        reverse("tools:counts_upload", kwargs={"pk": tool.project_id, "tool": tool.pk}),
        {"file": upload, "version": tool.version},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    body = page(client, tool)
    table = body[body.index('data-testid="pareto-table"') :]
    categories = re.findall(r'aria-hidden="true">Category </span>([A-I])', table)
    assert categories == list("ABCDEFGHI")
    assert "50.1%" in table and "75.1%" in table and "87.7%" in table and "100.0%" in table
    assert body.count("Vital few") == 3
    assert "Of 511 counted, 3 of 9 categories (‘A’, ‘B’ and ‘C’) make up 88%" in body


def test_a_file_without_counts_is_explained(world, projects) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(world.lead)
    tool = start(client, projects.shared, ToolKind.PARETO, "Letters")
    upload = SimpleUploadedFile("counts.csv", b"Category,Count\nA,lots\n")
    response = client.post(
        reverse("tools:counts_upload", kwargs={"pk": tool.project_id, "tool": tool.pk}),
        {"file": upload, "version": tool.version},
    )
    assert response.status_code == 200 and "needs a column of counts" in response.content.decode()


def test_affinity_notes_grouped_into_a_theme_that_seeds_a_primary_driver(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.partner)
    tool = start(client, projects.shared, ToolKind.AFFINITY, "What matters to you?")
    client.post(
        reverse("tools:notes_add", kwargs={"pk": tool.project_id, "tool": tool.pk}),
        {"version": tool.version, "notes": "Evening sessions\n- Texts not letters\n\nA named worker"},
    )
    assert tool.items.filter(kind=ItemKind.NOTE).count() == 3
    theme = add(client, tool, "theme", {"text": "Sessions that fit my life"})
    note = tool.items.get(text="Evening sessions")
    tool.refresh_from_db()
    client.post(
        reverse("tools:item_edit", kwargs={"pk": tool.project_id, "tool": tool.pk, "item": note.pk}),
        {"version": tool.version, "text": note.text, "parent": theme.pk},
    )
    tool.refresh_from_db()
    client.post(
        reverse("tools:seed_driver", kwargs={"pk": tool.project_id, "tool": tool.pk, "item": theme.pk}),
        {"version": tool.version},
    )
    driver = projects.shared.drivers.get(title="Sessions that fit my life")
    assert driver.parent is None
    assert AuditEvent.objects.filter(
        object_type="projects.driver", object_id=str(driver.pk), action="create"
    ).exists()
    body = page(client, tool)
    assert "Primary driver:" in body and "1 notes grouped" not in body
    assert "3 notes grouped into 1 themes" in body


def test_five_whys_branch_and_end_in_a_root_cause(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    tool = start(
        client, projects.shared, ToolKind.FIVE_WHYS, "Missed first sessions", "People miss the first session"
    )
    first = add(client, tool, "why", {"text": "they forget"})
    add(client, tool, "why", {"text": "the letter came late", "parent": first.pk, "marked": "on"})
    add(client, tool, "why", {"text": "no reminder is sent", "parent": first.pk})
    body = page(client, tool)
    assert "Root cause</strong>" in body and "★ Root cause: the letter came" in body
    # An answer cannot be moved under its own further answer.
    tool.refresh_from_db()
    child = tool.items.get(text="no reminder is sent")
    response = client.post(
        reverse("tools:item_edit", kwargs={"pk": tool.project_id, "tool": tool.pk, "item": first.pk}),
        {"version": tool.version, "text": "they forget", "parent": child.pk},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_stakeholders_have_a_table_alternative_with_the_approach(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    tool = start(client, projects.shared, ToolKind.STAKEHOLDERS, "Who cares about completion")
    add(
        client,
        tool,
        "stakeholder",
        {
            "text": "People on the waiting list",
            "influence": "2",
            "interest": "5",
            "is_service_user": "on",
            "note": "Co-design the letter",
        },
    )
    add(client, tool, "stakeholder", {"text": "Service manager", "influence": "5", "interest": "4"})
    body = page(client, tool)
    assert "Keep informed" in body and "Manage closely" in body and "Service users or carers" in body


def test_links_from_a_cycle_and_a_story_entry_and_the_cycle_panel(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    project = projects.shared
    tool = start(client, project, ToolKind.FISHBONE, "Causes")
    cycle = PDSACycleFactory(project=project, title="Text reminders")
    entry = StoryEntryFactory(project=project, title="Fishbone workshop")
    client.post(reverse("tools:link", kwargs={"pk": project.pk, "tool": tool.pk}), {"story_entry": entry.pk})
    client.post(reverse("tools:cycle_link", kwargs={"pk": project.pk, "cycle": cycle.pk}), {"tool": tool.pk})
    body = page(client, tool)
    assert "Story entry: <a" in body and "Fishbone workshop" in body and "PDSA cycle: <a" in body
    cycle_page = client.get(reverse("projects:pdsa_detail", kwargs={"pk": project.pk, "cycle_pk": cycle.pk}))
    assert "Causes" in cycle_page.content.decode() and 'id="tools"' in cycle_page.content.decode()
    # A tool of another project cannot be linked to this cycle.
    other = Tool.objects.create(project=projects.private, kind=ToolKind.PARETO, title="Private tool")
    client.post(reverse("tools:cycle_link", kwargs={"pk": project.pk, "cycle": cycle.pk}), {"tool": other.pk})
    assert not other.links.exists()


def test_history_timeline_and_storyboard(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.tools.exports import storyboard_items

    client = signed_in(world.lead)
    project = projects.shared
    tool = start(client, project, ToolKind.PARETO, "Drop-out reasons")
    add(client, tool, "bar", {"text": "Times offered", "count": "10"})
    assert storyboard_items(project) == []
    tool.refresh_from_db()
    client.post(
        reverse("tools:edit", kwargs={"pk": project.pk, "tool": tool.pk}),
        {"version": tool.version, "title": "Drop-out reasons", "subject": "", "include_in_storyboard": "on"},
    )
    [(title, svg, summary)] = storyboard_items(project)
    assert title == "Pareto chart: Drop-out reasons" and svg.startswith("<svg") and "vital few" in summary
    history = client.get(
        reverse("tools:history", kwargs={"pk": project.pk, "tool": tool.pk})
    ).content.decode()
    assert "Category ‘Times offered’ added" in history and "Pareto chart created" in history
    assert ToolVersion.objects.filter(tool=tool).count() == 3
    timeline = client.get(reverse("projects:timeline", kwargs={"pk": project.pk})).content.decode()
    assert "Pareto chart ‘Drop-out reasons’ created" in timeline


def test_a_sponsor_reads_but_cannot_change(world, projects) -> None:  # type: ignore[no-untyped-def]
    tool = start(signed_in(world.lead), projects.shared, ToolKind.FISHBONE, "Causes")
    sponsor = signed_in(world.sponsor)
    body = page(sponsor, tool)
    assert "Causes" in body and "Add a cause" not in body and "Change title" not in body
    url = reverse("tools:item_add", kwargs={"pk": tool.project_id, "tool": tool.pk, "item_type": "cause"})
    assert sponsor.post(url, {"version": tool.version, "text": "x"}).status_code == 403
    # An item type of another tool is not found.
    assert (
        signed_in(world.lead)
        .get(reverse("tools:item_add", kwargs={"pk": tool.project_id, "tool": tool.pk, "item_type": "step"}))
        .status_code
        == 404
    )


def test_a_cause_cannot_be_moved_under_its_own_sub_cause(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    tool = start(client, projects.shared, ToolKind.FISHBONE, "Causes")
    people = tool.items.get(text="People")
    cause = add(client, tool, "cause", {"text": "Shifts", "parent": people.pk})
    sub = add(client, tool, "cause", {"text": "Rota changes", "parent": cause.pk})
    tool.refresh_from_db()
    response = client.post(
        reverse("tools:item_edit", kwargs={"pk": tool.project_id, "tool": tool.pk, "item": cause.pk}),
        {"version": tool.version, "text": "Shifts", "parent": sub.pk},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    cause.refresh_from_db()
    assert cause.parent == people
