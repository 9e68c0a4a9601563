"""Queue the daily signal scan of every organisation's measures (run it from cron once a day), or run it
here and now with --now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openqi.core.tasks import enqueue_on_commit
from openqi.organisations.models import Organisation
from openqi.portfolio import scan, tasks


class Command(BaseCommand):
    help = "Scan every measure of every organisation for new signals (daily, from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="Only this organisation (its slug).")
        parser.add_argument("--now", action="store_true", help="Run here instead of queueing the task.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("pk")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
        for organisation in organisations:
            waiting = scan.request_scan(organisation, by=None, on_demand=False)
            if options["now"]:
                done = scan.run_scan(waiting)
                self.stdout.write(
                    f"{organisation.slug}: {done.measures_scanned} measures in {done.seconds:.2f} s"
                )
            else:
                enqueue_on_commit(tasks.scan_measures, organisation_id=organisation.pk, scan_id=waiting.pk)
                self.stdout.write(f"{organisation.slug}: scan queued")
