"""Figures the portfolio takes from the other domain apps, each through the function the app offers for it:
ideas brought to coaches and what became of them (coaching), people trained (learning), partner onboarding
and co-production reflections (involvement). Each is a fixed number of queries.

Ideas and training are about people, not projects: only "turned into a project" has projects behind it to
drill down to; the other numbers are shown without a list (the coaching and learning pages hold them)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from openqi.coaching.models import Idea, IdeaStatus
from openqi.involvement.summary import onboarding_counts, reflection_summary
from openqi.learning.reports import trained_counts
from openqi.organisations.models import Organisation
from openqi.portfolio.dashboard import Bar, Builder, Figure, figure_text, matching
from openqi.projects.models import Project


def _plain(label: str, count: int) -> Bar:
    return Bar(label, count, "")


def ideas_figure(organisation: Organisation, builder: Builder, filters: dict[str, Any]) -> Figure:
    ideas = Idea.objects.filter(organisation=organisation)
    if filters.get("service"):
        ideas = ideas.filter(service_id=filters["service"])
    elif filters.get("directorate"):
        ideas = ideas.filter(service__directorate_id=filters["directorate"])
    counts = dict(ideas.order_by().values_list("status").annotate(n=Count("pk")))
    # What became a project is counted as the projects the reader may see, so the number and its list agree.
    became = len(matching(builder.facts, "idea", "project", builder.now))
    bars = [
        Bar(label, became, builder.href("idea", "project"))
        if status == IdeaStatus.PROJECT
        else _plain(label, counts.get(status, 0))
        for status, label in IdeaStatus.choices
    ]
    title = "Ideas brought to coaches"
    return Figure(
        "ideas",
        title,
        "Ideas colleagues and partners brought to their coach, and what became of them.",
        bars,
        figure_text(title, bars),
    )


def trained_figure(organisation: Organisation) -> Figure:
    trained = trained_counts(organisation)
    bars = [
        _plain("People who completed a programme", trained.people),
        _plain("of whom staff", trained.staff),
        _plain("of whom service users and carers", trained.partners),
    ]
    bars += [_plain(name, n) for name, n in sorted(trained.by_programme.items())]
    title = "People trained"
    return Figure(
        "trained",
        title,
        "Distinct people who completed a QI programme (all time), from the learning records.",
        bars,
        figure_text(title, bars),
    )


def involvement_figure(projects: QuerySet[Project]) -> Figure:
    onboarding = onboarding_counts(projects)
    reflections = reflection_summary(projects)
    bars = [
        _plain("Partners in project teams", onboarding.partners),
        _plain("Partners with onboarding complete", onboarding.complete),
        _plain("Partners with onboarding still to finish", onboarding.incomplete),
    ]
    bars += [
        _plain(f"Co-production reflections: {stage.lower()}", n)
        for stage, n in zip(
            ("at the start", "midway", "at the end"), reflections.projects_by_stage.values(), strict=False
        )
    ]
    title = "Partner onboarding and co-production reflections"
    return Figure(
        "involvement",
        title,
        "Service-user and carer partners' onboarding, and the reflections teams recorded on co-production.",
        bars,
        figure_text(title, bars),
    )
