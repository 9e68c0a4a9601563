"""Figures about the learning system: feedback distributions, people trained, trained coaches coaching now,
cohort teams' projects. Every function takes an organisation (or rows already scoped to one) and counts
in the database, so the cost does not grow with the number of records.

For other apps (the portfolio): `trained_counts(organisation, since=None, until=None)`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median
from typing import Any

from django.db.models import Count, Q, QuerySet

from openqi.learning.models import CohortTeam, Enrolment, Feedback, Group
from openqi.organisations.models import Organisation
from openqi.projects.models import Lifecycle, TeamMember, TeamRole

RATINGS = (1, 2, 3, 4, 5)


# --- feedback ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """How many answered 1, 2, 3, 4 and 5; the mean and median beside, never instead."""

    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        return sum(k * v for k, v in self.counts.items()) / self.total if self.total else None

    @property
    def median(self) -> float | None:
        values = [k for k in RATINGS for _ in range(self.counts.get(k, 0))]
        return float(median(values)) if values else None

    def share(self, rating: int) -> int:
        """Percentage of answers with this rating, rounded."""
        return round(100 * self.counts.get(rating, 0) / self.total) if self.total else 0

    def rows(self) -> list[tuple[int, int, int]]:
        return [(r, self.counts.get(r, 0), self.share(r)) for r in RATINGS]

    def in_words(self, low: str, high: str) -> str:
        if not self.total:
            return "No answers yet."
        parts = ", ".join(f"{self.counts.get(r, 0)} gave {r}" for r in reversed(RATINGS))
        return (
            f"{self.total} {'answer' if self.total == 1 else 'answers'} ({parts}; 1 = {low}, 5 = {high}). "
            f"Median {self.median:g}, mean {self.mean:.1f}."
        )


@dataclass(frozen=True)
class FeedbackSummary:
    responses: int
    useful_yes: int
    rating: Distribution
    usefulness: Distribution
    comments: list[str]

    @property
    def useful_no(self) -> int:
        return self.responses - self.useful_yes

    @property
    def useful_share(self) -> int:
        return round(100 * self.useful_yes / self.responses) if self.responses else 0

    @property
    def useful_in_words(self) -> str:
        if not self.responses:
            return "No feedback yet."
        return f"{self.useful_yes} of {self.responses} ({self.useful_share}%) said it was useful."


def _distribution(rows: QuerySet[Feedback], field: str) -> Distribution:
    counts = dict(rows.values_list(field).annotate(n=Count("pk")).order_by())
    return Distribution({r: counts.get(r, 0) for r in RATINGS})


def summarise(feedback: QuerySet[Feedback], *, with_comments: bool = True) -> FeedbackSummary:
    """Three aggregate queries (and one for comments), whatever the number of answers."""
    totals = feedback.aggregate(responses=Count("pk"), useful=Count("pk", filter=Q(useful=True)))
    comments = (
        list(feedback.exclude(comment="").order_by("given_at").values_list("comment", flat=True))
        if with_comments
        else []
    )
    return FeedbackSummary(
        responses=totals["responses"],
        useful_yes=totals["useful"],
        rating=_distribution(feedback, "rating"),
        usefulness=_distribution(feedback, "usefulness"),
        comments=comments,
    )


# --- people trained ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainedRow:
    programme: str
    year: int
    group: str  # Group label
    directorate: str
    people: int


def _completed(
    organisation: Organisation, since: dt.date | None, until: dt.date | None
) -> QuerySet[Enrolment]:
    rows = Enrolment.objects.filter(cohort__programme__organisation=organisation, completed_on__isnull=False)
    if since:
        rows = rows.filter(completed_on__gte=since)
    if until:
        rows = rows.filter(completed_on__lte=until)
    return rows


def trained_rows(
    organisation: Organisation, *, since: dt.date | None = None, until: dt.date | None = None
) -> list[TrainedRow]:
    """People who completed, per programme and year, split by staff / service users and carers and by
    directorate (the one the person gave when enrolling; "Not recorded" when none)."""
    grouped = (
        _completed(organisation, since, until)
        .values(
            "cohort__programme__name",
            "cohort__programme__position",
            "completed_on__year",
            "group",
            "directorate__name",
        )
        .annotate(people=Count("user", distinct=True))
        .order_by(
            "cohort__programme__position",
            "cohort__programme__name",
            "completed_on__year",
            "group",
            "directorate__name",
        )
    )
    return [
        TrainedRow(
            programme=row["cohort__programme__name"],
            year=row["completed_on__year"],
            group=Group(row["group"]).label,
            directorate=row["directorate__name"] or "Not recorded",
            people=row["people"],
        )
        for row in grouped
    ]


@dataclass(frozen=True)
class TrainedCounts:
    """Distinct people who completed any programme (in the period), staff and service users and carers."""

    people: int
    staff: int
    partners: int
    completions: int
    by_programme: dict[str, int]


def trained_counts(
    organisation: Organisation, *, since: dt.date | None = None, until: dt.date | None = None
) -> TrainedCounts:
    rows = _completed(organisation, since, until)
    totals = rows.aggregate(
        people=Count("user", distinct=True),
        completions=Count("pk"),
    )
    by_group = dict(rows.values_list("group").annotate(n=Count("user", distinct=True)).order_by())
    by_programme = dict(
        rows.values_list("cohort__programme__name").annotate(n=Count("user", distinct=True)).order_by()
    )
    return TrainedCounts(
        people=totals["people"],
        staff=by_group.get(Group.STAFF, 0),
        partners=by_group.get(Group.PARTNER, 0),
        completions=totals["completions"],
        by_programme=by_programme,
    )


# --- coaches -------------------------------------------------------------------------------------------

FINISHED = (Lifecycle.COMPLETED, Lifecycle.CLOSED)


@dataclass(frozen=True)
class CoachCounts:
    trained: int
    coaching_now: int

    @property
    def share(self) -> int:
        return round(100 * self.coaching_now / self.trained) if self.trained else 0


def trained_coach_ids(organisation: Organisation) -> QuerySet[Enrolment, Any]:
    return (
        Enrolment.objects.filter(
            cohort__programme__organisation=organisation,
            cohort__programme__prepares_coaches=True,
            completed_on__isnull=False,
        )
        .values("user_id")
        .distinct()
    )


def coaching_now(organisation: Organisation) -> QuerySet[TeamMember]:
    """Current QI-coach roles on the organisation's projects that are still running."""
    return TeamMember.objects.filter(
        role=TeamRole.COACH, left_on__isnull=True, project__organisation=organisation
    ).exclude(project__lifecycle__in=FINISHED)


def coach_counts(organisation: Organisation) -> CoachCounts:
    trained = trained_coach_ids(organisation)
    now = coaching_now(organisation).filter(user_id__in=trained).values("user_id").distinct().count()
    return CoachCounts(trained=trained.count(), coaching_now=now)


# --- cohort teams --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow:
    cohort: str
    team: str
    project: str
    progress: str


def team_rows(organisation: Organisation) -> list[TeamRow]:
    teams = (
        CohortTeam.objects.filter(cohort__programme__organisation=organisation)
        .select_related("cohort__programme", "project")
        .order_by("cohort__programme__position", "-cohort__starts_on", "name")
    )
    return [
        TeamRow(
            cohort=f"{t.cohort.programme.name} – {t.cohort.name}",
            team=t.name,
            project=t.project.title if t.project else "No project linked",
            progress=t.project.progress_label if t.project else "",
        )
        for t in teams
    ]


# --- CSV -----------------------------------------------------------------------------------------------


def _safe(value: Any) -> Any:
    """Cells a spreadsheet would run as a formula get a leading apostrophe (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def trained_csv(rows: Iterable[TrainedRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["programme", "year", "group", "directorate", "people"])
    for row in rows:
        writer.writerow([_safe(row.programme), row.year, row.group, _safe(row.directorate), row.people])
    return out.getvalue()
