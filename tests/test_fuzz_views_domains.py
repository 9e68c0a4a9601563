"""The main pages of meetings, coaching, involvement and tools that save something, posted hostile input
(as tests/test_fuzz_views.py does for the projects and measures pages): never a 5xx, and a refused post
changes nothing in the database."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.test_fuzz_views import check_page

pytestmark = pytest.mark.django_db


def test_domain_pages_that_save_survive_hostile_posts(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    clients = {}
    for person in ("lead", "partner", "coach", "admin"):
        clients[person] = Client()
        clients[person].force_login(getattr(world, person))
    pages = {
        "meeting": ("lead", f"/meetings/projects/{project.pk}/new/"),
        "action": ("lead", f"/meetings/projects/{project.pk}/actions/new/"),
        "e-mail settings": ("partner", "/meetings/settings/"),
        "coaching session": ("coach", f"/coaching/projects/{project.pk}/sessions/new/"),
        "idea": ("partner", "/coaching/ideas/new/"),
        "caseload flags": ("admin", "/coaching/settings/"),
        "involvement": ("partner", f"/involvement/project/{project.pk}/log/"),
        "reflection": ("lead", f"/involvement/project/{project.pk}/reflection/start/"),
        "payment bands": ("admin", f"/involvement/organisation/{world.trust.slug}/payments/"),
        "tool": ("lead", f"/tools/project/{project.pk}/new/"),
    }
    for name, (person, url) in pages.items():
        assert clients[person].get(url).status_code == 200, name  # the page exists and is theirs to use
        check_page(clients[person], name, url)
