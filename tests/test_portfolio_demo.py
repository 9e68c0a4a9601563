"""The portfolio's demo: seed_demo tells its story (a programme, a public project with lessons, last
month's scan and today's, a forum pack), and running it again duplicates nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from openqi.accounts.models import User
from openqi.organisations.models import Organisation
from openqi.portfolio import presenters
from openqi.portfolio.models import ForumPack, MeasureSignal, RunStatus, SignalScan
from openqi.projects.models import Project, Visibility


@pytest.mark.django_db
def test_the_demo_programme_and_running_it_twice() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        Project.objects.count(),
        SignalScan.objects.count(),
        MeasureSignal.objects.count(),
        ForumPack.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        Project.objects.count(),
        SignalScan.objects.count(),
        MeasureSignal.objects.count(),
        ForumPack.objects.count(),
    ) == counts

    org = Organisation.objects.get(slug="northshire")
    admin = User.objects.get_by_email("qi.admin@northshire.nhs.uk")
    page = presenters.dashboard_page(admin, org, {})
    assert page.total >= 7
    stage = next(f for f in page.figures if f.key == "stage")
    assert {b.label for b in stage.bars if b.count} >= {"Active", "Proposed", "Completed", "Approved"}
    assert page.signals.scan is not None and page.signals.previous is not None
    assert sum(len(items) for _k, _t, items in page.signals.lists) > 0
    pack = ForumPack.objects.get()
    assert pack.status == RunStatus.DONE and bytes(pack.pdf).startswith(b"%PDF")

    public = list(Project.objects.filter(visibility=Visibility.PUBLIC))
    assert len(public) >= 1
    html = Client().get(reverse("portfolio:showcase")).content.decode()
    assert all(p.title in html for p in public)
