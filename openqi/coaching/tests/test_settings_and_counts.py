"""The caseload flags' settings page (QI team admins only, NHS.UK errors, audited) and the idea counts
per service that the portfolio reads."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openqi.coaching import caseload, services
from openqi.coaching.access import ideas_for
from openqi.coaching.models import CoachingSettings
from openqi.core.models import AuditEvent
from openqi.organisations.models import Service

pytestmark = pytest.mark.django_db

VALID = {
    "no_contact_days": "21",
    "score_review_days": "45",
    "stall_score": "3.0",
    "stall_months": "4",
    "no_data_periods": "8",
}


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_qi_team_admins_set_the_thresholds_and_the_change_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("coaching:settings")
    assert client_for(world.coach).get(url).status_code == 403
    admin = client_for(world.admin)
    assert "No coaching contact for (days)" in admin.get(url).content.decode()
    assert admin.post(url, VALID).status_code == 302
    saved = CoachingSettings.objects.get(organisation=world.trust)
    assert (saved.no_contact_days, saved.stall_months, str(saved.stall_score)) == (21, 4, "3.0")
    assert AuditEvent.objects.filter(object_type="coaching.coachingsettings").exists()
    assert caseload.thresholds_for([world.trust])[world.trust.pk].no_contact_days == 21


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("no_contact_days", "0", "must be between 1 and 365"),
        ("stall_score", "2.7", "in steps of 0.5"),
        ("stall_months", "many", "must be a whole number"),
        ("no_data_periods", "", "Enter no new data for (periods)"),
    ],
)
def test_wrong_thresholds_are_explained(world, field, value, message) -> None:  # type: ignore[no-untyped-def]
    page = client_for(world.admin).post(reverse("coaching:settings"), {**VALID, field: value})
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body and message in body
    assert not CoachingSettings.objects.exists()


def test_idea_outcomes_are_counted_per_service(world) -> None:  # type: ignore[no-untyped-def]
    service = Service.objects.get(name="Talking Therapies Wellbeing Service")
    for n, service_given in enumerate((service, service, None)):
        idea = services.bring_idea(
            organisation=world.trust,
            coach=world.coach,
            service=service_given,
            title=f"Idea {n}",
            problem="p",
            affects="a",
            could_try="c",
            by=world.member,
        )
        if n == 0:
            services.triage_idea(idea, decision="parked", note="Later", by=world.coach)
    counts = caseload.idea_outcomes(ideas_for(world.admin))
    assert counts == {service.name: {"new": 1, "parked": 1}, "No service given": {"new": 1}}
    assert caseload.idea_outcomes(ideas_for(world.outsider)) == {}
