"""The organisation's background work: invitation e-mails (docs/adr/0015-task-queue.md)."""

from __future__ import annotations

from datetime import timedelta

from django.core.mail import send_mail

from openqi.core.mail import subject_line
from openqi.core.tasks import background_task
from openqi.organisations.models import Invitation


# An SMTP server that is down for a while gets six tries over about half an hour (1, 2, 4, 8, 16 minutes
# apart); after that the invitation shows on the QI team admin's "Failed e-mails and tasks" page.
@background_task(
    label="Invitation e-mail",
    attempts=6,
    first_delay=timedelta(minutes=1),
    describe=lambda kwargs: f"Invitation e-mail to {kwargs['to']}",
)
def send_invitation_email(
    *, organisation_id: int, invitation_id: int, to: str, subject: str, body: str
) -> str:
    """Send the invitation exactly as it was written when the person was invited (every retry sends the
    same message), unless it can no longer be used."""
    invitation = Invitation.objects.filter(pk=invitation_id, organisation_id=organisation_id).first()
    if invitation is None or invitation.status != "pending":
        return "not sent: the invitation was revoked, accepted or has expired"
    # subject_line again: a message queued before subjects were made safe would otherwise fail every try.
    send_mail(subject=subject_line(subject), message=body, from_email=None, recipient_list=[to])
    return "sent"
