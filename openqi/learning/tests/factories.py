"""Factories for learning rows; people come from openqi.organisations.tests.factories."""

from __future__ import annotations

import datetime as dt

import factory

from openqi.learning.models import Cohort, Enrolment, EnrolmentStatus, Feedback, Programme, Session
from openqi.organisations.tests.factories import OrganisationFactory, UserFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))
    capacity = 10


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    date = factory.LazyAttribute(lambda s: s.cohort.starts_on or dt.date.today())


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    status = EnrolmentStatus.ENROLLED


def api_ids(organisation: object, person: object) -> dict[str, int]:
    """Path ids for the learning API, for tests that call every operation (tests/test_api_schema.py): a
    programme, its cohort and session that `person` facilitates, with `person` enrolled and feedback given,
    so that generated requests reach the endpoints' work."""
    cohort = CohortFactory(programme=ProgrammeFactory(organisation=organisation))
    cohort.facilitators.add(person)
    session = SessionFactory(cohort=cohort, date=dt.date(2026, 1, 5))
    enrolment = EnrolmentFactory(cohort=cohort, user=person)
    Feedback.objects.create(session=session, enrolment=enrolment, useful=True, rating=4, usefulness=5)
    return {
        "programme_id": cohort.programme_id,
        "cohort_id": cohort.pk,
        "session_id": session.pk,
        "person_id": person.pk,  # type: ignore[attr-defined]
    }
