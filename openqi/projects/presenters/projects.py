"""Display of projects: list rows, the overview's summary list, and the public page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from openqi.organisations.scoping import scope_for
from openqi.projects.access import on_the_team, visible_projects
from openqi.projects.models import (
    PROGRESS_LEVELS,
    Lifecycle,
    Project,
    TeamMember,
    TeamRole,
)

LIFECYCLE_TAG_COLOUR: dict[str, str] = {
    Lifecycle.IDEA: "grey",
    Lifecycle.PROPOSED: "yellow",
    Lifecycle.APPROVED: "aqua-green",
    Lifecycle.ACTIVE: "blue",
    Lifecycle.SUSTAINING: "green",
    Lifecycle.COMPLETED: "green",
    Lifecycle.CLOSED: "red",
}


def my_project_rows(user: Any) -> list[ProjectRow]:
    """The person's current projects (as a current team member), for My projects and the home page."""
    mine = (
        visible_projects(user)
        .filter(on_the_team(user))
        .select_related("organisation", "service")
        .prefetch_related("team__user")
        .order_by("title")
    )
    return [ProjectRow.of(p) for p in mine]


def home_panel(request: Any) -> dict[str, Any] | None:
    """The home page's projects panel: the person's current projects, or where to find and start one."""
    rows = my_project_rows(request.user)
    if not rows and not scope_for(request.user).memberships:
        return None
    return {"rows": rows}


def lifecycle_tag(project: Project) -> dict[str, str]:
    return {
        "text": project.get_lifecycle_display(),
        "classes": f"nhsuk-tag--{LIFECYCLE_TAG_COLOUR[project.lifecycle]}",
    }


def _current(team: list[TeamMember], role: str) -> list[str]:
    return [m.user.display_name for m in team if m.role == role and m.left_on is None]


@dataclass
class ProjectRow:
    project: Project
    href: str
    tag: dict[str, str]
    leads: list[str]
    coaches: list[str]
    score_due: bool

    @classmethod
    def of(cls, project: Project) -> ProjectRow:
        team = list(project.team.all())  # prefetched by the view
        return cls(
            project=project,
            href=reverse("projects:detail", kwargs={"pk": project.pk}),
            tag=lifecycle_tag(project),
            leads=_current(team, TeamRole.LEAD),
            coaches=_current(team, TeamRole.COACH),
            score_due=project.score_review_due(),
        )


@dataclass
class TeamRow:
    name: str
    email: str
    role: str
    joined_on: Any
    left_on: Any
    member_pk: int


@dataclass
class Overview:
    project: Project
    tag: dict[str, str]
    summary_rows: list[dict[str, Any]]
    current_team: list[TeamRow]
    score_due: bool
    score_history: list[Any] = field(default_factory=list)


def overview(project: Project) -> Overview:
    team = list(project.team.select_related("user"))
    rows: list[dict[str, Any]] = [
        {"key": {"text": "Stage"}, "value": {"text": project.get_lifecycle_display()}},
        {"key": {"text": "Progress score"}, "value": {"text": project.progress_label}},
        {
            "key": {"text": "Directorate"},
            "value": {"text": project.directorate.name if project.directorate else "Not set"},
        },
        {
            "key": {"text": "Service"},
            "value": {"text": project.service.name if project.service else "Not set"},
        },
        {"key": {"text": "Co-production"}, "value": {"text": project.get_coproduction_display()}},
        {"key": {"text": "Visibility"}, "value": {"text": project.get_visibility_display()}},
        {
            "key": {"text": "Strategic priorities"},
            "value": {"text": ", ".join(p.name for p in project.priorities.all()) or "None"},
        },
        {"key": {"text": "Dates"}, "value": {"text": _dates(project)}},
    ]
    if project.approved_on:
        rows.insert(
            1,
            {
                "key": {"text": "Approved"},
                "value": {"text": f"{project.approved_on:%-d %B %Y} by {project.approved_by}"},
            },
        )
    if project.lifecycle == Lifecycle.CLOSED and project.closed_reason:
        rows.insert(1, {"key": {"text": "Closed because"}, "value": {"text": project.closed_reason}})
    current = [
        TeamRow(m.user.display_name, m.user.email, m.get_role_display(), m.joined_on, m.left_on, m.pk)
        for m in team
        if m.left_on is None
    ]
    return Overview(
        project=project,
        tag=lifecycle_tag(project),
        summary_rows=rows,
        current_team=current,
        score_due=project.score_review_due(),
        score_history=list(project.score_changes.select_related("changed_by")[:5]),
    )


def _dates(project: Project) -> str:
    start = f"{project.start_date:%-d %B %Y}" if project.start_date else "not set"
    end = f"{project.expected_end_date:%-d %B %Y}" if project.expected_end_date else "not set"
    return f"Start {start}; expected end {end}"


@dataclass
class PublicPage:
    """What the no-sign-in page may show: the record, and only the names members agreed to show."""

    project: Project
    names: list[tuple[str, str]]
    score: str


def public_page(project: Project) -> PublicPage:
    names = [
        (m.user.name, m.get_role_display())
        for m in project.team.select_related("user").filter(left_on__isnull=True, show_name_publicly=True)
        if m.user.name
    ]
    score = project.progress_label if project.progress_score is not None else "Not scored yet"
    return PublicPage(project=project, names=names, score=score)


def score_choices_with_hints() -> list[dict[str, Any]]:
    return [
        {"value": str(k), "text": f"{k} – {label}", "hint": {"text": meaning}}
        for k, (label, meaning) in PROGRESS_LEVELS.items()
    ]
