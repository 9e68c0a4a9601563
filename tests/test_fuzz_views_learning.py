"""Learning's pages that save something, posted hostile input (as tests/test_fuzz_views.py does for the
rest): never a 5xx, and a refused post changes nothing in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from openqi.learning.tests.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory, SessionFactory
from tests.test_fuzz_views import check_page

pytestmark = pytest.mark.django_db


def test_learning_pages_that_save_survive_hostile_posts(world, projects) -> None:  # type: ignore[no-untyped-def]
    programme = ProgrammeFactory(organisation=world.trust, kind="team")
    cohort = CohortFactory(programme=programme, starts_on=dt.date.today() + dt.timedelta(days=9))
    session = SessionFactory(cohort=cohort)
    EnrolmentFactory(cohort=cohort, user=world.partner)
    EnrolmentFactory(cohort=cohort, user=world.lead)
    admin, partner, member = Client(), Client(), Client()
    admin.force_login(world.admin)
    partner.force_login(world.partner)
    member.force_login(world.member)
    pages = {
        "programme": (admin, "/learning/programmes/new/"),
        "programme edit": (admin, f"/learning/programmes/{programme.pk}/edit/"),
        "cohort": (admin, f"/learning/programmes/{programme.pk}/cohorts/new/"),
        "cohort edit": (admin, f"/learning/cohorts/{cohort.pk}/edit/"),
        "session": (admin, f"/learning/cohorts/{cohort.pk}/sessions/new/"),
        "enrol a person": (admin, f"/learning/cohorts/{cohort.pk}/people/add/"),
        "team": (admin, f"/learning/cohorts/{cohort.pk}/teams/add/"),
        "register": (admin, f"/learning/sessions/{session.pk}/register/"),
        "import": (admin, "/learning/import/"),
        "ask to join": (member, f"/learning/cohorts/{cohort.pk}/enrol/"),
        "feedback": (partner, f"/learning/sessions/{session.pk}/feedback/"),
    }
    for name, (client, url) in pages.items():
        check_page(client, name, url)
