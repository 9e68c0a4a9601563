"""Display formatting for organisation pages, so templates hold no logic."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone

from openqi.organisations.models import Invitation, Membership

STATUS_TAG = {
    "pending": ("Pending", "nhsuk-tag--blue"),
    "accepted": ("Accepted", "nhsuk-tag--green"),
    "revoked": ("Revoked", "nhsuk-tag--grey"),
    "expired": ("Expired", "nhsuk-tag--orange"),
}


def date(value: object) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y") if value else ""  # type: ignore[arg-type]


@dataclass
class MemberRow:
    membership: Membership

    @property
    def name(self) -> str:
        return self.membership.user.display_name

    @property
    def email(self) -> str:
        return self.membership.user.email

    @property
    def roles(self) -> str:
        return ", ".join(self.membership.role_labels)

    @property
    def joined(self) -> str:
        return date(self.membership.joined_at)


@dataclass
class InvitationRow:
    invitation: Invitation

    @property
    def status_text(self) -> str:
        return STATUS_TAG[self.invitation.status][0]

    @property
    def status_class(self) -> str:
        return STATUS_TAG[self.invitation.status][1]

    @property
    def is_pending(self) -> bool:
        return self.invitation.status == "pending"

    @property
    def roles(self) -> str:
        membership = Membership(roles=self.invitation.roles)
        return ", ".join(membership.role_labels)

    @property
    def sent(self) -> str:
        return date(self.invitation.created_at)

    @property
    def expires(self) -> str:
        return date(self.invitation.expires_at)
