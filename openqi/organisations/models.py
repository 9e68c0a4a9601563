"""Organisation (an NHS trust) → directorate → service (team), and who belongs with which roles."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from openqi.core.concurrency import VersionedModel


class Role(models.TextChoices):
    """Organisation roles. Membership itself means "member"; these are held in addition."""

    QI_COACH = "qi_coach", "QI coach"
    SPONSOR = "sponsor", "Sponsor"
    IMPROVEMENT_ADVISOR = "improvement_advisor", "Improvement advisor"
    QI_TEAM_ADMIN = "qi_team_admin", "QI team admin"


ROLE_HINTS = {
    Role.QI_COACH: "Coaches several project teams; sees the projects they coach.",
    Role.SPONSOR: "Senior person who owns the problem; sees the projects they sponsor.",
    Role.IMPROVEMENT_ADVISOR: "Central QI expert; sees every project in the organisation.",
    Role.QI_TEAM_ADMIN: "Runs OpenQI for the organisation: people, roles, directorates and services.",
}


class Organisation(models.Model):
    organisation_path: ClassVar[str] = "pk"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    block_personal_data = models.BooleanField(
        default=False,
        help_text=(
            "Refuse to save text that looks like patient-identifiable data, instead of asking to confirm."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Directorate(VersionedModel):
    organisation_path: ClassVar[str] = "organisation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="directorates")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="directorate_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Service(VersionedModel):
    organisation_path: ClassVar[str] = "directorate__organisation"

    directorate = models.ForeignKey(Directorate, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["directorate", "name"], name="service_unique_name")]

    def __str__(self) -> str:
        return self.name


class StrategicPriority(models.Model):
    """The organisation's strategic priorities that projects serve (e.g. "Reducing waiting times",
    "Patient safety"); configured by the QI team, chosen on each project."""

    organisation_path: ClassVar[str] = "organisation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="priorities")
    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)

    class Meta:
        # The table keeps the name it had when projects owned priorities.
        db_table = "projects_strategicpriority"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="priority_unique_name")]

    def __str__(self) -> str:
        return self.name


class Membership(VersionedModel):
    organisation_path: ClassVar[str] = "organisation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    roles = models.JSONField(default=list, blank=True)
    # Someone invited into one project team (often a service-user or carer partner) is a guest: they see
    # the projects they are in, not everything the organisation shares internally.
    is_guest = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def role_labels(self) -> list[str]:
        # A guest's own roles are in their project teams (presenters.roles_text names them); alone, this says
        # what a guest can see, in words a partner understands.
        return ["Member of a project team (sees only their projects)" if self.is_guest else "Member"] + [
            Role(r).label for r in Role.values if r in self.roles
        ]


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation. The token is stored only as a hash, so a
    database leak cannot be turned into working invitation links."""

    organisation_path: ClassVar[str] = "organisation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    roles = models.JSONField(default=list, blank=True)
    # An invitation from a project lead puts the person straight into that project's team.
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    project_role = models.CharField(max_length=16, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
