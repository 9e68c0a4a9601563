"""What the tool pages, panels, timeline and exports show: each tool's drawing, its text alternative
and a plain-language summary, built from one read of the tool's items."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from openqi_spc import ParetoResult, pareto

from openqi.core.formatting import date_and_time, long_date
from openqi.projects.access import Level
from openqi.projects.models import PDSACycle, Project
from openqi.tools import drawing
from openqi.tools.models import ItemKind, Tool, ToolItem, ToolKind

# The vital few: the categories that together make up this share of the total (the 80/20 rule).
VITAL_SHARE = 0.8

KIND_HELP = {
    ToolKind.PROCESS_MAP: "Map the steps people go through, who does each, and where things go wrong.",
    ToolKind.FISHBONE: "Gather the causes of an effect under categories, and mark those to act on.",
    ToolKind.PARETO: "Count how often each reason happens, to find the vital few.",
    ToolKind.FIVE_WHYS: "Ask ‘why?’ until you reach root causes.",
    ToolKind.STAKEHOLDERS: "Place people and groups by influence and interest, and plan how to involve them.",
    ToolKind.AFFINITY: "Group many ideas into themes, for example after a ‘what matters to you?’ session.",
}


def may_delete(tool: Tool, user: Any, level: Level) -> bool:
    """Team members change a tool together; deleting it (with its history) is for the person who started
    it or the project lead (and the QI team admins)."""
    return level >= Level.ADMIN or (level >= Level.EDIT and tool.created_by_id == getattr(user, "pk", None))


def url(name: str, tool: Tool, **extra: Any) -> str:
    return reverse(f"tools:{name}", kwargs={"pk": tool.project_id, "tool": tool.pk, **extra})


@dataclass
class ToolView:
    """One tool with everything its page, print view and exports need."""

    tool: Tool
    items: list[ToolItem]
    svg: drawing.Svg
    summary: str
    pareto: ParetoResult | None = None
    vital: int = 0
    children: dict[int | None, list[ToolItem]] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return self.tool.get_kind_display()

    def of_kind(self, kind: str) -> list[ToolItem]:
        return [item for item in self.items if item.kind == kind]

    def tree(self, parent: int | None = None, depth: int = 0) -> Iterator[tuple[int, ToolItem]]:
        """Items under `parent`, depth first, with their depth: the fishbone's categories and causes,
        the 5 whys' answers, the affinity diagram's themes and notes."""
        for item in self.children.get(parent, []):
            yield depth, item
            yield from self.tree(item.pk, depth + 1)

    @property
    def unthemed(self) -> list[ToolItem]:
        return [item for item in self.children.get(None, []) if item.kind == ItemKind.NOTE]

    @property
    def themes(self) -> list[ToolItem]:
        return self.of_kind(ItemKind.THEME)

    def quadrant(self, item: ToolItem) -> str:
        return drawing.quadrant(item.influence, item.interest)


def with_items(tools: QuerySet[Tool]) -> QuerySet[Tool]:
    """Tools with their items in one more query, for the API and exports that show several tools. The
    items come through each tool's own `items` (their driver, change idea and branch as ids: what the
    drawings, summaries and the API read)."""
    return tools.prefetch_related("items")


ITEM_RELATED = ("driver", "change_idea", "branch_to")


def view_of(tool: Tool) -> ToolView:
    """The tool drawn and summarised; its items are read once (or taken from `with_items`)."""
    if "items" in getattr(tool, "_prefetched_objects_cache", {}):
        items = list(tool.items.all())
    else:
        items = list(tool.items.select_related(*ITEM_RELATED))
    children: dict[int | None, list[ToolItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    key = f"tool-{tool.pk}"
    kind = tool.kind
    result: ParetoResult | None = None
    vital = 0
    if kind == ToolKind.PROCESS_MAP:
        svg = drawing.process_map(key, tool.title, items)
    elif kind == ToolKind.FISHBONE:
        categories = [i for i in children.get(None, []) if i.kind == ItemKind.CATEGORY]
        causes_of = {pk: [c for c in kids if c.kind == ItemKind.CAUSE] for pk, kids in children.items() if pk}
        svg = drawing.fishbone(key, tool.title, tool.subject, categories, causes_of)
    elif kind == ToolKind.PARETO:
        counted = [i for i in items if i.count is not None]
        if any(i.count for i in counted):
            result = pareto([i.text for i in counted], [int(i.count or 0) for i in counted])
            vital = len(result.vital_few(VITAL_SHARE))
        svg = drawing.pareto_chart(key, tool.title, result, vital)
    elif kind == ToolKind.FIVE_WHYS:
        svg = drawing.five_whys(key, tool.title, tool.subject, children)
    elif kind == ToolKind.STAKEHOLDERS:
        svg = drawing.stakeholder_grid(key, tool.title, items)
    else:
        themes = [
            (t.text, t.driver_id is not None, children.get(t.pk, []))
            for t in items
            if t.kind == ItemKind.THEME
        ]
        loose = [i for i in children.get(None, []) if i.kind == ItemKind.NOTE]
        if loose or not themes:
            themes.append(("Not grouped yet", False, loose))
        svg = drawing.affinity(key, tool.title, themes)
    view = ToolView(tool, items, svg, "", result, vital, children)
    view.summary = summary_of(view)
    return view


def summary_of(view: ToolView) -> str:
    """What the tool shows, in a sentence or two a storyboard reader can take in at a glance."""
    tool = view.tool
    if tool.kind == ToolKind.PARETO:
        if view.pareto is None:
            return "No counts yet."
        few = view.pareto.bars[: view.vital]
        names = _and([b.category for b in few])
        share = few[-1].cumulative_percentage if few else 0
        return (
            f"Of {view.pareto.total:,} counted, {len(few)} of {len(view.pareto.bars)} categories ({names}) "
            f"make up {share:.0f}%: these are the vital few to work on first."
        )
    if tool.kind == ToolKind.FISHBONE:
        marked = [i.text for i in view.items if i.kind == ItemKind.CAUSE and i.marked]
        causes = sum(1 for i in view.items if i.kind == ItemKind.CAUSE)
        acting = f" The team will act on {len(marked)}: {_and(marked)}." if marked else ""
        return f"{causes} causes of ‘{tool.subject or tool.title}’.{acting}"
    if tool.kind == ToolKind.FIVE_WHYS:
        roots = [i.text for i in view.items if i.marked]
        found = f" Root causes: {_and(roots)}." if roots else " No root cause marked yet."
        return f"{len(view.items)} answers to ‘why?’ about ‘{tool.subject or tool.title}’.{found}"
    if tool.kind == ToolKind.PROCESS_MAP:
        pains = [i.text for i in view.items if i.note]
        lanes = {i.lane for i in view.items if i.lane}
        return f"{len(view.items)} steps across {len(lanes)} roles." + (
            f" Things go wrong at: {_and(pains)}." if pains else ""
        )
    if tool.kind == ToolKind.STAKEHOLDERS:
        close = [i.text for i in view.items if drawing.quadrant(i.influence, i.interest) == "Manage closely"]
        users = sum(1 for i in view.items if i.is_service_user)
        return f"{len(view.items)} stakeholders, {users} of them service users or carers." + (
            f" To manage closely: {_and(close)}." if close else ""
        )
    themes = view.themes
    notes = view.of_kind(ItemKind.NOTE)
    return f"{len(notes)} notes grouped into {len(themes)} themes" + (
        f": {_and([t.text for t in themes])}." if themes else "."
    )


def _and(names: list[str]) -> str:
    quoted = [f"‘{n}’" for n in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


@dataclass(frozen=True)
class ToolCard:
    title: str
    kind: str
    href: str
    updated: str
    include_in_storyboard: bool
    version: int


def cards(project: Project) -> list[ToolCard]:
    return [
        ToolCard(
            title=t.title,
            kind=t.get_kind_display(),
            href=url("detail", t),
            updated=long_date(t.updated_at),
            include_in_storyboard=t.include_in_storyboard,
            version=t.version,
        )
        for t in project.tools.all()
    ]


@dataclass(frozen=True)
class VersionRow:
    number: int
    summary: str
    who: str
    when: str


def history(tool: Tool) -> list[VersionRow]:
    return [
        VersionRow(v.number, v.summary, _name(v.made_by), date_and_time(v.made_at))
        for v in tool.versions.select_related("made_by")
    ]


def _name(user: Any) -> str:
    if user is None:
        return "Someone no longer on OpenQI"
    return str(getattr(user, "name", "") or user.email)


# --- plug-in contributions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ToolEvent:
    kind: str
    date: Any
    title: str
    detail: str
    link: str
    at: Any
    who: str


KIND_LABELS: dict[str, str] = dict(ToolKind.choices)


def timeline_events(project: Project) -> Iterator[ToolEvent]:
    """A tool's creation and each change, from its history (one event per day per tool, the latest
    change's words, so a busy afternoon of editing is one line)."""
    seen: set[tuple[int, Any]] = set()
    # Each version through the project's own tools, in one query (a row per version, newest first).
    changes = (
        project.tools.filter(versions__isnull=False)
        .order_by("-versions__made_at", "-versions__number")
        .values_list(
            "pk",
            "kind",
            "title",
            "versions__number",
            "versions__summary",
            "versions__made_at",
            "versions__made_by_id",
            "versions__made_by__name",
            "versions__made_by__email",
        )
    )
    for tool_id, kind, title, number, summary, made_at, made_by_id, name, email in changes:
        day = made_at.date()
        if (tool_id, day) in seen and number != 1:
            continue
        seen.add((tool_id, day))
        verb = "created" if number == 1 else "changed"
        yield ToolEvent(
            kind="tool",
            date=day,
            title=f"{KIND_LABELS.get(kind, kind)} ‘{title}’ {verb}",
            detail=summary,
            link=reverse("tools:detail", kwargs={"pk": project.pk, "tool": tool_id}),
            at=made_at,
            who=_name(None) if made_by_id is None else str(name or email),
        )


def cycle_panel(cycle: PDSACycle, level: Level) -> dict[str, Any] | None:
    links = list(cycle.tool_links.select_related("tool"))
    tools = list(cycle.project.tools.all()) if level >= Level.EDIT else []
    if not links and not tools:
        return None
    linked = {link.tool_id for link in links}
    return {
        "links": [
            {
                "title": link.tool.title,
                "kind": link.tool.get_kind_display(),
                "href": url("detail", link.tool),
                "unlink": reverse(
                    "tools:cycle_unlink", kwargs={"pk": cycle.project_id, "cycle": cycle.pk, "link": link.pk}
                ),
            }
            for link in links
        ],
        "choices": [(t.pk, f"{t.title} ({t.get_kind_display()})") for t in tools if t.pk not in linked],
        "action": reverse("tools:cycle_link", kwargs={"pk": cycle.project_id, "cycle": cycle.pk}),
        "can_edit": level >= Level.EDIT,
    }


def search_text(project: Project) -> Iterator[str]:
    for tool in project.tools.all():
        yield tool.title
        if tool.subject:
            yield tool.subject
    items = project.tools.filter(items__isnull=False).order_by("items__position", "items__id")
    yield from items.values_list("items__text", flat=True)
