"""Tools for understanding the system: a project's process maps, fishbones, Pareto charts, 5 whys,
stakeholder analyses and affinity diagrams, with their items, summary and (for a Pareto chart) the
numbers qicharts2's paretochart() gives; and starting a tool, through the page's form (the personal-data
guard included) and the tools' service, which audits and keeps the tool's history."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from openqi.api.base import Out
from openqi.api.common import BODY, Choice, form_problem, page_url, project_or_404, responses
from openqi.api.problems import Problem
from openqi.core.concurrency import EditConflict
from openqi.projects.access import Level
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.tools import presenters, services
from openqi.tools.forms import ITEM_FORMS, ToolForm
from openqi.tools.models import Tool, ToolKind

router = Router(tags=["Tools"])


class ToolItemOut(Out):
    id: int
    kind: Choice
    text: str
    parent: int | None = Field(
        description="The item it sits under: a cause's category, a why's answer, a note's theme."
    )
    position: int
    lane: str = Field(description="Process map: the swimlane (role). Stakeholders: the kind of stakeholder.")
    note: str = Field(
        description="Process map: what goes wrong here. Stakeholders: how the team will involve them."
    )
    data_collected: bool
    next_label: str
    branch_label: str
    branch_to: int | None
    marked: bool = Field(description="Fishbone: the team will act on it. 5 whys: a root cause.")
    votes: int
    count: int | None
    influence: int | None
    interest: int | None
    is_service_user: bool
    driver: int | None
    change_idea: int | None


class ParetoBarOut(Out):
    category: str
    count: int
    cumulative_count: int
    percentage: float
    cumulative_percentage: float
    vital_few: bool


class ToolOut(Out):
    id: int
    kind: Choice
    title: str
    subject: str
    summary: str = Field(description="What the tool shows, in plain words.")
    include_in_storyboard: bool
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    items: list[ToolItemOut]
    pareto: list[ParetoBarOut] | None = Field(
        description="A Pareto chart's bars, most frequent first, as qicharts2's paretochart() orders them."
    )
    page_url: str
    svg_url: str


class ToolIn(Schema):
    kind: ToolKind
    title: str = Field(max_length=200)
    subject: str = Field("", max_length=300, description="The effect, problem or question the tool is about.")
    confirm_no_personal_data: bool = False


def tool_out(request: HttpRequest, tool: Tool) -> ToolOut:
    view = presenters.view_of(tool)
    return ToolOut(
        id=tool.pk,
        kind=Choice(code=tool.kind, label=tool.get_kind_display()),
        title=tool.title,
        subject=tool.subject,
        summary=view.summary,
        include_in_storyboard=tool.include_in_storyboard,
        version=tool.version,
        created_at=tool.created_at,
        updated_at=tool.updated_at,
        items=[
            ToolItemOut(
                id=i.pk,
                kind=Choice(code=i.kind, label=i.get_kind_display()),
                text=i.text,
                parent=i.parent_id,
                position=i.position,
                lane=i.lane,
                note=i.note,
                data_collected=i.data_collected,
                next_label=i.next_label,
                branch_label=i.branch_label,
                branch_to=i.branch_to_id,
                marked=i.marked,
                votes=i.votes,
                count=i.count,
                influence=i.influence,
                interest=i.interest,
                is_service_user=i.is_service_user,
                driver=i.driver_id,
                change_idea=i.change_idea_id,
            )
            for i in view.items
        ],
        pareto=(
            [
                ParetoBarOut(
                    category=bar.category,
                    count=bar.count,
                    cumulative_count=bar.cumulative_count,
                    percentage=bar.percentage,
                    cumulative_percentage=bar.cumulative_percentage,
                    vital_few=index < view.vital,
                )
                for index, bar in enumerate(view.pareto.bars)
            ]
            if view.pareto is not None
            else None
        ),
        page_url=page_url(request, "tools:detail", pk=tool.project_id, tool=tool.pk),
        svg_url=page_url(request, "tools:export", pk=tool.project_id, tool=tool.pk, fmt="svg"),
    )


class ToolItemIn(Schema):
    """One item, checked by the page's form for its kind (the personal-data guard included). Send the
    fields that kind of item has; others are ignored."""

    item_type: Literal["step", "category", "cause", "bar", "why", "stakeholder", "theme", "note"] = Field(
        description="step (process map), category or cause (fishbone), bar (Pareto chart), why (5 whys), "
        "stakeholder, theme or note (affinity diagram)."
    )
    version: int = Field(description="The tool's version you read: a change since then is a 409.")
    text: str = Field(max_length=300)
    kind: str = Field("", description="A step's kind: start, activity, decision, wait or end.")
    parent: int | None = None
    lane: str = ""
    note: str = ""
    data_collected: bool = False
    next_label: str = ""
    branch_label: str = ""
    branch_to: int | None = None
    marked: bool = False
    votes: int | None = None
    count: int | None = None
    influence: int | None = None
    interest: int | None = None
    is_service_user: bool = False
    driver: int | None = None
    change_idea: int | None = None
    confirm_no_personal_data: bool = False


def _form_data(payload: ToolItemIn) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in payload.model_dump(exclude={"item_type", "confirm_no_personal_data"}).items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    if payload.confirm_no_personal_data:
        data["confirm_no_personal_data"] = "on"
    return data


@router.get(
    "/projects/{project_id}/tools",
    response=responses({200: list[ToolOut]}, 404),
    url_name="tools",
    summary="A project's tools for understanding the system, with their items",
)
def tools(request: HttpRequest, project_id: int) -> list[ToolOut]:
    project, _level = project_or_404(request, project_id)
    return [tool_out(request, tool) for tool in presenters.with_items(project.tools.all())]


@router.get(
    "/projects/{project_id}/tools/{tool_id}",
    response=responses({200: ToolOut}, 404),
    url_name="tool",
    summary="One tool, with its items (and a Pareto chart's bars)",
)
def tool(request: HttpRequest, project_id: int, tool_id: int) -> ToolOut:
    project, _level = project_or_404(request, project_id)
    found = project.tools.filter(pk=tool_id).first()
    if found is None:
        raise Http404("Not found")
    return tool_out(request, found)


@router.post(
    "/projects/{project_id}/tools",
    response=responses({201: ToolOut}, *BODY, 403, 404),
    url_name="tool_add",
    summary="Start a tool",
)
def add_tool(request: HttpRequest, project_id: int, payload: ToolIn) -> Status[ToolOut]:
    project, _level = project_or_404(request, project_id, Level.EDIT)
    form = ToolForm(
        {
            "kind": payload.kind.value,
            "title": payload.title,
            "subject": payload.subject,
            **({"confirm_no_personal_data": "on"} if payload.confirm_no_personal_data else {}),
        },
        **guard_kwargs(project),
    )
    if not form.is_valid():
        raise form_problem(form, "The tool was not started: see `errors`.")
    data = form.cleaned_data
    made = services.create_tool(
        project, kind=data["kind"], title=data["title"], subject=data["subject"], by=request.user
    )
    record_confirmation(form, by=request.user, project=project, instance=made)
    return Status(201, tool_out(request, made))


@router.post(
    "/projects/{project_id}/tools/{tool_id}/items",
    response=responses({201: ToolOut}, *BODY, 403, 404, 409),
    url_name="tool_item_add",
    summary="Add an item to a tool (a step, cause, count, answer, stakeholder, theme or note)",
)
def add_tool_item(
    request: HttpRequest, project_id: int, tool_id: int, payload: ToolItemIn
) -> Status[ToolOut]:
    project, _level = project_or_404(request, project_id, Level.EDIT)
    found = project.tools.filter(pk=tool_id).first()
    if found is None:
        raise Http404("Not found")
    tool_kind, item_kind, form_class = ITEM_FORMS[payload.item_type]
    if tool_kind != found.kind:
        raise Problem(422, f"A {found.get_kind_display().lower()} has no item of type {payload.item_type}.")
    form = form_class(_form_data(payload), tool=found, **guard_kwargs(project))
    if not form.is_valid():
        raise form_problem(form, "The item was not added: see `errors`.")
    values = form.values()
    kind = values.pop("kind", None) or item_kind
    try:
        item = services.add_item(
            found,
            kind=str(kind),
            values=values,
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
    except EditConflict as stale:
        found.refresh_from_db()
        raise Problem(
            409,
            f"The tool changed since you read it: it is now at version {found.version}. Nothing was saved. "
            "Read it again, then send the item again.",
        ) from stale
    record_confirmation(form, by=request.user, project=project, instance=item)
    found.refresh_from_db()
    return Status(201, tool_out(request, found))
