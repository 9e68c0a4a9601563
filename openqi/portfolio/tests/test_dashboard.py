"""The dashboard's figures count what the reader may see, and every bar's drill-down lists exactly the
projects it counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openqi.organisations.models import StrategicPriority
from openqi.portfolio import dashboard, presenters
from openqi.projects.models import (
    CoproductionLevel,
    Lifecycle,
    ProgressScoreChange,
    Project,
    TeamRole,
    Visibility,
)
from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory


def _scored(project: Project, history: list[tuple[int, str]]) -> None:
    """Score changes `days ago → score`, the last one being the score now."""
    previous = None
    for days, score in history:
        ProgressScoreChange.objects.create(
            project=project,
            score=Decimal(score),
            previous_score=previous,
            note="Reviewed with the coach",
            changed_at=timezone.now() - dt.timedelta(days=days),
        )
        previous = Decimal(score)
    Project.objects.filter(pk=project.pk).update(
        progress_score=previous, progress_reviewed_at=timezone.now() - dt.timedelta(days=history[-1][0])
    )


def _programme(world) -> dict[str, Project]:  # type: ignore[no-untyped-def]
    make = lambda title, **kw: ProjectFactory(  # noqa: E731
        organisation=world.trust, title=title, visibility=kw.pop("visibility", Visibility.ORGANISATION), **kw
    )
    rising = make("Rising", lifecycle=Lifecycle.ACTIVE, coproduction=CoproductionLevel.PARTNERS)
    _scored(rising, [(400, "1.0"), (200, "2.5"), (5, "3.0")])
    stalled = make("Stalled", lifecycle=Lifecycle.ACTIVE)
    _scored(stalled, [(500, "2.0"), (150, "2.5")])
    falling = make("Falling", lifecycle=Lifecycle.ACTIVE, coproduction=CoproductionLevel.CONSULTED)
    _scored(falling, [(380, "3.0"), (10, "2.0")])
    awaiting = make("Awaiting approval", lifecycle=Lifecycle.PROPOSED)
    secret = make("Secret", lifecycle=Lifecycle.ACTIVE, visibility=Visibility.PRIVATE)
    _scored(secret, [(10, "4.0")])
    TeamMemberFactory(project=rising, user=world.coach, role=TeamRole.COACH)
    TeamMemberFactory(project=secret, user=world.sponsor, role=TeamRole.SPONSOR)
    priority = StrategicPriority.objects.create(organisation=world.trust, name="Reducing waiting times")
    rising.priorities.add(priority)
    ProjectFactory(organisation=world.other_trust, title="Elsewhere", lifecycle=Lifecycle.ACTIVE)
    return {"rising": rising, "stalled": stalled, "falling": falling, "awaiting": awaiting, "secret": secret}


def _bars(facts: list[dashboard.ProjectFacts], world) -> dict[str, dict[str, int]]:  # type: ignore[no-untyped-def]
    now = timezone.now()
    figures = dashboard.figures(facts, dashboard.organisation_priorities(world.trust), {}, now)
    return {f.key: {b.label: b.count for b in f.bars} for f in figures}


def test_figures_of_a_programme(world) -> None:  # type: ignore[no-untyped-def]
    _programme(world)
    facts = dashboard.load_facts(Project.objects.filter(organisation=world.trust))
    bars = _bars(facts, world)
    assert bars["stage"]["Active"] == 4 and bars["stage"]["Proposed"] == 1
    assert bars["movement"] == {
        "Moved up": 2,  # 1.0 a year ago → 3.0, and 2.0 → 2.5
        "Stayed the same": 0,
        "Fell back": 1,  # 3.0 → 2.0
        "Scored for the first time": 1,
        "Not scored": 1,
    }
    assert bars["cohort"] == {
        "Score 2.5 or more": 3,
        "Showing improvement (3.0 or more)": 2,
        "At 2.5 for more than 3 months": 1,
    }
    assert bars["attention"]["Stalled at 2.5 for more than 3 months"] == 1
    assert bars["attention"]["Awaiting forum approval"] == 1
    assert bars["coach"] == {"With a QI coach": 1, "Without a QI coach": 3}
    assert bars["priority"] == {"Reducing waiting times": 1, "No priority chosen": 4}
    assert bars["coproduction"]["Service users as partners"] == 1


def test_movement_compares_with_the_score_a_year_ago(world) -> None:  # type: ignore[no-untyped-def]
    made = _programme(world)
    facts = {f.pk: f for f in dashboard.load_facts(Project.objects.filter(organisation=world.trust))}
    assert facts[made["rising"].pk].movement() == "up"
    assert facts[made["falling"].pk].movement() == "down"
    assert facts[made["stalled"].pk].movement() == "up"  # 2.0 a year and more ago, 2.5 now
    assert facts[made["secret"].pk].movement() == "new"
    assert facts[made["awaiting"].pk].movement() == "unscored"


def _drill(client: Client, href: str) -> set[str]:
    response = client.get(href)
    assert response.status_code == 200, href
    return {p.title for p in Project.objects.filter(pk__in=_listed(response.content.decode()))}


def _listed(html: str) -> list[int]:
    import re

    return [int(pk) for pk in re.findall(r'href="/projects/(\d+)/"', html)]


def test_every_bar_drills_down_to_the_projects_it_counts(world) -> None:  # type: ignore[no-untyped-def]
    _programme(world)
    client = Client()
    client.force_login(world.admin)
    response = client.get(reverse("portfolio:dashboard"))
    assert response.status_code == 200
    page = presenters.dashboard_page(world.admin, world.trust, {})
    assert page.total == 5
    html = response.content.decode()
    for figure in page.figures:
        assert figure.text in html.replace("&#39;", "'")
    for figure in page.figures:
        for bar in (b for b in figure.bars if b.href):
            listed = _listed(client.get(bar.href).content.decode())
            assert len(listed) == bar.count, (figure.key, bar.label)


def test_a_member_counts_only_what_they_may_see(world) -> None:  # type: ignore[no-untyped-def]
    _programme(world)
    for person, total in (("member", 4), ("sponsor", 5), ("admin", 5), ("advisor", 5)):
        client = Client()
        client.force_login(getattr(world, person))
        html = client.get(reverse("portfolio:dashboard")).content.decode()
        assert f"{total} projects." in html, person
    client = Client()
    client.force_login(world.member)
    stage = client.get(reverse("portfolio:projects"), {"figure": "stage", "value": "active"})
    assert "Secret" not in stage.content.decode() and "Rising" in stage.content.decode()


def test_filters_narrow_the_figures_and_their_drill_downs(world) -> None:  # type: ignore[no-untyped-def]
    made = _programme(world)
    directorate = world.trust.directorates.first()
    Project.objects.filter(pk=made["rising"].pk).update(directorate=directorate)
    client = Client()
    client.force_login(world.admin)
    assert (
        "1 project ("
        in client.get(reverse("portfolio:dashboard"), {"directorate": directorate.pk}).content.decode()
    )
    page = presenters.dashboard_page(world.admin, world.trust, {"directorate": str(directorate.pk)})
    assert page.total == 1
    stage = next(f for f in page.figures if f.key == "stage")
    active = next(b for b in stage.bars if b.label == "Active")
    assert active.count == 1
    assert parse_qs(urlparse(active.href).query)["directorate"] == [str(directorate.pk)]
    assert _drill(client, active.href) == {"Rising"}


def test_an_unknown_bar_is_not_found(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.admin)
    for query in ({"figure": "nope", "value": "x"}, {"figure": "stage", "value": "nope"}, {}):
        assert client.get(reverse("portfolio:projects"), query).status_code == 404
