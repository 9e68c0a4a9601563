"""The main pages that save something, posted hostile input through Django's test client: never a 5xx, and
a post that is refused (anything but a redirect) changes nothing in the database, so nothing is half saved.

Each page is read first, and its own form (the <form method="post"> that posts back to it) says which
fields to send: every field gets either one of the values the page offers (a choice, the version, a stored
period), hostile text, or nothing, so the fuzz follows the forms as they change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from hypothesis import given, note
from hypothesis import strategies as st

from openqi.core.tests.hostile import fuzz, hostile_text
from openqi.measures.models import DataPoint
from openqi.measures.tests.factories import ProjectMeasureFactory
from openqi.organisations.tests.factories import MembershipFactory, UserFactory
from openqi.projects.models import PDSATask
from openqi.projects.tests.factories import (
    ChangeIdeaFactory,
    DriverFactory,
    PDSACycleFactory,
    StoryEntryFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Field:
    kind: str  # input type, "select" or "textarea"
    values: list[str]


class PostForms(HTMLParser):
    """The fields of each <form method="post"> that posts back to the page (not sign-out in the header)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.forms: list[dict[str, Field]] = []
        self._form: dict[str, Field] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            own = a.get("action", "") in ("", self.path)
            self._form = {} if a.get("method", "get").lower() == "post" and own else None
            if self._form is not None:
                self.forms.append(self._form)
        elif self._form is None or not a.get("name") and tag != "option":
            return
        elif tag in ("input", "textarea", "select"):
            kind = a.get("type", "text") if tag == "input" else tag
            field = self._form.setdefault(a["name"], Field(kind, []))
            if tag == "input" and a.get("value"):
                field.values.append(a["value"])
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self._select and a.get("value"):
            self._form[self._select].values.append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def post_forms(client: Client, path: str) -> list[dict[str, Field]]:
    page = client.get(path)
    assert page.status_code == 200, path
    parser = PostForms(path)
    parser.feed(page.content.decode())
    found = [form for form in parser.forms if set(form) - {"csrfmiddlewaretoken"}]
    assert found, f"{path} has no form that posts to itself"
    return found


files = st.builds(
    SimpleUploadedFile,
    st.sampled_from(["data.csv", "data.xlsx", "minutes.pdf", "x", "notes.txt"]),
    st.one_of(
        st.binary(max_size=500),
        st.sampled_from(
            [
                b"period,numerator,denominator\n2025-01-06,1e-300000000,5\n",
                b"period,numerator,denominator,comment\n2025-01-06,3,10," + b"a" * 5000 + b"\n",
                b"period,numerator,denominator\n2025-01-06,99999999999999,99999999999999\n",
                b"period,numerator,denominator\n2025-01-20,3,10\n",
            ]
        ),
    ),
)


def values_for(field: Field) -> Any:
    """What to post for a field: nothing, a value the page offers, or hostile text (checkboxes: a few)."""
    offered = st.sampled_from(field.values) if field.values else hostile_text
    one = st.one_of(offered, hostile_text)
    if field.kind == "checkbox":
        return st.lists(one, max_size=3)
    return st.one_of(st.just([]), st.lists(one, min_size=1, max_size=1))


def fingerprint() -> list[tuple[Any, ...]]:
    """Every OpenQI table's row count, and the sum of its versions where rows have one (one query): a
    refused post must leave all of them as they were."""
    quote = connection.ops.quote_name
    parts = []
    for model in apps.get_models():
        if not model.__module__.startswith("openqi."):
            continue
        versions = [
            f"COALESCE(SUM({quote(f.column)}), 0)"
            for f in model._meta.concrete_fields
            if f.name in ("version", "data_version")
        ]
        # Table and column names come from the models, not from input.
        select = f"SELECT '{model._meta.label}', COUNT(*), {' + '.join(versions) or '0'} "  # noqa: S608
        parts.append(select + f"FROM {quote(model._meta.db_table)}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return sorted(cursor.fetchall())


@dataclass
class Site:
    lead: Client
    admin: Client
    pages: dict[str, str]


@pytest.fixture
def site(world, projects) -> Site:  # type: ignore[no-untyped-def]
    project = projects.shared
    link = ProjectMeasureFactory(project=project)
    DataPoint.objects.bulk_create(
        DataPoint(measure=link.measure, period=p, numerator=Decimal(n), denominator=Decimal(10))
        for p, n in (("2025-01-06", 3), ("2025-01-13", 4))
    )
    driver = DriverFactory(project=project)
    idea = ChangeIdeaFactory(project=project)
    cycle = PDSACycleFactory(project=project, change_idea=idea)
    task = PDSATask.objects.create(cycle=cycle, description="Print the leaflet")
    entry = StoryEntryFactory(project=project)
    member = UserFactory(email="new.member@example.com", name="New Member")
    membership = MembershipFactory(organisation=world.trust, user=member, roles=[])
    p, m = f"/projects/{project.pk}", f"/measures/project/{project.pk}/m/{link.pk}"
    org = f"/organisation/{world.trust.slug}"
    lead, admin = Client(), Client()
    lead.force_login(world.lead)
    admin.force_login(world.admin)
    pages = {
        # measures
        "data grid": f"{m}/data/",
        "upload": f"{m}/upload/",
        "measure definition": f"{m}/edit/",
        "baseline and rebase": f"{m}/limits/",
        "exclude a point": f"{m}/exclude/",
        "annotate": f"{m}/annotate/",
        "measure links": f"{m}/links/",
        "add a measure": f"/measures/project/{project.pk}/add/",
        # projects
        "new project": "/projects/new/",
        "project record": f"{p}/edit/",
        "lifecycle": f"{p}/lifecycle/",
        "progress score": f"{p}/progress-score/",
        "team invitation": f"{p}/team/invite/",
        "driver": f"{p}/drivers/add/",
        "driver rename": f"{p}/drivers/{driver.pk}/rename/",
        "change idea": f"{p}/change-ideas/add/",
        "change idea edit": f"{p}/change-ideas/{idea.pk}/edit/",
        "PDSA cycle": f"{p}/pdsa/new/",
        "PDSA plan": f"{p}/pdsa/{cycle.pk}/plan/",
        "PDSA task": f"{p}/pdsa/{cycle.pk}/tasks/add/",
        "PDSA task edit": f"{p}/pdsa/{cycle.pk}/tasks/{task.pk}/",
        "story entry": f"{p}/story/new/",
        "story entry edit": f"{p}/story/{entry.pk}/edit/",
        # organisations (as its QI team admin)
        "organisation invitation": f"{org}/people/invite/",
        "organisation member": f"{org}/people/{membership.pk}/",
        "organisation structure": f"{org}/structure/",
        "organisation settings": f"{org}/settings/",
    }
    return Site(lead=lead, admin=admin, pages=pages)


ORGANISATION_PAGES = (
    "organisation invitation",
    "organisation member",
    "organisation structure",
    "organisation settings",
)


def test_every_main_page_that_saves_survives_hostile_posts(site: Site) -> None:
    for name, url in site.pages.items():
        client = site.admin if name in ORGANISATION_PAGES else site.lead
        check_page(client, name, url)


def check_page(client: Client, name: str, url: str) -> None:
    forms = post_forms(client, url)  # read once: the offered values (a version, say) may go stale, as in life

    @fuzz(5)
    @given(data=st.data())
    def post_anything(data: st.DataObject) -> None:
        form = data.draw(st.sampled_from(forms), label="form")
        posted: dict[str, Any] = {}
        for field_name, field in form.items():
            if field_name == "csrfmiddlewaretoken":
                continue
            if field.kind == "file":
                chosen = data.draw(st.lists(files, max_size=2), label=field_name)
            else:
                chosen = data.draw(values_for(field), label=field_name)
            if chosen:
                posted[field_name] = chosen
        note(f"page: {name} ({url})")
        before = fingerprint()
        response = client.post(url, posted)
        assert response.status_code < 500
        if response.status_code not in (301, 302, 303):
            assert fingerprint() == before, "a refused post changed the database"
        elif "/upload/" in response.get("Location", "") and response["Location"] != url:
            # An upload's preview, then its confirmation, hostile too.
            preview = client.get(response["Location"])
            assert preview.status_code < 500
            before = fingerprint()
            confirmed = client.post(response["Location"], {"existing": data.draw(hostile_text)})
            assert confirmed.status_code < 500
            if confirmed.status_code not in (301, 302, 303) or "/upload/" in confirmed["Location"]:
                assert fingerprint() == before

    post_anything()


def test_sign_in_survives_hostile_addresses(world) -> None:  # type: ignore[no-untyped-def]
    @fuzz(25)
    @given(email=hostile_text)
    def ask_for_a_code(email: str) -> None:
        response = Client().post("/accounts/login/code/", {"email": email})
        assert response.status_code < 500

    ask_for_a_code()
