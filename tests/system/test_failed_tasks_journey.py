"""Failed background work, as the QI team admin meets it: an invitation e-mail the mail server refused
after every retry, listed with its error, and tried again with one button."""

from __future__ import annotations

from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as


def given_an_invitation_email_that_failed(world) -> DBTaskResult:  # type: ignore[no-untyped-def]
    """As the worker leaves one after its sixth try (the queue itself is tested without a browser)."""
    return DBTaskResult.objects.create(
        status="FAILED",
        task_path="openqi.organisations.tasks.send_invitation_email",
        args_kwargs={
            "args": [],
            "kwargs": {
                "organisation_id": world.trust.pk,
                "invitation_id": 1,
                "to": "jo.carer@gmail.com",
                "subject": "You're invited",
                "body": "…",
            },
        },
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
        worker_ids=["worker"] * 6,
        finished_at=timezone.now(),
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback="Traceback …\nsmtplib.SMTPServerDisconnected: Connection unexpectedly closed\n",
    )


def test_a_qi_team_admin_sees_a_failed_email_and_tries_again(journey: Journey, world) -> None:  # type: ignore[no-untyped-def]
    failed = given_an_invitation_email_that_failed(world)
    # Given the QI team admin is signed in
    given_i_am_signed_in_as(journey, world.admin.email)
    # When they open the organisation's failed e-mails and tasks
    journey.follow("Organisation")
    journey.follow("Failed e-mails and tasks")
    # Then they see what failed, how often it was tried and why
    assert "Invitation e-mail to jo.carer@gmail.com" in journey.text
    assert "Tried 6 times" in journey.text
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in journey.text
    # When they try again, it is queued for the worker at once
    journey.press("Try again – Invitation e-mail to jo.carer@gmail.com")
    assert "It will be tried again in a moment" in journey.text
    assert "Trying again at" in journey.text
    failed.refresh_from_db()
    assert failed.status == "READY"
