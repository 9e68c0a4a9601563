"""`manage.py api_token EMAIL [--name NAME] [--expires YYYY-MM-DD]`: make an API token for a person and
print only the token, so that scripts and tests can capture it: `TOKEN=$(manage.py api_token …)`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openqi.accounts import tokens
from openqi.accounts.models import User


class Command(BaseCommand):
    help = "Make an API token for the person with this e-mail address and print it (only the token)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="Command line", help="what the token is for")
        parser.add_argument("--expires", help="last day the token works (YYYY-MM-DD); default: never")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.get_by_email(options["email"])
        if user is None or not user.is_active:
            raise CommandError(f"No active person with the e-mail address {options['email']}.")
        expires_on = None
        if options["expires"]:
            try:
                expires_on = dt.date.fromisoformat(options["expires"])
            except ValueError as exc:
                raise CommandError("--expires must be a date like 2027-03-31.") from exc
        # `by=None`: made from the server's command line, not by a person in the app.
        issued = tokens.issue_token(user, name=options["name"], expires_on=expires_on, by=None)
        self.stdout.write(issued.secret)
