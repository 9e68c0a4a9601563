"""Operations on tools: each is atomic, audited (core.audit) and, when it changes a tool's content, saved
with the version its editor started from (EditConflict when someone saved in between) and kept as a
`ToolVersion`, which is the tool's history and its timeline events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.projects.models import Driver, PDSACycle, Project, StoryEntry
from openqi.projects.services import drivers as driver_services
from openqi.tools.models import (
    DEFAULT_FISHBONE_CATEGORIES,
    ItemKind,
    Tool,
    ToolItem,
    ToolKind,
    ToolLink,
    ToolVersion,
)


class NotAThemeOfThisTool(ValueError):
    """Only an affinity diagram's theme can seed a primary driver."""


def content_of(tool: Tool) -> dict[str, Any]:
    """All of a tool as plain data: what a version keeps, and what the API returns."""
    items = list(tool.items.all())
    return {
        "title": tool.title,
        "subject": tool.subject,
        "items": [
            {"id": item.pk, **audit.snapshot(item, ToolItem.AUDITED_FIELDS), "position": item.position}
            for item in items
        ],
    }


def _keep_version(tool: Tool, summary: str, by: Any) -> ToolVersion:
    return ToolVersion.objects.create(
        tool=tool,
        number=tool.version,
        summary=summary[:300],
        content=content_of(tool),
        made_by=by if getattr(by, "is_authenticated", False) else None,
    )


def _commit(tool: Tool, expected_version: int, summary: str, by: Any) -> None:
    """Claim the tool's next version and keep its new content. Called last in the change's transaction:
    when someone else saved first it raises EditConflict and the whole change is rolled back; saving the
    tool last also lets the search index (which follows the tool's saves) read the new content."""
    tool.save_versioned(expected_version, update_fields=["updated_at"])
    _keep_version(tool, summary, by)


def create_tool(project: Project, *, kind: str, title: str, subject: str = "", by: Any) -> Tool:
    with transaction.atomic():
        tool = Tool.objects.create(
            project=project,
            kind=kind,
            title=title.strip(),
            subject=subject.strip(),
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        if kind == ToolKind.FISHBONE:
            for position, name in enumerate(DEFAULT_FISHBONE_CATEGORIES):
                ToolItem.objects.create(tool=tool, kind=ItemKind.CATEGORY, text=name, position=position)
        audit.record(
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=tool,
            project=project,
            changes=audit.diff({}, {"kind": tool.get_kind_display(), **_tool_fields(tool)}),
        )
        _keep_version(tool, f"{tool.get_kind_display()} created", by)
    return tool


def _tool_fields(tool: Tool) -> dict[str, Any]:
    return audit.snapshot(tool, Tool.AUDITED_FIELDS)


def edit_tool(
    tool: Tool,
    *,
    title: str,
    subject: str,
    include_in_storyboard: bool,
    expected_version: int,
    by: Any,
) -> Tool:
    with transaction.atomic():
        before = _tool_fields(Tool.objects.get(pk=tool.pk))
        tool.title = title.strip()
        tool.subject = subject.strip()
        tool.include_in_storyboard = include_in_storyboard
        tool.save_versioned(expected_version, update_fields=[*Tool.AUDITED_FIELDS, "updated_at"])
        changes = audit.diff(before, _tool_fields(tool))
        audit.record(
            by=by, action=AuditEvent.Action.UPDATE, instance=tool, project=tool.project, changes=changes
        )
        _keep_version(tool, "Title and details changed", by)
    return tool


def delete_tool(tool: Tool, *, by: Any) -> None:
    with transaction.atomic():
        audit.record(
            by=by,
            action=AuditEvent.Action.DELETE,
            instance=tool,
            project=tool.project,
            changes={name: [value, None] for name, value in _tool_fields(tool).items()},
        )
        tool.delete()


def _own_references(tool: Tool, values: Mapping[str, Any]) -> None:
    # Defence in depth: the forms offer only this tool's items and this project's drivers and ideas,
    # but a reference across projects would leak one project's records into another's.
    for name in ("parent", "branch_to"):
        other = values.get(name)
        if other is not None and other.tool_id != tool.pk:
            raise ValueError(f"{name} must be an item of the same tool")
    for name in ("driver", "change_idea"):
        other = values.get(name)
        if other is not None and other.project_id != tool.project_id:
            raise ValueError(f"{name} must belong to the tool's project")


def _item_fields(item: ToolItem) -> dict[str, Any]:
    return audit.snapshot(item, ToolItem.AUDITED_FIELDS)


def add_item(tool: Tool, *, kind: str, values: Mapping[str, Any], expected_version: int, by: Any) -> ToolItem:
    """Add one item (a step, cause, category, why, stakeholder, theme or note) with the given fields."""
    _own_references(tool, values)
    with transaction.atomic():
        top = tool.items.aggregate(top=Max("position"))["top"]
        item = ToolItem(tool=tool, kind=kind, position=0 if top is None else top + 1)
        for name, value in values.items():
            setattr(item, name, value)
        item.text = item.text.strip()
        item.save()
        _commit(tool, expected_version, f"{item.get_kind_display()} ‘{item.text}’ added", by)
        audit.record(
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=item,
            project=tool.project,
            changes=audit.diff(
                {}, {k: v for k, v in _item_fields(item).items() if v not in ("", None, False, 0)}
            ),
        )
    return item


def edit_item(item: ToolItem, *, values: Mapping[str, Any], expected_version: int, by: Any) -> ToolItem:
    tool = item.tool
    _own_references(tool, values)
    with transaction.atomic():
        before = _item_fields(ToolItem.objects.get(pk=item.pk))
        for name, value in values.items():
            setattr(item, name, value)
        item.text = item.text.strip()
        item.save()
        _commit(tool, expected_version, f"{item.get_kind_display()} ‘{item.text}’ changed", by)
        changes = audit.diff(before, _item_fields(item))
        audit.record(
            by=by, action=AuditEvent.Action.UPDATE, instance=item, project=tool.project, changes=changes
        )
    return item


def remove_item(item: ToolItem, *, expected_version: int, by: Any) -> None:
    """Remove an item and everything under it (a category's causes, a why's further whys)."""
    tool = item.tool
    with transaction.atomic():
        audit.record(
            by=by,
            action=AuditEvent.Action.DELETE,
            instance=item,
            project=tool.project,
            changes={name: [value, None] for name, value in _item_fields(item).items()},
        )
        text, kind = item.text, item.get_kind_display()
        item.delete()
        _commit(tool, expected_version, f"{kind} ‘{text}’ removed", by)


def move_item(item: ToolItem, *, direction: str, expected_version: int, by: Any) -> bool:
    """Swap an item with its neighbour among the items of its kind family and parent (False at an end)."""
    tool = item.tool
    with transaction.atomic():
        siblings = list(tool.items.select_for_update().filter(parent_id=item.parent_id))
        index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return False
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=item,
            project=tool.project,
            changes={"moved": [None, direction]},
        )
        _commit(tool, expected_version, f"{item.get_kind_display()} ‘{item.text}’ moved {direction}", by)
    return True


def set_counts(
    tool: Tool, rows: Sequence[tuple[str, int]], *, replace: bool, expected_version: int, by: Any
) -> int:
    """A Pareto chart's counts from an import: a category named again gets the new count (or, with
    `replace`, the chart holds exactly these rows). Returns how many rows were saved."""
    with transaction.atomic():
        existing = {item.text.casefold(): item for item in tool.items.filter(kind=ItemKind.CATEGORY)}
        if replace:
            tool.items.all().delete()
            existing = {}
        top = tool.items.aggregate(top=Max("position"))["top"]
        position = 0 if top is None else top + 1
        for name, count in rows:
            item = existing.get(name.strip().casefold())
            if item is None:
                item = ToolItem.objects.create(
                    tool=tool, kind=ItemKind.CATEGORY, text=name.strip(), count=count, position=position
                )
                existing[item.text.casefold()] = item
                position += 1
            else:
                item.count = count
                item.save(update_fields=["count"])
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=tool,
            project=tool.project,
            changes={"counts imported": [None, [f"{name}: {count}" for name, count in rows]]},
        )
        summary = f"{len(rows)} counts imported" + (" (replacing the chart)" if replace else "")
        _commit(tool, expected_version, summary, by)
    return len(rows)


def add_notes(tool: Tool, texts: Iterable[str], *, expected_version: int, by: Any) -> int:
    """Many affinity notes at once (typed or pasted as a list), not yet in a theme."""
    notes = [text.strip() for text in texts if text.strip()]
    with transaction.atomic():
        top = tool.items.aggregate(top=Max("position"))["top"]
        start = 0 if top is None else top + 1
        ToolItem.objects.bulk_create(
            ToolItem(tool=tool, kind=ItemKind.NOTE, text=text[:300], position=start + i)
            for i, text in enumerate(notes)
        )
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=tool,
            project=tool.project,
            changes={"notes added": [None, notes]},
        )
        _commit(tool, expected_version, f"{len(notes)} notes added", by)
    return len(notes)


def seed_primary_driver(theme: ToolItem, *, expected_version: int, by: Any) -> Driver:
    """Make an affinity theme a primary driver of the project's driver diagram (through the driver
    service, which audits it), and remember the link on the theme."""
    tool = theme.tool
    if tool.kind != ToolKind.AFFINITY or theme.kind != ItemKind.THEME:
        raise NotAThemeOfThisTool(theme.pk)
    with transaction.atomic():
        driver = driver_services.add_driver(tool.project, title=theme.text, by=by)
        theme.driver = driver
        theme.save(update_fields=["driver"])
        audit.record(
            by=by,
            action=AuditEvent.Action.UPDATE,
            instance=theme,
            project=tool.project,
            changes={"driver": [None, str(driver)]},
        )
        _commit(tool, expected_version, f"Theme ‘{theme.text}’ became a primary driver", by)
    return driver


def link(tool: Tool, *, cycle: PDSACycle | None = None, entry: StoryEntry | None = None, by: Any) -> ToolLink:
    target = cycle or entry
    if target is None or (cycle is not None and entry is not None):
        raise ValueError("link a tool to one PDSA cycle or one story entry")
    if target.project_id != tool.project_id:
        raise ValueError("a tool can only be linked within its own project")
    with transaction.atomic():
        found, made = ToolLink.objects.get_or_create(
            tool=tool, cycle=cycle, story_entry=entry, defaults={"linked_by": by}
        )
        if made:
            audit.record(
                by=by,
                action=AuditEvent.Action.CREATE,
                instance=found,
                project=tool.project,
                changes={"link": [None, str(found)]},
            )
    return found


def unlink(found: ToolLink, *, by: Any) -> None:
    with transaction.atomic():
        audit.record(
            by=by,
            action=AuditEvent.Action.DELETE,
            instance=found,
            project=found.tool.project,
            changes={"link": [str(found), None]},
        )
        found.delete()
