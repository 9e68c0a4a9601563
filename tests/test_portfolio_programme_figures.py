"""The dashboard's figures from the other domain apps: ideas brought to coaches (the projects they became
drill down), people trained (learning) and partner onboarding (involvement)."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client

from openqi.coaching.models import Idea, IdeaStatus
from openqi.learning.models import Group
from openqi.learning.tests.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory
from openqi.portfolio import presenters


def _bars(page, key: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    figure = next(f for f in page.figures if f.key == key)
    return {b.label: b for b in figure.bars}


def test_ideas_training_and_onboarding(world, projects) -> None:  # type: ignore[no-untyped-def]
    def idea(title: str, status: str, project=None) -> None:  # type: ignore[no-untyped-def]
        Idea.objects.create(
            organisation=world.trust,
            coach=world.coach,
            brought_by=world.member,
            title=title,
            problem="Waits",
            affects="People waiting",
            could_try="Texts",
            status=status,
            project=project,
        )

    idea("Text reminders", IdeaStatus.PROJECT, projects.private)
    idea("Choice of times", IdeaStatus.PARKED)
    idea("Evening clinics", IdeaStatus.NEW)
    Idea.objects.create(
        organisation=world.other_trust,
        brought_by=world.outsider,
        title="Elsewhere",
        problem="x",
        affects="y",
        could_try="z",
        status=IdeaStatus.PROJECT,
    )
    programme = ProgrammeFactory(organisation=world.trust, name="Pocket QI")
    cohort = CohortFactory(programme=programme)
    EnrolmentFactory(cohort=cohort, user=world.lead, completed_on=dt.date(2026, 1, 5), group=Group.STAFF)
    EnrolmentFactory(cohort=cohort, user=world.partner, completed_on=dt.date(2026, 1, 5), group=Group.PARTNER)
    EnrolmentFactory(cohort=cohort, user=world.member)  # not completed

    page = presenters.dashboard_page(world.admin, world.trust, {})
    ideas = _bars(page, "ideas")
    assert ideas["Turned into a project"].count == 1  # type: ignore[attr-defined]
    assert ideas["Parked"].count == 1 and ideas["Waiting for the coach"].count == 1  # type: ignore[attr-defined]
    trained = _bars(page, "trained")
    assert trained["People who completed a programme"].count == 2  # type: ignore[attr-defined]
    assert trained["of whom service users and carers"].count == 1  # type: ignore[attr-defined]
    assert trained["Pocket QI"].count == 2  # type: ignore[attr-defined]
    involvement = _bars(page, "involvement")
    assert involvement["Partners in project teams"].count == 2  # type: ignore[attr-defined]

    client = Client()
    client.force_login(world.admin)
    html = client.get(ideas["Turned into a project"].href).content.decode()  # type: ignore[attr-defined]
    assert re.findall(r'href="/projects/(\d+)/"', html) == [str(projects.private.pk)]
    # The member cannot see the private project the idea became: neither the count nor the list has it.
    member_page = presenters.dashboard_page(world.member, world.trust, {})
    assert _bars(member_page, "ideas")["Turned into a project"].count == 0  # type: ignore[attr-defined]
    client.force_login(world.member)
    html = client.get(ideas["Turned into a project"].href).content.decode()  # type: ignore[attr-defined]
    assert "Private project" not in html
