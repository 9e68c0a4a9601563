"""The project's section navigation and the context every page inside a project shares. Sections are
the tabs registered on `plugins.project_tabs`: the project's own, and those of apps above it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from openqi.projects import plugins
from openqi.projects.access import Level
from openqi.projects.models import Project


@dataclass(frozen=True)
class NavItem:
    key: str
    href: str
    text: str


def project_sections(project: Project, level: Level) -> list[NavItem]:
    items = []
    for key in plugins.project_tabs.names():
        tab = plugins.project_tabs.get(key)
        if tab is None or level < tab.level:
            continue
        try:
            items.append(NavItem(key, reverse(tab.url_name, kwargs={"pk": project.pk}), tab.text))
        except NoReverseMatch:  # a tab whose app is not installed
            continue
    return items


def project_context(project: Project, level: Level, section: str, **extra: Any) -> dict[str, Any]:
    """The context every page inside a project needs for projects/_layout.jinja."""
    return {
        "project": project,
        "level": level,
        "section": section,
        "sections": project_sections(project, level),
        **extra,
    }
