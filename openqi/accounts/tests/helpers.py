from __future__ import annotations

import re

from django.core import mail

CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


def last_code_for(email: str) -> str:
    """The one-time code in the newest sign-in e-mail to `email`."""
    for message in reversed(mail.outbox):
        if email in message.to:
            match = CODE.search(message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no sign-in code was e-mailed to {email}")


def last_link_for(email: str) -> str:
    for message in reversed(mail.outbox):
        if email in message.to:
            match = re.search(r"https?://\S+/invitations/\S+/", message.body)
            if match:
                return match.group(0)
    raise AssertionError(f"no invitation link was e-mailed to {email}")
