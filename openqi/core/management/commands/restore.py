"""`manage.py restore ARCHIVE --yes`: put back an archive made by `manage.py backup` (core/backups.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from openqi.core import backups


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those in a backup archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="an archive written by `manage.py backup`")
        parser.add_argument(
            "--yes", action="store_true", help="really replace the current database and uploaded files"
        )

    def handle(self, *args: Any, archive: Path, yes: bool, **options: Any) -> None:
        try:
            manifest = backups.describe(archive)
            if not yes:
                raise CommandError(
                    f"This replaces everything in the {connection.vendor} database "
                    f"{connection.settings_dict['NAME']} and in {settings.MEDIA_ROOT} with the backup of "
                    f"{manifest.created_at} ({manifest.media_files} uploaded files). "
                    "Stop OpenQI's web server and worker first, then run again with --yes."
                )
            manifest, migrated = backups.restore(archive)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest.created_at} from {archive}."))
        if migrated:
            self.stdout.write(f"Then applied {len(migrated)} newer migrations.")
