from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from openqi.measures.models import DataKind, DataPoint, Frequency, Measure, MeasureType, ProjectMeasure
from openqi.measures.periods import next_period
from openqi.organisations.tests.factories import OrganisationFactory
from openqi.projects.tests.factories import ProjectFactory


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Measure {n}")
    definition = "Service users discharged in the week who completed their course."
    kind = DataKind.PROPORTION
    numerator_definition = "Completed"
    denominator_definition = "Discharged"
    unit = "%"
    frequency = Frequency.WEEKLY
    target_value = Decimal("60")


class ProjectMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectMeasure

    project = factory.SubFactory(ProjectFactory)
    measure = factory.SubFactory(MeasureFactory, organisation=factory.SelfAttribute("..project.organisation"))
    measure_type = MeasureType.OUTCOME


MONDAY = dt.date(2025, 1, 6)


def add_points(
    measure: Measure, values: list[tuple[int, int]] | list[float], start: dt.date = MONDAY
) -> None:
    """Weekly (or per frequency) points: (numerator, denominator) pairs or plain values."""
    period = start
    points = []
    for v in values:
        if isinstance(v, tuple):
            points.append(
                DataPoint(measure=measure, period=period, numerator=Decimal(v[0]), denominator=Decimal(v[1]))
            )
        else:
            points.append(DataPoint(measure=measure, period=period, value=Decimal(str(v))))
        period = next_period(period, measure.frequency)
    DataPoint.objects.bulk_create(points)
    Measure.objects.filter(pk=measure.pk).update(data_version=measure.data_version + 1)
    measure.refresh_from_db()
