"""Operations on the driver diagram: drivers (primary and secondary) and change ideas.

Each operation is atomic and writes its own audit rows, so the project's audit trail tells who shaped
the diagram and when; views only validate and call these. Renames and change idea edits are saved with
the version the editor started from (EditConflict when someone else saved in between); moves are not,
since they change only the order, which no edit form holds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.db import models, transaction
from django.db.models import Max

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.projects.models import ChangeIdea, Driver, Project

Direction = Literal["up", "down"]


class NotASecondaryParent(ValueError):
    """The diagram has two driver levels: a secondary driver must sit under a primary one."""


def _driver_fields(driver: Driver) -> dict[str, Any]:
    return audit.snapshot(driver, ("title", "parent", "position"))


def _idea_fields(idea: ChangeIdea) -> dict[str, Any]:
    values = audit.snapshot(idea, ("title", "description", "position"))
    values["drivers"] = sorted(str(d) for d in idea.drivers.all()) if idea.pk else []
    return values


def _removed(before: dict[str, Any]) -> dict[str, list[Any]]:
    # audit.diff compares the keys of the later state, which a removal no longer has.
    return {name: [value, None] for name, value in before.items()}


def _next_position(siblings: models.QuerySet[Any]) -> int:
    top = siblings.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def add_driver(project: Project, *, title: str, by: Any, parent: Driver | None = None) -> Driver:
    """A primary driver, or a secondary driver when `parent` (a primary driver) is given."""
    if parent is not None and (parent.project_id != project.pk or not parent.is_primary):
        raise NotASecondaryParent(parent.pk)
    with transaction.atomic():
        driver = Driver.objects.create(
            project=project,
            parent=parent,
            title=title.strip(),
            position=_next_position(project.drivers.filter(parent=parent)),
        )
        audit.record(
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=driver,
            project=project,
            changes=audit.diff({}, _driver_fields(driver)),
        )
    return driver


def rename_driver(driver: Driver, *, title: str, expected_version: int, by: Any) -> None:
    """Rename a driver. Raises EditConflict (and changes nothing) when someone else saved it after
    `expected_version`."""
    with transaction.atomic():
        # The state on record, not the instance the editor's page was built from.
        before = _driver_fields(Driver.objects.get(pk=driver.pk))
        driver.title = title.strip()
        driver.save_versioned(expected_version, update_fields=["title"])
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=driver,
            project=driver.project,
            changes=audit.diff(before, _driver_fields(driver)),
        )


def _move(item: Driver | ChangeIdea, siblings: Iterable[Any], direction: Direction, by: Any) -> bool:
    """Swap `item` with its neighbour. Positions are renumbered 0..n-1 first, because items made
    before ordering existed (or imported) may share a position and a swap of equal numbers is no move."""
    ordered = list(siblings)
    index = next(i for i, s in enumerate(ordered) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    project = item.project
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            before = sibling.position
            sibling.position = position
            sibling.save(update_fields=["position"])
            audit.record(
                by=by,
                action=AuditEvent.Action.UPDATE,
                instance=sibling,
                project=project,
                changes={"position": [before, position]},
            )
    return True


def move_driver(driver: Driver, *, direction: Direction, by: Any) -> bool:
    """Move a driver up or down among its siblings; False when it is already first or last."""
    with transaction.atomic():
        siblings = driver.project.drivers.select_for_update().filter(parent_id=driver.parent_id)
        return _move(driver, siblings, direction, by)


@dataclass(frozen=True)
class DriverRemoval:
    """What removing a driver takes with it, so the confirmation page can say so before it happens."""

    driver: Driver
    children: list[Driver]
    ideas_left_unlinked: list[ChangeIdea]


def removal_of(driver: Driver) -> DriverRemoval:
    children = list(driver.children.all())
    going = {driver.pk, *(c.pk for c in children)}
    # Change ideas are not removed with a driver (they may have PDSA cycles); the ones linked to no
    # other driver end up unlinked, and the person should know that.
    ideas = [
        idea
        for idea in driver.project.change_ideas.filter(drivers__in=going)
        .distinct()
        .prefetch_related("drivers")
        if not {d.pk for d in idea.drivers.all()} - going
    ]
    return DriverRemoval(driver, children, ideas)


def remove_driver(driver: Driver, *, by: Any) -> DriverRemoval:
    """Remove a driver and its secondary drivers; linked change ideas stay."""
    with transaction.atomic():
        removal = removal_of(driver)
        project = driver.project
        for gone in [*removal.children, driver]:
            audit.record(
                by=by,
                action=AuditEvent.Action.DELETE,
                instance=gone,
                project=project,
                changes=_removed(_driver_fields(gone)),
            )
        driver.delete()
    return removal


def add_change_idea(
    project: Project, *, title: str, description: str, drivers: Iterable[Driver], by: Any
) -> ChangeIdea:
    with transaction.atomic():
        idea = ChangeIdea.objects.create(
            project=project,
            title=title.strip(),
            description=description.strip(),
            position=_next_position(project.change_ideas.all()),
        )
        idea.drivers.set(_own(project, drivers))
        audit.record(
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=idea,
            project=project,
            changes=audit.diff({}, _idea_fields(idea)),
        )
    return idea


def update_change_idea(
    idea: ChangeIdea,
    *,
    title: str,
    description: str,
    drivers: Iterable[Driver],
    expected_version: int,
    by: Any,
) -> None:
    """Save a change idea and the drivers it acts on. Raises EditConflict (and changes nothing, links
    included) when someone else saved it after `expected_version`."""
    chosen = _own(idea.project, drivers)
    with transaction.atomic():
        before = _idea_fields(ChangeIdea.objects.get(pk=idea.pk))
        idea.title = title.strip()
        idea.description = description.strip()
        idea.save_versioned(expected_version, update_fields=["title", "description"])
        idea.drivers.set(chosen)
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=idea,
            project=idea.project,
            changes=audit.diff(before, _idea_fields(idea)),
        )


def _own(project: Project, drivers: Iterable[Driver]) -> list[Driver]:
    # Defence in depth: a form offers only this project's drivers, but a link across projects would
    # leak one project's diagram into another's.
    chosen = list(drivers)
    if any(d.project_id != project.pk for d in chosen):
        raise ValueError("A change idea can only be linked to drivers of its own project")
    return chosen


def move_change_idea(idea: ChangeIdea, *, direction: Direction, by: Any) -> bool:
    with transaction.atomic():
        return _move(idea, idea.project.change_ideas.select_for_update(), direction, by)


def remove_change_idea(idea: ChangeIdea, *, by: Any) -> None:
    """Remove a change idea; its PDSA cycles stay on record, no longer linked to it."""
    with transaction.atomic():
        audit.record(
            by=by,
            action=AuditEvent.Action.DELETE,
            instance=idea,
            project=idea.project,
            changes=_removed(_idea_fields(idea)),
        )
        idea.delete()
