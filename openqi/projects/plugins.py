"""The plug-in points on a project: apps above `projects` (measures, coaching, meetings, learning, tools,
portfolio) put their panels, tabs, timeline events and search text on a project through these, and
`projects` never imports them. Register in your AppConfig.ready(); see
docs/adr/0012-layers-and-plug-in-points.md for a worked example.

Every contribution receives a project the person is already allowed to see (and their access level):
it must reach its own rows only through that project, so it cannot show what the page's reader may
not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openqi.core.plugins import Panel, PluginPoint

if TYPE_CHECKING:
    from openqi.projects.access import Level


@dataclass(frozen=True)
class ProjectTab:
    """A section in the project's navigation: the URL name takes the project's `pk`; the tab shows to
    people with at least `level` on the project."""

    url_name: str
    text: str
    level: Level


@dataclass(frozen=True)
class TimelineSource:
    """Dated events on the project timeline. `events(project)` yields TimelineItem (or objects of the same
    shape: kind, date, title, and optionally detail, link, at, who); `kind` is what a reader filters by."""

    kind: str
    label: str
    events: Callable[[Any], Iterable[Any]]


@dataclass(frozen=True)
class SearchSource:
    """Text an app adds to a project's search document, so that search finds the project by it.
    `text(project)` yields strings; `changes_with` lists the models whose saves change that text (the
    search index follows their saves and deletes)."""

    text: Callable[[Any], Iterable[str]]
    changes_with: tuple[type, ...] = ()
    # How the model's row leads to its project, to re-index after its save.
    project_of: Callable[[Any], Any] = lambda instance: getattr(instance, "project_id", None)


@dataclass(frozen=True)
class MemberColumn:
    """A column in the project's team table: `heading`, and `values(project, members, level)` giving a
    short text (or Markup) per membership pk for the current members; one call per page, not per member."""

    heading: str
    values: Callable[[Any, list[Any], Level], dict[int, Any]]


# Panels on the project overview, below the aim; context(project, level) -> dict | None.
overview_panels: PluginPoint[Panel] = PluginPoint("project overview panels")

# Sections of the project's navigation ("tabs"), in order.
project_tabs: PluginPoint[ProjectTab] = PluginPoint("project tabs")

# Sources of the project timeline.
timeline_sources: PluginPoint[TimelineSource] = PluginPoint("project timeline sources")

# Panels on a PDSA cycle page; context(cycle, level) -> dict | None.
cycle_panels: PluginPoint[Panel] = PluginPoint("PDSA cycle panels")

# Panels on the project's team page, below the team; context(project, level) -> dict | None.
team_panels: PluginPoint[Panel] = PluginPoint("project team panels")

# Columns of the team table (e.g. each member's training).
member_columns: PluginPoint[MemberColumn] = PluginPoint("project team columns")

# Text that search finds a project by.
search_sources: PluginPoint[SearchSource] = PluginPoint("project search sources")
