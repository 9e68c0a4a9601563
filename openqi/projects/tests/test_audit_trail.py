"""The project's audit trail: who may read it, what a row shows, paging, and that nothing can change it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.projects.services import story as services
from openqi.projects.tests.factories import StoryEntryFactory
from openqi.projects.views.audit import PER_PAGE

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def trail_url(project) -> str:  # type: ignore[no-untyped-def]
    return reverse("projects:audit", kwargs={"pk": project.pk})


@pytest.mark.parametrize(
    ("persona", "shared", "private"),
    [
        ("lead", 200, 200),  # project lead: ADMIN
        ("admin", 200, 200),  # the organisation's QI team admin
        ("partner", 403, 403),
        ("coach", 403, 403),
        ("sponsor", 403, 403),
        ("advisor", 403, 403),
        ("member", 403, 404),
        ("outsider", 404, 404),
        ("loner", 404, 404),
    ],
)
def test_only_the_lead_and_qi_admins_read_the_trail(world, projects, persona, shared, private) -> None:  # type: ignore[no-untyped-def]
    StoryEntryFactory(project=projects.shared, title="Audited entry")
    audit.record(
        by=world.lead,
        action=AuditEvent.Action.CREATE,
        instance=projects.shared.story_entries.get(),
        project=projects.shared,
        changes={"title": [None, "Audited entry"]},
    )
    client = signed_in(getattr(world, persona))
    response = client.get(trail_url(projects.shared))
    assert response.status_code == shared
    assert ("Audited entry" in response.content.decode()) == (shared == 200)
    assert client.get(trail_url(projects.private)).status_code == private


def test_the_audit_link_is_in_the_section_navigation_only_for_admins(world, projects) -> None:  # type: ignore[no-untyped-def]
    story = reverse("projects:story", kwargs={"pk": projects.shared.pk})
    assert trail_url(projects.shared) in signed_in(world.lead).get(story).content.decode()
    assert trail_url(projects.shared) not in signed_in(world.partner).get(story).content.decode()


def test_rows_show_who_when_what_and_before_and_after(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    entry = services.add_entry(
        project,
        services.EntryChange(
            occurred_on=StoryEntryFactory.build().occurred_on,
            category="meeting",
            title="Draft title",
            text="Words",
        ),
        by=world.partner,
    )
    services.edit_entry(
        entry,
        services.EntryChange(
            occurred_on=entry.occurred_on, category="decision", title="Final title", text="Words"
        ),
        expected_version=entry.version,
        by=world.lead,
    )
    services.delete_entry(entry, by=world.lead)
    page = signed_in(world.lead).get(trail_url(project)).content.decode()
    assert "Sam Taylor" in page and "Tom Price" in page
    assert (
        "Created: story entry" in page and "Updated: story entry" in page and "Deleted: story entry" in page
    )
    assert "Draft title → Final title" in page
    assert "meeting → decision" in page
    # Newest first: the deletion comes before the creation.
    assert page.index("Deleted: story entry") < page.index("Updated: story entry") < page.index("Created:")
    actions = list(AuditEvent.objects.filter(project_id=project.pk).values_list("action", flat=True))
    assert sorted(actions) == ["create", "delete", "update"]


def test_events_of_other_projects_are_not_shown(world, projects) -> None:  # type: ignore[no-untyped-def]
    other = StoryEntryFactory(project=projects.private, title="Elsewhere")
    audit.record(by=world.lead, action=AuditEvent.Action.CREATE, instance=other, project=projects.private)
    page = signed_in(world.lead).get(trail_url(projects.shared)).content.decode()
    assert "Elsewhere" not in page and "No changes have been recorded yet." in page


def test_a_personal_data_confirmation_shows_only_the_masked_excerpt(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(project=projects.shared)
    audit.record(
        by=world.lead,
        action=AuditEvent.Action.CONFIRM,
        instance=entry,
        project=projects.shared,
        changes={"findings": [{"field": "text", "kind": "nhs_number", "excerpt": "943 *** ***9"}]},
    )
    page = signed_in(world.lead).get(trail_url(projects.shared)).content.decode()
    assert "Confirmed no personal data" in page and "943 *** ***9" in page


def test_the_trail_is_paged_fifty_at_a_time(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(project=projects.shared)
    for n in range(PER_PAGE + 5):
        audit.record(
            by=world.lead,
            action=AuditEvent.Action.UPDATE,
            instance=entry,
            project=projects.shared,
            changes={"title": [f"Title {n}", f"Title {n + 1}"]},
        )
    client = signed_in(world.admin)
    first = client.get(trail_url(projects.shared)).content.decode()
    assert first.count('<tr class="nhsuk-table__row">') == PER_PAGE + 1  # plus the header row
    assert "Title 54 → Title 55" in first and "Title 0 → Title 1" not in first
    assert "Older changes" in first and "?page=2" in first
    second = client.get(trail_url(projects.shared), {"page": 2}).content.decode()
    assert second.count('<tr class="nhsuk-table__row">') == 5 + 1
    assert "Title 0 → Title 1" in second and "Newer changes" in second
    assert client.get(trail_url(projects.shared), {"page": "999"}).status_code == 200  # last page, no error


def test_the_trail_is_read_only(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(project=projects.shared)
    audit.record(by=world.lead, action=AuditEvent.Action.CREATE, instance=entry, project=projects.shared)
    client = signed_in(world.lead)
    page = client.get(trail_url(projects.shared)).content.decode()
    assert "<form" not in page.split('aria-label="Project sections"')[1]
    # The page only answers reads; nothing can be posted to it.
    assert client.post(trail_url(projects.shared), {"action": "delete"}).status_code == 405
    assert AuditEvent.objects.filter(project_id=projects.shared.pk).count() == 1
