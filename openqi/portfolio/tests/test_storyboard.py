"""A project's storyboard, poster and slides: opened and read, not just made."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from openqi.measures.models import Annotation, MeasureType
from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
from openqi.portfolio.tests.helpers import pdf_images, pdf_pages, slides
from openqi.projects.models import ActDecision, StoryCategory, TeamRole
from openqi.projects.tests.factories import (
    ChangeIdeaFactory,
    DriverFactory,
    PDSACycleFactory,
    StoryEntryFactory,
    TeamMemberFactory,
)

# A4 and A3 portrait in points.
A4 = (595.3, 841.9)
A3 = (841.9, 1190.6)


def _rich(project, world) -> None:  # type: ignore[no-untyped-def]
    project.aim_what = "Increase the proportion of service users who complete Low Intensity CBT"
    project.aim_baseline, project.aim_target = "45%", "60%"
    project.save()
    primary = DriverFactory(project=project, title="Engaging people before their first session")
    secondary = DriverFactory(project=project, title="Reminders that work", parent=primary)
    idea = ChangeIdeaFactory(project=project, title="Text message reminders")
    idea.drivers.add(secondary)
    PDSACycleFactory(
        project=project, change_idea=idea, title="Texts on one team", act_decision=ActDecision.ADAPT
    )
    PDSACycleFactory(
        project=project, change_idea=idea, title="Texts on all teams", act_decision=ActDecision.ADOPT
    )
    StoryEntryFactory(project=project, category=StoryCategory.MILESTONE, title="First cohort finished")
    StoryEntryFactory(
        project=project,
        category=StoryCategory.LEARNING,
        title="Ask early",
        text="Ask people what suits them.",
    )
    link = ProjectMeasureFactory(project=project, measure_type=MeasureType.OUTCOME)
    link.measure.name = "Completion of Low Intensity CBT"
    link.measure.save()
    add_points(link.measure, [(40 + (i % 5), 90) for i in range(20)])
    Annotation.objects.create(
        measure=link.measure, project=project, period=dt.date(2025, 2, 3), text="Text reminders began"
    )
    ProjectMeasureFactory(project=project, measure_type=MeasureType.BALANCING)


def test_the_storyboard_pdf_poster_and_slides(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    _rich(project, world)
    project.team.filter(user=world.lead).update(show_name_publicly=True)
    client = Client()
    client.force_login(world.member)

    board = client.get(reverse("portfolio:export", kwargs={"pk": project.pk, "kind": "storyboard.pdf"}))
    assert board.status_code == 200 and board["Content-Type"] == "application/pdf"
    pages, text, size = pdf_pages(board.content)
    assert pages >= 1 and abs(size[0] - A4[0]) < 2 and abs(size[1] - A4[1]) < 2
    for words in (
        "Increase the proportion of service users",
        "Engaging people before their first session",
        "Text message reminders",
        "Completion of Low Intensity CBT",
        "Text reminders began",
        "First cohort finished",
        "Ask early",
        "1 adapt",
        "Tom Price",
    ):
        assert words in text.replace("\n", " "), words
    # Only the lead agreed to show their name: the partner, coach and sponsor are counted, not named.
    assert "Sam Taylor" not in text and "Dan Okafor" not in text
    assert "3 team members not named here" in text.replace("\n", " ")
    # The charts are embedded (SVG becomes PDF drawings: XObjects), not linked.
    assert pdf_images(board.content) > 0

    poster = client.get(reverse("portfolio:export", kwargs={"pk": project.pk, "kind": "poster.pdf"}))
    pages, text, size = pdf_pages(poster.content)
    assert abs(size[0] - A3[0]) < 2 and abs(size[1] - A3[1]) < 2
    assert "Text message reminders" in text

    deck = client.get(reverse("portfolio:export", kwargs={"pk": project.pk, "kind": "storyboard.pptx"}))
    assert deck["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.presentationml")
    count, text, pictures = slides(deck.content)
    assert count == 7  # title, drivers, two charts, PDSA, highlights, lessons
    assert pictures == 2
    assert "Completion of Low Intensity CBT" in text and "Text message reminders" in text
    assert "Sam Taylor" not in text


def test_an_unknown_export_is_not_found(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.lead)
    assert (
        client.get(
            reverse("portfolio:export", kwargs={"pk": projects.shared.pk, "kind": "x.doc"})
        ).status_code
        == 404
    )


def test_the_project_page_links_its_exports(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.lead)
    html = client.get(reverse("projects:detail", kwargs={"pk": projects.shared.pk})).content.decode()
    assert reverse("portfolio:export", kwargs={"pk": projects.shared.pk, "kind": "poster.pdf"}) in html


def test_a_team_with_nothing_yet_still_gets_a_storyboard(world) -> None:  # type: ignore[no-untyped-def]
    from openqi.projects.tests.factories import ProjectFactory

    project = ProjectFactory(organisation=world.trust, title="Just started")
    TeamMemberFactory(project=project, user=world.lead, role=TeamRole.LEAD)
    client = Client()
    client.force_login(world.lead)
    response = client.get(reverse("portfolio:export", kwargs={"pk": project.pk, "kind": "storyboard.pdf"}))
    _pages, text, _size = pdf_pages(response.content)
    assert "No driver diagram yet" in text and "No measures yet" in text
    assert pdf_images(response.content) == 0
    count, _text, pictures = slides(
        client.get(reverse("portfolio:export", kwargs={"pk": project.pk, "kind": "storyboard.pptx"})).content
    )
    assert count == 5 and pictures == 0


def test_tools_the_team_chose_are_in_the_storyboard(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.tools import services as tool_services
    from openqi.tools.models import ToolKind

    chosen = tool_services.create_tool(
        projects.shared,
        kind=ToolKind.FISHBONE,
        title="Why people miss sessions",
        subject="Missed sessions",
        by=world.lead,
    )
    chosen.include_in_storyboard = True
    chosen.save()
    tool_services.create_tool(
        projects.shared, kind=ToolKind.FIVE_WHYS, title="Not chosen", subject="x", by=world.lead
    )
    client = Client()
    client.force_login(world.lead)
    board = client.get(
        reverse("portfolio:export", kwargs={"pk": projects.shared.pk, "kind": "storyboard.pdf"})
    )
    _pages, text, _size = pdf_pages(board.content)
    assert "Why people miss sessions" in text and "Not chosen" not in text
    deck = client.get(
        reverse("portfolio:export", kwargs={"pk": projects.shared.pk, "kind": "storyboard.pptx"})
    )
    count, text, pictures = slides(deck.content)
    assert count == 6 and pictures == 1 and "Why people miss sessions" in text


def test_the_team_chooses_the_story_highlights(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    StoryEntryFactory(project=project, category=StoryCategory.MILESTONE, title="Default milestone")
    chosen = StoryEntryFactory(
        project=project, category=StoryCategory.MEETING, title="The huddle that changed it"
    )
    client = Client()
    client.force_login(world.partner)
    url = reverse("portfolio:highlights", kwargs={"pk": project.pk})
    assert "The huddle that changed it" in client.get(url).content.decode()
    response = client.post(url, {"entries": [chosen.pk]})
    assert response.status_code == 302
    deck = client.get(reverse("portfolio:export", kwargs={"pk": project.pk, "kind": "storyboard.pptx"}))
    _count, text, _pictures = slides(deck.content)
    assert "The huddle that changed it" in text and "Default milestone" not in text
    # An entry of another project cannot be chosen.
    other = StoryEntryFactory(project=projects.private, title="Elsewhere")
    refused = client.post(url, {"entries": [other.pk]})
    assert refused.status_code == 400 and "Select entries from the list" in refused.content.decode()
