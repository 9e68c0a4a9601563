"""What the portfolio reads of co-production, for any set of projects the reader may already see:
partner onboarding counts and the co-production reflections in summary. No payment figures: those are
for the partner, the approver and the QI team admin only (openqi.involvement.access)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, QuerySet

from openqi.involvement.models import (
    CoproductionReflection,
    OnboardingItem,
    PartnerOnboarding,
    ReflectionStage,
    ReflectionTheme,
)
from openqi.projects.models import Project, TeamMember, TeamRole


@dataclass(frozen=True)
class OnboardingCounts:
    """Partners currently in these projects' teams, and how many of them have a complete checklist."""

    partners: int
    complete: int

    @property
    def incomplete(self) -> int:
        return self.partners - self.complete


def onboarding_counts(projects: QuerySet[Project]) -> OnboardingCounts:
    """Counted in two queries, whatever the number of projects."""
    pairs = set(
        TeamMember.objects.filter(
            project__in=projects, role=TeamRole.PARTNER, left_on__isnull=True
        ).values_list("project_id", "user_id")
    )
    done = PartnerOnboarding.objects.filter(project__in=projects, named_contact__isnull=False).filter(
        **dict.fromkeys(OnboardingItem.values, True)
    )
    complete = set(done.values_list("project_id", "partner_id")) & pairs
    return OnboardingCounts(partners=len(pairs), complete=len(complete))


@dataclass(frozen=True)
class ReflectionSummary:
    """How many projects reflected at each stage, and the average answer (1 not yet … 4 fully) per theme."""

    projects_by_stage: dict[str, int]
    average_by_theme: dict[str, float | None]
    labels: dict[str, str] = field(default_factory=lambda: dict(ReflectionTheme.choices))


def reflection_summary(projects: QuerySet[Project]) -> ReflectionSummary:
    reflections = CoproductionReflection.objects.filter(project__in=projects)
    by_stage = dict(reflections.values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    averages: dict[str, Any] = reflections.aggregate(
        **{theme: Avg(theme) for theme in ReflectionTheme.values}
    )
    return ReflectionSummary(
        projects_by_stage={stage: by_stage.get(stage, 0) for stage in ReflectionStage.values},
        average_by_theme={
            theme: round(float(averages[theme]), 1) if averages[theme] is not None else None
            for theme in ReflectionTheme.values
        },
    )
