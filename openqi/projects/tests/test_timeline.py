"""The project timeline: every kind of event merged newest first, grouped by month, filterable, extensible."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openqi.projects import plugins
from openqi.projects.models import (
    ActDecision,
    Lifecycle,
    LifecycleChange,
    ProgressScoreChange,
    Project,
    StoryCategory,
    TeamRole,
)
from openqi.projects.presenters.timeline import TimelineItem, by_month, timeline_for
from openqi.projects.tests.factories import PDSACycleFactory, StoryEntryFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def history(world, projects):  # type: ignore[no-untyped-def]
    """A project whose life spans three months, one event of every kind."""
    project = projects.shared
    project.team.update(joined_on=dt.date(2024, 12, 1))
    LifecycleChange.objects.create(
        project=project,
        from_state=Lifecycle.PROPOSED,
        to_state=Lifecycle.APPROVED,
        note="Approved at the directorate QI forum",
        changed_by=world.admin,
        changed_at=at(dt.date(2025, 1, 8)),
    )
    StoryEntryFactory(
        project=project,
        occurred_on=dt.date(2025, 1, 15),
        title="Kick-off meeting",
        category=StoryCategory.MEETING,
        author=world.lead,
    )
    PDSACycleFactory(
        project=project,
        title="Text reminders",
        objective="Do reminders cut missed appointments?",
        started_on=dt.date(2025, 2, 3),
        completed_on=dt.date(2025, 2, 28),
        act_decision=ActDecision.ADAPT,
        act_next_step="Try two days before",
    )
    ProgressScoreChange.objects.create(
        project=project,
        score=Decimal("2.5"),
        previous_score=Decimal("2.0"),
        note="First tests of change",
        changed_by=world.coach,
        changed_at=at(dt.date(2025, 3, 4)),
    )
    newcomer = TeamMemberFactory(project=project, role=TeamRole.MEMBER, joined_on=dt.date(2025, 3, 10))
    newcomer.left_on = dt.date(2025, 3, 20)
    newcomer.save()
    return project


def test_every_kind_is_merged_newest_first(history: Project) -> None:
    items = timeline_for(history)
    titles = [i.title for i in items]
    dates = [i.date for i in items]
    assert dates == sorted(dates, reverse=True)
    assert {i.kind for i in items} == {"story", "pdsa", "score", "team", "lifecycle"}
    left = next(t for t in titles if "left the role of team member" in t)
    joined = next(t for t in titles if "joined as team member" in t)
    assert titles.index(left) < titles.index(joined)
    assert titles.index("PDSA cycle completed: Text reminders") < titles.index(
        "PDSA cycle started: Text reminders"
    )
    assert titles.index("PDSA cycle started: Text reminders") < titles.index("Kick-off meeting")
    assert titles.index("Kick-off meeting") < titles.index("Project approved")


def test_items_say_what_happened(world, history: Project) -> None:  # type: ignore[no-untyped-def]
    by_title = {i.title: i for i in timeline_for(history)}
    completed = by_title["PDSA cycle completed: Text reminders"]
    assert completed.detail == "Decision: Adapt. Try two days before"
    score = next(i for i in by_title.values() if i.kind == "score")
    assert "2.5" in score.title and "Changes tested" in score.title and "(was 2.0)" in score.title
    assert score.detail == "First tests of change" and score.who == "Dan Okafor"
    approval = by_title["Project approved"]
    assert approval.detail == "Approved at the directorate QI forum" and approval.date == dt.date(2025, 1, 8)
    story = by_title["Kick-off meeting"]
    assert story.link and story.link.endswith("#entry-" + story.link.rsplit("-", 1)[1])
    assert story.who == "Tom Price"
    joined = next(i for i in by_title.values() if i.title == "Tom Price joined as project lead")
    assert joined.date == dt.date(2024, 12, 1)


def test_a_planned_cycle_without_dates_is_not_on_the_timeline(history: Project) -> None:
    PDSACycleFactory(project=history, title="Not started yet")
    assert not [i for i in timeline_for(history) if "Not started yet" in i.title]


def test_timeline_can_be_limited_to_kinds(history: Project) -> None:
    only = timeline_for(history, ["pdsa", "score"])
    assert {i.kind for i in only} == {"pdsa", "score"} and len(only) == 3
    assert len(timeline_for(history, [])) == len(timeline_for(history))


def test_items_are_grouped_by_month_newest_first(history: Project) -> None:
    groups = by_month(timeline_for(history))
    assert [g.heading for g in groups] == ["March 2025", "February 2025", "January 2025", "December 2024"]
    assert all(i.date.month == 3 for i in groups[0].items)
    assert groups[0].key == "2025-03"


def test_the_page_shows_months_and_filters_without_javascript(world, history: Project) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.member)  # organisation member, outside the team: the shared project is readable
    url = reverse("projects:timeline", kwargs={"pk": history.pk})
    page = client.get(url).content.decode()
    assert page.index("March 2025") < page.index("February 2025") < page.index("January 2025")
    assert "Kick-off meeting" in page and "PDSA cycle started: Text reminders" in page
    assert 'type="checkbox"' in page and 'name="kind"' in page and 'method="get"' in page
    filtered = client.get(url, {"kind": ["story", "nonsense"]}).content.decode()
    assert "Kick-off meeting" in filtered and "Text reminders" not in filtered
    assert 'value="story" checked' in filtered


@pytest.mark.parametrize(
    ("persona", "status"), [("lead", 200), ("member", 404), ("outsider", 404), ("loner", 404)]
)
def test_the_private_timeline_is_only_for_the_team(world, projects, persona: str, status: int) -> None:  # type: ignore[no-untyped-def]
    StoryEntryFactory(project=projects.private, title="Private matter")
    client = Client()
    client.force_login(getattr(world, persona))
    response = client.get(reverse("projects:timeline", kwargs={"pk": projects.private.pk}))
    assert response.status_code == status
    assert ("Private matter" in response.content.decode()) == (status == 200)


def test_other_apps_can_add_a_source(world, history: Project) -> None:  # type: ignore[no-untyped-def]
    def annotations(project: Project) -> Iterable[TimelineItem]:
        yield TimelineItem(kind="annotation", date=dt.date(2025, 2, 14), title="Chart note: new triage form")

    source = plugins.TimelineSource("annotation", "Chart annotations", annotations)
    with plugins.timeline_sources.contributing(source, key="annotation"):
        plugins.timeline_sources.register(source, key="annotation")  # registering again adds nothing
        items = timeline_for(history)
        assert [i.title for i in items].count("Chart note: new triage form") == 1
        note = next(i for i in items if i.kind == "annotation")
        assert note.kind_label == "Chart annotations"
        client = Client()
        client.force_login(world.lead)
        url = reverse("projects:timeline", kwargs={"pk": history.pk})
        page = client.get(url, {"kind": "annotation"}).content.decode()
        assert "Chart annotations" in page and "Chart note: new triage form" in page
        assert "Kick-off meeting" not in page
    assert "annotation" not in plugins.timeline_sources.names()


def test_an_unknown_kind_still_has_a_label() -> None:
    item = TimelineItem(kind="spread_event", date=dt.date(2025, 1, 1), title="x")
    assert item.kind_label == "Spread event" and item.display_date == "1 January 2025"


@dataclass(frozen=True)
class ForeignEvent:
    """The shape another app may yield without importing TimelineItem (date, kind, title, text, href)."""

    date: dt.date
    kind: str
    title: str
    text: str
    href: str


def test_events_of_another_shape_are_adapted_and_filterable(world, history: Project) -> None:  # type: ignore[no-untyped-def]
    def notes(project: Project, *args: object) -> list[ForeignEvent]:
        return [
            ForeignEvent(dt.date(2025, 2, 20), "foreign_note", "Chart note on DNA rate", "New form", "/m/1/")
        ]

    # Registered with its kind unlabelled (as an app that never names it might yield it).
    with plugins.timeline_sources.contributing(plugins.TimelineSource("other", "Other", notes), key="other"):
        item = next(i for i in timeline_for(history) if i.kind == "foreign_note")
        client = Client()
        client.force_login(world.lead)
        url = reverse("projects:timeline", kwargs={"pk": history.pk})
        page = client.get(url, {"kind": "foreign_note"}).content.decode()
    # An unregistered kind still gets a readable label made from its name.
    assert (item.detail, item.link, item.kind_label) == ("New form", "/m/1/", "Foreign note")
    assert 'value="foreign_note" checked' in page
    assert "Chart note on DNA rate" in page and "Kick-off meeting" not in page
