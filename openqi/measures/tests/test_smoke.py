from __future__ import annotations

import pytest
from django.test import Client

from openqi.measures.tests.factories import ProjectMeasureFactory, add_points

pytestmark = pytest.mark.django_db


def test_every_page_renders_for_the_lead(world, projects) -> None:  # type: ignore[no-untyped-def]
    link = ProjectMeasureFactory(project=projects.shared)
    add_points(
        link.measure, [(45 + (i % 5), 100) for i in range(20)] + [(62 + (i % 4), 100) for i in range(10)]
    )
    client = Client()
    client.force_login(world.lead)
    pk, pm = projects.shared.pk, link.pk
    for url in [
        "/measures/",
        f"/measures/project/{pk}/",
        f"/measures/project/{pk}/add/",
        f"/measures/project/{pk}/m/{pm}/",
        f"/measures/project/{pk}/m/{pm}/edit/",
        f"/measures/project/{pk}/m/{pm}/data/",
        f"/measures/project/{pk}/m/{pm}/upload/",
        f"/measures/project/{pk}/m/{pm}/limits/",
        f"/measures/project/{pk}/m/{pm}/exclude/",
        f"/measures/project/{pk}/m/{pm}/annotate/",
        f"/measures/project/{pk}/m/{pm}/links/",
        f"/measures/project/{pk}/m/{pm}/export.csv",
        f"/measures/project/{pk}/m/{pm}/export.xlsx",
        f"/measures/project/{pk}/m/{pm}/chart.png",
        f"/measures/project/{pk}/m/{pm}/chart.svg",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
