"""Invitation e-mails go through the task queue: queued when the invitation is saved, sent by the worker,
tried again with growing waits when the mail server fails, and then shown to the organisation's QI team
admin (and to nobody else) with a button to try again."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPServerDisconnected
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, TestCase
from django_tasks_db.models import DBTaskResult

from openqi.core.tests.queue import DATABASE_QUEUE, make_retries_due, run_worker
from openqi.organisations import services
from openqi.organisations.models import Invitation

pytestmark = pytest.mark.django_db

FAILED_TASKS = "/organisation/northshire/failed-tasks/"


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture(autouse=True)
def _database_queue(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE_QUEUE


def invite(world) -> services.IssuedInvitation:  # type: ignore[no-untyped-def]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.invite(
            organisation=world.trust, email="a@example.com", name="", roles=[], invited_by=world.admin
        )


def when_the_admin_invites(world, capture) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.admin)
    with capture(execute=True):
        response = client.post(
            "/organisation/northshire/people/invite/",
            {"email": "carer.partner@gmail.com", "name": "Jo Carer", "roles": []},
        )
    assert response.status_code == 302
    return client


def test_the_invitation_is_queued_in_the_request_and_sent_by_the_worker(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    when_the_admin_invites(world, django_capture_on_commit_callbacks)
    assert not mail.outbox
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY" and queued.task_path.endswith("send_invitation_email")
    assert queued.args_kwargs["kwargs"]["organisation_id"] == world.trust.pk
    assert run_worker() == 1
    assert [m.to for m in mail.outbox] == [["carer.partner@gmail.com"]]
    assert "/invitations/" in mail.outbox[0].body
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failing_mail_server_gets_retries_then_the_admin_sees_the_failure_and_tries_again(
    world, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # Given the mail server is down when an invitation is sent
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    admin = when_the_admin_invites(world, django_capture_on_commit_callbacks)
    # When the worker tries, it fails and waits 1, 2, 4, 8 and 16 minutes before the next tries
    waits = []
    for _ in range(5):
        assert run_worker() == 1
        row = DBTaskResult.objects.get()
        assert row.status == "READY"
        waits.append(round((row.run_after - row.finished_at) / timedelta(minutes=1)))
        assert run_worker() == 0  # not due yet
        page = admin.get(FAILED_TASKS).content.decode()
        assert "Trying again at" in page and "Try again" not in page
        make_retries_due()
    assert waits == [1, 2, 4, 8, 16]
    assert run_worker() == 1  # the sixth try, the last
    assert DBTaskResult.objects.get().status == "FAILED"
    assert not mail.outbox
    # Then the organisation's QI team admin sees what failed, when, and why
    page = admin.get(FAILED_TASKS).content.decode()
    assert "Invitation e-mail to carer.partner@gmail.com" in page
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page
    assert "Tried 6 times" in page and "Failed" in page
    # And when the mail server is back, one press sends the same message
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    task_id = DBTaskResult.objects.get().pk
    response = admin.post(f"{FAILED_TASKS}{task_id}/retry/", follow=True)
    assert "tried again in a moment" in response.content.decode()
    assert run_worker() == 1
    assert [m.to for m in mail.outbox] == [["carer.partner@gmail.com"]]
    assert "Nothing has failed" in admin.get(FAILED_TASKS).content.decode()


def test_another_organisation_sees_nothing_of_the_failure(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    invite(world)
    for _ in range(6):
        make_retries_due()
        run_worker()
    task_id = DBTaskResult.objects.get(status="FAILED").pk
    outsider = Client()
    outsider.force_login(world.outsider)  # QI team admin of the other trust
    assert outsider.get(FAILED_TASKS).status_code == 404
    assert outsider.post(f"{FAILED_TASKS}{task_id}/retry/").status_code == 404
    own = outsider.get("/organisation/eastvale/failed-tasks/").content.decode()
    assert "a@example.com" not in own and "Nothing has failed" in own
    outsider.post(f"/organisation/eastvale/failed-tasks/{task_id}/retry/")
    assert DBTaskResult.objects.get(pk=task_id).status == "FAILED"
    # Nor do people of the same trust who are not its QI team admins.
    coach = Client()
    coach.force_login(world.coach)
    assert coach.get(FAILED_TASKS).status_code == 404


def test_an_invitation_revoked_before_its_email_went_is_not_sent(world) -> None:  # type: ignore[no-untyped-def]
    issued = invite(world)
    services.revoke_invitation(Invitation.objects.get(pk=issued.invitation.pk), by=world.admin)
    assert run_worker() == 1
    assert not mail.outbox
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
