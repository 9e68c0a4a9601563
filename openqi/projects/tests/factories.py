from __future__ import annotations

import datetime as dt

import factory

from openqi.organisations.tests.factories import OrganisationFactory, UserFactory
from openqi.projects.models import (
    ChangeIdea,
    Driver,
    PDSACycle,
    Project,
    StoryEntry,
    TeamMember,
    TeamRole,
    Visibility,
)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Improvement project {n}")
    problem = "Too few people complete their course of treatment."
    aim_what = "Increase the proportion of people who complete Low Intensity CBT"
    aim_for_whom = "adults discharged from step 2"
    aim_baseline = "45%"
    aim_target = "60%"
    aim_by = dt.date(2026, 3, 31)
    visibility = Visibility.ORGANISATION


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamRole.MEMBER


class DriverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Driver

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Driver {n}")


class ChangeIdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeIdea

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Change idea {n}")


class PDSACycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PDSACycle

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"PDSA cycle {n}")


class StoryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoryEntry

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Story entry {n}")
    text = "The team met and agreed the aim."
