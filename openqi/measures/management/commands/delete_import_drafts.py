"""Delete uploaded files whose preview was never confirmed, once expired (ImportDraft.DRAFT_LIFETIME).

Each new upload does this too; run it from cron (or the task queue's schedule) where uploads are rare, so
that abandoned drafts do not sit in the database until the next one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from openqi.measures.services.imports import delete_expired_drafts


class Command(BaseCommand):
    help = "Delete expired import drafts (uploaded files never confirmed)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = delete_expired_drafts()
        self.stdout.write(f"Deleted {deleted} expired import draft{'' if deleted == 1 else 's'}.")
