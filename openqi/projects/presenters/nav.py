"""The project's section navigation. Sections appear as their features exist (their URL names resolve)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from openqi.projects.access import Level
from openqi.projects.models import Project

# (section key, URL name, link text, level needed to see the link)
SECTIONS: list[tuple[str, str, str, Level]] = [
    ("overview", "projects:detail", "Overview", Level.VIEW),
    ("team", "projects:team", "Team", Level.VIEW),
    ("drivers", "projects:drivers", "Driver diagram", Level.VIEW),
    ("pdsa", "projects:pdsa_list", "PDSA cycles", Level.VIEW),
    ("measures", "measures:project_measures", "Measures", Level.VIEW),
    ("story", "projects:story", "Story log", Level.VIEW),
    ("timeline", "projects:timeline", "Timeline", Level.VIEW),
    ("audit", "projects:audit", "Audit trail", Level.ADMIN),
]


@dataclass(frozen=True)
class NavItem:
    key: str
    href: str
    text: str


def project_sections(project: Project, level: Level) -> list[NavItem]:
    items = []
    for key, name, text, need in SECTIONS:
        if level < need:
            continue
        try:
            items.append(NavItem(key, reverse(name, kwargs={"pk": project.pk}), text))
        except NoReverseMatch:
            continue
    return items
