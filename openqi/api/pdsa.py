"""PDSA cycles: every cycle of a project with its stage, prediction, what happened, what was learnt and
the decision (adopt, adapt, abandon), its change idea and the cycle it follows in a ramp, and its tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from pydantic import Field

from openqi.api.base import Out
from openqi.api.common import Choice, PersonRef, page_url, person_ref, project_or_404, responses
from openqi.api.pagination import PageParams, paginate
from openqi.projects.models import PDSACycle

router = Router(tags=["PDSA cycles"])


class PlanOut(Out):
    objective: str
    questions: str
    prediction: str
    what: str
    who: str
    when: str
    where: str
    data_to_collect: str
    started_on: dt.date | None


class DoOut(Out):
    what_happened: str
    observations: str


class StudyOut(Out):
    results: str = Field(description="Results compared with the prediction.")


class ActOut(Out):
    decision: Choice | None
    next_step: str
    completed_on: dt.date | None


class TaskOut(Out):
    id: int
    description: str
    owner: PersonRef | None
    due_on: dt.date | None
    done: bool


class CycleOut(Out):
    id: int
    title: str
    page_url: str
    stage: str = Field(description="Plan, Do, Study, Act or Complete, from what has been recorded.")
    change_idea_id: int | None
    follows_id: int | None = Field(description="The cycle this one follows in a ramp.")
    plan: PlanOut
    do: DoOut
    study: StudyOut
    act: ActOut
    tasks: list[TaskOut]
    created_at: dt.datetime


class CyclePage(Out):
    count: int
    next: str | None
    previous: str | None
    items: list[CycleOut]


def cycle_out(request: HttpRequest, cycle: PDSACycle) -> CycleOut:
    return CycleOut(
        id=cycle.pk,
        title=cycle.title,
        page_url=page_url(request, "projects:pdsa_detail", pk=cycle.project_id, cycle_pk=cycle.pk),
        stage=cycle.stage,
        change_idea_id=cycle.change_idea_id,
        follows_id=cycle.follows_id,
        plan=PlanOut(
            objective=cycle.objective,
            questions=cycle.questions,
            prediction=cycle.prediction,
            what=cycle.plan_what,
            who=cycle.plan_who,
            when=cycle.plan_when,
            where=cycle.plan_where,
            data_to_collect=cycle.plan_data,
            started_on=cycle.started_on,
        ),
        do=DoOut(what_happened=cycle.do_what_happened, observations=cycle.do_observations),
        study=StudyOut(results=cycle.study_results),
        act=ActOut(
            decision=Choice(code=cycle.act_decision, label=cycle.get_act_decision_display())
            if cycle.act_decision
            else None,
            next_step=cycle.act_next_step,
            completed_on=cycle.completed_on,
        ),
        tasks=[
            TaskOut(
                id=t.pk, description=t.description, owner=person_ref(t.owner), due_on=t.due_on, done=t.done
            )
            for t in cycle.tasks.all()  # prefetched
        ],
        created_at=cycle.created_at,
    )


@router.get(
    "/projects/{project_id}/pdsa-cycles",
    response=responses({200: CyclePage}, 404, 422),
    url_name="pdsa_cycles",
    summary="A project's PDSA cycles, oldest first",
)
def pdsa_cycles(request: HttpRequest, project_id: int, paging: PageParams) -> dict[str, Any]:
    project, _level = project_or_404(request, project_id)
    cycles = project.pdsa_cycles.prefetch_related("tasks__owner")
    page = paginate(request, cycles, paging)
    return page.out(lambda c: cycle_out(request, c))


@router.get(
    "/projects/{project_id}/pdsa-cycles/{cycle_id}",
    response=responses({200: CycleOut}, 404),
    url_name="pdsa_cycle",
    summary="One PDSA cycle",
)
def pdsa_cycle(request: HttpRequest, project_id: int, cycle_id: int) -> CycleOut:
    project, _level = project_or_404(request, project_id)
    cycle = project.pdsa_cycles.prefetch_related("tasks__owner").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404("Not found")
    return cycle_out(request, cycle)
