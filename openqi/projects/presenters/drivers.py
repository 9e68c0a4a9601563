"""The driver diagram as rows a template can draw without logic: aim → primary drivers → secondary
drivers → change ideas. A change idea linked to several drivers appears under each of them, as it
does on a paper driver diagram."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse

from openqi.projects.models import ChangeIdea, Driver, Project


@dataclass(frozen=True)
class IdeaNode:
    idea: ChangeIdea
    href: str  # the idea's PDSA ramp


@dataclass
class SecondaryNode:
    """A secondary driver and its change ideas; `driver` is None for ideas linked to the primary
    driver itself, which sit in the change-idea column of the primary driver's row."""

    driver: Driver | None
    ideas: list[IdeaNode] = field(default_factory=list)


@dataclass
class PrimaryNode:
    driver: Driver
    rows: list[SecondaryNode] = field(default_factory=list)


@dataclass
class EditItem:
    """A driver or change idea in the editing list, with what its move buttons may do."""

    obj: Driver | ChangeIdea
    first: bool
    last: bool
    children: list[EditItem] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)


@dataclass
class Diagram:
    aim: str
    primaries: list[PrimaryNode]
    unlinked: list[IdeaNode]
    drivers: list[EditItem]
    ideas: list[EditItem]

    @property
    def is_empty(self) -> bool:
        return not self.primaries and not self.unlinked


def _flags(items: Sequence[Driver | ChangeIdea]) -> list[EditItem]:
    return [EditItem(obj, i == 0, i == len(items) - 1) for i, obj in enumerate(items)]


def diagram(project: Project) -> Diagram:
    drivers = list(project.drivers.all())
    ideas = list(project.change_ideas.prefetch_related("drivers"))
    nodes = {
        i.pk: IdeaNode(i, reverse("projects:pdsa_ramp", kwargs={"pk": project.pk, "idea_pk": i.pk}))
        for i in ideas
    }
    by_driver: dict[int, list[IdeaNode]] = {}
    for idea in ideas:
        for driver in idea.drivers.all():
            by_driver.setdefault(driver.pk, []).append(nodes[idea.pk])

    primaries_list = [d for d in drivers if d.parent_id is None]
    children = {p.pk: [d for d in drivers if d.parent_id == p.pk] for p in primaries_list}
    primaries = []
    for primary in primaries_list:
        node = PrimaryNode(primary)
        if primary.pk in by_driver:
            node.rows.append(SecondaryNode(None, by_driver[primary.pk]))
        node.rows.extend(SecondaryNode(s, by_driver.get(s.pk, [])) for s in children[primary.pk])
        primaries.append(node)

    editing = _flags(primaries_list)
    for item in editing:
        item.children = _flags(children[item.obj.pk])
    idea_items = _flags(ideas)
    for item in idea_items:
        item.linked_to = [d.title for d in item.obj.drivers.all()]  # type: ignore[union-attr]
    return Diagram(
        aim=project.aim_statement,
        primaries=primaries,
        unlinked=[nodes[i.pk] for i in ideas if not i.drivers.all()],
        drivers=editing,
        ideas=idea_items,
    )
