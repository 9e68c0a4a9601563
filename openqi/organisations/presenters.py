"""Display formatting for organisation pages, so templates hold no logic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone

from openqi.core.formatting import date_and_time, long_date
from openqi.core.tasks import TaskProblem
from openqi.organisations.models import Directorate, Invitation, Membership, Role
from openqi.organisations.scoping import scope_for

STATUS_TAG = {
    "pending": ("Pending", "nhsuk-tag--blue"),
    "accepted": ("Accepted", "nhsuk-tag--green"),
    "revoked": ("Revoked", "nhsuk-tag--grey"),
    "expired": ("Expired", "nhsuk-tag--orange"),
}


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
        return long_date(self.membership.joined_at)


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
        return long_date(self.invitation.created_at)

    @property
    def expires(self) -> str:
        return long_date(self.invitation.expires_at)


@dataclass
class TaskProblemRow:
    """A failed e-mail or other background task on the QI team admin's page."""

    problem: TaskProblem

    @property
    def failed(self) -> str:
        return date_and_time(self.problem.failed_at)

    @property
    def tries(self) -> str:
        return "Tried once" if self.problem.attempts == 1 else f"Tried {self.problem.attempts} times"

    @property
    def gave_up(self) -> bool:
        return self.problem.retry_at is None

    @property
    def status_text(self) -> str:
        if self.gave_up:
            return "Failed"
        return f"Trying again at {formats.time_format(timezone.localtime(self.problem.retry_at), 'H:i')}"

    @property
    def status_class(self) -> str:
        return "nhsuk-tag--red" if self.gave_up else "nhsuk-tag--yellow"


@dataclass
class OrganisationCard:
    name: str
    roles: str
    directorates: list[Directorate]
    is_admin: bool
    slug: str


def home_panel(request: Any) -> dict[str, Any]:
    """The home page's organisations panel: each organisation the person belongs to, with their roles."""
    scope = scope_for(request.user)
    directorates = list(scope.filter(Directorate).prefetch_related("services"))
    cards = [
        OrganisationCard(
            name=membership.organisation.name,
            roles=", ".join(membership.role_labels),
            directorates=[d for d in directorates if d.organisation_id == membership.organisation_id],
            is_admin=membership.has_role(Role.QI_TEAM_ADMIN),
            slug=membership.organisation.slug,
        )
        for membership in scope.memberships
    ]
    return {"cards": cards}


def administers_an_organisation(user: Any) -> bool:
    return bool(scope_for(user).administered_organisations())
