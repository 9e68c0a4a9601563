"""The public showcase shows only projects their teams made public: for anyone signed out, every page and
export of the showcase, across organisations, never names a private or organisation-only project."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
from openqi.portfolio.tests.helpers import pdf_pages, slides
from openqi.projects.models import CoproductionLevel, Lifecycle, Visibility
from openqi.projects.tests.factories import ProjectFactory, StoryEntryFactory


@pytest.fixture
def showcase(world):  # type: ignore[no-untyped-def]
    made = {}
    for org, prefix in ((world.trust, "Northshire"), (world.other_trust, "Eastvale")):
        for visibility in Visibility.values:
            project = ProjectFactory(
                organisation=org,
                title=f"{prefix} {visibility} project",
                visibility=visibility,
                aim_what=f"Improve {prefix} {visibility} waiting times",
                lifecycle=Lifecycle.ACTIVE,
                coproduction=CoproductionLevel.PARTNERS,
            )
            StoryEntryFactory(project=project, category="milestone", title=f"{prefix} {visibility} milestone")
            link = ProjectMeasureFactory(project=project)
            add_points(link.measure, [(9, 20), (10, 21), (8, 19), (11, 20)])
            made[(prefix, visibility)] = project
    return made


def _not_public(made) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.title for (prefix, v), p in made.items() if v != Visibility.PUBLIC]


def test_the_index_lists_exactly_the_public_projects(client: Client, showcase) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("portfolio:showcase")).content.decode()
    listed = set(re.findall(r'href="/portfolio/showcase/(\d+)/"', html))
    public = {str(p.pk) for (_, v), p in showcase.items() if v == Visibility.PUBLIC}
    assert listed == public and len(public) == 2
    for title in _not_public(showcase):
        assert title not in html
    # Every search and filter narrows public projects only.
    for query in ({"q": "project"}, {"q": "waiting"}, {"lifecycle": "active"}, {"coproduction": "partners"}):
        html = client.get(reverse("portfolio:showcase"), query).content.decode()
        assert set(re.findall(r'href="/portfolio/showcase/(\d+)/"', html)) == public, query
    # The organisation filter offers only organisations with a public project, by slug.
    html = client.get(reverse("portfolio:showcase"), {"organisation": "eastvale"}).content.decode()
    assert "Eastvale public project" in html and "Northshire public project" not in html


def test_pages_and_exports_of_non_public_projects_are_not_found(client: Client, showcase) -> None:  # type: ignore[no-untyped-def]
    for (_, visibility), project in showcase.items():
        page = client.get(reverse("portfolio:showcase_project", kwargs={"pk": project.pk}))
        exports = [
            client.get(reverse("portfolio:showcase_export", kwargs={"pk": project.pk, "kind": kind}))
            for kind in ("storyboard.pdf", "poster.pdf", "storyboard.pptx")
        ]
        if visibility == Visibility.PUBLIC:
            assert page.status_code == 200
            html = page.content.decode()
            assert project.title in html and "milestone" in html and "<svg" in html
            for title in _not_public(showcase):
                assert title not in html
            assert all(e.status_code == 200 for e in exports)
            _pages, text, _size = pdf_pages(exports[0].content)
            assert project.title in text
            assert project.title in slides(exports[2].content)[1]
        else:
            assert page.status_code == 404
            assert all(e.status_code == 404 for e in exports)


def test_the_showcase_needs_no_sign_in(client: Client, showcase) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("portfolio:showcase")).status_code == 200
    assert client.get(reverse("portfolio:showcase"), {"organisation": "no-such-trust"}).status_code == 200


def test_a_public_document_is_made_once_not_per_request(client: Client, showcase, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Signed-out visitors cannot make the server draw a PDF per request; an edit makes a fresh one."""
    from openqi.portfolio import storyboard

    made = []
    real = storyboard.storyboard_for
    monkeypatch.setattr(
        storyboard, "storyboard_for", lambda project: made.append(project.pk) or real(project)
    )
    project = showcase[("Northshire", Visibility.PUBLIC)]
    url = reverse("portfolio:showcase_export", kwargs={"pk": project.pk, "kind": "storyboard.pdf"})
    first, second = client.get(url), client.get(url)
    assert first.content == second.content and made == [project.pk]
    project.title = "Northshire public project, renamed"
    project.save()
    assert "renamed" in pdf_pages(client.get(url).content)[1]
    assert made == [project.pk, project.pk]
