"""The page cache (openqi.core.pagecache) and the data generation it is keyed on (openqi.core.generation):
a kept page is served again only to the same session, only while nothing has been written, never with a
message that belongs to another answer, and always with a fresh CSP nonce."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.contrib import messages
from django.contrib.messages.storage.session import SessionStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqi.core import generation
from openqi.core.pagecache import NONCE_MARK
from openqi.projects.models import Project

pytestmark = pytest.mark.django_db

NONCE = re.compile(rb'nonce="([^"]+)"')


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('INSERT INTO "projects_project" ("title") VALUES (%s)', True),
        ('UPDATE "projects_project" SET "title" = %s', True),
        ('DELETE FROM "measures_datapoint" WHERE "id" = %s', True),
        ("INSERT OR REPLACE INTO projects_search_fts (rowid) VALUES (1)", True),
        ("TRUNCATE projects_project", True),
        ('CREATE TABLE "x" ("id" int)', False),
        ('INSERT INTO "django_migrations" ("app") VALUES (%s)', False),
        ('ALTER TABLE "projects_project" ADD COLUMN "x" int', False),
        ('SELECT "title" FROM "projects_project"', False),
        ('  update "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "openqi_cache_entry" ("key") VALUES (%s)', False),
        ('DELETE FROM "openqi_cache" WHERE "cache_key" = %s', False),
    ],
)
def test_which_statements_change_what_pages_show(sql: str, changes: bool) -> None:
    assert generation.changes_data(sql) is changes


def test_any_write_moves_the_generation_on_and_reads_do_not(projects) -> None:  # type: ignore[no-untyped-def]
    start = generation.current()
    list(Project.objects.all())
    assert generation.current() == start

    # A save, an update() (no signals), a bulk_create and raw SQL each move it on.
    projects.shared.title = "Renamed"
    projects.shared.save()
    after_save = generation.current()
    assert after_save > start
    Project.objects.filter(pk=projects.shared.pk).update(title="Renamed again")
    after_update = generation.current()
    assert after_update > after_save
    with connection.cursor() as cursor:
        cursor.execute("UPDATE projects_project SET title = %s WHERE id = %s", ["Raw", projects.shared.pk])
    assert generation.current() > after_update


def test_saving_a_session_does_not_move_it(db: None) -> None:
    start = generation.current()
    session = SessionStore()
    session["x"] = 1
    session.create()
    session["x"] = 2
    session.save()
    assert generation.current() == start


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _queries(client: Client, url: str) -> tuple[int, bytes, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content, response.headers.get("Content-Security-Policy", "")


def test_a_page_is_kept_for_its_session_until_the_data_change(world, projects) -> None:  # type: ignore[no-untyped-def]
    url = reverse("projects:detail", args=[projects.shared.pk])
    lead = _signed_in(world.lead)
    rendered, first, _ = _queries(lead, url)
    kept, second, _ = _queries(lead, url)
    # Kept: the session, the user, then the kept page with the generation in one query; no rendering.
    assert kept == 3 < rendered
    assert b"Shared project" in second

    # A write anywhere (here one that bypasses model signals) and the next answer is rendered anew.
    Project.objects.filter(pk=projects.shared.pk).update(title="Shorter waits for assessment")
    again, third, _ = _queries(lead, url)
    assert again > 3
    assert b"Shorter waits for assessment" in third and b"Shared project" not in third


def test_kept_pages_are_never_shared_between_sessions_or_people(world, projects) -> None:  # type: ignore[no-untyped-def]
    url = reverse("projects:detail", args=[projects.shared.pk])
    lead = _signed_in(world.lead)
    lead.get(url)
    lead.get(url)
    # Another person who may read the project gets a page rendered for them, with their own name.
    member = _signed_in(world.member)
    counted, content, _ = _queries(member, url)
    assert counted > 3
    assert world.member.name.encode() in content
    assert world.lead.name.encode() not in content.split(b"<main")[0]
    # The private project stays hidden from the member, kept pages or not.
    private = reverse("projects:detail", args=[projects.private.pk])
    lead.get(private)
    lead.get(private)
    assert member.get(private).status_code == 404
    # The same person in a second browser gets a page of their own (a session of its own).
    other_browser = _signed_in(world.lead)
    assert _queries(other_browser, url)[0] > 3


def test_each_kept_answer_has_a_fresh_nonce_that_its_policy_allows(world, projects) -> None:  # type: ignore[no-untyped-def]
    url = reverse("projects:detail", args=[projects.shared.pk])
    lead = _signed_in(world.lead)
    lead.get(url)
    nonces = set()
    for _ in range(2):
        counted, content, policy = _queries(lead, url)
        assert counted == 3
        found = set(NONCE.findall(content))
        assert len(found) == 1
        nonce = found.pop()
        assert f"'nonce-{nonce.decode()}'" in policy
        assert NONCE_MARK not in content
        nonces.add(nonce)
    assert len(nonces) == 2


def test_a_waiting_message_is_shown_not_kept_or_lost(world, projects) -> None:  # type: ignore[no-untyped-def]
    lead = _signed_in(world.lead)
    url = reverse("projects:detail", args=[projects.shared.pk])
    lead.get(url)
    lead.get(url)  # kept now
    # A message waits in the session, as after a save, but no data changed (the generation is the same).
    session = lead.session
    request = RequestFactory().get(url)
    request.session = session
    storage = SessionStorage(request)
    storage.add(messages.SUCCESS, "Your changes were saved.")
    storage.update(HttpResponse())
    session.save()
    assert b"Your changes were saved." in lead.get(url).content
    # Shown once: the next answer (kept or not) does not repeat it.
    assert b"Your changes were saved." not in lead.get(url).content


def test_people_not_signed_in_are_not_served_kept_pages(world, projects) -> None:  # type: ignore[no-untyped-def]
    url = reverse("projects:detail", args=[projects.shared.pk])
    lead = _signed_in(world.lead)
    lead.get(url)
    lead.get(url)
    anonymous = Client()
    response = anonymous.get(url)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"] or "login" in response["Location"]


def test_with_another_cache_backend_the_generation_is_read_on_its_own(world, projects, settings) -> None:  # type: ignore[no-untyped-def]
    """Redis (OPENQI_REDIS_URL) cannot read the generation with the page: it costs one more query."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages-test"},
    }
    url = reverse("projects:detail", args=[projects.shared.pk])
    lead = _signed_in(world.lead)
    lead.get(url)
    assert _queries(lead, url)[0] == 3  # the session, the user, the generation (the page from memory)
    Project.objects.filter(pk=projects.shared.pk).update(title="Fewer missed appointments")
    counted, content, _ = _queries(lead, url)
    assert counted > 3 and b"Fewer missed appointments" in content


def test_a_kept_download_keeps_its_type_and_name(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.measures.tests.factories import ProjectMeasureFactory, add_points

    link = ProjectMeasureFactory(project=projects.shared)
    add_points(link.measure, [(40 + i % 5, 90) for i in range(20)])
    url = reverse("measures:chart", kwargs={"pk": projects.shared.pk, "pm": link.pk, "fmt": "svg"})
    lead = _signed_in(world.lead)
    first = lead.get(url)
    with CaptureQueriesContext(connection) as queries:
        kept = lead.get(url)
    assert len(queries) == 3
    assert kept.content == first.content
    for header in ("Content-Type", "Content-Disposition"):
        assert kept[header] == first[header]
    assert "attachment" in kept["Content-Disposition"]


def test_in_development_an_edited_template_is_seen_at_once(settings) -> None:  # type: ignore[no-untyped-def]
    from openqi.core import pagecache

    settings.DEBUG = True
    before = pagecache.code_fingerprint()
    template = Path(pagecache.__file__).resolve().parent / "jinja2" / "layout.jinja"
    stat = template.stat()
    try:
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert pagecache.code_fingerprint() != before
    finally:
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert pagecache.code_fingerprint() == before
