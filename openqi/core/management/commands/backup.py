"""`manage.py backup [--to DIR]`: one archive of the database and the uploaded files (core/backups.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from openqi.core import backups


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (safe while OpenQI is running)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            type=Path,
            default=settings.BACKUP_DIR,
            help="directory for the archive (default: OPENQI_BACKUP_DIR, var/backups)",
        )

    def handle(self, *args: Any, to: Path, **options: Any) -> None:
        try:
            archive, manifest = backups.back_up(to)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        what = f"the {manifest.database} database and {manifest.media_files} uploaded files"
        self.stdout.write(self.style.SUCCESS(f"Backed up {what} to {archive}"))
        if settings.S3_BUCKET:
            self.stdout.write(
                f"Uploaded files are kept in the S3 bucket {settings.S3_BUCKET}, not in this archive: "
                "the bucket's own versioning and replication keep them (README, Backups)."
            )
