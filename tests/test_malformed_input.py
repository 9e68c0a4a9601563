"""Regressions from the reliability issue that span apps (items 3 and 7): malformed ids are a form error or a
404, never a 500; header-unsafe text never reaches an e-mail header; the audit trail labels every field."""

from __future__ import annotations

import email
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.utils import timezone

from openqi.core.models import AuditEvent
from openqi.measures.tests.factories import MeasureFactory
from openqi.organisations.models import Invitation
from openqi.projects.models import ChangeIdea, Driver
from openqi.projects.presenters.timeline import AuditRow

pytestmark = pytest.mark.django_db

FORTY_DIGITS = "9" * 40


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_40_digit_driver_id_is_a_form_error(world, projects) -> None:  # type: ignore[no-untyped-def]
    Driver.objects.create(project=projects.shared, title="Timely first appointments")
    response = signed_in(world.lead).post(
        f"/projects/{projects.shared.pk}/change-ideas/add/",
        {"title": "Text reminders", "drivers": FORTY_DIGITS},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not ChangeIdea.objects.exists()


@pytest.mark.parametrize("value", ["²", FORTY_DIGITS, "-1", "1e3", "٣"])
def test_ids_in_query_strings_that_are_not_ids_are_ignored(world, projects, value: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    pk = projects.shared.pk
    assert client.get(f"/projects/{pk}/change-ideas/add/", {"driver": value}).status_code == 200
    assert client.get(f"/projects/{pk}/pdsa/new/", {"change_idea": value}).status_code == 200
    assert client.get(f"/projects/{pk}/pdsa/new/", {"follows": value}).status_code == 200


@pytest.mark.parametrize("value", ["²", FORTY_DIGITS])
def test_a_malformed_library_measure_is_not_found(world, projects, value: str) -> None:  # type: ignore[no-untyped-def]
    MeasureFactory(organisation=world.trust)
    response = signed_in(world.lead).post(
        f"/measures/project/{projects.shared.pk}/add/",
        {"action": "library", "library-measure": value, "library-measure_type": "outcome"},
    )
    assert response.status_code == 404


def test_a_title_with_line_breaks_does_not_stop_a_team_invitation(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # Item 7: a CR/LF in the title reached the e-mail's Subject header; Django refused to send it, and the
    # invitation was left pending with no e-mail (and, before the task queue, no audit event either).
    project = projects.shared
    project.title = "Fewer missed appointments\r\nBcc: everyone@example.com"
    project.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(world.lead).post(
            f"/projects/{project.pk}/team/invite/",
            {"email": "jo.carer@example.com", "name": "Jo Carer", "role": "partner"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="jo.carer@example.com")
    (message,) = mail.outbox
    assert message.to == ["jo.carer@example.com"]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject == (
        "You're invited to join the project team for Fewer missed appointments Bcc: everyone@example.com "
        "on OpenQI"
    )
    sent = email.message_from_string(message.message().as_string())
    assert sent["Bcc"] is None and len(sent.get_all("Subject")) == 1
    assert AuditEvent.objects.filter(
        object_type="organisations.invitation", object_id=str(invitation.pk)
    ).exists()


def test_the_audit_trail_labels_every_field_of_every_model() -> None:
    # Item 3: a reverse relation ("attachments") had no verbose name and the trail answered 500.
    for model in apps.get_models():
        names = [field.name for field in model._meta.get_fields()]
        event = AuditEvent(
            object_type=model._meta.label_lower,
            object_repr="x",
            action=AuditEvent.Action.UPDATE,
            changes={name: [None, "x"] for name in names},
            created_at=timezone.now(),
        )
        row = AuditRow.of(event)
        assert len(row.changes) == len(names) and all(change.field for change in row.changes), model
