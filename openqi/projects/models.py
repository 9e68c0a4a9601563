"""A QI project as NHS teams run it with the Model for Improvement: aim, team, progress score,
driver diagram, PDSA cycles and story log. Every model is owned by an organisation through the
project (`organisation_path`), so `scope_for(user)` can scope it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from openqi.core.concurrency import VersionedModel
from openqi.organisations.models import Directorate, Organisation, Service, StrategicPriority

# How long a progress score may go unreviewed before the project, the lead and the coach are prompted.
SCORE_REVIEW_DAYS = 30


class Lifecycle(models.TextChoices):
    IDEA = "idea", "Idea"
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    ACTIVE = "active", "Active"
    SUSTAINING = "sustaining", "Sustaining"
    COMPLETED = "completed", "Completed"
    CLOSED = "closed", "Closed"


# Which lifecycle moves make sense; anything else is refused with a message.
LIFECYCLE_NEXT: dict[str, tuple[str, ...]] = {
    Lifecycle.IDEA: (Lifecycle.PROPOSED, Lifecycle.CLOSED),
    Lifecycle.PROPOSED: (Lifecycle.APPROVED, Lifecycle.IDEA, Lifecycle.CLOSED),
    Lifecycle.APPROVED: (Lifecycle.ACTIVE, Lifecycle.CLOSED),
    Lifecycle.ACTIVE: (Lifecycle.SUSTAINING, Lifecycle.COMPLETED, Lifecycle.CLOSED),
    Lifecycle.SUSTAINING: (Lifecycle.COMPLETED, Lifecycle.ACTIVE, Lifecycle.CLOSED),
    Lifecycle.COMPLETED: (Lifecycle.SUSTAINING, Lifecycle.ACTIVE),
    Lifecycle.CLOSED: (Lifecycle.IDEA,),
}


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private: the project team only"
    ORGANISATION = "organisation", "Organisation: everyone in the organisation can read it"
    PUBLIC = "public", "Public: a read-only page anyone can see, without signing in"


class CoproductionLevel(models.TextChoices):
    PARTNERS = "partners", "Service users as partners"
    CONSULTED = "consulted", "Service users consulted"
    NOT_YET = "not_yet", "Not yet involving service users"


# The IHI self-assessment scale as NHS QI programmes use it (DOMAIN.md): (label, meaning). The team and
# coach set it; it is never computed.
PROGRESS_LEVELS: dict[Decimal, tuple[str, str]] = {
    Decimal("0.5"): ("Intent to participate", "Project identified; charter not completed, team not formed."),
    Decimal("1.0"): (
        "Charter and team established",
        "Charter completed and reviewed, team assigned; no work yet.",
    ),
    Decimal("1.5"): (
        "Planning has begun",
        "Project structure organised: resources, focus, tools, meeting schedule.",
    ),
    Decimal("2.0"): (
        "Activity, but no changes",
        "Initial learning cycles: planning, measurement, baseline data, process study, surveys.",
    ),
    Decimal("2.5"): (
        "Changes tested, but no improvement",
        "Testing of changes begun (PDSA cycles under way); most goals have a measure; "
        "measures charted with targets.",
    ),
    Decimal("3.0"): (
        "Modest improvement",
        "Successful tests for some components; small-scale implementation; about 20% of expected results.",
    ),
    Decimal("3.5"): (
        "Improvement",
        "Testing and implementation continue; further improvement in measures towards goals.",
    ),
    Decimal("4.0"): (
        "Significant improvement",
        "Expected results achieved for major subsystems; implementation begun; at least 50% of goals.",
    ),
    Decimal("4.5"): (
        "Sustainable improvement",
        "Data on key measures begin to show the changes are sustained.",
    ),
    Decimal("5.0"): (
        "Outstanding sustainable results",
        "All goals met; organisational changes made to make them permanent.",
    ),
}


def progress_label(score: Decimal | None) -> str:
    if score is None:
        return "Not scored yet"
    label = PROGRESS_LEVELS.get(Decimal(score).quantize(Decimal("0.1")))
    return f"{score} – {label[0]}" if label else str(score)


class Project(VersionedModel):
    organisation_path: ClassVar[str] = "organisation"
    # The project record: what its edit form offers, and what the audit trail compares before and after.
    RECORD_FIELDS: ClassVar[tuple[str, ...]] = (
        "title",
        "problem",
        "aim_what",
        "aim_for_whom",
        "aim_baseline",
        "aim_target",
        "aim_by",
        "directorate",
        "service",
        "priorities",
        "start_date",
        "expected_end_date",
        "visibility",
        "coproduction",
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="projects")
    directorate = models.ForeignKey(Directorate, null=True, blank=True, on_delete=models.SET_NULL)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=200)
    problem = models.TextField(blank=True, help_text="Why it matters and what the data shows.")
    # The aim statement is built from its parts so that every aim says what, for whom, how much, by when.
    aim_what = models.CharField("What will improve", max_length=300, blank=True)
    aim_for_whom = models.CharField("For whom", max_length=200, blank=True)
    aim_baseline = models.CharField("From (baseline)", max_length=100, blank=True)
    aim_target = models.CharField("To (target)", max_length=100, blank=True)
    aim_by = models.DateField("By when", null=True, blank=True)
    priorities = models.ManyToManyField(StrategicPriority, blank=True, related_name="projects")
    start_date = models.DateField(null=True, blank=True)
    expected_end_date = models.DateField(null=True, blank=True)
    lifecycle = models.CharField(max_length=16, choices=Lifecycle.choices, default=Lifecycle.IDEA)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.CharField(
        max_length=200, blank=True, help_text="Usually the directorate QI forum that approved the project."
    )
    closed_reason = models.TextField(blank=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.ORGANISATION)
    coproduction = models.CharField(
        "Co-production level",
        max_length=16,
        choices=CoproductionLevel.choices,
        default=CoproductionLevel.NOT_YET,
    )
    progress_score = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True)
    progress_reviewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["organisation", "lifecycle"])]

    def __str__(self) -> str:
        return self.title

    @property
    def aim_statement(self) -> str:
        """The aim as one sentence: "Increase the proportion of … for … from 45% to 60% by 31 March 2026"."""
        if not self.aim_what:
            return ""
        parts = [self.aim_what.rstrip(".")]
        if self.aim_for_whom:
            parts.append(f"for {self.aim_for_whom}")
        if self.aim_baseline and self.aim_target:
            parts.append(f"from {self.aim_baseline} to {self.aim_target}")
        elif self.aim_target:
            parts.append(f"to {self.aim_target}")
        if self.aim_by:
            parts.append(f"by {self.aim_by.day} {self.aim_by:%B %Y}")
        sentence = " ".join(parts)
        return sentence[0].upper() + sentence[1:] + "."

    @property
    def progress_label(self) -> str:
        return progress_label(self.progress_score)

    def score_review_due(self, today: dt.date | None = None) -> bool:
        """True when the progress score has not been reviewed for SCORE_REVIEW_DAYS (or ever, once active)."""
        if self.lifecycle in (Lifecycle.COMPLETED, Lifecycle.CLOSED, Lifecycle.IDEA):
            return False
        now = today or timezone.localdate()
        if self.progress_reviewed_at is None:
            return self.created_at is not None and (now - self.created_at.date()).days >= SCORE_REVIEW_DAYS
        return (now - self.progress_reviewed_at.date()).days >= SCORE_REVIEW_DAYS


class ProgressScoreChange(models.Model):
    organisation_path: ClassVar[str] = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="score_changes")
    score = models.DecimalField(max_digits=2, decimal_places=1)
    previous_score = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True)
    note = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.score}"


class LifecycleChange(models.Model):
    """Each move through the lifecycle (approvals included), for the timeline and the forum's record."""

    organisation_path: ClassVar[str] = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lifecycle_changes")
    from_state = models.CharField(max_length=16, choices=Lifecycle.choices)
    to_state = models.CharField(max_length=16, choices=Lifecycle.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_state} → {self.to_state}"


class TeamRole(models.TextChoices):
    LEAD = "lead", "Project lead"
    MEMBER = "member", "Team member"
    PARTNER = "partner", "Service-user or carer partner"
    COACH = "coach", "QI coach"
    SPONSOR = "sponsor", "Sponsor"
    DATA_LEAD = "data_lead", "Data lead"


class TeamMember(models.Model):
    """One person in one role for one stint. A person holding several roles has several rows; leaving
    sets `left_on` rather than deleting, so a change of lead part-way stays in the history."""

    organisation_path: ClassVar[str] = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_roles")
    role = models.CharField(max_length=16, choices=TeamRole.choices)
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)
    # When the change was recorded: orders same-day team events on the timeline (the dates alone cannot).
    joined_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    show_name_publicly = models.BooleanField(
        default=False, help_text="The person agreed that their name may appear on the public project page."
    )

    class Meta:
        ordering = ["role", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user", "role"],
                condition=models.Q(left_on__isnull=True),
                name="team_member_one_current_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) on {self.project}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class PreviousLead(models.TextChoices):
    MEMBER = "member", "Stays in the team as a team member"
    LEAVES = "leaves", "Leaves the team"
    CO_LEAD = "co_lead", "Stays as lead: the new lead becomes a co-lead"


class LeadHandover(models.Model):
    """A change of project lead, recorded through the team page's "Hand over the lead" action: who took
    over from whom, on which day, what the previous lead does now, and why."""

    organisation_path: ClassVar[str] = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lead_handovers")
    new_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    previous_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    handed_over_on = models.DateField()
    previous_lead_becomes = models.CharField(max_length=16, choices=PreviousLead.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-handed_over_on", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Lead of {self.project}: {self.previous_lead} → {self.new_lead}"

    @property
    def co_lead(self) -> bool:
        return self.previous_lead_becomes == PreviousLead.CO_LEAD


class Driver(VersionedModel):
    """A primary driver (no parent) or a secondary driver (parent is a primary driver)."""

    organisation_path: ClassVar[str] = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="drivers")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_primary(self) -> bool:
        return self.parent_id is None


class ChangeIdea(VersionedModel):
    organisation_path: ClassVar[str] = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_ideas")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    # One change idea can serve several drivers, as in real driver diagrams.
    drivers = models.ManyToManyField(Driver, blank=True, related_name="change_ideas")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class ActDecision(models.TextChoices):
    ADOPT = "adopt", "Adopt"
    ADAPT = "adapt", "Adapt"
    ABANDON = "abandon", "Abandon"


class PDSACycle(VersionedModel):
    """One Plan-Do-Study-Act cycle. `follows` chains cycles into a ramp for a change idea."""

    organisation_path: ClassVar[str] = "project__organisation"
    # What each stage's form writes; the audit trail compares all of them and the cycle's place in a ramp.
    STAGE_FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "plan": (
            "title",
            "objective",
            "questions",
            "prediction",
            "plan_what",
            "plan_who",
            "plan_when",
            "plan_where",
            "plan_data",
            "started_on",
        ),
        "do": ("do_what_happened", "do_observations"),
        "study": ("study_results",),
        "act": ("act_decision", "act_next_step", "completed_on"),
    }
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = (
        "change_idea",
        "follows",
        *(name for fields in STAGE_FIELDS.values() for name in fields),
    )

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pdsa_cycles")
    change_idea = models.ForeignKey(
        ChangeIdea, null=True, blank=True, on_delete=models.SET_NULL, related_name="pdsa_cycles"
    )
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="followed_by"
    )
    title = models.CharField(max_length=200)
    objective = models.TextField(blank=True)
    questions = models.TextField(blank=True)
    prediction = models.TextField(blank=True)
    plan_what = models.TextField("What", blank=True)
    plan_who = models.CharField("Who", max_length=300, blank=True)
    plan_when = models.CharField("When", max_length=200, blank=True)
    plan_where = models.CharField("Where", max_length=200, blank=True)
    plan_data = models.TextField("Data to collect", blank=True)
    do_what_happened = models.TextField("What happened", blank=True)
    do_observations = models.TextField("Observations", blank=True)
    study_results = models.TextField("Results compared with the prediction", blank=True)
    act_decision = models.CharField(max_length=8, choices=ActDecision.choices, blank=True)
    act_next_step = models.TextField("Next step", blank=True)
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_on", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def stage(self) -> str:
        """Where the cycle is, from what has been recorded: Plan, Do, Study, Act or Complete."""
        if self.act_decision:
            return "Complete"
        if self.study_results:
            return "Act"
        if self.do_what_happened or self.do_observations:
            return "Study"
        if self.started_on and self.started_on <= timezone.localdate():
            return "Do"
        return "Plan"


class PDSATask(VersionedModel):
    organisation_path: ClassVar[str] = "cycle__project__organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = ("description", "owner", "due_on", "done")

    cycle = models.ForeignKey(PDSACycle, on_delete=models.CASCADE, related_name="tasks")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class StoryCategory(models.TextChoices):
    MEETING = "meeting", "Meeting"
    DECISION = "decision", "Decision"
    LEARNING = "learning", "Learning"
    CHALLENGE = "challenge", "Challenge"
    MILESTONE = "milestone", "Milestone"
    CELEBRATION = "celebration", "Celebration"


class StoryEntry(VersionedModel):
    organisation_path: ClassVar[str] = "project__organisation"
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = ("occurred_on", "category", "title", "text")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="story_entries")
    occurred_on = models.DateField(default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(max_length=16, choices=StoryCategory.choices, default=StoryCategory.LEARNING)
    title = models.CharField(max_length=200)
    # Markdown, rendered through markdown-it with HTML disabled and then sanitised (see projects.text).
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: StoryAttachment, filename: str) -> str:
    # A random stored name: the person's file name is kept separately and never used as a path.
    import uuid

    return f"story/{instance.entry.project_id}/{uuid.uuid4().hex}"


class StoryAttachment(models.Model):
    organisation_path: ClassVar[str] = "entry__project__organisation"

    entry = models.ForeignKey(StoryEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class SearchDocument(models.Model):
    """A project's searchable text, kept by `projects.search`. It lives apart from the project's row so that
    lists and pages, which never need it, never read it (with a long story log it runs to hundreds of KB).
    On PostgreSQL `vector` is the weighted tsvector (title A, aim B, problem C, the rest D) behind a GIN
    index; SQLite indexes `text` in an FTS5 table instead."""

    organisation_path: ClassVar[str] = "project__organisation"

    project = models.OneToOneField(
        Project, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    text = models.TextField(blank=True)
    vector = SearchVectorField(null=True)

    def __str__(self) -> str:
        return f"Search text of project {self.project_id}"
