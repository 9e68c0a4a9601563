"""Tools for understanding the system (docs/adr/0024-tools-for-understanding-the-system.md).

A `Tool` is one process map, fishbone, Pareto chart, 5 whys, stakeholder analysis or affinity diagram of
a project. Its content is a list of `ToolItem`s: every tool is a titled, ordered tree of short texts, and
each kind of tool uses the item fields that its own forms offer (the table below). One item model keeps
one set of services, one version history and one API shape for six tools.

- process map: steps (start, end, activity, decision, wait) with `lane` (the swimlane: who does it),
  `note` (what goes wrong here) and `data_collected`; a decision also has `next_label`, `branch_label`
  and `branch_to` (its other path).
- fishbone: categories, and causes under a category or under another cause (sub-causes), with `marked`
  (the team will act on it), `votes`, and a `driver` or `change_idea` of the driver diagram.
- Pareto chart: categories with their `count`.
- 5 whys: answers ("because …"), each under the answer it explains further (none: the problem); `marked`
  is a root cause, which can name a `driver` or `change_idea`.
- stakeholders: people or groups with `lane` (the kind of stakeholder), `influence` and `interest` (1 to
  5), `is_service_user` and `note` (how the team will involve them).
- affinity diagram: themes, and notes under a theme (or none yet); a theme's `driver` is the primary
  driver it seeded.

Every change to a tool's content saves the tool with the version its editor started from (optimistic
locking, core.concurrency) and keeps a `ToolVersion`: the history, and the timeline's events.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from openqi.core.concurrency import VersionedModel
from openqi.projects.models import ChangeIdea, Driver, PDSACycle, Project, StoryEntry


class ToolKind(models.TextChoices):
    PROCESS_MAP = "process_map", "Process map"
    FISHBONE = "fishbone", "Cause and effect (fishbone) diagram"
    PARETO = "pareto", "Pareto chart"
    FIVE_WHYS = "five_whys", "5 whys"
    STAKEHOLDERS = "stakeholders", "Stakeholder analysis"
    AFFINITY = "affinity", "Affinity diagram"


class ItemKind(models.TextChoices):
    START = "start", "Start"
    END = "end", "End"
    ACTIVITY = "activity", "Activity"
    DECISION = "decision", "Decision"
    WAIT = "wait", "Wait or delay"
    CATEGORY = "category", "Category"
    CAUSE = "cause", "Cause"
    WHY = "why", "Why"
    STAKEHOLDER = "stakeholder", "Stakeholder"
    THEME = "theme", "Theme"
    NOTE = "note", "Note"


STEP_KINDS = (ItemKind.START, ItemKind.ACTIVITY, ItemKind.DECISION, ItemKind.WAIT, ItemKind.END)

# The fishbone's usual categories (the 6 Ms as NHS QI courses teach them); the team can rename them.
DEFAULT_FISHBONE_CATEGORIES = ("People", "Methods", "Equipment", "Environment", "Materials", "Measurement")


class Tool(VersionedModel):
    organisation_path: ClassVar[str] = "project__organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = ("title", "subject", "include_in_storyboard")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tools")
    kind = models.CharField(max_length=16, choices=ToolKind.choices)
    title = models.CharField(max_length=200)
    # The fishbone's effect, the 5 whys' problem, the affinity diagram's question, the process's scope.
    subject = models.CharField(max_length=300, blank=True)
    include_in_storyboard = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["project", "kind"])]

    def __str__(self) -> str:
        return self.title


class ToolItem(models.Model):
    organisation_path: ClassVar[str] = "tool__project__organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = (
        "kind",
        "text",
        "parent",
        "lane",
        "note",
        "data_collected",
        "next_label",
        "branch_label",
        "branch_to",
        "marked",
        "votes",
        "count",
        "influence",
        "interest",
        "is_service_user",
        "driver",
        "change_idea",
    )

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    text = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)
    lane = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    data_collected = models.BooleanField(default=False)
    # A decision's two paths: to the next step (labelled `next_label`, "Yes") and to `branch_to`
    # (labelled `branch_label`, "No").
    next_label = models.CharField(max_length=40, blank=True)
    branch_label = models.CharField(max_length=40, blank=True)
    branch_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="branches_in"
    )
    marked = models.BooleanField(default=False)
    votes = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(null=True, blank=True)
    influence = models.PositiveSmallIntegerField(null=True, blank=True)
    interest = models.PositiveSmallIntegerField(null=True, blank=True)
    is_service_user = models.BooleanField(default=False)
    driver = models.ForeignKey(Driver, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    change_idea = models.ForeignKey(
        ChangeIdea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ToolVersion(models.Model):
    """The tool as it was after one change: what changed (`summary`), who, when, and all of its content
    (`content`: the tool's fields and items), so any earlier version can be read back."""

    organisation_path: ClassVar[str] = "tool__project__organisation"

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    summary = models.CharField(max_length=300)
    content = models.JSONField(default=dict)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["tool", "number"], name="tool_version_once")]

    def __str__(self) -> str:
        return f"{self.tool} v{self.number}"


class ToolLink(models.Model):
    """A PDSA cycle or story entry that draws on a tool ("the fishbone showed us …")."""

    organisation_path: ClassVar[str] = "tool__project__organisation"

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="links")
    cycle = models.ForeignKey(
        PDSACycle, null=True, blank=True, on_delete=models.CASCADE, related_name="tool_links"
    )
    story_entry = models.ForeignKey(
        StoryEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="tool_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cycle__isnull=False, story_entry__isnull=True)
                | models.Q(cycle__isnull=True, story_entry__isnull=False),
                name="tool_link_one_target",
            ),
            models.UniqueConstraint(fields=["tool", "cycle"], name="tool_link_cycle_once"),
            models.UniqueConstraint(fields=["tool", "story_entry"], name="tool_link_entry_once"),
        ]

    def __str__(self) -> str:
        target: Any = self.cycle or self.story_entry
        return f"{self.tool} ↔ {target}"
