"""Authorisation of every portfolio page × every kind of person, including people who must see nothing.

Who sees what (docs/adr/0025-portfolio-and-reporting.md): the dashboard, its drill-downs and the signal
scan's results are for every member of the organisation who is not a guest, counting only the projects
the person may see; forum packs and the board report for QI team admins and improvement advisors; the
forum's decisions are recorded by QI team admins; a project's exports follow the project's own level;
the showcase is public but shows only public projects. A new page must be classified here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from openqi.organisations.models import Membership
from openqi.organisations.tests.factories import UserFactory
from openqi.portfolio.models import ForumPack, RunStatus
from openqi.projects.models import Lifecycle, TeamRole, Visibility
from openqi.projects.tests.factories import ProjectFactory, TeamMemberFactory

MEMBERS = {"lead", "partner", "coach", "sponsor", "admin", "advisor", "member"}
REPORTERS = {"admin", "advisor"}
PEOPLE = [*sorted(MEMBERS), "outsider", "loner", "guest"]

# Who may open each page (GET unless the page takes only POST): the rest get 404.
ORGANISATION = MEMBERS
PRIVATE_PROJECT = {"lead", "partner", "coach", "sponsor", "admin", "advisor"}
EVERYONE = set(PEOPLE)

# name → (method, who gets 2xx/3xx, url builder)
Builder = Callable[[Any], str]
PAGES: dict[str, tuple[str, set[str], Builder]] = {
    "dashboard": ("get", ORGANISATION, lambda t: reverse("portfolio:dashboard") + "?org=northshire"),
    "projects": (
        "get",
        ORGANISATION,
        lambda t: reverse("portfolio:projects") + "?org=northshire&figure=stage&value=idea",
    ),
    "scan": ("post", REPORTERS, lambda t: reverse("portfolio:scan")),
    "highlights": (
        "get",
        {"lead", "partner", "coach", "admin"},  # the sponsor and the advisor read: 403 (below)
        lambda t: reverse("portfolio:highlights", kwargs={"pk": t.private.pk}),
    ),
    "export": (
        "get",
        PRIVATE_PROJECT,
        lambda t: reverse("portfolio:export", kwargs={"pk": t.private.pk, "kind": "storyboard.pptx"}),
    ),
    "forum_packs": ("get", REPORTERS, lambda t: reverse("portfolio:forum_packs") + "?org=northshire"),
    "forum_pack": ("get", REPORTERS, lambda t: reverse("portfolio:forum_pack", kwargs={"pk": t.pack.pk})),
    "forum_decision": (
        "post",
        {"admin"},  # the advisor is 403: may read the pack, not decide (checked below)
        lambda t: reverse("portfolio:forum_decision", kwargs={"pk": t.pack.pk, "project_pk": t.proposed.pk}),
    ),
    "forum_download": (
        "get",
        REPORTERS,
        lambda t: reverse("portfolio:forum_download", kwargs={"pk": t.pack.pk, "fmt": "pptx"}),
    ),
    "board": ("get", REPORTERS, lambda t: reverse("portfolio:board") + "?org=northshire"),
    "board_download": (
        "get",
        REPORTERS,
        lambda t: (
            reverse("portfolio:board_download", kwargs={"fmt": "pptx"})
            + "?org=northshire&year=2025&quarter=1"
        ),
    ),
    "showcase": ("get", EVERYONE, lambda t: reverse("portfolio:showcase")),
    "showcase_project": (
        "get",
        EVERYONE,
        lambda t: reverse("portfolio:showcase_project", kwargs={"pk": t.public.pk}),
    ),
    "showcase_export": (
        "get",
        EVERYONE,
        lambda t: reverse("portfolio:showcase_export", kwargs={"pk": t.public.pk, "kind": "storyboard.pptx"}),
    ),
}
# Who may see the thing but not do this: 403.
FORBIDDEN = {"forum_decision": {"advisor"}, "highlights": {"sponsor", "advisor"}}
PUBLIC_PAGES = {"showcase", "showcase_project", "showcase_export"}


def portfolio_pages() -> list[str]:
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "portfolio":
            return [p.name for p in pattern.url_patterns if isinstance(p, URLPattern) and p.name]  # type: ignore[attr-defined]
    return []


def test_every_portfolio_page_is_in_the_matrix() -> None:
    assert set(portfolio_pages()) == set(PAGES)


class Things:
    def __init__(self, world, projects) -> None:  # type: ignore[no-untyped-def]
        self.private = projects.private
        directorate = world.trust.directorates.first()
        self.proposed = ProjectFactory(
            organisation=world.trust, directorate=directorate, title="Proposed", lifecycle=Lifecycle.PROPOSED
        )
        self.public = ProjectFactory(organisation=world.trust, title="Public", visibility=Visibility.PUBLIC)
        self.pack = ForumPack.objects.create(
            organisation=world.trust,
            directorate=directorate,
            forum_date=dt.date(2026, 3, 3),
            status=RunStatus.DONE,
            pdf=b"%PDF-1.7",
            pptx=b"PK",
        )


def _person(world, name: str):  # type: ignore[no-untyped-def]
    if name == "guest":
        guest = UserFactory(email="kim.carer@yahoo.co.uk", name="Kim")
        Membership.objects.create(organisation=world.trust, user=guest, is_guest=True)
        return guest
    return getattr(world, name)


def _ask(client: Client, method: str, url: str, name: str, things: Things) -> int:
    if method == "get":
        return client.get(url).status_code
    data = {"org": "northshire"}
    if name == "forum_decision":
        data = {f"p{things.proposed.pk}-decision": "approve"}
    return client.post(url, data).status_code


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(person: str, world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    things = Things(world, projects)
    client = Client()
    client.force_login(_person(world, person))
    failures = []
    for name, (method, allowed, build) in PAGES.items():
        with django_capture_on_commit_callbacks(execute=True):
            status = _ask(client, method, build(things), name, things)
        if person in allowed:
            ok = status in (200, 302)
        elif person in FORBIDDEN.get(name, set()):
            ok = status == 403
        else:
            ok = status == 404
        if not ok:
            failures.append(f"{name}: {status}")
    assert not failures, "\n".join(failures)


def test_signed_out_people_see_only_the_showcase(client: Client, world, projects) -> None:  # type: ignore[no-untyped-def]
    things = Things(world, projects)
    for name, (method, _allowed, build) in PAGES.items():
        status = _ask(client, method, build(things), name, things)
        if name in PUBLIC_PAGES:
            assert status == 200, name
        else:
            assert status == 302, name


def test_exports_follow_the_project_level_for_every_format(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for person, want in (("sponsor", 200), ("member", 404), ("outsider", 404)):
        client.force_login(getattr(world, person))
        for kind in ("poster.pdf", "storyboard.pdf", "storyboard.pptx"):
            url = reverse("portfolio:export", kwargs={"pk": projects.private.pk, "kind": kind})
            assert client.get(url).status_code == want, (person, kind)


def test_another_organisation_sees_its_own_portfolio_only(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.outsider)
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    assert "Eastvale" in html and "0 projects." in html
    assert "Northshire" not in html


def test_a_pack_of_another_organisation_is_not_found(world, projects) -> None:  # type: ignore[no-untyped-def]
    pack = ForumPack.objects.create(
        organisation=world.other_trust,
        directorate=world.other_trust.directorates.first(),
        forum_date=dt.date(2026, 3, 3),
        status=RunStatus.DONE,
    )
    client = Client()
    client.force_login(world.admin)
    assert client.get(reverse("portfolio:forum_pack", kwargs={"pk": pack.pk})).status_code == 404
    # Guests of one project see nothing of the portfolio, but the team they are in still sees its exports.
    guest = _person(world, "guest")
    TeamMemberFactory(project=projects.private, user=guest, role=TeamRole.PARTNER)
    client.force_login(guest)
    assert client.get(reverse("portfolio:dashboard")).status_code == 404
    url = reverse("portfolio:export", kwargs={"pk": projects.private.pk, "kind": "storyboard.pptx"})
    assert client.get(url).status_code == 200
