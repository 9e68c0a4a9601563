"""Projects: the list (the projects page's filters and search, over what the caller may see) and one
project's record — aim, stage, progress score and its history, team with roles and dates, co-production,
strategic priorities, visibility."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router
from pydantic import Field

from openqi.api.base import Out
from openqi.api.common import (
    LEVEL_NAMES,
    Choice,
    PersonRef,
    Ref,
    form_problem,
    page_url,
    person_ref,
    project_or_404,
    responses,
)
from openqi.api.pagination import PageQuery, paginate
from openqi.projects import filters
from openqi.projects.forms.project import ProjectFilterForm
from openqi.projects.models import CoproductionLevel, Lifecycle, Project, TeamMember, TeamRole

router = Router(tags=["Projects"])


class ProjectQuery(PageQuery):
    """The filters of the projects page; each narrows the list, all together narrow it further."""

    q: str | None = Field(None, max_length=200, description="Search titles, aims, problems and story logs.")
    directorate: int | None = Field(None, description="A directorate's id (see /organisations/{id}).")
    service: int | None = Field(None, description="A service's id.")
    stage: Lifecycle | None = Field(None, description="The project's stage.")
    score: float | None = Field(
        None, ge=0.5, le=5.0, description="Progress score at least this (0.5 to 5.0)."
    )
    priority: int | None = Field(None, description="A strategic priority's id.")
    coproduction: CoproductionLevel | None = Field(None, description="How service users are involved.")
    coach: int | None = Field(None, description="The id of the QI coach on the team.")


class ProjectSummary(Out):
    id: int
    title: str
    url: str = Field(description="This project in the API.")
    page_url: str = Field(description="This project's page in OpenQI.")
    organisation: Ref
    directorate: Ref | None
    service: Ref | None
    stage: Choice
    progress_score: float | None
    progress_label: str
    score_review_due: bool = Field(description="The progress score has not been reviewed for 30 days.")
    visibility: Choice
    coproduction: Choice
    leads: list[PersonRef]
    coaches: list[PersonRef]
    updated_at: dt.datetime


class ProjectPage(Out):
    count: int
    next: str | None
    previous: str | None
    items: list[ProjectSummary]


class Aim(Out):
    statement: str = Field(description="The aim as one sentence, built from its parts.")
    what: str
    for_whom: str
    baseline: str
    target: str
    by: dt.date | None


class ScoreChange(Out):
    score: float
    previous_score: float | None
    note: str
    changed_by: PersonRef | None
    changed_at: dt.datetime


class Progress(Out):
    score: float | None
    label: str
    reviewed_at: dt.datetime | None
    review_due: bool
    history: list[ScoreChange] = Field(description="Every review, newest first.")


class TeamMemberOut(Out):
    person: PersonRef
    role: Choice
    joined_on: dt.date
    left_on: dt.date | None
    current: bool


class ProjectLinks(Out):
    driver_diagram: str
    pdsa_cycles: str
    story_entries: str
    measures: str
    exports: str = Field(description="The project's storyboard, poster and slides (portfolio).")


class ProjectDetail(ProjectSummary):
    your_access: str = Field(description="What the caller may do: view, edit or admin.")
    problem: str
    aim: Aim
    start_date: dt.date | None
    expected_end_date: dt.date | None
    approved_on: dt.date | None
    approved_by: str
    closed_reason: str
    progress: Progress
    team: list[TeamMemberOut]
    strategic_priorities: list[Ref]
    links: ProjectLinks


def _ref(obj: Any) -> Ref | None:
    return Ref(id=obj.pk, name=obj.name) if obj is not None else None


def _score(value: Any) -> float | None:
    return float(value) if value is not None else None


def summary_fields(
    request: HttpRequest, project: Project, team: list[TeamMember] | None = None
) -> dict[str, Any]:
    team = [m for m in (project.team.all() if team is None else team) if m.left_on is None]  # prefetched
    return {
        "id": project.pk,
        "title": project.title,
        "url": request.build_absolute_uri(reverse("api:project", kwargs={"project_id": project.pk})),
        "page_url": page_url(request, "projects:detail", pk=project.pk),
        "organisation": _ref(project.organisation),
        "directorate": _ref(project.directorate),
        "service": _ref(project.service),
        "stage": Choice(code=project.lifecycle, label=project.get_lifecycle_display()),
        "progress_score": _score(project.progress_score),
        "progress_label": project.progress_label,
        "score_review_due": project.score_review_due(),
        "visibility": Choice(code=project.visibility, label=project.get_visibility_display()),
        "coproduction": Choice(code=project.coproduction, label=project.get_coproduction_display()),
        "leads": [person_ref(m.user) for m in team if m.role == TeamRole.LEAD],
        "coaches": [person_ref(m.user) for m in team if m.role == TeamRole.COACH],
        "updated_at": project.updated_at,
    }


_FORM_FIELD = {"lifecycle": "stage"}


@router.get(
    "/projects",
    response=responses({200: ProjectPage}, 422),
    url_name="projects",
    summary="Projects you may see, filtered and searched as on the projects page",
)
def project_list(request: HttpRequest, query: Query[ProjectQuery]) -> dict[str, Any]:
    data = {
        "q": query.q,
        "directorate": query.directorate,
        "service": query.service,
        "lifecycle": query.stage.value if query.stage else None,
        "score": f"{query.score:.1f}" if query.score is not None else None,
        "priority": query.priority,
        "coproduction": query.coproduction.value if query.coproduction else None,
        "coach": query.coach,
    }
    # Without filters there is nothing to check (and the form's choices, the coaches, need no query).
    given = {k: v for k, v in data.items() if v is not None}
    form = (
        filters.filter_form(request.user, given)
        if given
        else ProjectFilterForm(organisation_ids=[], coaches=[])
    )
    if form.is_bound and not form.is_valid():
        names = {name: f"query.{_FORM_FIELD.get(name, name)}" for name in form.fields}
        raise form_problem(
            form, "A filter does not match anything you can filter by: see `errors`.", names=names
        )
    projects = (
        filters.filtered_projects(request.user, form)
        .select_related("organisation", "directorate", "service")
        .prefetch_related("team__user")
        .order_by("title", "pk")
    )
    page = paginate(request, projects, query)
    return page.out(lambda p: summary_fields(request, p))


@router.get(
    "/projects/{project_id}",
    response=responses({200: ProjectDetail}, 404),
    url_name="project",
    summary="A project's record, team and progress",
)
def project_detail(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project, level = project_or_404(request, project_id)
    team = list(project.team.select_related("user").order_by("left_on", "role", "joined_on", "pk"))
    history = project.score_changes.select_related("changed_by")

    def link(name: str) -> str:
        return request.build_absolute_uri(reverse(f"api:{name}", kwargs={"project_id": project.pk}))

    fields = summary_fields(request, project, team)
    return {
        **fields,
        "your_access": LEVEL_NAMES[level],
        "problem": project.problem,
        "aim": Aim(
            statement=project.aim_statement,
            what=project.aim_what,
            for_whom=project.aim_for_whom,
            baseline=project.aim_baseline,
            target=project.aim_target,
            by=project.aim_by,
        ),
        "start_date": project.start_date,
        "expected_end_date": project.expected_end_date,
        "approved_on": project.approved_on,
        "approved_by": project.approved_by,
        "closed_reason": project.closed_reason,
        "progress": Progress(
            score=_score(project.progress_score),
            label=project.progress_label,
            reviewed_at=project.progress_reviewed_at,
            review_due=project.score_review_due(),
            history=[
                ScoreChange(
                    score=float(c.score),
                    previous_score=_score(c.previous_score),
                    note=c.note,
                    changed_by=person_ref(c.changed_by),
                    changed_at=c.changed_at,
                )
                for c in history
            ],
        ),
        "team": [
            TeamMemberOut(
                person=PersonRef(id=m.user.pk, name=m.user.display_name),
                role=Choice(code=m.role, label=m.get_role_display()),
                joined_on=m.joined_on,
                left_on=m.left_on,
                current=m.left_on is None,
            )
            for m in team
        ],
        "strategic_priorities": [Ref(id=p.pk, name=p.name) for p in project.priorities.all()],
        "links": ProjectLinks(
            driver_diagram=link("driver_diagram"),
            pdsa_cycles=link("pdsa_cycles"),
            story_entries=link("story_entries"),
            measures=link("measures"),
            exports=link("project_exports"),
        ),
    }
