"""The demo gives the LI CBT project all six tools, linked into its driver diagram, a PDSA cycle and the
story log; the pages show them; seeding twice adds nothing."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from openqi.accounts.models import User
from openqi.projects.demo import TALKING_THERAPIES
from openqi.projects.models import Project
from openqi.tools.exports import storyboard_items
from openqi.tools.models import Tool, ToolItem, ToolKind, ToolLink, ToolVersion


def test_the_demo_has_all_six_tools_on_the_li_cbt_project_and_is_idempotent(db: None) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        Tool.objects.count(),
        ToolItem.objects.count(),
        ToolVersion.objects.count(),
        ToolLink.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        Tool.objects.count(),
        ToolItem.objects.count(),
        ToolVersion.objects.count(),
        ToolLink.objects.count(),
    ) == counts

    project = Project.objects.get(title=TALKING_THERAPIES)
    assert {tool.kind for tool in project.tools.all()} == set(ToolKind.values)
    # Linked into the driver diagram: causes, root causes and themes name its drivers and ideas.
    assert ToolItem.objects.filter(tool__project=project, driver__project=project).count() >= 5
    assert ToolItem.objects.filter(tool__project=project, change_idea__project=project).count() >= 2
    assert ToolLink.objects.filter(tool__project=project, cycle__isnull=False).exists()
    assert ToolLink.objects.filter(tool__project=project, story_entry__isnull=False).exists()
    titles = [title for title, _svg, _summary in storyboard_items(project)]
    # In the order the team used them.
    assert titles == [
        "Process map: Step 2 pathway as it is today",
        "Cause and effect (fishbone) diagram: Why people do not complete LI CBT",
        "Pareto chart: Reasons for stopping LI CBT (survey, autumn 2025)",
    ]

    client = Client()
    client.force_login(User.objects.get(email="sam.taylor.partner@example.com"))
    listing = client.get(reverse("tools:project_tools", kwargs={"pk": project.pk})).content.decode()
    for tool in project.tools.all():
        assert tool.title in listing
        page = client.get(reverse("tools:detail", kwargs={"pk": project.pk, "tool": tool.pk}))
        assert page.status_code == 200 and "<svg" in page.content.decode()
    pareto = project.tools.get(kind=ToolKind.PARETO)
    body = client.get(reverse("tools:detail", kwargs={"pk": project.pk, "tool": pareto.pk})).content.decode()
    assert "Of 100 counted, 4 of 7 categories" in body
