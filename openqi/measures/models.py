"""Measures as QI teams define them: an organisation's measure library, each project's family of
measures (outcome, process, balancing), the data over time, and what the team says about the chart
(baseline freezes, rebases, excluded points, annotations).

A measure belongs to the organisation (optionally to one service) so that a measure defined once, say
"Proportion of discharged service users who completed Low Intensity CBT", can be used by several
projects; `ProjectMeasure` puts it in one project's family. Every model declares `organisation_path`
so `scope_for(user)` can scope it.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from openqi.core.concurrency import VersionedModel
from openqi.measures.dataio.numeric import DATA_NUMBER, TARGET_NUMBER, NumberColumn
from openqi.measures.dataio.records import COMMENT_MAX_LENGTH
from openqi.measures.fields import NumberField
from openqi.organisations.models import Organisation, Service
from openqi.projects.models import ChangeIdea, PDSACycle, Project, StoryEntry

# Limits are drawn once a limit period has this many points; before that a run chart (median and
# Anhøj rules) is shown. 12 is qicharts2's and NHS England's minimum for trial limits (Provost &
# Murray, Anhøj); NHSRplotthedots warns under 13. Teams may set their own per measure.
DEFAULT_MIN_POINTS_FOR_LIMITS = 12


class NumberColumnField(models.DecimalField):  # type: ignore[type-arg]
    """A decimal column declared from a `NumberColumn` (dataio.numeric), the one definition that the import,
    the grid, the forms and the API check numbers against, so that they accept only what it holds.

    It also reads back what it does not hold. SQLite stores any number it is given, and before numbers were
    checked an upload could save 99,999,999,999,999 here; Django reads a DecimalField by rounding it in a
    context of `max_digits` digits, which fails for such a row, and every page showing it failed with it.
    With room to spare the row reads, is shown, and can be corrected or deleted. (PostgreSQL refuses such
    numbers when they are written, so there it changes nothing.)"""

    def __init__(self, *args: Any, column: NumberColumn | None = None, **kwargs: Any) -> None:
        if column is not None:
            kwargs.setdefault("max_digits", column.max_digits)
            kwargs.setdefault("decimal_places", column.decimal_places)
        super().__init__(*args, **kwargs)

    @cached_property
    def context(self) -> decimal.Context:
        return decimal.Context(prec=self.max_digits + 40)

    def formfield(self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any) -> Any:
        return super().formfield(
            form_class=form_class or NumberField, choices_form_class=choices_form_class, **kwargs
        )

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        # The column is an ordinary DecimalField's, so migrations record one (and need not rebuild tables).
        return name, "django.db.models.DecimalField", args, kwargs


class MeasureType(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    PROCESS = "process", "Process"
    BALANCING = "balancing", "Balancing"


# Order of the family of measures: the aim first, then whether the changes happen, then side effects.
TYPE_ORDER = {MeasureType.OUTCOME: 0, MeasureType.PROCESS: 1, MeasureType.BALANCING: 2}


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    PER_EVENT = "per_event", "Per event"


PERIOD_WORD = {"daily": "days", "weekly": "weeks", "monthly": "months", "per_event": "events"}


class Improvement(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    NEUTRAL = "neutral", "Neither (monitor only)"


class DataKind(models.TextChoices):
    """What the numbers are; it decides the chart a team is offered."""

    PROPORTION = "proportion", "Proportion: numerator out of denominator (e.g. % completed)"
    RATE = "rate", "Rate: events per unit of exposure (e.g. falls per 1,000 bed days)"
    COUNT = "count", "Count of events in equal periods (e.g. incidents a month)"
    CONTINUOUS = "continuous", "Measurement (e.g. waiting time in days, a score)"
    TIME_BETWEEN = "time_between", "Time between rare events (days)"
    CASES_BETWEEN = "cases_between", "Cases between rare events"


# Kinds entered as a numerator and a denominator; the others as one value per period.
RATIO_KINDS = {DataKind.PROPORTION, DataKind.RATE}


class ChartType(models.TextChoices):
    AUTO = "auto", "Suggest from the data"
    RUN = "run", "Run chart"
    P = "p", "P chart (proportion)"
    PP = "pp", "P′ chart (proportion, large denominators)"
    U = "u", "U chart (rate)"
    UP = "up", "U′ chart (rate, large denominators)"
    C = "c", "C chart (count)"
    I = "i", "XmR chart (Making Data Count)"  # noqa: E741 -- the chart's own name
    T = "t", "T chart (time between rare events)"
    G = "g", "G chart (cases between rare events)"


class ChartStyle(models.TextChoices):
    """How every chart type is drawn and read (docs/adr/0103-chart-style-and-recalculation.md)."""

    MDC = "mdc", "Making Data Count (NHS England): coloured special-cause points, icons, process limits"
    QICHARTS2 = "qicharts2", "qicharts2: Anhøj runs rules, a dashed red centre line for a runs signal"


class Measure(VersionedModel):
    """A measure in the organisation's library. `version` guards definition edits; `data_version`
    changes whenever anything the chart shows changes, and keys the chart cache."""

    organisation_path: ClassVar[str] = "organisation"

    # The definition a team writes: the edit form's fields, in its order. The audit trail records every
    # change to them, and the service, which the measure takes from its project when it is created.
    DEFINITION_FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "kind",
        "definition",
        "data_source",
        "numerator_definition",
        "denominator_definition",
        "value_definition",
        "unit",
        "frequency",
        "improvement",
        "target_value",
        "target_date",
        "trajectory_from_value",
        "trajectory_from_date",
        "chart_type",
        "chart_style",
        "min_points_for_limits",
    )
    AUDITED_FIELDS: ClassVar[tuple[str, ...]] = ("service", *DEFINITION_FIELDS)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="measures")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="measures"
    )
    name = models.CharField(max_length=200)
    definition = models.TextField(
        "Operational definition",
        blank=True,
        help_text="Exactly what is counted, who is included and excluded, and when it is counted.",
    )
    data_source = models.CharField(
        max_length=300, blank=True, help_text="For example, the patient record system report."
    )
    kind = models.CharField(
        "Type of data", max_length=16, choices=DataKind.choices, default=DataKind.CONTINUOUS
    )
    numerator_definition = models.CharField(max_length=300, blank=True)
    denominator_definition = models.CharField(max_length=300, blank=True)
    value_definition = models.CharField("What each value is", max_length=300, blank=True)
    unit = models.CharField(
        max_length=40, blank=True, help_text="For example %, days, falls per 1,000 bed days."
    )
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY)
    improvement = models.CharField(
        "Improvement direction", max_length=16, choices=Improvement.choices, default=Improvement.INCREASE
    )
    target_value = NumberColumnField(column=TARGET_NUMBER, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    # An optional trajectory: a straight line from this value on this date to the target on its date.
    trajectory_from_value = NumberColumnField(column=TARGET_NUMBER, null=True, blank=True)
    trajectory_from_date = models.DateField(null=True, blank=True)
    chart_type = models.CharField(max_length=8, choices=ChartType.choices, default=ChartType.AUTO)
    chart_style = models.CharField(max_length=12, choices=ChartStyle.choices, default=ChartStyle.MDC)
    min_points_for_limits = models.PositiveSmallIntegerField(default=DEFAULT_MIN_POINTS_FOR_LIMITS)
    data_version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def has_denominator(self) -> bool:
        return self.kind in RATIO_KINDS

    @property
    def is_percent(self) -> bool:
        return self.kind == DataKind.PROPORTION

    @property
    def period_word(self) -> str:
        return PERIOD_WORD[self.frequency]

    @property
    def display_unit(self) -> str:
        return "%" if self.is_percent and not self.unit else self.unit


class ProjectMeasure(models.Model):
    """A library measure in one project's family of measures, with its role there and its links to
    the change ideas and PDSA cycles it tells the team about."""

    organisation_path: ClassVar[str] = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="project_measures")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="project_links")
    measure_type = models.CharField(max_length=16, choices=MeasureType.choices, default=MeasureType.OUTCOME)
    order = models.PositiveSmallIntegerField(default=0)
    pdsa_cycles = models.ManyToManyField(PDSACycle, blank=True, related_name="project_measures")
    change_ideas = models.ManyToManyField(ChangeIdea, blank=True, related_name="project_measures")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "measure"], name="project_measure_unique")]

    def __str__(self) -> str:
        return f"{self.measure} in {self.project}"


class DataPoint(models.Model):
    """One period's data. Proportions and rates keep numerator and denominator; other kinds a value."""

    organisation_path: ClassVar[str] = "measure__organisation"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="points")
    period = models.DateField()
    value = NumberColumnField(column=DATA_NUMBER, null=True, blank=True)
    numerator = NumberColumnField(column=DATA_NUMBER, null=True, blank=True)
    denominator = NumberColumnField(column=DATA_NUMBER, null=True, blank=True)
    comment = models.CharField(max_length=COMMENT_MAX_LENGTH, blank=True)
    excluded = models.BooleanField(default=False)
    exclude_reason = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["measure", "period"], name="datapoint_unique_period")]

    def __str__(self) -> str:
        return f"{self.measure}: {self.period}"


class LimitChangeKind(models.TextChoices):
    FREEZE = "freeze", "Freeze the baseline"
    REBASE = "rebase", "Recalculate limits from here (rebase)"


class LimitChange(models.Model):
    """A baseline freeze (limits from the points up to and including `period`) or a rebase (a new limit
    period starting at `period`), always with the reason the team gave: that is what a reviewer asks."""

    organisation_path: ClassVar[str] = "measure__organisation"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="limit_changes")
    kind = models.CharField(max_length=8, choices=LimitChangeKind.choices)
    period = models.DateField()
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.period}"


class Annotation(models.Model):
    """A numbered note on one point: free text, or a link to a PDSA cycle or story entry. Annotations
    with a project are shown in that project only (its cycles mean nothing to another team)."""

    organisation_path: ClassVar[str] = "measure__organisation"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="annotations")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="measure_annotations"
    )
    period = models.DateField()
    text = models.CharField(max_length=300, blank=True)
    pdsa_cycle = models.ForeignKey(
        PDSACycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="measure_annotations"
    )
    story_entry = models.ForeignKey(
        StoryEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="measure_annotations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.pdsa_cycle_id is not None and self.pdsa_cycle is not None:
            lead = f"PDSA: {self.pdsa_cycle.title}"
            return f"{lead} – {self.text}" if self.text else lead
        if self.story_entry_id is not None and self.story_entry is not None:
            lead = f"Story: {self.story_entry.title}"
            return f"{lead} – {self.text}" if self.text else lead
        return self.text


class ImportDraft(models.Model):
    """An uploaded file between its preview and the person's confirmation. Keeping the bytes on the
    server lets the preview → confirm flow work without JavaScript and without a second upload; drafts
    expire after `DRAFT_LIFETIME` and are removed when used."""

    organisation_path: ClassVar[str] = "measure__organisation"

    token = models.CharField(max_length=64, unique=True)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="import_drafts")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    DRAFT_LIFETIME: ClassVar[dt.timedelta] = dt.timedelta(hours=2)
    # Unconfirmed drafts one person may have (each up to dataio.MAX_FILE_BYTES); a new upload replaces
    # the oldest.
    MAX_PER_PERSON: ClassVar[int] = 3

    def __str__(self) -> str:
        return self.filename

    @property
    def is_expired(self) -> bool:
        return timezone.now() - self.created_at > self.DRAFT_LIFETIME
