"""Display formatting for organisation pages, so templates hold no logic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone

from openqi.core.formatting import date_and_time, long_date
from openqi.core.tasks import TaskProblem
from openqi.organisations import plugins
from openqi.organisations.models import Directorate, Invitation, Membership, Role
from openqi.organisations.scoping import scope_for


def team_role_name(key: str) -> str:
    """A project team role in plain words ("Service-user or carer partner"), never its stored key."""
    for name_of in plugins.team_role_names:
        name = name_of(key)
        if name:
            return name
    return key.replace("_", " ").capitalize()


def guest_roles(organisation_id: int, user_ids: list[int]) -> dict[int, list[str]]:
    """What each guest does in the organisation's project teams, from the apps that know (one call each)."""
    found: dict[int, list[str]] = {}
    if not user_ids:
        return found
    for describe in plugins.guest_roles:
        for user_id, texts in describe(organisation_id, user_ids).items():
            found.setdefault(user_id, []).extend(texts)
    return found


def roles_text(membership: Membership, guest: Iterable[str] = ()) -> str:
    """A person's roles in the organisation: a guest's are their roles in project teams, when known."""
    labels = membership.role_labels
    named = list(guest)
    if membership.is_guest and named:
        labels = named + labels[1:]
    return ", ".join(labels)


def roles_by_member(memberships: list[Membership]) -> dict[int, str]:
    guests: dict[int, list[int]] = {}
    for m in memberships:
        if m.is_guest:
            guests.setdefault(m.organisation_id, []).append(m.user_id)
    described: dict[int, list[str]] = {}
    for organisation_id, user_ids in guests.items():
        described |= guest_roles(organisation_id, user_ids)
    return {m.pk: roles_text(m, described.get(m.user_id, ()) if m.is_guest else ()) for m in memberships}


STATUS_TAG = {
    "pending": ("Pending", "nhsuk-tag--blue"),
    "accepted": ("Accepted", "nhsuk-tag--green"),
    "revoked": ("Revoked", "nhsuk-tag--grey"),
    "expired": ("Expired", "nhsuk-tag--orange"),
}


@dataclass
class MemberRow:
    membership: Membership
    # Set by member_rows: a guest's roles in project teams, in plain words.
    roles_in_words: str = ""

    @property
    def name(self) -> str:
        return self.membership.user.display_name

    @property
    def email(self) -> str:
        return self.membership.user.email

    @property
    def roles(self) -> str:
        return self.roles_in_words or ", ".join(self.membership.role_labels)

    @property
    def joined(self) -> str:
        return long_date(self.membership.joined_at)


def member_rows(memberships: Iterable[Membership]) -> list[MemberRow]:
    listed = list(memberships)
    texts = roles_by_member(listed)
    return [MemberRow(m, texts[m.pk]) for m in listed]


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
        if self.invitation.project_id is not None:
            return f"{team_role_name(self.invitation.project_role)} in the project team"
        membership = Membership(roles=self.invitation.roles)
        return ", ".join(membership.role_labels)

    @property
    def inviter(self) -> str:
        inviter = self.invitation.invited_by
        return inviter.display_name if inviter is not None else "The QI team"

    @property
    def role_in_words(self) -> str:
        """The role offered, as a phrase: "a service-user or carer partner", "a QI coach"."""
        if self.invitation.project_id is not None:
            name = team_role_name(self.invitation.project_role)
        else:
            names = [Role(r).label for r in Role.values if r in self.invitation.roles]
            name = " and ".join(names) if names else "member"
        return ("an " if name[:1].lower() in "aeiou" else "a ") + (
            name if name.startswith("QI") else name[:1].lower() + name[1:]
        )

    @property
    def invited_you(self) -> str:
        """The same, as the sign-in e-mail recalls it."""
        invitation = self.invitation
        where = (
            f"the team of the quality improvement project \u201c{invitation.project.title}\u201d at "
            f"{invitation.organisation.name}"
            if invitation.project is not None
            else invitation.organisation.name
        )
        return f"{self.inviter} invited you to join {where} on OpenQI, as {self.role_in_words}."

    @property
    def joining(self) -> str:
        """What accepting means, in one plain sentence that names the organisation, project and role."""
        invitation = self.invitation
        if invitation.project is not None:
            return (
                f"{self.inviter} has invited you to join the team of the quality improvement project "
                f"\u201c{invitation.project.title}\u201d at {invitation.organisation.name}, "
                f"as {self.role_in_words}."
            )
        return (
            f"{self.inviter} has invited you to join {invitation.organisation.name} on OpenQI "
            f"as {self.role_in_words}."
        )

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
    roles = roles_by_member(scope.memberships)
    cards = [
        OrganisationCard(
            name=membership.organisation.name,
            roles=roles[membership.pk],
            directorates=[d for d in directorates if d.organisation_id == membership.organisation_id],
            is_admin=membership.has_role(Role.QI_TEAM_ADMIN),
            slug=membership.organisation.slug,
        )
        for membership in scope.memberships
    ]
    return {"cards": cards}


def administers_an_organisation(user: Any) -> bool:
    return bool(scope_for(user).administered_organisations())
