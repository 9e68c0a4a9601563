"""PDSA cycles for display: ramps grouped by change idea, stage tags, and the cycle page's stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from openqi.core.plugins import RenderedPanel, render_panels
from openqi.projects import plugins
from openqi.projects.access import Level
from openqi.projects.models import ActDecision, ChangeIdea, PDSACycle, PDSATask, Project

STAGE_TAG_CLASSES = {
    "Plan": "nhsuk-tag--grey",
    "Do": "nhsuk-tag--blue",
    "Study": "nhsuk-tag--purple",
    "Act": "nhsuk-tag--orange",
    "Complete": "nhsuk-tag--green",
}
DECISION_TAG_CLASSES = {
    ActDecision.ADOPT: "nhsuk-tag--green",
    ActDecision.ADAPT: "nhsuk-tag--yellow",
    ActDecision.ABANDON: "nhsuk-tag--red",
}


def stage_tag(cycle: PDSACycle) -> dict[str, str]:
    stage = cycle.stage
    if stage == "Complete" and cycle.act_decision:
        text = f"Complete: {cycle.get_act_decision_display()}"
        return {"text": text, "classes": DECISION_TAG_CLASSES[ActDecision(cycle.act_decision)]}
    return {"text": stage, "classes": STAGE_TAG_CLASSES[stage]}


def cycle_href(cycle: PDSACycle) -> str:
    return reverse("projects:pdsa_detail", kwargs={"pk": cycle.project_id, "cycle_pk": cycle.pk})


@dataclass(frozen=True)
class CycleRow:
    cycle: PDSACycle
    number: int  # its place in the ramp, from 1
    href: str
    tag: dict[str, str]


@dataclass
class Ramp:
    number: int
    rows: list[CycleRow] = field(default_factory=list)

    def contains(self, cycle: PDSACycle) -> bool:
        return any(r.cycle.pk == cycle.pk for r in self.rows)


def ramps(cycles: list[PDSACycle]) -> list[Ramp]:
    """Chain cycles by `follows` into ramps, each in order. A cycle whose predecessor is not among
    `cycles` (another change idea, or removed) starts a ramp; a cycle followed by two is shown with
    both of its followers after it, so nothing is hidden when a team branches."""
    present = {c.pk for c in cycles}
    followers: dict[int, list[PDSACycle]] = {}
    roots = []
    for cycle in cycles:
        if cycle.follows_id in present and cycle.follows_id != cycle.pk:
            followers.setdefault(cycle.follows_id, []).append(cycle)
        else:
            roots.append(cycle)
    result, seen = [], set()
    for index, root in enumerate(roots, start=1):
        ramp = Ramp(index)
        stack = [(root, 1)]
        while stack:
            cycle, number = stack.pop()
            if cycle.pk in seen:
                continue
            seen.add(cycle.pk)
            ramp.rows.append(CycleRow(cycle, number, cycle_href(cycle), stage_tag(cycle)))
            stack.extend((f, number + 1) for f in reversed(followers.get(cycle.pk, [])))
        result.append(ramp)
    return result


@dataclass
class IdeaRamps:
    idea: ChangeIdea | None
    ramps: list[Ramp]
    href: str | None


def by_change_idea(project: Project) -> list[IdeaRamps]:
    """Every change idea (in diagram order) with its ramps, then cycles not linked to any idea."""
    cycles = list(project.pdsa_cycles.select_related("change_idea"))
    groups = []
    for idea in project.change_ideas.all():
        groups.append(
            IdeaRamps(
                idea,
                ramps([c for c in cycles if c.change_idea_id == idea.pk]),
                reverse("projects:pdsa_ramp", kwargs={"pk": project.pk, "idea_pk": idea.pk}),
            )
        )
    loose = [c for c in cycles if c.change_idea_id is None]
    if loose:
        groups.append(IdeaRamps(None, ramps(loose), None))
    return groups


def idea_ramps(project: Project, idea: ChangeIdea) -> IdeaRamps:
    return IdeaRamps(idea, ramps(list(project.pdsa_cycles.filter(change_idea=idea))), None)


def _text(value: str) -> str:
    return value or "Not recorded yet"


def _rows(cycle: PDSACycle, names: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"key": {"text": label}, "value": {"text": _text(getattr(cycle, name))}} for name, label in names]


@dataclass(frozen=True)
class TaskRow:
    task: PDSATask
    owner: str
    due: str


@dataclass
class CyclePage:
    cycle: PDSACycle
    ramp: Ramp | None
    number: int
    tag: dict[str, str]
    plan_rows: list[dict[str, Any]]
    do_rows: list[dict[str, Any]]
    act_rows: list[dict[str, Any]]
    tasks: list[TaskRow]
    can_continue_ramp: bool
    # What apps above projects show on the cycle (measures: the charts linked to it).
    panels: list[RenderedPanel]


def _date(value: Any) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def cycle_page(project: Project, cycle: PDSACycle, level: Level) -> CyclePage:
    siblings = list(
        project.pdsa_cycles.filter(change_idea_id=cycle.change_idea_id).select_related("change_idea")
    )
    ramp = next((r for r in ramps(siblings) if r.contains(cycle)), None)
    number = next((row.number for row in ramp.rows if row.cycle.pk == cycle.pk), 1) if ramp else 1
    plan_rows = _rows(
        cycle,
        [
            ("objective", "Objective"),
            ("questions", "Questions"),
            ("prediction", "Prediction"),
            ("plan_what", "What"),
            ("plan_who", "Who"),
            ("plan_when", "When"),
            ("plan_where", "Where"),
            ("plan_data", "Data to collect"),
        ],
    )
    plan_rows.append({"key": {"text": "Start date"}, "value": {"text": _date(cycle.started_on) or "Not set"}})
    act_rows = [
        {
            "key": {"text": "Decision"},
            "value": {"text": cycle.get_act_decision_display() if cycle.act_decision else "Not decided yet"},
        },
        *_rows(cycle, [("act_next_step", "Next step")]),
        {"key": {"text": "Completed"}, "value": {"text": _date(cycle.completed_on) or "Not yet"}},
    ]
    tasks = [
        TaskRow(t, t.owner.display_name if t.owner else "No owner", _date(t.due_on) or "No due date")
        for t in cycle.tasks.select_related("owner")
    ]
    return CyclePage(
        cycle=cycle,
        ramp=ramp,
        number=number,
        tag=stage_tag(cycle),
        plan_rows=plan_rows,
        do_rows=_rows(cycle, [("do_what_happened", "What happened"), ("do_observations", "Observations")]),
        act_rows=act_rows,
        tasks=tasks,
        # Offered once: after the next cycle exists, the ramp itself leads on to it.
        can_continue_ramp=cycle.act_decision in (ActDecision.ADOPT, ActDecision.ADAPT)
        and not any(s.follows_id == cycle.pk for s in siblings),
        panels=render_panels(plugins.cycle_panels, cycle, level),
    )
