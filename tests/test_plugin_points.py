"""The plug-in points (docs/adr/0012-layers-and-plug-in-points.md): an app above `projects` puts a panel,
a tab, timeline events, PDSA-cycle panels, search text, home panels and navigation on pages it does not
own, and those pages show exactly what is registered — nothing is hard-coded for the measures app."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from openqi.core import plugins as core_plugins
from openqi.core.plugins import Panel, PluginPoint
from openqi.projects import plugins, search
from openqi.projects.access import Level, visible_projects
from openqi.projects.models import Project
from openqi.projects.tests.factories import PDSACycleFactory, StoryEntryFactory

# A template the tests' panels render, from the Jinja loader's point of view an ordinary template.
PANEL = "projects/_test_panel.jinja"


@pytest.fixture
def panel_template(settings, tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "projects"
    folder.mkdir()
    (folder / "_test_panel.jinja").write_text('<p data-testid="plug-in">{{ panel.words }}</p>')
    engine = next(t for t in settings.TEMPLATES if t["BACKEND"].endswith("Jinja2"))
    engine = dict(engine, DIRS=[str(tmp_path), *engine.get("DIRS", [])])
    settings.TEMPLATES = [engine if t["BACKEND"].endswith("Jinja2") else t for t in settings.TEMPLATES]
    return PANEL


# These tests change registrations while the process runs, as only a deploy does in life (the page cache's
# keys carry the code, not registrations made at run time): every request renders its page.
pytestmark = pytest.mark.usefixtures("rendered_pages")


def signed_in(person: object) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_point_keeps_order_and_replaces_by_key() -> None:
    point: PluginPoint[str] = PluginPoint("test")
    point.register("second", key="b", order=20)
    point.register("first", key="a", order=10)
    point.register("FIRST", key="a", order=10)  # a ready() that runs twice adds nothing twice
    assert list(point) == ["FIRST", "second"] and len(point) == 2
    with point.contributing("temporary", key="c", order=5):
        assert list(point)[0] == "temporary"
    assert point.names() == ["a", "b"]


def test_measures_contributes_through_every_project_point() -> None:
    # The measures app is wired in only by registration (its AppConfig.ready()).
    assert "measures" in plugins.project_tabs.names()
    assert "measures" in plugins.overview_panels.names()
    assert "measures" in plugins.cycle_panels.names()
    assert "measure_annotation" in plugins.timeline_sources.names()
    assert "measures" in core_plugins.navigation.names()


def test_an_overview_panel_shows_only_when_registered(world, projects, panel_template) -> None:  # type: ignore[no-untyped-def]
    url = reverse("projects:detail", kwargs={"pk": projects.private.pk})
    client = signed_in(world.lead)

    def context(project: Project, level: Level) -> dict[str, str] | None:
        return {"words": f"Coaching for {project.title} at level {int(level)}"}

    with plugins.overview_panels.contributing(Panel(panel_template, context), key="coaching"):
        page = client.get(url).content.decode()
        assert f"Coaching for {projects.private.title} at level {int(Level.ADMIN)}" in page
    assert "Coaching for" not in client.get(url).content.decode()


def test_a_panel_that_returns_none_is_hidden(world, projects, panel_template) -> None:  # type: ignore[no-untyped-def]
    with plugins.overview_panels.contributing(Panel(panel_template, lambda project, level: None), key="x"):
        page = signed_in(world.lead).get(reverse("projects:detail", kwargs={"pk": projects.private.pk}))
    assert 'data-testid="plug-in"' not in page.content.decode()


def test_the_measures_family_leaves_the_overview_with_its_registration(world, projects) -> None:  # type: ignore[no-untyped-def]
    url = reverse("projects:detail", kwargs={"pk": projects.private.pk})
    client = signed_in(world.lead)
    assert 'data-testid="family-of-measures"' in client.get(url).content.decode()
    family = plugins.overview_panels.get("measures")
    plugins.overview_panels.unregister("measures")
    try:
        assert 'data-testid="family-of-measures"' not in client.get(url).content.decode()
    finally:
        assert family is not None
        plugins.overview_panels.register(family, key="measures")


def test_a_tab_appears_for_the_level_it_asks(world, projects) -> None:  # type: ignore[no-untyped-def]
    tab = plugins.ProjectTab("projects:audit", "Coaching notes", Level.ADMIN)
    url = reverse("projects:detail", kwargs={"pk": projects.shared.pk})
    with plugins.project_tabs.contributing(tab, key="coaching", order=45):
        assert "Coaching notes" in signed_in(world.lead).get(url).content.decode()
        assert "Coaching notes" not in signed_in(world.member).get(url).content.decode()


def test_a_cycle_panel_reaches_the_cycle_page(world, projects, panel_template) -> None:  # type: ignore[no-untyped-def]
    cycle = PDSACycleFactory(project=projects.private)
    url = reverse("projects:pdsa_detail", kwargs={"pk": projects.private.pk, "cycle_pk": cycle.pk})
    panel = Panel(panel_template, lambda cycle, level: {"words": f"Tools used in {cycle.title}"})
    with plugins.cycle_panels.contributing(panel, key="tools"):
        assert f"Tools used in {cycle.title}" in signed_in(world.lead).get(url).content.decode()


def test_a_timeline_source_adds_events(world, projects) -> None:  # type: ignore[no-untyped-def]
    def meetings(project: Project) -> list[SimpleNamespace]:
        return [SimpleNamespace(kind="meeting", date=dt.date(2025, 3, 4), title="Team meeting: data review")]

    url = reverse("projects:timeline", kwargs={"pk": projects.private.pk})
    with plugins.timeline_sources.contributing(
        plugins.TimelineSource("meeting", "Meetings", meetings), key="m"
    ):
        page = signed_in(world.lead).get(url, {"kind": "meeting"}).content.decode()
    assert "Team meeting: data review" in page and "Meetings" in page


def test_a_search_source_makes_search_find_its_text(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    source = plugins.SearchSource(lambda p: ["fishbone about handover delays"] if p.pk == project.pk else [])
    visible = visible_projects(world.member)
    with plugins.search_sources.contributing(source, key="tools"):
        search.index_project(project)
        assert list(search.search(visible, "fishbone handover")) == [project]
    search.index_project(project)
    assert not search.search(visible, "fishbone handover").exists()


def test_story_text_is_a_search_source_that_follows_saves(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    entry = StoryEntryFactory(project=project, title="Huddle", text="we tried a kanban board")
    visible = visible_projects(world.member)
    assert list(search.search(visible, "kanban")) == [project]
    entry.delete()
    assert not search.search(visible, "kanban").exists()


def test_home_panels_and_navigation_come_from_registrations(world, panel_template) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.coach)
    home = reverse("core:home")
    section = core_plugins.NavSection(
        "projects:mine", "My caseload", visible=lambda user: user == world.coach
    )
    panel = Panel(panel_template, lambda request: {"words": f"Caseload of {request.user.display_name}"})
    with (
        core_plugins.navigation.contributing(section, key="coaching"),
        core_plugins.home_panels.contributing(panel, key="coaching"),
    ):
        page = client.get(home).content.decode()
        assert "My caseload" in page and f"Caseload of {world.coach.display_name}" in page
        assert "My caseload" not in signed_in(world.member).get(home).content.decode()
    assert "My caseload" not in client.get(home).content.decode()


def test_a_watcher_sees_contributions_before_and_after_it_watches() -> None:
    point: PluginPoint[str] = PluginPoint("test")
    point.register("early", key="a")
    seen: list[str] = []
    point.watch(seen.append)
    point.register("late", key="b")
    assert seen == ["early", "late"]


def test_search_follows_only_the_models_its_sources_name() -> None:
    """Search keeps up with story entries, but listens to no other model's deletes: a receiver for every
    sender would turn off Django's fast delete, so deleting a measure would load each of its points."""
    from django.db.models.signals import post_delete

    from openqi.measures.models import DataPoint
    from openqi.projects.models import StoryEntry

    assert post_delete.has_listeners(StoryEntry)
    assert not post_delete.has_listeners(DataPoint)
