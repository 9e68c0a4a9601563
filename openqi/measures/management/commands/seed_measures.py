"""Demo measures for the demo trust (see DOMAIN.md): the talking-therapies project's family of
measures, short baselines for the addictions projects, and one measure of real NHS data (A&E
four-hour performance of one trust, from openqi/measures/fixtures).

Idempotent: measures are found by name in the organisation and points are only added for periods
that have none, so running it again (seed_demo does, on every `make run`) changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from openqi.measures import periods
from openqi.measures.dataio import DataRow
from openqi.measures.models import Annotation, LimitChange, Measure, MeasureType, ProjectMeasure
from openqi.measures.services import data, limits, notes
from openqi.organisations.models import Organisation, Service
from openqi.projects.models import Lifecycle, Project

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TALKING_THERAPIES = "Increasing completion of Low Intensity CBT"
MISSED_APPOINTMENTS = "Fewer missed first appointments in the addictions service"
NALOXONE = "Naloxone offered at every assessment"
LIAISON = "Timely mental health liaison in the emergency department"

BASELINE_START = dt.date(2025, 9, 15)  # a Monday; 20 weeks of baseline before the first PDSA cycle
BASELINE_WEEKS = 20
CHANGE_WEEKS = 26


def _weeks(start: dt.date, count: int) -> list[dt.date]:
    return [start + dt.timedelta(weeks=i) for i in range(count)]


class Command(BaseCommand):
    help = "Create (or top up) the demo measures for the northshire demo organisation."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(slug="northshire").first()
        if org is None:
            raise CommandError("No organisation with slug 'northshire': run seed_demo first.")
        rng = random.Random(2025)  # noqa: S311 -- demo data, not security
        self._talking_therapies(org, rng)
        self._addictions(org, rng)
        self._liaison(org)
        self.stdout.write(
            self.style.SUCCESS(f"Demo measures ready: {Measure.objects.filter(organisation=org).count()}.")
        )

    # --- helpers ----------------------------------------------------------------------------------

    def _project(self, org: Organisation, title: str, service_name: str) -> Project:
        service = Service.objects.filter(directorate__organisation=org, name=service_name).first()
        project, _ = Project.objects.get_or_create(
            organisation=org,
            title=title,
            defaults={
                "service": service,
                "directorate": service.directorate if service else None,
                "lifecycle": Lifecycle.ACTIVE,
            },
        )
        return project

    def _measure(
        self, org: Organisation, project: Project, measure_type: str, order: int, **fields: Any
    ) -> ProjectMeasure:
        measure = Measure.objects.filter(organisation=org, name=fields["name"]).first()
        if measure is None:
            measure = Measure.objects.create(organisation=org, service=project.service, **fields)
        link, _ = ProjectMeasure.objects.get_or_create(
            project=project, measure=measure, defaults={"measure_type": measure_type, "order": order}
        )
        return link

    def _data(self, measure: Measure, rows: list[DataRow]) -> None:
        have = set(measure.points.values_list("period", flat=True))
        missing = [r for r in rows if r.period not in have]
        if missing:
            data.save_rows(measure, missing, by=None, source="demo")

    # --- projects ---------------------------------------------------------------------------------

    def _talking_therapies(self, org: Organisation, rng: random.Random) -> None:
        project = self._project(org, TALKING_THERAPIES, "Talking Therapies Wellbeing Service")
        weeks = _weeks(BASELINE_START, BASELINE_WEEKS + CHANGE_WEEKS)
        outcome = self._measure(
            org,
            project,
            MeasureType.OUTCOME,
            1,
            name="Completion of Low Intensity CBT",
            definition=(
                "Of the service users discharged from step 2 in the week (Monday to Sunday), the proportion "
                "whose course ended with the discharge reason 'completed treatment'. Excludes people who "
                "were stepped up to High Intensity therapy."
            ),
            data_source="Weekly discharge report from the patient record system (IAPTus).",
            kind="proportion",
            numerator_definition="Discharged service users who completed Low Intensity CBT",
            denominator_definition="Service users discharged from Low Intensity CBT",
            unit="%",
            frequency="weekly",
            improvement="increase",
            target_value=Decimal(60),
            target_date=dt.date(2027, 3, 31),
            trajectory_from_value=Decimal(45),
            trajectory_from_date=dt.date(2026, 2, 2),
        )
        rows = []
        for i, week in enumerate(weeks):
            discharged = rng.randint(34, 52)
            rate = 0.45 if i < BASELINE_WEEKS else min(0.58, 0.50 + 0.004 * (i - BASELINE_WEEKS))
            completed = max(0, min(discharged, round(discharged * (rate + rng.uniform(-0.06, 0.06)))))
            rows.append(DataRow(period=week, numerator=Decimal(completed), denominator=Decimal(discharged)))
        self._data(outcome.measure, rows)
        baseline_end = weeks[BASELINE_WEEKS - 1]
        if not LimitChange.objects.filter(measure=outcome.measure).exists():
            limits.add_limit_change(
                outcome.measure,
                kind="freeze",
                period=baseline_end,
                reason="Baseline: the 20 weeks before the first PDSA cycle (text reminders).",
                by=None,
                project=project,
            )
        cycles = list(project.pdsa_cycles.filter(started_on__isnull=False).order_by("started_on")[:4])
        outcome.pdsa_cycles.add(*cycles)
        for cycle in cycles:
            if (
                cycle.started_on
                and not Annotation.objects.filter(measure=outcome.measure, pdsa_cycle=cycle).exists()
            ):
                notes.add_annotation(
                    outcome.measure, project=project, period=cycle.started_on, pdsa_cycle=cycle, by=None
                )

        process = self._measure(
            org,
            project,
            MeasureType.PROCESS,
            2,
            name="Service users sent a text reminder before each session",
            definition=(
                "Of the Low Intensity sessions booked in the week, the proportion with a text reminder sent "
                "24–48 hours before."
            ),
            data_source="Text-messaging system weekly report, matched to the session diary.",
            kind="proportion",
            numerator_definition="Sessions with a reminder sent 24–48 hours before",
            denominator_definition="Low Intensity sessions booked",
            unit="%",
            frequency="weekly",
            improvement="increase",
            target_value=Decimal(90),
        )
        rows = []
        for i, week in enumerate(weeks):
            booked = rng.randint(150, 210)
            # The PDSA story: one practitioner's caseload from 2 February (cycle 1), then the whole step 2
            # team from 23 February (cycle 2, adopted): a step change the chart should suggest rebasing at.
            rate = 0.05 if i < BASELINE_WEEKS else 0.15 if i < BASELINE_WEEKS + 3 else 0.96
            sent = max(0, min(booked, round(booked * (rate + rng.uniform(-0.03, 0.03)))))
            rows.append(DataRow(period=week, numerator=Decimal(sent), denominator=Decimal(booked)))
        self._data(process.measure, rows)
        reminders = [c for c in cycles if "Text reminders" in c.title]
        process.pdsa_cycles.add(*reminders)
        for cycle in reminders:
            if (
                cycle.started_on
                and not Annotation.objects.filter(measure=process.measure, pdsa_cycle=cycle).exists()
            ):
                notes.add_annotation(
                    process.measure, project=project, period=cycle.started_on, pdsa_cycle=cycle, by=None
                )

        balancing = self._measure(
            org,
            project,
            MeasureType.BALANCING,
            3,
            name="Waiting time from referral to first Low Intensity session",
            definition=(
                "Mean days from referral to the first Low Intensity session, for people seen in the week."
            ),
            data_source="Patient record system waiting-list report.",
            kind="continuous",
            value_definition="Mean days from referral to first session",
            unit="days",
            frequency="weekly",
            improvement="decrease",
            target_value=Decimal(28),
        )
        rows = []
        for i, week in enumerate(weeks):
            # Longer sessions for welcome calls push waits up after the changes: the balancing concern.
            mean = 24 if i < BASELINE_WEEKS else 24 + min(8, 0.5 * (i - BASELINE_WEEKS))
            rows.append(DataRow(period=week, value=Decimal(str(round(mean + rng.uniform(-3, 3), 1)))))
        self._data(balancing.measure, rows)

    def _addictions(self, org: Organisation, rng: random.Random) -> None:
        missed = self._project(org, MISSED_APPOINTMENTS, "Addictions Community Service")
        link = self._measure(
            org,
            missed,
            MeasureType.OUTCOME,
            1,
            name="Missed first appointments in the addictions service",
            definition=(
                "Of first appointments booked in the week, the proportion not attended without notice."
            ),
            data_source="Addictions service appointment report.",
            kind="proportion",
            numerator_definition="First appointments not attended",
            denominator_definition="First appointments booked",
            unit="%",
            frequency="weekly",
            improvement="decrease",
            target_value=Decimal(15),
        )
        rows = []
        for week in _weeks(dt.date(2026, 3, 2), 10):
            booked = rng.randint(18, 30)
            rows.append(
                DataRow(
                    period=week,
                    numerator=Decimal(round(booked * rng.uniform(0.18, 0.32))),
                    denominator=Decimal(booked),
                )
            )
        self._data(link.measure, rows)
        naloxone = self._project(org, NALOXONE, "Addictions Community Service")
        link = self._measure(
            org,
            naloxone,
            MeasureType.PROCESS,
            1,
            name="Assessments where naloxone was offered",
            definition=(
                "Of assessments completed in the month, the proportion where take-home naloxone was offered "
                "and recorded."
            ),
            data_source="Assessment form audit.",
            kind="proportion",
            numerator_definition="Assessments with naloxone offered",
            denominator_definition="Assessments completed",
            unit="%",
            frequency="monthly",
            improvement="increase",
            target_value=Decimal(95),
        )
        rows = []
        month = dt.date(2025, 11, 1)
        for _ in range(6):
            done = rng.randint(40, 60)
            rows.append(
                DataRow(
                    period=month,
                    numerator=Decimal(round(done * rng.uniform(0.55, 0.7))),
                    denominator=Decimal(done),
                )
            )
            month = periods.next_period(month, "monthly")
        self._data(link.measure, rows)

    def _liaison(self, org: Organisation) -> None:
        """Real data: four-hour A&E performance of one acute trust's major department."""
        project = self._project(org, LIAISON, "Community Mental Health Team North")
        link = self._measure(
            org,
            project,
            MeasureType.OUTCOME,
            1,
            name="A&E attendances seen within four hours (type 1, trust RF4)",
            definition=(
                "Attendances at the type 1 (major) emergency department in the month, and those admitted, "
                "transferred or discharged within four hours of arrival. Real NHS England data (NHSRdatasets "
                "ae_attendances, Open Government Licence v3.0)."
            ),
            data_source="NHS England A&E Attendances and Emergency Admissions monthly statistics.",
            kind="proportion",
            numerator_definition="Attendances seen within four hours (attendances minus breaches)",
            denominator_definition="Attendances",
            unit="%",
            frequency="monthly",
            improvement="increase",
            target_value=Decimal(95),
        )
        with (FIXTURES / "ae_four_hours_RF4_type1.csv").open(newline="") as f:
            rows = [
                DataRow(
                    period=dt.date.fromisoformat(r["period"]),
                    numerator=Decimal(int(r["attendances"]) - int(r["breaches"])),
                    denominator=Decimal(r["attendances"]),
                )
                for r in csv.DictReader(f)
            ]
        self._data(link.measure, rows)
