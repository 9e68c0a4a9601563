"""Rebuild the project search index: after a bulk load (`seed_scale`, an import by SQL) that skipped the
save signals which normally keep it, or to check that the index matches the records."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openqi.organisations.models import Organisation
from openqi.projects.models import Project
from openqi.projects.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index of every project, or of one organisation's projects."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation's projects.")
        parser.add_argument("--batch-size", type=int, default=500, help="Projects per batch (default 500).")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        slug = options["organisation"]
        project_ids: list[int] | None = None
        if slug:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                raise CommandError(f"No organisation with slug {slug!r}.")
            project_ids = list(Project.objects.filter(organisation=organisation).values_list("pk", flat=True))
        started = time.perf_counter()
        every = max(batch_size, 2500)
        shown = 0

        def progress(done: int, total: int) -> None:
            nonlocal shown
            # A line every few batches, and the last one, so a large trust's rebuild shows it is moving.
            if done - shown >= every or done == total:
                self.stdout.write(f"  indexed {done:,} of {total:,} projects")
                shown = done

        indexed = rebuild_index(project_ids, batch_size=batch_size, progress=progress)
        where = f"in {slug}" if slug else "in every organisation"
        took = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt: {indexed:,} projects {where} in {took:.1f} s.")
        )
