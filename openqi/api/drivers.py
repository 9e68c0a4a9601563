"""The driver diagram: aim → primary drivers → secondary drivers → change ideas, as the diagram page draws
it (openqi.projects.presenters.drivers.diagram), with every change idea once and the drivers it serves."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from openqi.api.base import Out
from openqi.api.common import page_url, project_or_404, responses
from openqi.projects.presenters import drivers as presenters

router = Router(tags=["Driver diagram"])


class ChangeIdeaOut(Out):
    id: int
    title: str
    description: str
    driver_ids: list[int] = Field(description="The drivers this change idea serves (any number).")


class SecondaryDriverOut(Out):
    id: int
    title: str
    change_idea_ids: list[int]


class PrimaryDriverOut(Out):
    id: int
    title: str
    change_idea_ids: list[int] = Field(description="Change ideas linked to the primary driver itself.")
    secondary_drivers: list[SecondaryDriverOut]


class DriverDiagram(Out):
    project_id: int
    page_url: str
    aim: str
    primary_drivers: list[PrimaryDriverOut]
    change_ideas: list[ChangeIdeaOut] = Field(description="Every change idea, in the diagram's order.")


def _idea_ids(nodes: list[presenters.IdeaNode]) -> list[int]:
    return [node.idea.pk for node in nodes]


@router.get(
    "/projects/{project_id}/driver-diagram",
    response=responses({200: DriverDiagram}, 404),
    url_name="driver_diagram",
    summary="A project's driver diagram",
)
def driver_diagram(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project, _level = project_or_404(request, project_id)
    diagram = presenters.diagram(project)
    primaries = []
    for node in diagram.primaries:
        own = next((row for row in node.rows if row.driver is None), None)
        primaries.append(
            PrimaryDriverOut(
                id=node.driver.pk,
                title=node.driver.title,
                change_idea_ids=_idea_ids(own.ideas) if own else [],
                secondary_drivers=[
                    SecondaryDriverOut(
                        id=row.driver.pk, title=row.driver.title, change_idea_ids=_idea_ids(row.ideas)
                    )
                    for row in node.rows
                    if row.driver is not None
                ],
            )
        )
    return {
        "project_id": project.pk,
        "page_url": page_url(request, "projects:drivers", pk=project.pk),
        "aim": diagram.aim,
        "primary_drivers": primaries,
        "change_ideas": [
            ChangeIdeaOut(
                id=item.obj.pk,
                title=item.obj.title,
                description=item.obj.description,  # type: ignore[union-attr]
                driver_ids=[d.pk for d in item.obj.drivers.all()],  # type: ignore[union-attr]
            )
            for item in diagram.ideas
        ],
    }
