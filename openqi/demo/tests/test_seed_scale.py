"""`seed_scale` builds a trust whose shape is worth measuring, and `reindex` brings search back after it."""

from __future__ import annotations

import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q

from openqi.accounts.models import User
from openqi.demo.management.commands.seed_scale import (
    ADMIN_EMAIL,
    MEMBER_EMAIL,
    SCALE_SLUG,
    Size,
    allocate,
)
from openqi.measures.models import DataPoint, Measure, ProjectMeasure
from openqi.organisations.models import Membership, Organisation, Role
from openqi.projects.access import visible_projects
from openqi.projects.models import (
    Lifecycle,
    PDSACycle,
    Project,
    SearchDocument,
    StoryEntry,
    TeamMember,
    TeamRole,
    Visibility,
)
from openqi.projects.search import FTS_TABLE, search

pytestmark = pytest.mark.django_db
PROJECTS = 20


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", "--projects", str(PROJECTS), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def trust() -> Organisation:
    seed()
    return Organisation.objects.get(slug=SCALE_SLUG)


def test_the_default_size_is_the_trust_of_the_issue() -> None:
    size = Size.for_projects(5000)
    assert (size.directorates, size.services, size.people) == (8, 80, 3000)
    assert (size.measures, size.points, size.cycles, size.story_entries) == (
        15_000,
        1_360_000,
        20_000,
        50_000,
    )


def test_allocate_splits_a_total_exactly_in_proportion() -> None:
    assert allocate(10, [1, 1, 2]) == [3, 2, 5]
    assert sum(allocate(1_360_000, [0.3, 7, 2.2, 0])) == 1_360_000
    assert allocate(5, [0, 0]) == [0, 0]


def test_a_tiny_trust_has_the_proportions_of_the_large_one(trust: Organisation) -> None:
    size = Size.for_projects(PROJECTS)
    projects = Project.objects.filter(organisation=trust)
    assert projects.count() == PROJECTS
    assert Measure.objects.filter(organisation=trust).count() == size.measures
    assert DataPoint.objects.filter(measure__organisation=trust).count() == size.points
    assert PDSACycle.objects.filter(project__organisation=trust).count() == size.cycles
    assert StoryEntry.objects.filter(project__organisation=trust).count() == size.story_entries
    assert Membership.objects.filter(organisation=trust).count() == size.people
    assert trust.directorates.count() == size.directorates


def test_projects_are_spread_over_stages_and_visibility_with_a_lead_each(trust: Organisation) -> None:
    projects = Project.objects.filter(organisation=trust)
    assert len(set(projects.values_list("lifecycle", flat=True))) >= 3
    assert Counter(projects.values_list("visibility", flat=True))[Visibility.ORGANISATION] >= PROJECTS // 2
    leads = projects.annotate(
        leads=Count("team", filter=Q(team__role=TeamRole.LEAD, team__left_on__isnull=True))
    )
    assert set(leads.values_list("leads", flat=True)) == {1}
    scores = set(projects.exclude(progress_score=None).values_list("progress_score", flat=True))
    assert scores and all(Decimal("0.5") <= s <= Decimal("5.0") for s in scores)
    # Projects that are under way have their work recorded; ideas have little or none.
    assert not PDSACycle.objects.filter(
        project__lifecycle=Lifecycle.IDEA, project__organisation=trust
    ).exists()


def test_measures_are_weekly_series_a_chart_can_use(trust: Organisation) -> None:
    points = DataPoint.objects.filter(measure__organisation=trust)
    assert {p.weekday() for p in points.values_list("period", flat=True)} == {0}
    assert not points.filter(measure__kind="proportion", numerator__gt=F("denominator")).exists()
    assert not points.filter(measure__kind="proportion", denominator=None).exists()
    assert not points.filter(measure__kind__in=["count", "continuous"], value=None).exists()
    # Each measure sits in the family of a project of the same organisation.
    links = ProjectMeasure.objects.filter(measure__organisation=trust)
    assert not links.exclude(project__organisation=trust).exists()
    assert set(links.values_list("measure_type", flat=True)) >= {"outcome", "process"}


def test_the_known_accounts_exist_with_their_roles(trust: Organisation) -> None:
    admin = User.objects.get(email=ADMIN_EMAIL)
    member = User.objects.get(email=MEMBER_EMAIL)
    admin_membership = Membership.objects.get(organisation=trust, user=admin)
    assert admin_membership.roles == [Role.QI_TEAM_ADMIN] and not admin_membership.is_guest
    member_membership = Membership.objects.get(organisation=trust, user=member)
    assert member_membership.roles == [] and not member_membership.is_guest
    teams = TeamMember.objects.filter(user=member, left_on__isnull=True)
    assert teams.values("project").distinct().count() >= 3
    assert teams.filter(role=TeamRole.LEAD).count() == 1
    assert visible_projects(admin).count() == PROJECTS
    # The member sees the private project of a team they are in, and not the private projects of others.
    private = Project.objects.filter(organisation=trust, visibility=Visibility.PRIVATE)
    seen = set(visible_projects(member).values_list("pk", flat=True))
    assert set(private.filter(team__user=member).values_list("pk", flat=True)) <= seen
    assert not set(private.exclude(team__user=member).values_list("pk", flat=True)) & seen


def test_search_finds_a_project_by_a_word_of_its_story_log_after_the_load(trust: Organisation) -> None:
    admin = User.objects.get(email=ADMIN_EMAIL)
    entry, word = story_word(trust)
    assert entry.project in search(visible_projects(admin), word)


def test_reindex_rebuilds_an_emptied_index(trust: Organisation) -> None:
    admin = User.objects.get(email=ADMIN_EMAIL)
    entry, word = story_word(trust)
    SearchDocument.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    assert entry.project not in search(visible_projects(admin), word)
    out = io.StringIO()
    call_command("reindex", "--organisation", SCALE_SLUG, "--batch-size", "7", stdout=out)
    assert f"{PROJECTS} projects" in out.getvalue()
    assert entry.project in search(visible_projects(admin), word)


def test_reindex_follows_text_changed_without_signals(trust: Organisation) -> None:
    admin = User.objects.get(email=ADMIN_EMAIL)
    entry = StoryEntry.objects.filter(project__organisation=trust).first()
    assert entry is not None
    StoryEntry.objects.filter(pk=entry.pk).update(text="The zanzibarite pilot starts on Monday.")
    assert not search(visible_projects(admin), "zanzibarite").exists()
    call_command("reindex", stdout=io.StringIO())
    assert entry.project in search(visible_projects(admin), "zanzibarite")


def test_an_existing_trust_is_refused_unless_replaced_and_replacing_builds_the_same(
    trust: Organisation,
) -> None:
    titles = sorted(Project.objects.filter(organisation=trust).values_list("title", flat=True))
    people = User.objects.count()
    with pytest.raises(CommandError, match="--replace"):
        seed()
    output = seed("--replace")
    assert "Dropped the old" in output and "Scale trust ready" in output
    again = Organisation.objects.get(slug=SCALE_SLUG)
    assert sorted(Project.objects.filter(organisation=again).values_list("title", flat=True)) == titles
    assert User.objects.count() == people
    assert not Project.objects.exclude(organisation=again).exists()


def story_word(trust: Organisation) -> tuple[StoryEntry, str]:
    """A story entry and a long word of its text that the project's own record does not contain."""
    for entry in StoryEntry.objects.filter(project__organisation=trust).select_related("project"):
        record = " ".join((entry.project.title, entry.project.aim_statement, entry.project.problem)).lower()
        for word in re.findall(r"[A-Za-z]{8,}", entry.text):
            if word.lower() not in record:
                return entry, word
    raise AssertionError("no story entry has a word of its own")
