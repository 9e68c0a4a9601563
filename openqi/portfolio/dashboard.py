"""The portfolio dashboard's figures, computed from the projects the reader may see.

Every figure is a list of `Bar`s (a label, a count and the address of the projects behind it) made from
one row per project (`ProjectFacts`), loaded in a fixed number of queries whatever the number of
projects; the drill-down page selects projects with the same `matches` the counts used, so a figure and its
list cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import DateField, Min, QuerySet
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone

from openqi.coaching.models import Idea
from openqi.organisations.models import Organisation, StrategicPriority
from openqi.projects.models import (
    PROGRESS_LEVELS,
    CoproductionLevel,
    Lifecycle,
    ProgressScoreChange,
    Project,
    TeamMember,
    TeamRole,
)

# The trust expects some improvement within about three months of a project reaching 2.5 (DOMAIN.md).
STALL_AFTER_DAYS = 90
COHORT_SCORE = Decimal("2.5")
IMPROVING_SCORE = Decimal("3.0")
# Stages in which a project is being worked on, and so can stall, go stale or need a coach.
OPEN_STAGES = (Lifecycle.APPROVED, Lifecycle.ACTIVE, Lifecycle.SUSTAINING)


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """What the figures need to know of one project."""

    pk: int
    lifecycle: str
    score: Decimal | None
    score_a_year_ago: Decimal | None
    reached_cohort_at: dt.datetime | None
    # The day its progress score was last reviewed, or the day it was made if never.
    seen_on: dt.date
    coproduction: str
    has_coach: bool
    from_idea: bool
    priority_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_open(self) -> bool:
        return self.lifecycle in OPEN_STAGES

    def movement(self) -> str:
        if self.score is None:
            return "unscored"
        if self.score_a_year_ago is None:
            return "new"
        if self.score > self.score_a_year_ago:
            return "up"
        return "same" if self.score == self.score_a_year_ago else "down"

    def in_cohort(self) -> bool:
        return self.score is not None and self.score >= COHORT_SCORE

    def stalled(self, now: dt.datetime) -> bool:
        """At 2.5 (changes tested, no improvement yet) for more than three months."""
        return (
            self.is_open
            and self.score == COHORT_SCORE
            and self.reached_cohort_at is not None
            and (now - self.reached_cohort_at).days > STALL_AFTER_DAYS
        )

    def stale(self, now: dt.datetime) -> bool:
        """The progress score has not been reviewed for 30 days (the projects app's own rule)."""
        if self.lifecycle not in (*OPEN_STAGES, Lifecycle.PROPOSED):
            return False
        return (now.date() - self.seen_on).days >= 30


def load_facts(projects: QuerySet[Project], *, now: dt.datetime | None = None) -> list[ProjectFacts]:
    """One row per project, from five queries whatever the number of projects: the projects, their score
    histories, which have a current coach, which came from an idea, and their strategic priorities.

    Each is a plain scan of one table for the visible projects. Per-project subqueries (the latest score a
    year ago, the first time at 2.5) cost PostgreSQL some 65 ms at 5,000 projects; one pass over the
    histories here costs a few."""
    now = now or timezone.now()
    visible = projects.order_by().values("pk")
    changes = ProgressScoreChange.objects.filter(project__in=visible).order_by()
    # Timestamps only where a figure needs one: psycopg and Django turn each into an aware datetime in
    # Python (some 20 µs each), and a trust's histories hold 15,000 of them.
    score_a_year_ago = dict(
        changes.filter(changed_at__lte=now - dt.timedelta(days=365))
        .order_by("project_id", "changed_at", "id")
        .values_list("project_id", "score")
    )  # the last one at or before a year ago wins
    reached_cohort_at = dict(
        changes.filter(score__gte=COHORT_SCORE)
        .values("project_id")
        .annotate(first=Min("changed_at"))
        .values_list("project_id", "first")
    )
    coached = set(
        TeamMember.objects.filter(project__in=visible, role=TeamRole.COACH, left_on__isnull=True).values_list(
            "project_id", flat=True
        )
    )
    from_ideas = set(
        Idea.objects.filter(project__in=visible, project__isnull=False).values_list("project_id", flat=True)
    )
    through = Project.priorities.through
    chosen: dict[int, set[int]] = {}
    for project_id, priority_id in through.objects.filter(project__in=visible).values_list(
        "project_id", "strategicpriority_id"
    ):
        chosen.setdefault(project_id, set()).add(priority_id)
    none: frozenset[int] = frozenset()
    rows = (
        projects.order_by()
        .annotate(seen_on=Cast(Coalesce("progress_reviewed_at", "created_at"), DateField()))
        .values_list("pk", "lifecycle", "progress_score", "seen_on", "coproduction")
    )
    return [
        ProjectFacts(
            pk=pk,
            lifecycle=lifecycle,
            score=score,
            score_a_year_ago=score_a_year_ago.get(pk),
            reached_cohort_at=reached_cohort_at.get(pk),
            seen_on=seen_on,
            coproduction=coproduction,
            has_coach=pk in coached,
            from_idea=pk in from_ideas,
            priority_ids=frozenset(chosen[pk]) if pk in chosen else none,
        )
        for pk, lifecycle, score, seen_on, coproduction in rows
    ]


# --- figures --------------------------------------------------------------------------------------------

# A bar's test of one project, and what makes it from the bar's value: the value is read once per bar, not
# once per project (a trust's dashboard tests 5,000 projects against some 40 bars).
Test = Callable[[ProjectFacts], bool]
Matcher = Callable[[str, dt.datetime], Test]


def _score_value(value: str) -> Decimal | None:
    return None if value == "none" else Decimal(value)


def _score(v: str, now: dt.datetime) -> Test:
    wanted = _score_value(v)
    return lambda f: f.score == wanted


def _cohort(v: str, now: dt.datetime) -> Test:
    if v == "all":
        return lambda f: f.in_cohort()
    if v == "improving":
        return lambda f: f.score is not None and f.score >= IMPROVING_SCORE
    if v == "stalled":
        return lambda f: f.stalled(now)
    return lambda f: False


def _attention(v: str, now: dt.datetime) -> Test:
    if v == "stalled":
        return lambda f: f.stalled(now)
    if v == "stale":
        return lambda f: f.stale(now)
    if v == "awaiting":
        return lambda f: f.lifecycle == Lifecycle.PROPOSED
    return lambda f: False


def _priority(v: str, now: dt.datetime) -> Test:
    if v.isdigit():
        wanted = int(v)
        return lambda f: wanted in f.priority_ids
    return lambda f: not f.priority_ids


def _coach(v: str, now: dt.datetime) -> Test:
    wanted = v == "with"
    return lambda f: f.is_open and f.has_coach == wanted


# What each figure's bars select: (figure, value) → is this project behind that bar?
MATCHERS: dict[str, Matcher] = {
    "stage": lambda v, now: lambda f: f.lifecycle == v,
    "score": _score,
    "movement": lambda v, now: lambda f: f.movement() == v,
    "cohort": _cohort,
    "attention": _attention,
    "coproduction": lambda v, now: lambda f: f.coproduction == v,
    "priority": _priority,
    "coach": _coach,
    "idea": lambda v, now: lambda f: v == "project" and f.from_idea,
}


# Figures whose bars split the projects by one value each: the bar's value for a project, which must agree
# with MATCHERS (test_dashboard checks every bar's count against its drill-down).
GROUPS: dict[str, Callable[[ProjectFacts], str]] = {
    "stage": lambda f: f.lifecycle,
    "score": lambda f: "none" if f.score is None else str(f.score),
    "movement": lambda f: f.movement(),
    "coproduction": lambda f: f.coproduction,
}


# Bars of the figures from other apps (portfolio.programme) that have projects behind them.
OTHER_BARS = {("idea", "project"): "Ideas brought to coaches: turned into a project"}


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    href: str


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    description: str
    bars: list[Bar]
    # The figure in words, for people who do not see the chart.
    text: str

    @property
    def largest(self) -> int:
        return max((b.count for b in self.bars), default=0)

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)


def matching(facts: Iterable[ProjectFacts], figure: str, value: str, now: dt.datetime) -> list[int]:
    """The projects behind one bar; [] for a figure or value that does not exist."""
    matcher = MATCHERS.get(figure)
    if matcher is None:
        return []
    try:
        test = matcher(value, now)
    except (ArithmeticError, ValueError):
        return []
    return [f.pk for f in facts if test(f)]


def figure_text(title: str, bars: list[Bar]) -> str:
    parts = [f"{b.label}: {b.count}" for b in bars]
    return f"{title}. " + "; ".join(parts) + "." if parts else f"{title}: no projects."


class Builder:
    def __init__(self, facts: list[ProjectFacts], filters: dict[str, str], now: dt.datetime) -> None:
        self.facts = facts
        self.filters = {k: v for k, v in filters.items() if v}
        self.now = now

    def href(self, figure: str, value: str) -> str:
        query = urlencode({**self.filters, "figure": figure, "value": value})
        return f"{reverse('portfolio:projects')}?{query}"

    def figure(self, key: str, title: str, description: str, values: list[tuple[str, str]]) -> Figure:
        group = GROUPS.get(key)
        if group is not None:
            # One pass for the whole figure rather than one per bar.
            counts = Counter(map(group, self.facts))
            bars = [Bar(label, counts.get(value, 0), self.href(key, value)) for value, label in values]
        else:
            bars = [
                Bar(label, len(matching(self.facts, key, value, self.now)), self.href(key, value))
                for value, label in values
            ]
        return Figure(key, title, description, bars, figure_text(title, bars))


def figures(
    facts: list[ProjectFacts], priorities: list[StrategicPriority], filters: dict[str, str], now: dt.datetime
) -> list[Figure]:
    b = Builder(facts, filters, now)
    scored = sorted({f.score for f in facts if f.score is not None})
    score_values = [(str(s), f"{s} – {PROGRESS_LEVELS.get(s, ('', ''))[0]}") for s in scored]
    return [
        b.figure(
            "stage",
            "Projects by stage",
            "How many projects are at each stage of their life.",
            [(c, str(label)) for c, label in Lifecycle.choices],
        ),
        b.figure(
            "score",
            "Progress score now",
            "The IHI progress score each team and coach last set (0.5 to 5.0).",
            [*score_values, ("none", "Not scored yet")],
        ),
        b.figure(
            "movement",
            "Progress score movement over 12 months",
            "Each project's score now against its score a year ago.",
            [
                ("up", "Moved up"),
                ("same", "Stayed the same"),
                ("down", "Fell back"),
                ("new", "Scored for the first time"),
                ("unscored", "Not scored"),
            ],
        ),
        b.figure(
            "cohort",
            "The 2.5 cohort: expect improvement within 3 months",
            "Projects that have tested changes (score 2.5 or more), and how many show improvement "
            "(3.0 or more).",
            [
                ("all", "Score 2.5 or more"),
                ("improving", "Showing improvement (3.0 or more)"),
                ("stalled", "At 2.5 for more than 3 months"),
            ],
        ),
        b.figure(
            "attention",
            "Needing attention",
            "Stalled projects, stale progress scores and projects awaiting forum approval.",
            [
                ("stalled", "Stalled at 2.5 for more than 3 months"),
                ("stale", "Score not reviewed for 30 days"),
                ("awaiting", "Awaiting forum approval"),
            ],
        ),
        b.figure(
            "coproduction",
            "Co-production",
            "How service users are involved: Big I (partners) or little i (consulted).",
            [(c, str(label)) for c, label in CoproductionLevel.choices],
        ),
        b.figure(
            "priority",
            "Strategic priorities",
            "The organisation's strategic priorities the projects serve (a project may serve several).",
            [*((str(p.pk), p.name) for p in priorities), ("none", "No priority chosen")],
        ),
        b.figure(
            "coach",
            "Coach coverage",
            "Approved, active and sustaining projects with and without a current QI coach.",
            [("with", "With a QI coach"), ("without", "Without a QI coach")],
        ),
    ]


def organisation_priorities(organisation: Organisation) -> list[StrategicPriority]:
    return list(StrategicPriority.objects.filter(organisation=organisation).order_by("name"))


def figure_title(
    key: str, value: str, facts: list[ProjectFacts], priorities: list[StrategicPriority], now: dt.datetime
) -> str | None:
    """The words of one bar, for the drill-down page's heading; None for a bar that does not exist."""
    if (key, value) in OTHER_BARS:
        return OTHER_BARS[(key, value)]
    for figure in figures(facts, priorities, {}, now):
        if figure.key == key:
            for bar in figure.bars:
                if bar.href.endswith(urlencode({"figure": key, "value": value})):
                    return f"{figure.title}: {bar.label}"
    return None
