"""Shared fixtures: named people in two organisations, as the healthchecks tests do with personas."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from openqi.organisations.models import Role
from openqi.organisations.tests.factories import (
    DirectorateFactory,
    MembershipFactory,
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _forget_rate_limits(request: pytest.FixtureRequest, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Rate-limit counters live in the database cache table, which test transactions do not roll back;
    without this one test's failed sign-ins would lock out the next test's person."""
    yield
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture
def rendered_pages(settings) -> None:  # type: ignore[no-untyped-def]
    """The page cache off, so that every request renders its page: query budgets count what rendering
    costs (a kept page's own cost, three queries, is tested in tests/test_page_cache.py)."""
    settings.PAGE_CACHE_SECONDS = 0


@dataclass
class World:
    trust: object
    other_trust: object
    admin: object
    coach: object
    sponsor: object
    member: object
    partner: object
    outsider: object  # QI team admin of the other trust: must see nothing of the first
    loner: object  # signed in, but in no organisation at all
    advisor: object  # improvement advisor: reads every project in the trust
    lead: object  # a practitioner who leads projects (no organisation role)


@pytest.fixture
def world(db: None) -> World:
    trust = OrganisationFactory(name="Northshire Health and Care NHS Foundation Trust", slug="northshire")
    other = OrganisationFactory(name="Eastvale Community NHS Trust", slug="eastvale")
    directorate = DirectorateFactory(organisation=trust, name="Primary Care Mental Health")
    ServiceFactory(directorate=directorate, name="Talking Therapies Wellbeing Service")
    DirectorateFactory(organisation=other, name="Adult Services")

    def person(email: str, name: str, org: object, roles: list[str]) -> object:
        user = UserFactory(email=email, name=name)
        MembershipFactory(organisation=org, user=user, roles=roles)
        return user

    return World(
        trust=trust,
        other_trust=other,
        admin=person("qi.admin@northshire.nhs.uk", "Priya Shah", trust, [Role.QI_TEAM_ADMIN]),
        coach=person("coach@northshire.nhs.uk", "Dan Okafor", trust, [Role.QI_COACH]),
        sponsor=person("sponsor@northshire.nhs.uk", "Helen Marsh", trust, [Role.SPONSOR]),
        member=person("staff@northshire.nhs.uk", "Aisha Khan", trust, []),
        partner=person("sam@example.com", "Sam Taylor", trust, []),
        outsider=person("lead@eastvale.nhs.uk", "Morgan Ellis", other, [Role.QI_TEAM_ADMIN]),
        loner=UserFactory(email="nobody@example.net", name="No Organisation"),
        advisor=person("advisor@northshire.nhs.uk", "Ruth Adeyemi", trust, [Role.IMPROVEMENT_ADVISOR]),
        lead=person("lead@northshire.nhs.uk", "Tom Price", trust, []),
    )


@dataclass
class Projects:
    """Two projects with the same team, one private and one visible to the organisation.

    Team: world.lead (project lead), world.partner (service-user partner), world.coach (QI coach),
    world.sponsor (sponsor). world.member is in the organisation but not the team."""

    private: object
    shared: object


@pytest.fixture
def projects(world: World) -> Projects:
    from openqi.projects.models import TeamRole, Visibility
    from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

    made = []
    for title, visibility in (
        ("Private project", Visibility.PRIVATE),
        ("Shared project", Visibility.ORGANISATION),
    ):
        project = ProjectFactory(organisation=world.trust, title=title, visibility=visibility)
        for user, role in (
            (world.lead, TeamRole.LEAD),
            (world.partner, TeamRole.PARTNER),
            (world.coach, TeamRole.COACH),
            (world.sponsor, TeamRole.SPONSOR),
        ):
            TeamMemberFactory(project=project, user=user, role=role)
        made.append(project)
    return Projects(private=made[0], shared=made[1])
