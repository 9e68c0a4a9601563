"""A coach's caseload: every project they coach with its stage, progress score, coaching contacts, open
actions, chart signals and flags. Built in a fixed number of queries however many projects: sessions,
actions and score history are read for all projects at once, and chart signals come from the measures'
chart cache (the same payloads the project page's cards use), so nothing is recomputed for a reader."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone

from openqi.coaching.models import CoachingSession, CoachingSettings
from openqi.measures import charting
from openqi.measures.icons import Icon, variation_icon
from openqi.measures.models import DataPoint, MeasureType, ProjectMeasure
from openqi.meetings.models import Action
from openqi.organisations.models import Organisation
from openqi.projects.models import Lifecycle, ProgressScoreChange, Project, TeamMember, TeamRole

# Projects whose work is over (or not begun) are not chased for contact, scores or data.
QUIET = (Lifecycle.IDEA, Lifecycle.COMPLETED, Lifecycle.CLOSED)
IMPROVEMENT = ("special_cause_improvement_high", "special_cause_improvement_low")


@dataclass(frozen=True)
class Thresholds:
    no_contact_days: int = 28
    score_review_days: int = 30
    stall_score: Decimal = Decimal("2.5")
    stall_months: int = 3
    no_data_periods: int = 6

    @classmethod
    def of(cls, saved: CoachingSettings | None) -> Thresholds:
        if saved is None:
            return cls()
        return cls(
            saved.no_contact_days,
            saved.score_review_days,
            Decimal(saved.stall_score),
            saved.stall_months,
            saved.no_data_periods,
        )


def thresholds_for(organisations: Iterable[Organisation]) -> dict[int, Thresholds]:
    ids = {o.pk for o in organisations}
    saved = {s.organisation_id: s for s in CoachingSettings.objects.filter(organisation_id__in=ids)}
    return {pk: Thresholds.of(saved.get(pk)) for pk in ids}


@dataclass(frozen=True)
class Flag:
    code: str
    text: str


FLAG_LABELS = {
    "no_contact": "No coaching contact",
    "score_stale": "Score not reviewed",
    "stalled": "Stalled",
    "no_data": "No recent data",
}


@dataclass(frozen=True)
class Signal:
    measure: str
    measure_type: str
    icon: Icon | None
    headline: str


@dataclass
class CaseloadRow:
    project: Project
    last_contact: dt.date | None
    next_contact: dt.date | None
    open_actions: int
    signals: list[Signal] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def days_since_review(self) -> int | None:
        reviewed = self.project.progress_reviewed_at
        return None if reviewed is None else (timezone.localdate() - timezone.localdate(reviewed)).days


def periods_between(last: dt.date, today: dt.date, frequency: str) -> int:
    """Whole periods (weeks, months, days) from the period `last` to the one holding `today`."""
    if frequency == "monthly":
        return (today.year - last.year) * 12 + today.month - last.month
    if frequency == "weekly":
        return (today - last).days // 7
    return (today - last).days


def months_between(start: dt.date, today: dt.date) -> int:
    months = (today.year - start.year) * 12 + today.month - start.month
    return months - 1 if today.day < start.day else months


def _score_reached(changes: Sequence[ProgressScoreChange], threshold: Decimal) -> dt.date | None:
    """When the project last rose to `threshold` or above and has stayed there since (changes oldest
    first); None when its score is below it now."""
    since: dt.date | None = None
    for change in changes:
        above = change.score >= threshold
        since = (since or timezone.localdate(change.changed_at)) if above else None
    return since


def _signals_by_project(projects: Sequence[Project]) -> tuple[dict[int, list[Signal]], dict[int, list[Any]]]:
    links = list(
        ProjectMeasure.objects.filter(project__in=projects)
        .select_related("measure")
        .order_by("project_id", "order", "pk")
    )
    payloads = charting.card_payloads(
        [(link.measure, link.project_id, charting.chart_id_for(link)) for link in links]
    )
    signals: dict[int, list[Signal]] = defaultdict(list)
    by_project: dict[int, list[Any]] = defaultdict(list)
    for link, payload in zip(links, payloads, strict=True):
        icon = variation_icon(payload["variation"])
        signals[link.project_id].append(
            Signal(
                measure=link.measure.name,
                measure_type=link.measure_type,
                icon=icon,
                headline=payload["summary"][0] if payload["summary"] else "",
            )
        )
        by_project[link.project_id].append((link, payload))
    return signals, by_project


def _flags(
    row: CaseloadRow,
    limits: Thresholds,
    reached: dt.date | None,
    measures: Sequence[tuple[Any, dict[str, Any]]],
    last_periods: dict[int, dt.date],
    today: dt.date,
) -> list[Flag]:
    project = row.project
    if project.lifecycle in QUIET:
        return []
    flags = []
    if row.last_contact is None:
        flags.append(Flag("no_contact", "No coaching contact yet"))
    elif (today - row.last_contact).days > limits.no_contact_days:
        weeks = (today - row.last_contact).days // 7
        flags.append(Flag("no_contact", f"No coaching contact for {weeks} weeks"))
    days = row.days_since_review
    if days is None or days >= limits.score_review_days:
        flags.append(
            Flag(
                "score_stale",
                "Progress score never reviewed" if days is None else f"Score not reviewed for {days} days",
            )
        )
    if reached is not None and months_between(reached, today) >= limits.stall_months:
        outcome = [payload for link, payload in measures if link.measure_type == MeasureType.OUTCOME]
        if not any(payload["variation"] in IMPROVEMENT for payload in outcome):
            flags.append(
                Flag(
                    "stalled",
                    f"Stalled: at {project.progress_score} for {months_between(reached, today)} months "
                    "with no improvement on the outcome measure",
                )
            )
    stale = [
        link.measure.name
        for link, _payload in measures
        if link.measure_id not in last_periods
        or periods_between(last_periods[link.measure_id], today, link.measure.frequency)
        >= limits.no_data_periods
    ]
    if stale:
        flags.append(Flag("no_data", f"No data for {limits.no_data_periods} periods: " + ", ".join(stale)))
    return flags


def caseload_rows(projects: Iterable[Project], today: dt.date | None = None) -> list[CaseloadRow]:
    """One row per project, flagged by its organisation's thresholds."""
    today = today or timezone.localdate()
    sessions = CoachingSession.objects.filter(project=OuterRef("pk"))
    listed = list(
        Project.objects.filter(pk__in=[p.pk for p in projects])
        .select_related("organisation", "service")
        .annotate(
            last_contact=Subquery(sessions.order_by("-held_on").values("held_on")[:1]),
            next_contact=Subquery(
                sessions.filter(next_on__gte=today).order_by("next_on").values("next_on")[:1]
            ),
            open_actions=Subquery(
                Action.objects.filter(project=OuterRef("pk"), done_on__isnull=True)
                .values("project")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
    )
    limits = thresholds_for({p.organisation for p in listed})
    changes: dict[int, list[ProgressScoreChange]] = defaultdict(list)
    for change in ProgressScoreChange.objects.filter(project__in=listed).order_by("changed_at", "pk"):
        changes[change.project_id].append(change)
    signals, measures = _signals_by_project(listed)
    measure_ids = {link.measure_id for pairs in measures.values() for link, _payload in pairs}
    last_periods = dict(
        DataPoint.objects.filter(measure_id__in=measure_ids)
        .values("measure_id")
        .annotate(last=Max("period"))
        .values_list("measure_id", "last")
    )
    rows = []
    for project in listed:
        row = CaseloadRow(
            project=project,
            last_contact=project.last_contact,
            next_contact=project.next_contact,
            open_actions=project.open_actions or 0,
            signals=signals.get(project.pk, []),
        )
        threshold = limits[project.organisation_id]
        reached = _score_reached(changes.get(project.pk, []), threshold.stall_score)
        if (
            reached is None
            and project.progress_score is not None
            and project.progress_score >= threshold.stall_score
        ):
            # A score set before its history was kept: count from its last review.
            reached = (
                timezone.localdate(project.progress_reviewed_at) if project.progress_reviewed_at else None
            )
        row.flags = _flags(row, threshold, reached, measures.get(project.pk, []), last_periods, today)
        rows.append(row)
    return rows


SORTS = {
    "title": lambda row: (row.project.title.lower(),),
    "flags": lambda row: (-len(row.flags), row.project.title.lower()),
    "score": lambda row: (-(row.project.progress_score or 0), row.project.title.lower()),
    "contact": lambda row: (row.last_contact or dt.date.min, row.project.title.lower()),
}


def sort_and_filter(rows: list[CaseloadRow], *, sort: str, flag: str, stage: str) -> list[CaseloadRow]:
    if flag:
        rows = [row for row in rows if any(f.code == flag for f in row.flags)]
    if stage:
        rows = [row for row in rows if row.project.lifecycle == stage]
    return sorted(rows, key=SORTS.get(sort, SORTS["flags"]))


@dataclass(frozen=True)
class CoachLoad:
    coach: Any
    projects: int


def coach_loads(coaches: Sequence[Any], visible: Any) -> list[CoachLoad]:
    """How many projects each coach coaches now (among the projects the reader may see): one query."""
    counts = dict(
        TeamMember.objects.filter(
            user__in=coaches, role=TeamRole.COACH, left_on__isnull=True, project__in=visible
        )
        .values("user_id")
        .annotate(n=Count("project_id", distinct=True))
        .values_list("user_id", "n")
    )
    return [CoachLoad(coach, counts.get(coach.pk, 0)) for coach in coaches]


def idea_outcomes(ideas: Any) -> dict[str, dict[str, int]]:
    """How many ideas each service brought and what became of them ({service: {status: n}}), for the
    portfolio: one query over the ideas given (already scoped to what the reader may see)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = ideas.values("service__name", "status").annotate(n=Count("pk")).order_by("service__name", "status")
    for row in rows:
        counts[row["service__name"] or "No service given"][row["status"]] = row["n"]
    return dict(counts)
