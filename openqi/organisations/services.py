"""Operations on organisations, people and invitations. Each writes its audit record."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from openqi.accounts.models import User
from openqi.core import audit
from openqi.core.mail import subject_line
from openqi.core.tasks import enqueue_on_commit, try_again
from openqi.organisations import plugins, tasks
from openqi.organisations.models import (
    Directorate,
    Invitation,
    Membership,
    Organisation,
    Service,
    StrategicPriority,
)
from openqi.organisations.presenters import InvitationRow

logger = logging.getLogger(__name__)


class NameInUse(Exception):
    """Another directorate (or service of the directorate) already has the name."""


class InvitationUnavailable(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str

    @property
    def path(self) -> str:
        return reverse("invitations:accept", kwargs={"token": self.token})


@transaction.atomic
def invite(
    *,
    organisation: Organisation,
    email: str,
    name: str,
    roles: list[str],
    invited_by: Any,
    project: Any = None,
    project_role: str = "",
    base_url: str | None = None,
) -> IssuedInvitation:
    """Create an invitation and queue the e-mail with its link (the worker sends it once this commits).
    Any e-mail address is welcome. With a project, accepting also puts the person straight into that
    project's team in `project_role`. The link starts with `base_url` (the address the inviter is using:
    core.site.base_url(request)), else OPENQI_SITE_URL."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip().lower(),
        name=name.strip(),
        roles=sorted(set(roles)),
        token_hash=Invitation.hash_token(token),
        invited_by=invited_by,
        project=project,
        project_role=project_role,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    issued = IssuedInvitation(invitation, token)
    context = {
        "invitation": invitation,
        "link": (base_url or settings.SITE_URL).rstrip("/") + issued.path,
        "inviter": invited_by.display_name if invited_by else "The QI team",
        "row": InvitationRow(invitation),
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    # The message is written now, so every try sends the same one (the link holds the token, of which only
    # a hash is stored).
    enqueue_on_commit(
        tasks.send_invitation_email,
        organisation_id=organisation.pk,
        invitation_id=invitation.pk,
        to=invitation.email,
        subject=subject_line(
            f"You're invited to join the project team for {project.title} on OpenQI"
            if project is not None
            else f"You're invited to join {organisation.name} on OpenQI"
        ),
        body=render_to_string("organisations/email/invitation.txt", context),
    )
    audit.record(
        by=invited_by,
        action="create",
        instance=invitation,
        organisation=organisation,
        project=project,
        changes={"email": [None, invitation.email], "roles": [None, invitation.roles]}
        | ({"project_role": [None, project_role]} if project is not None else {}),
    )
    return issued


def sign_in_email_line(email: str) -> str | None:
    """For the sign-in e-mail (accounts' `sign_in_email_lines`): who invited this address, to what, as
    what, from their newest invitation that was not revoked."""
    invitation = (
        Invitation.objects.filter(email=email.strip().lower(), revoked_at__isnull=True)
        .select_related("organisation", "project", "invited_by")
        .order_by("-created_at")
        .first()
    )
    return InvitationRow(invitation).invited_you if invitation is not None else None


def find_invitation(token: str) -> Invitation | None:
    # Looked up by the secret token itself, not by organisation: the invitee is not yet a member.
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


@transaction.atomic
def accept_invitation(invitation: Invitation) -> User:
    """Accept an invitation (only ever from a POST): create or reuse the account and the membership."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != "pending":
        raise InvitationUnavailable(invitation.status)
    user = User.objects.get_by_email(invitation.email)
    if user is None:
        user = User.objects.create_user(email=invitation.email, name=invitation.name)
        audit.record(by=user, action="create", instance=user, organisation=invitation.organisation)
    elif not user.name and invitation.name:
        user.name = invitation.name
        user.save(update_fields=["name"])
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation,
        user=user,
        defaults={"roles": invitation.roles, "is_guest": invitation.project is not None},
    )
    if not created and membership.is_guest and invitation.project is None:
        # An organisation invitation makes a project guest a full member.
        membership.is_guest = False
        membership.save_versioned(membership.version, ["is_guest"])
    if not created:
        before = list(membership.roles)
        membership.roles = sorted(set(membership.roles) | set(invitation.roles))
        membership.save_versioned(membership.version, ["roles"])
        audit.record(
            by=user,
            action="update",
            instance=membership,
            organisation=invitation.organisation,
            changes=audit.diff({"roles": before}, {"roles": membership.roles}),
        )
    else:
        audit.record(
            by=user,
            action="create",
            instance=membership,
            organisation=invitation.organisation,
            changes={"roles": [None, membership.roles]},
        )
    for on_accepted in plugins.invitation_accepted:
        on_accepted(invitation, user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(by=user, action="accept", instance=invitation, organisation=invitation.organisation)
    return user


def revoke_invitation(invitation: Invitation, *, by: Any) -> None:
    if invitation.status != "pending":
        raise InvitationUnavailable(invitation.status)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(by=by, action="revoke", instance=invitation, organisation=invitation.organisation)


def update_member(
    membership: Membership, *, roles: list[str], name: str, expected_version: int, by: Any
) -> None:
    before = {"roles": list(membership.roles), "name": membership.user.name}
    with transaction.atomic():
        membership.roles = sorted(set(roles))
        membership.save_versioned(expected_version, ["roles"])
        if name != membership.user.name:
            membership.user.name = name
            membership.user.save(update_fields=["name"])
        audit.record(
            by=by,
            action="update",
            instance=membership,
            organisation=membership.organisation,
            changes=audit.diff(before, {"roles": membership.roles, "name": name}),
        )


def remove_member(membership: Membership, *, by: Any) -> None:
    with transaction.atomic():
        audit.record(
            by=by,
            action="delete",
            instance=membership,
            organisation=membership.organisation,
            changes={"roles": [membership.roles, None]},
        )
        membership.delete()


@transaction.atomic
def add_directorate(organisation: Organisation, name: str, *, by: Any) -> Directorate:
    directorate = Directorate.objects.create(organisation=organisation, name=name.strip())
    audit.record(
        by=by,
        action="create",
        instance=directorate,
        organisation=organisation,
        changes={"name": [None, directorate.name]},
    )
    return directorate


@transaction.atomic
def add_service(directorate: Directorate, name: str, *, by: Any) -> Service:
    service = Service.objects.create(directorate=directorate, name=name.strip())
    audit.record(
        by=by,
        action="create",
        instance=service,
        organisation=directorate.organisation,
        changes={"name": [None, service.name], "directorate": [None, directorate.name]},
    )
    return service


@transaction.atomic
def rename(
    unit: Directorate | Service, name: str, *, expected_version: int, by: Any, organisation: Organisation
) -> None:
    before = unit.name
    unit.name = name.strip()
    try:
        with transaction.atomic():
            unit.save_versioned(expected_version, ["name"])
    except IntegrityError as clash:
        unit.name = before
        raise NameInUse("That name is already in use here") from clash
    audit.record(
        by=by,
        action="update",
        instance=unit,
        organisation=organisation,
        changes={"name": [before, unit.name]},
    )


@transaction.atomic
def set_personal_data_policy(organisation: Organisation, *, block: bool, by: Any) -> None:
    before = organisation.block_personal_data
    organisation.block_personal_data = block
    organisation.save(update_fields=["block_personal_data"])
    if before != block:
        audit.record(
            by=by,
            action="update",
            instance=organisation,
            organisation=organisation,
            changes={"block_personal_data": [before, block]},
        )


@transaction.atomic
def add_priority(organisation: Organisation, name: str, *, by: Any) -> Any:
    priority, created = StrategicPriority.objects.get_or_create(organisation=organisation, name=name.strip())
    if not priority.is_active:
        priority.is_active = True
        priority.save(update_fields=["is_active"])
    audit.record(
        by=by,
        action="create" if created else "update",
        instance=priority,
        organisation=organisation,
        changes={"name": [None, priority.name], "is_active": [None, True]},
    )
    return priority


@transaction.atomic
def retire_priority(priority: Any, *, by: Any) -> None:
    """Retired priorities stay on the projects that have them but are no longer offered."""
    priority.is_active = False
    priority.save(update_fields=["is_active"])
    audit.record(
        by=by,
        action="update",
        instance=priority,
        organisation=priority.organisation,
        changes={"is_active": [True, False]},
    )


def try_task_again(organisation: Organisation, task_id: str, *, by: Any) -> bool:
    """Queue a failed e-mail or task of the organisation once more. Logged, not audited: it changes no
    record of the organisation, only when the work is tried."""
    queued = try_again(task_id, organisation_id=organisation.pk)
    if queued:
        logger.info("Task %s queued again by user %s", task_id, getattr(by, "pk", None))
    return queued
