"""Start the daily reminders: overdue actions and tomorrow's meetings with their papers, one e-mail per
person (as each person's notification preference allows). Run it once a day from cron, e.g. at 07:00:

    0 7 * * *  cd /srv/openqi && .venv/bin/python manage.py send_meeting_digests

By default it queues the work for the task worker (`manage.py db_worker`); `--now` sends in this process.
Running it twice on one day sends nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openqi.core.tasks import enqueue_on_commit
from openqi.meetings.services.notify import send_daily_digests, send_daily_digests_task


class Command(BaseCommand):
    help = "Send (or queue) today's meeting and action reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day the reminders are for (YYYY-MM-DD); default today")
        parser.add_argument(
            "--now", action="store_true", help="Send in this process, not via the task worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--date must be a date like 2027-03-18") from exc
        if options["now"]:
            sent = send_daily_digests(day)
            self.stdout.write(f"Sent {sent} reminder e-mail{'s' if sent != 1 else ''} for {day.isoformat()}.")
            return
        enqueue_on_commit(send_daily_digests_task, organisation_id=None, day=day.isoformat())
        self.stdout.write(f"Queued the reminders for {day.isoformat()}.")
