"""Team operations: adding people in roles, leaving (kept as history), inviting by e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from openqi.accounts.models import User
from openqi.core import audit
from openqi.organisations import services as organisation_services
from openqi.organisations.models import Membership
from openqi.projects.models import LeadHandover, PreviousLead, Project, TeamMember, TeamRole


class TeamError(Exception):
    pass


@transaction.atomic
def add_to_team(
    project: Project,
    *,
    user: Any,
    role: str,
    by: Any,
    show_name_publicly: bool = False,
    joined_on: dt.date | None = None,
) -> TeamMember:
    """Put a person in the team in a role; a person already current in that role is left as they are."""
    if role not in TeamRole.values:
        raise TeamError(f"Unknown team role: {role}")
    existing = project.team.filter(user=user, role=role, left_on__isnull=True).first()
    if existing:
        return existing
    member = TeamMember.objects.create(
        project=project,
        user=user,
        role=role,
        joined_on=joined_on or timezone.localdate(),
        show_name_publicly=show_name_publicly,
    )
    audit.record(
        by=by,
        action="create",
        instance=member,
        project=project,
        changes={"person": [None, user.display_name], "role": [None, member.get_role_display()]},
    )
    return member


@transaction.atomic
def leave_team(member: TeamMember, *, by: Any) -> None:
    """End a stint: the row stays, so the history shows who held the role and when."""
    if member.left_on is not None:
        raise TeamError("This person has already left this role.")
    if (
        member.role == TeamRole.LEAD
        and not member.project.team.filter(role=TeamRole.LEAD, left_on__isnull=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise TeamError("A project needs a lead. Add the new project lead before the current lead leaves.")
    _end_stint(member, timezone.localdate())
    audit.record(
        by=by,
        action="update",
        instance=member,
        project=member.project,
        changes={"left_on": [None, str(member.left_on)]},
    )


def _end_stint(member: TeamMember, on: dt.date) -> None:
    member.left_on = on
    member.left_at = timezone.now()
    member.save(update_fields=["left_on", "left_at"])


@transaction.atomic
def hand_over_lead(
    project: Project,
    *,
    previous: Any,
    new_lead: Any,
    on: dt.date,
    previous_lead_becomes: str,
    note: str,
    by: Any,
) -> LeadHandover:
    """Make `new_lead` the project lead from `on`. The previous lead becomes a team member, leaves, or
    stays as co-lead; only the explicit co-lead choice leaves two leads. The new lead's team-member stint
    ends (leading includes it); other roles they hold (partner, data lead) stay."""
    if previous_lead_becomes not in PreviousLead.values:
        raise TeamError("Choose what the previous lead does now.")
    leads = project.team.filter(role=TeamRole.LEAD, left_on__isnull=True)
    stint = leads.filter(user=previous).first()
    if stint is None:
        raise TeamError(f"{previous.display_name} is not the project lead now.")
    if new_lead.pk == previous.pk:
        raise TeamError("Choose someone other than the current lead.")
    if leads.filter(user=new_lead).exists():
        raise TeamError(f"{new_lead.display_name} is already a project lead.")
    if on > timezone.localdate():
        raise TeamError("The date of the handover must be today or in the past.")
    if on < stint.joined_on:
        raise TeamError("The date of the handover must be after the current lead took over.")
    for former in project.team.filter(user=new_lead, role=TeamRole.MEMBER, left_on__isnull=True):
        _end_stint(former, on)
    add_to_team(project, user=new_lead, role=TeamRole.LEAD, by=by, joined_on=on)
    if previous_lead_becomes != PreviousLead.CO_LEAD:
        _end_stint(stint, on)
        if previous_lead_becomes == PreviousLead.MEMBER:
            add_to_team(project, user=previous, role=TeamRole.MEMBER, by=by, joined_on=on)
    handover = LeadHandover.objects.create(
        project=project,
        new_lead=new_lead,
        previous_lead=previous,
        handed_over_on=on,
        previous_lead_becomes=previous_lead_becomes,
        note=note,
        recorded_by=by,
    )
    audit.record(
        by=by,
        action="create",
        instance=handover,
        project=project,
        changes={
            "lead": [previous.display_name, new_lead.display_name],
            "handed_over_on": [None, str(on)],
            "previous_lead_becomes": [None, PreviousLead(previous_lead_becomes).label],
        },
    )
    return handover


def organisation_member(project: Project, email: str) -> Any:
    """The person with this e-mail address if they belong to the project's organisation, else None."""
    user = User.objects.get_by_email(email)
    if user is not None and Membership.objects.filter(organisation=project.organisation, user=user).exists():
        return user
    return None


def invite_to_team(
    project: Project, *, email: str, name: str, role: str, by: Any, base_url: str | None = None
) -> str:
    """Add an existing member of the organisation straight away, or e-mail an invitation that puts the
    person in the team when they accept (its link starting with `base_url`, the address the inviter is
    using). Returns a sentence saying which happened."""
    user = User.objects.get_by_email(email)
    if user is not None and Membership.objects.filter(organisation=project.organisation, user=user).exists():
        add_to_team(project, user=user, role=role, by=by)
        return f"{user.display_name} has joined the team as {TeamRole(role).label.lower()}."
    organisation_services.invite(
        organisation=project.organisation,
        email=email,
        name=name,
        roles=[],
        invited_by=by,
        project=project,
        project_role=role,
        base_url=base_url,
    )
    return f"Invitation sent to {email.strip().lower()}. They join the team when they accept it."


@transaction.atomic
def set_public_name(member: TeamMember, *, show: bool, by: Any) -> None:
    """A person's own consent to their name on the public page; it covers all their current roles."""
    rows = member.project.team.filter(user_id=member.user_id, left_on__isnull=True)
    before = member.show_name_publicly
    rows.update(show_name_publicly=show)
    audit.record(
        by=by,
        action="update",
        instance=member,
        project=member.project,
        changes={"show_name_publicly": [before, show]},
    )


def join_team_on_acceptance(invitation: Any, user: Any) -> None:
    """An invitation sent from a project puts the person into that project's team when they accept
    (registered on organisations' `invitation_accepted` plug-in point)."""
    if invitation.project is not None:
        add_to_team(invitation.project, user=user, role=invitation.project_role, by=invitation.invited_by)
