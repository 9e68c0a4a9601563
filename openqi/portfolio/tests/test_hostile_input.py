"""Odd and hostile query strings and posts never break a portfolio page: 200, 400 or 404, never a 5xx."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from openqi.portfolio.models import ForumPack, RunStatus

FILTERS = ("directorate", "service", "priority", "lifecycle", "coproduction", "coach", "org")
HOSTILE = ["", "abc", "-1", "99999999999999999999", "1.5", "<script>", "' OR 1=1 --", "\x00", "ﬁ" * 300]


def test_odd_queries_and_posts(world, projects) -> None:  # type: ignore[no-untyped-def]
    pack = ForumPack.objects.create(
        organisation=world.trust,
        directorate=world.trust.directorates.first(),
        forum_date=dt.date(2026, 3, 3),
        status=RunStatus.DONE,
    )
    client = Client()
    client.force_login(world.admin)
    failures = []
    for value in HOSTILE:
        asks = [
            (
                "get",
                reverse("portfolio:dashboard"),
                dict.fromkeys(FILTERS, value),
            ),
            ("get", reverse("portfolio:projects"), {"figure": "priority", "value": value}),
            ("get", reverse("portfolio:projects"), {"figure": value, "value": value}),
            ("get", reverse("portfolio:board"), {"year": value, "quarter": value, "stories": value}),
            ("get", reverse("portfolio:board_download", kwargs={"fmt": "pdf"}), {"year": value}),
            (
                "get",
                reverse("portfolio:showcase"),
                {"q": value, "organisation": value, "lifecycle": value, "page": value},
            ),
            ("post", reverse("portfolio:forum_packs"), {"directorate": value, "forum_date": value}),
            (
                "post",
                reverse("portfolio:forum_decision", kwargs={"pk": pack.pk, "project_pk": projects.shared.pk}),
                {f"p{projects.shared.pk}-decision": value, f"p{projects.shared.pk}-note": value},
            ),
            ("post", reverse("portfolio:scan"), {"org": value}),
        ]
        for method, url, data in asks:
            status = (client.get if method == "get" else client.post)(url, data).status_code
            if status >= 500:
                failures.append(f"{method} {url} {data!r}: {status}")
    assert not failures, "\n".join(failures)
