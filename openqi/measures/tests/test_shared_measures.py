"""A library measure shared between projects: it is offered only to people who can see every project
using it, and changing what it shows needs permission to change every one of them."""

from __future__ import annotations

import pytest
from django.test import Client

from openqi.measures.models import DataPoint, ProjectMeasure
from openqi.measures.tests.factories import MeasureFactory, ProjectMeasureFactory, add_points
from openqi.projects.models import TeamRole, Visibility
from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def secret(world):  # type: ignore[no-untyped-def]
    """A private project only world.lead is in, with a measure and its data."""
    project = ProjectFactory(organisation=world.trust, title="Secret project", visibility=Visibility.PRIVATE)
    TeamMemberFactory(project=project, user=world.lead, role=TeamRole.LEAD)
    measure = MeasureFactory(organisation=world.trust, name="Secret waiting list measure")
    link = ProjectMeasureFactory(project=project, measure=measure)
    add_points(measure, [(4, 10), (7, 10)])
    return link


def test_a_private_projects_measure_is_not_offered_attached_or_exported(world, projects, secret) -> None:  # type: ignore[no-untyped-def]
    partner = _client(world.partner)  # EDIT on the shared project, nothing on the secret one
    open_measure = MeasureFactory(organisation=world.trust, name="Unused library measure")
    library = partner.get("/measures/").content.decode()
    assert "Secret waiting list measure" not in library and "Unused library measure" in library
    add_page = partner.get(f"/measures/project/{projects.shared.pk}/add/").content.decode()
    assert "Secret waiting list measure" not in add_page and "Unused library measure" in add_page
    response = partner.post(
        f"/measures/project/{projects.shared.pk}/add/",
        {"action": "library", "library-measure": str(secret.measure.pk), "library-measure_type": "outcome"},
    )
    assert response.status_code == 404
    assert not ProjectMeasure.objects.filter(project=projects.shared, measure=secret.measure).exists()
    # Nothing to export through the shared project either.
    assert not ProjectMeasure.objects.filter(project=projects.shared).exists()
    export = f"/measures/project/{projects.shared.pk}/m/{secret.pk}/export.csv"
    assert partner.get(export).status_code == 404
    # The lead sees both projects, so may share the measure; the unused one can be attached by anyone.
    assert "Secret waiting list measure" in _client(world.lead).get("/measures/").content.decode()
    ok = partner.post(
        f"/measures/project/{projects.shared.pk}/add/",
        {"action": "library", "library-measure": str(open_measure.pk), "library-measure_type": "outcome"},
    )
    assert ok.status_code == 302


def test_a_measure_also_in_a_hidden_project_is_not_offered(world, projects, secret) -> None:  # type: ignore[no-untyped-def]
    # Shared (by the lead) with a project the partner can see, it is still in a project they cannot.
    ProjectMeasureFactory(project=projects.shared, measure=secret.measure)
    assert "Secret waiting list measure" not in _client(world.partner).get("/measures/").content.decode()


def test_writes_to_a_shared_measure_need_edit_on_every_project(world, projects, secret) -> None:  # type: ignore[no-untyped-def]
    # The lead (who may see both) shared the secret measure with the shared project.
    shared_link = ProjectMeasureFactory(project=projects.shared, measure=secret.measure)
    base = f"/measures/project/{projects.shared.pk}/m/{shared_link.pk}/"
    partner = _client(world.partner)
    assert partner.get(base).status_code == 200  # reading through the shared project is allowed
    row = {"rows": "1", "row-0-period": "2025-01-06", "row-0-numerator": "1", "row-0-denominator": "10"}
    for suffix in ("data/", "edit/", "limits/", "exclude/", "upload/"):
        response = partner.post(base + suffix, row)
        assert response.status_code == 403, suffix
        assert "This measure is shared with a project you cannot change; ask its team" in (
            response.content.decode()
        )
    assert DataPoint.objects.get(measure=secret.measure, period="2025-01-06").numerator == 4
    # The project lead has EDIT on both; the organisation's QI team admin may change it too.
    assert _client(world.lead).get(base + "data/").status_code == 200
    assert _client(world.admin).get(base + "data/").status_code == 200


def test_a_change_to_a_shared_measure_is_in_every_projects_audit_trail(world, projects, secret) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from openqi.core.models import AuditEvent
    from openqi.measures.services import definitions, limits

    ProjectMeasureFactory(project=projects.shared, measure=secret.measure)
    limits.add_limit_change(
        secret.measure, kind="freeze", period=dt.date(2025, 1, 13), reason="Baseline", by=world.lead,
        project=projects.shared,
    )  # fmt: skip
    point = secret.measure.points.first()
    limits.set_exclusion(point, excluded=True, reason="Outage", by=world.lead, project=projects.shared)
    definitions.update_definition(
        secret.measure,
        changes={"unit": "per cent"},
        expected_version=1,
        by=world.lead,
        project=secret.project,
    )
    for object_type in ("measures.limitchange", "measures.datapoint", "measures.measure"):
        events = AuditEvent.objects.filter(object_type=object_type)
        assert {e.project_id for e in events} == {projects.shared.pk, secret.project_id}, object_type
