"""Cross-cutting records: the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change to organisation or project data: who, when, what, before and after.

    Written only by `openqi.core.audit.record`; the app offers no way to edit or delete it.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        ACCEPT = "accept", "Accepted"
        REVOKE = "revoke", "Revoked"
        # Someone saved text the personal-data guard flagged after confirming it identifies nobody.
        CONFIRM = "confirm", "Confirmed no personal data"

    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255)
    # A plain id, not a foreign key: the trail of a deleted project must outlive it, and core must not
    # depend on the projects app.
    project_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_repr}"


class CacheEntry(models.Model):
    """A row of the table cache (openqi.core.cachetable): charts for every measure of a trust, kept
    without Django's database cache's 300-entry cull."""

    key = models.CharField(max_length=255, primary_key=True)
    value = models.BinaryField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "openqi_cache_entry"

    def __str__(self) -> str:
        return self.key


class DataGeneration(models.Model):
    """The data generation on SQLite (one row); PostgreSQL uses a sequence (openqi.core.generation)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "openqi_data_generation"

    def __str__(self) -> str:
        return str(self.value)
