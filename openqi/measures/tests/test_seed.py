from __future__ import annotations

import pytest
from django.core.management import call_command

from openqi.measures.models import DataPoint, Measure, ProjectMeasure
from openqi.measures.presenters import family_for
from openqi.projects.access import Level
from openqi.projects.models import Project

pytestmark = pytest.mark.django_db


def test_seed_measures_is_idempotent_and_tells_the_story(world) -> None:  # type: ignore[no-untyped-def]
    call_command("seed_measures", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Measure.objects.count(), ProjectMeasure.objects.count(), DataPoint.objects.count())
    call_command("seed_measures", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Measure.objects.count(), ProjectMeasure.objects.count(), DataPoint.objects.count()) == counts
    project = Project.objects.get(title="Increasing completion of Low Intensity CBT")
    family = family_for(project, Level.VIEW)
    assert [c.measure_type for c in family.cards] == ["outcome", "process", "balancing"]
    outcome = family.cards[0]
    assert outcome.variation is not None and outcome.variation.tone == "improvement"
    assert family.cards[2].highlight  # waiting times rose: the balancing measure shows concern
    ae = Measure.objects.get(name__startswith="A&E attendances")
    assert ae.points.count() == 36
