"""`manage.py seed_scale`: a large NHS trust, for measuring OpenQI at the size real trusts reach.

The default is the trust of the "trust scale" issue: one organisation of 8 directorates and 80 services,
3,000 people, 5,000 projects, 15,000 weekly measures with 1.36 million data points, 20,000 PDSA cycles and
50,000 story entries. `--scale tiny|small|medium|trust` or `--projects N` size it; everything else
follows the project count in the same proportions. One seeded random generator draws everything, so the
same options build the same trust (dates follow today, so the data is always current).

How it is shaped (DOMAIN.md): projects sit in services and take one of twelve improvement topics a mental
health and community trust works on (waiting times, missed appointments, falls, restrictive practice …),
which give their title, aim, problem, family of measures, driver diagram, change ideas and the prose of
their story log. Lifecycle stages, visibility, co-production, team sizes, progress scores (a third of
active projects stalled at 2.5), PDSA ramps, story logs and measure lengths follow the stage and age of
each project. Measures are weekly series whose level shifts after the first PDSA cycle as far as the
project's progress score says.

Two known accounts are for measuring: scale.admin@example.org (QI team admin) and
scale.member@example.org (an ordinary member who leads the trust's busiest project and is in three other
teams). Sign-in is by e-mailed code, as for everyone.

Everything is written with bulk_create, which sends no signals, so the search index is rebuilt at the end
(`manage.py reindex`). An existing scale organisation is refused unless `--replace` is given, which drops
it (and the people only it had) first.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from openqi.accounts.models import User
from openqi.measures.models import (
    Annotation,
    DataPoint,
    Frequency,
    LimitChange,
    LimitChangeKind,
    Measure,
    MeasureType,
    ProjectMeasure,
)
from openqi.organisations.models import (
    Directorate,
    Membership,
    Organisation,
    Role,
    Service,
    StrategicPriority,
)
from openqi.projects.models import (
    PROGRESS_LEVELS,
    ActDecision,
    ChangeIdea,
    CoproductionLevel,
    Driver,
    Lifecycle,
    LifecycleChange,
    PDSACycle,
    PDSATask,
    ProgressScoreChange,
    Project,
    StoryCategory,
    StoryEntry,
    TeamMember,
    TeamRole,
    Visibility,
)
from openqi.projects.search import unindex_project

SCALE_SLUG = "scale"
SCALE_NAME = "Northmoor and Dale Health and Care NHS Foundation Trust (scale data)"
ADMIN_EMAIL = "scale.admin@example.org"
MEMBER_EMAIL = "scale.member@example.org"
STAFF_DOMAIN = "scale.example.org"
SCALES = {"tiny": 20, "small": 500, "medium": 2000, "trust": 5000}
BATCH = 2000

T = TypeVar("T")


# --- size ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    """How much to build. The trust of the issue is `for_projects(5000)`; smaller ones keep its ratios."""

    projects: int
    people: int
    directorates: int
    services: int
    measures: int
    points: int
    cycles: int
    story_entries: int

    @classmethod
    def for_projects(cls, projects: int) -> Size:
        directorates = min(8, max(2, round(projects / 40)))
        return cls(
            projects=projects,
            people=max(12, round(projects * 0.6)),
            directorates=directorates,
            services=min(10 * directorates, max(2 * directorates, round(projects / 62.5))),
            measures=projects * 3,
            points=projects * 272,  # 1.36 million for 5,000 projects: about 91 weeks a measure
            cycles=projects * 4,
            story_entries=projects * 10,
        )


# --- the trust's structure and people -----------------------------------------------------------------

STRUCTURE: dict[str, tuple[str, list[str]]] = {
    # directorate: (kind of care, which decides the topics its teams work on; services)
    "Adult Community Mental Health": (
        "adult",
        [
            "Community Mental Health Team North",
            "Community Mental Health Team South",
            "Community Mental Health Team East",
            "Community Mental Health Team West",
            "Early Intervention in Psychosis",
            "Community Rehabilitation Team",
            "Complex Emotional Needs Service",
            "Adult Eating Disorders Service",
            "Mental Health Liaison Team",
            "Clozapine and Depot Clinic",
        ],
    ),
    "Acute and Urgent Care": (
        "acute",
        [
            "Crisis Resolution and Home Treatment",
            "Mental Health Crisis Line",
            "Hawthorn Ward",
            "Willow Ward",
            "Rowan Ward",
            "Psychiatric Intensive Care Unit",
            "Health-based Place of Safety",
            "Crisis Café",
            "Patient Flow Team",
            "Acute Day Service",
        ],
    ),
    "Older People's Mental Health": (
        "older",
        [
            "Memory Assessment Service",
            "Older Adults Community Team North",
            "Older Adults Community Team South",
            "Beech Ward",
            "Elm Ward",
            "Care Home Liaison Team",
            "Dementia Intensive Support",
            "Older Adults Liaison Psychiatry",
            "Young Onset Dementia Service",
            "Admiral Nurse Service",
        ],
    ),
    "Children and Young People": (
        "cyp",
        [
            "CAMHS Getting Help North",
            "CAMHS Getting Help South",
            "CAMHS Eating Disorders",
            "Neurodevelopmental Assessment Service",
            "CAMHS Crisis and Intensive Home Treatment",
            "Mental Health Support Teams in Schools",
            "Maple Unit",
            "Looked After Children's Mental Health",
            "Perinatal Mental Health",
            "Infant Mental Health Service",
        ],
    ),
    "Learning Disability and Autism": (
        "ld",
        [
            "Community Learning Disability Team North",
            "Community Learning Disability Team South",
            "Adult Autism Diagnostic Service",
            "Intensive Support Team",
            "Cedar Unit",
            "Positive Behaviour Support Service",
            "Learning Disability Health Facilitation",
            "Transitions Team",
            "Dysphagia Service",
            "Short Breaks Service",
        ],
    ),
    "Forensic and Secure Services": (
        "forensic",
        [
            "Oak House Medium Secure Unit",
            "Ash Ward Low Secure",
            "Birch Ward Rehabilitation",
            "Forensic Community Team",
            "Liaison and Diversion",
            "Prison Mental Health In-reach",
            "Secure Recovery College",
            "Forensic Learning Disability Service",
            "Offender Personality Disorder Pathway",
            "Secure Services Dietetics",
        ],
    ),
    "Community Health Services": (
        "community",
        [
            "District Nursing North",
            "District Nursing South",
            "Tissue Viability",
            "Community Rehabilitation",
            "Podiatry",
            "Speech and Language Therapy",
            "Community Diabetes Team",
            "Heart Failure Nursing",
            "Intermediate Care Beds",
            "Continence Service",
        ],
    ),
    "Primary Care Mental Health and Addictions": (
        "primary",
        [
            "Talking Therapies North",
            "Talking Therapies South",
            "Talking Therapies Long-term Conditions",
            "Addictions Community Service",
            "Alcohol Liaison Team",
            "Opiate Substitution Service",
            "Employment Support Service",
            "Recovery College",
            "Perinatal Talking Therapies",
            "Gambling Harms Clinic",
        ],
    ),
}
PRIORITIES = [
    "Access and waiting times",
    "Patient safety",
    "Co-production with service users and carers",
    "Staff wellbeing",
    "Physical health of people with mental illness",
    "Reducing restrictive practice",
]
# Names as prose: one name a line would be 160 lines of nothing.
FIRST_NAMES = (  # noqa: SIM905
    "Aisha Amelia Anil Beatrice Ben Bethan Callum Chloe Chidi Connor Daniel Deepa Eilidh Ella Emeka Emily "
    "Fatima Femi Fiona George Grace Hannah Harry Imran Isla Jack Jasmine Jessica Joseph Kavita Kemi Kieran "
    "Laura Leah Liam Lucy Mohammed Maria Matthew Megan Mei Nadia Naomi Nathan Niamh Oliver Olivia Owen "
    "Priya Rachel Rhys Rosa Ryan Samir Sarah Sean Sophie Stefan Tariq Thomas Tom Uche Victoria William "
    "Yasmin Zara Zoe Agnieszka Tomasz Dimitra Kwame Ama Rohan Sunita Helen Gareth Siobhan Declan Ewan Morag"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Ahmed Ali Anderson Bailey Begum Bennett Brown Campbell Carter Chen Clarke Cooper Davies Edwards Evans "
    "Fernandes Fisher Graham Green Hall Harris Hughes Hussain Jackson James Jones Kaur Kelly Khan King "
    "Kowalski Lee Lewis Mahmood Martin Mensah Mitchell Morgan Murphy Nguyen Nowak O'Brien Okafor Owen Patel "
    "Phillips Price Reid Roberts Robinson Scott Shah Singh Smith Taylor Thomas Thompson Turner Walker Ward "
    "Watson White Williams Wilson Wood Wright Young Adeyemi Osei Rahman Das Murray Stewart MacDonald Byrne "
    "Doherty Walsh"
).split()


# --- what projects are about --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSpec:
    """A measure a topic's teams use. `level` is the usual baseline (a proportion 0–1, events per unit of
    `size` for a rate, a weekly mean otherwise); `change` is how far a project that succeeds moves it in
    the improvement direction; `size` is the usual weekly denominator (thousands of bed days for a rate),
    or the week-to-week standard deviation of a measurement."""

    name: str
    kind: str
    improvement: str
    level: float
    change: float
    size: float
    unit: str = ""
    numerator: str = ""
    denominator: str = ""
    value: str = ""


@dataclass(frozen=True)
class Topic:
    titles: tuple[str, ...]
    aim_what: str
    for_whom: str
    baseline: str
    target: str
    problem: str
    priority: str
    kinds_of_care: tuple[str, ...]
    outcome: MeasureSpec
    process: tuple[MeasureSpec, ...]
    balancing: tuple[MeasureSpec, ...]
    drivers: tuple[tuple[str, tuple[str, ...]], ...]
    ideas: tuple[str, ...]
    story: tuple[str, ...]


def _p(
    name: str, improvement: str, level: float, change: float, size: float, num: str, den: str
) -> MeasureSpec:
    return MeasureSpec(name, "proportion", improvement, level, change, size, "%", num, den)


TOPICS: tuple[Topic, ...] = (
    Topic(
        titles=(
            "Reducing waiting times for first assessment",
            "Seeing new referrals sooner",
            "Shorter waits from referral to assessment",
        ),
        aim_what="Reduce the average wait from referral to first assessment",
        for_whom="adults referred to {service}",
        baseline="14 weeks",
        target="6 weeks",
        problem=(
            "People referred to {service} wait on average 14 weeks for a first assessment, and the waiting "
            "list has grown every quarter for two years. While waiting, people tell us they feel forgotten; "
            "some reach crisis services before we have seen them."
        ),
        priority="Access and waiting times",
        kinds_of_care=("adult", "older", "ld", "primary"),
        outcome=MeasureSpec(
            "Average wait from referral to first assessment",
            "continuous",
            "decrease",
            95,
            45,
            12,
            "days",
            value="Mean days from referral to first assessment, for people assessed in the week",
        ),
        process=(
            _p("Referrals triaged within 5 working days", "increase", 0.55, 0.3, 30, "Triaged", "Referrals"),
            _p("Assessment slots filled", "increase", 0.78, 0.12, 40, "Slots used", "Slots offered"),
        ),
        balancing=(
            _p(
                "Assessments needing a second appointment",
                "decrease",
                0.18,
                0.0,
                25,
                "Needing another",
                "Assessed",
            ),
        ),
        drivers=(
            (
                "Referrals reach the right team first time",
                ("Clear referral criteria", "Single point of access"),
            ),
            (
                "Capacity matches demand",
                ("Protected assessment time in job plans", "Group assessment sessions"),
            ),
            ("People stay engaged while they wait", ("Contact while waiting", "Choice of appointment time")),
        ),
        ideas=(
            "Daily triage huddle for new referrals",
            "Text people the date of their assessment within a week of referral",
            "Group welcome sessions for people on the waiting list",
            "Release two assessment slots per clinician per week",
            "Redirect referrals that need another service on the day they arrive",
        ),
        story=(
            "The waiting list stood at {n} people this week, the lowest since we started.",
            "A service-user partner described what waiting without news felt like, and we rewrote the "
            "acknowledgement letter with her.",
            "We mapped the referral pathway: a referral passes through seven hands before anyone meets the "
            "person who is waiting.",
            "Triage within five working days has held for a month, and the wait for first assessment is "
            "coming down.",
        ),
    ),
    Topic(
        titles=(
            "Fewer missed first appointments",
            "Reducing did-not-attend rates",
            "Making first appointments easier to attend",
        ),
        aim_what="Reduce the proportion of first appointments not attended",
        for_whom="people offered a first appointment by {service}",
        baseline="28%",
        target="15%",
        problem=(
            "More than a quarter of first appointments at {service} are missed without notice. Each one is "
            "a slot another person on the waiting list could have used, and people who miss a first "
            "appointment are often discharged back to their GP."
        ),
        priority="Access and waiting times",
        kinds_of_care=("adult", "primary", "community", "cyp"),
        outcome=_p("First appointments not attended", "decrease", 0.28, 0.12, 35, "Not attended", "Booked"),
        process=(
            _p("Appointments confirmed two days before", "increase", 0.2, 0.6, 40, "Confirmed", "Booked"),
            _p("People offered a choice of time", "increase", 0.35, 0.45, 40, "Offered a choice", "Booked"),
        ),
        balancing=(
            MeasureSpec(
                "Average wait for a first appointment",
                "continuous",
                "decrease",
                30,
                0,
                6,
                "days",
                value="Days",
            ),
        ),
        drivers=(
            ("People know why and when they are coming", ("Clear appointment letters", "Reminders")),
            ("Appointments fit people's lives", ("Choice of time", "Video and phone appointments")),
            ("Easy to rearrange", ("One number that answers", "Rebook by text")),
        ),
        ideas=(
            "Text reminders two days before the appointment",
            "A phone call from a peer worker before the first appointment",
            "Let people choose the time when they are referred",
            "Appointment letters rewritten with service users",
            "Offer video or phone as well as face to face",
        ),
        story=(
            "Reminder texts went out for every first appointment this week; {n} people replied to rebook "
            "rather than missing.",
            "Of the people who missed an appointment and we reached by phone, most said the letter never "
            "arrived or arrived late.",
            "Our partner on the team pointed out that the letter did not say where to park or how long it "
            "would take.",
        ),
    ),
    Topic(
        titles=(
            "Increasing completion of Low Intensity CBT",
            "Helping people finish their course of therapy",
            "Fewer people dropping out of guided self-help",
        ),
        aim_what="Increase the percentage of service users who complete Low Intensity CBT",
        for_whom="adults discharged from step 2 of {service}",
        baseline="45%",
        target="60%",
        problem=(
            "Fewer than half of the people who start Low Intensity CBT at {service} complete their course. "
            "People who drop out tell us sessions clash with work and caring, and that they did not know "
            "what to expect."
        ),
        priority="Access and waiting times",
        kinds_of_care=("primary",),
        outcome=_p("Completion of Low Intensity CBT", "increase", 0.45, 0.15, 45, "Completed", "Discharged"),
        process=(
            _p(
                "Sessions with a reminder sent the day before",
                "increase",
                0.1,
                0.8,
                180,
                "Reminded",
                "Booked",
            ),
            _p("Service users offered evening sessions", "increase", 0.15, 0.3, 60, "Offered", "Starting"),
        ),
        balancing=(
            MeasureSpec(
                "Waiting time to first Low Intensity session",
                "continuous",
                "decrease",
                24,
                0,
                4,
                "days",
                value="Mean days from referral to first session",
            ),
        ),
        drivers=(
            ("People know what to expect", ("Welcome call", "Plain-language leaflet")),
            ("Sessions fit around work and caring", ("Evening sessions", "Telephone sessions")),
            ("Early warning of disengagement", ("Reminders", "Follow-up after a missed session")),
        ),
        ideas=(
            "Text reminders the day before each session",
            "A welcome call before the first session",
            "Evening sessions two days a week",
            "Follow up every missed session within a day",
        ),
        story=(
            "Completion was {n}% this month, the third month above the baseline median.",
            "People who had the welcome call said they knew what the sessions would ask of them.",
            "Evening sessions filled within a week; most people who took them work shifts.",
        ),
    ),
    Topic(
        titles=("Reducing inpatient falls", "Fewer falls on {service}", "Safer mobility on the ward"),
        aim_what="Reduce inpatient falls",
        for_whom="people staying on {service}",
        baseline="9 per 1,000 bed days",
        target="5 per 1,000 bed days",
        problem=(
            "Falls are the most reported incident on {service}. Most happen at night, on the way to the "
            "toilet, in the first week after admission."
        ),
        priority="Patient safety",
        kinds_of_care=("older", "acute", "community", "ld"),
        outcome=MeasureSpec(
            "Falls per 1,000 occupied bed days",
            "rate",
            "decrease",
            9,
            4,
            0.14,
            "per 1,000 bed days",
            "Falls reported",
            "Occupied bed days ÷ 1,000",
        ),
        process=(
            _p(
                "Falls risk assessment within 24 hours of admission",
                "increase",
                0.6,
                0.3,
                6,
                "Done",
                "Admitted",
            ),
            _p("Lying and standing blood pressure recorded", "increase", 0.4, 0.4, 6, "Recorded", "Admitted"),
        ),
        balancing=(
            MeasureSpec(
                "Restrictive interventions to prevent falls", "count", "decrease", 1.2, 0, 0, "interventions"
            ),
        ),
        drivers=(
            ("Risk known from admission", ("Falls assessment on day one", "Medication review")),
            ("Safe environment at night", ("Lighting and call bells", "Toilet signage")),
            ("Staff and families alert to risk", ("Safety huddle", "Falls champion on each shift")),
        ),
        ideas=(
            "Falls risk assessment within 24 hours of admission",
            "Night-time toileting rounds",
            "Falls safety cross on the huddle board",
            "Lying and standing blood pressure for everyone over 65",
            "Sensor mats for people at high risk",
        ),
        story=(
            "{n} falls this month, all at night; the huddle agreed to test toileting rounds at 2am.",
            "The safety cross on the huddle board has become the first thing staff look at each morning.",
            "A family member suggested leaving the bathroom light on; we are testing it this week.",
        ),
    ),
    Topic(
        titles=(
            "Reducing restrictive practice",
            "Safer wards with less restraint",
            "Fewer restrictive interventions on {service}",
        ),
        aim_what="Reduce the use of restraint",
        for_whom="people cared for by {service}",
        baseline="12 a month",
        target="6 a month",
        problem=(
            "Restraint is used about three times a week on {service}. People who have been restrained, and "
            "the staff involved, describe it as frightening; most incidents follow a build-up that staff saw "
            "coming."
        ),
        priority="Reducing restrictive practice",
        kinds_of_care=("acute", "forensic", "ld", "cyp"),
        outcome=MeasureSpec("Restrictive interventions", "count", "decrease", 3.2, 1.6, 0, "interventions"),
        process=(
            _p("Shifts with a safety huddle", "increase", 0.5, 0.45, 14, "With huddle", "Shifts"),
            _p(
                "Incidents followed by a debrief with the person",
                "increase",
                0.3,
                0.5,
                3,
                "Debriefed",
                "Incidents",
            ),
        ),
        balancing=(MeasureSpec("Assaults on staff", "count", "decrease", 1.1, 0, 0, "incidents"),),
        drivers=(
            ("Early recognition of distress", ("Safety huddle", "Known triggers in care plans")),
            ("Alternatives to restraint", ("De-escalation skills", "Calm space on the ward")),
            ("Learning after every incident", ("Debrief with the person", "Debrief with staff")),
        ),
        ideas=(
            "Safety huddle at every shift change",
            "Calm room open at all hours",
            "Debrief with the person within 72 hours",
            "Known triggers written into every care plan",
        ),
        story=(
            "There were {n} restrictive interventions this week, against a baseline median of three.",
            "A service user on the ward told us what helped her calm down; it is now in her care plan.",
            "Staff said the huddle gives them permission to ask for help early.",
        ),
    ),
    Topic(
        titles=(
            "Physical health checks for people with severe mental illness",
            "Closing the mortality gap: annual health checks",
            "Improving physical health checks on the caseload",
        ),
        aim_what=(
            "Increase the proportion of people on the caseload with a complete annual physical health check"
        ),
        for_whom="people with severe mental illness under {service}",
        baseline="38%",
        target="75%",
        problem=(
            "People with severe mental illness die 15 to 20 years earlier than the general population, "
            "mostly of preventable physical illness. Only 38% of people under {service} had a complete "
            "health check last year."
        ),
        priority="Physical health of people with mental illness",
        kinds_of_care=("adult", "acute", "forensic"),
        outcome=_p(
            "Complete annual physical health check", "increase", 0.38, 0.35, 120, "Complete", "Caseload"
        ),
        process=(
            _p(
                "Health checks with bloods taken the same day", "increase", 0.3, 0.4, 20, "Same day", "Checks"
            ),
            MeasureSpec("Health check clinics held", "count", "increase", 2, 3, 0, "clinics"),
        ),
        balancing=(
            MeasureSpec(
                "Average length of a care-coordination visit",
                "continuous",
                "neutral",
                55,
                0,
                8,
                "minutes",
                value="Mean minutes per visit",
            ),
        ),
        drivers=(
            ("Checks are easy to have", ("Clinic near home", "Bloods on the same day")),
            ("Everyone knows who is due", ("Shared due list", "Reminder to care coordinator")),
            ("Results lead to action", ("Follow-up plan", "Link with GP")),
        ),
        ideas=(
            "Physical health clinic in the team base every Thursday",
            "Phlebotomist at the clinic so bloods are taken the same day",
            "A monthly list of who is due, sent to each care coordinator",
            "Health check offered at the depot clinic",
        ),
        story=(
            "{n} health checks were completed at this week's clinic.",
            "One person told us it was the first time in five years anyone had taken his blood pressure.",
            "The due list showed that most people without a check had no contact in the last three months.",
        ),
    ),
    Topic(
        titles=(
            "Timely discharge summaries",
            "Discharge letters to GPs within 48 hours",
            "Better communication at discharge",
        ),
        aim_what="Increase the proportion of discharge summaries sent to the GP within 48 hours",
        for_whom="people discharged from {service}",
        baseline="52%",
        target="90%",
        problem=(
            "GPs receive only half of discharge summaries from {service} within 48 hours; some arrive after "
            "the person has already been to see them about their medication."
        ),
        priority="Patient safety",
        kinds_of_care=("acute", "older", "forensic", "community"),
        outcome=_p(
            "Discharge summaries sent within 48 hours", "increase", 0.52, 0.35, 8, "On time", "Discharges"
        ),
        process=(
            _p(
                "Discharge planning meeting before the day of discharge",
                "increase",
                0.45,
                0.4,
                8,
                "Held",
                "Discharges",
            ),
        ),
        balancing=(
            MeasureSpec(
                "Length of stay", "continuous", "decrease", 34, 0, 9, "days", value="Mean length of stay"
            ),
        ),
        drivers=(
            ("Summary started early", ("Template opened at admission", "Planning meeting")),
            ("Clear ownership", ("Named doctor for each discharge", "Pharmacy check")),
        ),
        ideas=(
            "Open the discharge summary template at admission",
            "Discharge planning meeting two days before discharge",
            "A named doctor for every planned discharge",
        ),
        story=(
            "{n} of this week's discharge summaries went out within 48 hours.",
            "The GP practice manager joined our meeting and told us which parts of the summary they read "
            "first.",
        ),
    ),
    Topic(
        titles=(
            "Medicines reconciliation within 24 hours of admission",
            "Safer medicines on admission",
            "Getting medicines right when people are admitted",
        ),
        aim_what="Increase medicines reconciliation completed within 24 hours of admission",
        for_whom="people admitted to {service}",
        baseline="61%",
        target="95%",
        problem=(
            "For four in ten people admitted to {service}, more than a day passes before their medicines "
            "are reconciled, and missed doses in the first days are the commonest medication incident."
        ),
        priority="Patient safety",
        kinds_of_care=("acute", "older", "forensic", "ld"),
        outcome=_p(
            "Medicines reconciled within 24 hours", "increase", 0.61, 0.3, 6, "Reconciled", "Admissions"
        ),
        process=(
            _p("Pharmacy technician review the same day", "increase", 0.4, 0.45, 6, "Reviewed", "Admissions"),
        ),
        balancing=(MeasureSpec("Missed doses reported", "count", "decrease", 2.5, 0, 0, "doses"),),
        drivers=(
            ("Information available at admission", ("GP record access", "Summary care record")),
            ("Pharmacy time where it matters", ("Technician on the ward", "Weekend cover")),
        ),
        ideas=(
            "Pharmacy technician on the ward every weekday morning",
            "Summary care record checked by the admitting nurse",
            "Weekend reconciliation rota",
        ),
        story=(
            "{n} admissions this week; every one reconciled within a day.",
            "Weekend admissions are still the gap: nobody from pharmacy is on site.",
        ),
    ),
    Topic(
        titles=(
            "Reducing pressure ulcers in the community",
            "Fewer category 2 pressure ulcers",
            "Healthy skin for housebound patients",
        ),
        aim_what="Reduce new pressure ulcers acquired in our care",
        for_whom="housebound patients of {service}",
        baseline="6 a month",
        target="2 a month",
        problem=(
            "About six people a month develop a new pressure ulcer while on the caseload of {service}. Most "
            "had no skin assessment at their first visit, and equipment took days to arrive."
        ),
        priority="Patient safety",
        kinds_of_care=("community", "older"),
        outcome=MeasureSpec(
            "New pressure ulcers acquired in our care", "count", "decrease", 1.5, 0.9, 0, "ulcers"
        ),
        process=(
            _p("Skin assessment at first visit", "increase", 0.55, 0.4, 30, "Assessed", "First visits"),
            _p("Equipment in place within 48 hours", "increase", 0.5, 0.4, 8, "In place", "At risk"),
        ),
        balancing=(
            MeasureSpec(
                "Visits per patient per week",
                "continuous",
                "neutral",
                3.1,
                0,
                0.4,
                "visits",
                value="Mean visits",
            ),
        ),
        drivers=(
            ("Risk found early", ("Skin check at first visit", "Carers know the signs")),
            ("Equipment in time", ("Stock in the team base", "Same-day ordering")),
        ),
        ideas=(
            "SSKIN bundle at every first visit",
            "Pressure-relieving cushions kept in the team base",
            "Leaflet for carers on checking skin",
        ),
        story=(
            "{n} new pressure ulcers this month, all category 2.",
            "Carers said nobody had shown them what to look for; the leaflet came out of that conversation.",
        ),
    ),
    Topic(
        titles=(
            "Enjoying work: staff wellbeing",
            "Improving joy at work in {service}",
            "A team people want to work in",
        ),
        aim_what="Increase the proportion of staff who would recommend the team as a place to work",
        for_whom="staff of {service}",
        baseline="54%",
        target="75%",
        problem=(
            "In the staff survey only half of {service} would recommend the team as a place to work. Staff "
            "describe missed breaks, long days and little time to talk about what goes well."
        ),
        priority="Staff wellbeing",
        kinds_of_care=("adult", "acute", "older", "cyp", "ld", "forensic", "community", "primary"),
        outcome=_p(
            "Staff who would recommend the team (weekly pulse)", "increase", 0.54, 0.2, 18, "Yes", "Replies"
        ),
        process=(
            _p("Staff who took their full break", "increase", 0.5, 0.3, 18, "Took break", "Replies"),
            MeasureSpec("Wellbeing huddles held", "count", "increase", 1, 2, 0, "huddles"),
        ),
        balancing=(
            _p(
                "Shifts covered by bank or agency staff",
                "decrease",
                0.22,
                0.0,
                40,
                "Bank or agency",
                "Shifts",
            ),
        ),
        drivers=(
            ("Time to rest", ("Protected breaks", "Finishing on time")),
            ("Feeling valued", ("Thank-you board", "What went well at huddles")),
        ),
        ideas=(
            "Break rota on the huddle board",
            "What went well: one minute at the start of each huddle",
            "Thank-you board in the staff room",
        ),
        story=(
            "{n} people answered this week's pulse question, the most so far.",
            "The break rota has stuck: staff now remind each other to go.",
        ),
    ),
    Topic(
        titles=(
            "Reducing waits for neurodevelopmental assessment",
            "Children waiting less than 18 weeks",
            "Shorter waits for CAMHS treatment",
        ),
        aim_what=(
            "Increase the proportion of children and young people who start treatment within 18 weeks of "
            "referral"
        ),
        for_whom="children and young people referred to {service}",
        baseline="41%",
        target="80%",
        problem=(
            "Fewer than half of the children referred to {service} start treatment within 18 weeks. Families "
            "waiting tell us they hear nothing for months, and schools ask us what to do in the meantime."
        ),
        priority="Access and waiting times",
        kinds_of_care=("cyp", "ld"),
        outcome=_p(
            "Started treatment within 18 weeks of referral",
            "increase",
            0.41,
            0.35,
            20,
            "Within 18 weeks",
            "Started",
        ),
        process=(
            _p(
                "Families contacted within two weeks of referral",
                "increase",
                0.35,
                0.5,
                20,
                "Contacted",
                "Referred",
            ),
            MeasureSpec(
                "Families on the waiting list offered a support group",
                "count",
                "increase",
                3,
                6,
                0,
                "families",
            ),
        ),
        balancing=(
            _p("Re-referrals within six months", "decrease", 0.12, 0.0, 20, "Re-referred", "Discharged"),
        ),
        drivers=(
            ("Families supported while waiting", ("Contact within two weeks", "Parent support group")),
            ("Assessment capacity", ("Group assessments", "School observations shared")),
        ),
        ideas=(
            "Call every family within two weeks of referral",
            "Parent support group for families on the waiting list",
            "Ask schools for their observations at referral",
        ),
        story=(
            "{n} families on the waiting list came to the first support group.",
            "A parent said the call telling her where she was on the waiting list was the first contact in "
            "four months.",
        ),
    ),
    Topic(
        titles=(
            "Answering the crisis line sooner",
            "Crisis line calls answered within a minute",
            "A crisis line that picks up",
        ),
        aim_what="Increase the proportion of crisis line calls answered within 60 seconds",
        for_whom="people calling the 24/7 mental health crisis line",
        baseline="63%",
        target="90%",
        problem=(
            "More than a third of calls to the crisis line wait over a minute, and one in seven callers "
            "hangs up before anyone answers."
        ),
        priority="Access and waiting times",
        kinds_of_care=("acute",),
        outcome=_p("Calls answered within 60 seconds", "increase", 0.63, 0.25, 400, "Within 60 s", "Calls"),
        process=(
            _p("Shifts with the call-handler rota filled", "increase", 0.8, 0.15, 14, "Filled", "Shifts"),
            MeasureSpec(
                "Average call handling time",
                "continuous",
                "neutral",
                14,
                0,
                2,
                "minutes",
                value="Mean minutes per answered call",
            ),
        ),
        balancing=(_p("Calls abandoned before answer", "decrease", 0.14, 0.06, 400, "Abandoned", "Calls"),),
        drivers=(
            ("Enough people on the phones at peak times", ("Rota by demand", "Peak-time cover")),
            ("Calls go to the right place", ("Call-back option", "Signposting message")),
        ),
        ideas=(
            "Rota built from the hourly call pattern",
            "Call-back option after 45 seconds",
            "Extra call handler from 6pm to midnight",
        ),
        story=(
            "{n}% of calls were answered within a minute last week.",
            "The hourly call pattern showed the evening peak starts an hour earlier than the rota assumed.",
        ),
    ),
)

# Generic prose of a story log, by category: (titles, sentences). Placeholders: {n} {idea} {lead}
# {member} {sponsor} {service}.
STORY: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    StoryCategory.MEETING: (
        ("Team meeting", "Fortnightly project meeting", "Meeting with our sponsor", "Coaching session"),
        (
            "We looked at the latest run chart together and agreed the next test.",
            "Our sponsor, {sponsor}, joined and offered to raise staffing at the directorate meeting.",
            "Actions: {lead} to update the driver diagram; {member} to collect this week's data.",
            "The meeting was online so that our service-user partner could join from home.",
            "We spent the first ten minutes rereading the aim statement and checking we still agree with it.",
        ),
    ),
    StoryCategory.DECISION: (
        ("Decision: {idea}", "Changing our operational definition", "What we will test next"),
        (
            "After the last cycle we decided to adopt {idea} across {service}.",
            "We agreed to count weeks from Monday to Sunday so our data matches the service dashboard.",
            "The team decided to pause new tests over the holiday period and keep collecting data.",
            "We will test {idea} next, with one clinician for one week first.",
        ),
    ),
    StoryCategory.LEARNING: (
        (
            "What the process map showed",
            "Learning from the last cycle",
            "Five whys",
            "What service users told us",
        ),
        (
            "The process map showed {n} hand-offs between referral and the first appointment.",
            "Our prediction was wrong: the change helped most on Mondays, not Fridays.",
            "Service users told us that small things, like a named contact, matter more than we thought.",
            "The Pareto chart shows that three causes account for most of the problem.",
            "Asking why five times took us from 'staff forget' to 'the form is on a different screen'.",
        ),
    ),
    StoryCategory.CHALLENGE: (
        ("Data delays", "Staffing pressures", "A setback", "No access to the report"),
        (
            "The weekly report from the patient record system was late again, so the chart is two weeks "
            "behind.",
            "Two team members left and the project slowed while new staff settled in.",
            "Winter pressures meant {service} could not release staff for the huddle.",
            "We lost three weeks of data when the report changed its format.",
        ),
    ),
    StoryCategory.MILESTONE: (
        ("Baseline complete", "Presented at the QI forum", "Charter signed off", "First PDSA cycle started"),
        (
            "We now have {n} weeks of baseline data and can see the median clearly.",
            "We presented the project at the directorate QI forum and were approved to continue.",
            "The charter was signed off by {sponsor}, with the aim statement unchanged.",
            "Our first PDSA cycle started today: {idea}, with one clinician for a week.",
        ),
    ),
    StoryCategory.CELEBRATION: (
        ("A shift on the run chart", "Shortlisted for the trust quality awards", "Thank you to the team"),
        (
            "The run chart shows a shift: eight points in a row on the better side of the median.",
            "The project was shortlisted for the trust's quality awards.",
            "We celebrated with the team and the service users who helped shape the changes.",
        ),
    ),
}
STORY_WEIGHTS = {
    StoryCategory.MEETING: 30,
    StoryCategory.LEARNING: 25,
    StoryCategory.DECISION: 15,
    StoryCategory.CHALLENGE: 12,
    StoryCategory.MILESTONE: 10,
    StoryCategory.CELEBRATION: 8,
}
DATA_SOURCES = (
    "Weekly report from the patient record system (RiO)",
    "SystmOne weekly extract",
    "Datix incident reports",
    "Ward safety huddle tally",
    "Team spreadsheet, checked monthly against the patient record",
    "Telephony system report",
    "Weekly staff pulse survey",
)
POINT_COMMENTS = (
    "Bank holiday week",
    "Two clinicians on leave",
    "Report rerun after a data error",
    "Ward closed to admissions (outbreak)",
    "New starter shadowing this week",
)
TASKS = ("Brief the team at the huddle", "Print the tally sheet", "Collect the week's data")
RAMP_SCOPES = (
    "with one clinician for one week",
    "with one team for two weeks",
    "across the whole service for a month",
    "on every shift, as normal practice",
)


class Stage(NamedTuple):
    """A lifecycle stage's share of the projects, their age in weeks, and the relative weight of the work
    they carry, so an idea has a line or two of story and a completed project a full history."""

    share: float
    age_weeks: tuple[int, int]
    story: float
    cycles: float
    measures: float


STAGES: dict[str, Stage] = {
    Lifecycle.IDEA: Stage(0.10, (0, 16), 1, 0, 0.3),
    Lifecycle.PROPOSED: Stage(0.07, (3, 26), 2, 0, 1),
    Lifecycle.APPROVED: Stage(0.08, (6, 40), 4, 0.3, 2),
    Lifecycle.ACTIVE: Stage(0.38, (10, 170), 12, 6, 3.5),
    Lifecycle.SUSTAINING: Stage(0.10, (60, 230), 16, 8, 4),
    Lifecycle.COMPLETED: Stage(0.19, (40, 260), 18, 8, 3.5),
    Lifecycle.CLOSED: Stage(0.08, (8, 200), 6, 2, 1.5),
}
PATH = [
    Lifecycle.IDEA,
    Lifecycle.PROPOSED,
    Lifecycle.APPROVED,
    Lifecycle.ACTIVE,
    Lifecycle.SUSTAINING,
    Lifecycle.COMPLETED,
]
SCORES: dict[str, tuple[str | None, ...]] = {
    Lifecycle.IDEA: (None, None, None, "0.5", "0.5"),
    Lifecycle.PROPOSED: ("0.5", "1.0"),
    Lifecycle.APPROVED: ("1.0", "1.5"),
    # About 30% of active projects stall at 2.5 (DOMAIN.md).
    Lifecycle.ACTIVE: ("1.5", "2.0", "2.0", "2.5", "2.5", "2.5", "3.0", "3.0", "3.5", "4.0"),
    Lifecycle.SUSTAINING: ("3.5", "4.0", "4.0", "4.5", "4.5"),
    Lifecycle.COMPLETED: ("2.5", "3.0", "3.5", "4.0", "4.0", "4.5", "4.5", "5.0"),
    Lifecycle.CLOSED: ("0.5", "1.0", "1.5", "2.0", "2.5"),
}


# --- helpers ------------------------------------------------------------------------------------------


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into whole numbers in proportion to `weights` (largest remainders), summing exactly."""
    if not weights:
        return []
    whole = sum(weights)
    if whole <= 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    short = total - sum(counts)
    for i in sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])[:short]:
        counts[i] += 1
    return counts


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def at(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59))))


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def given_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """bulk_create stamps auto_now and auto_now_add fields with the current time; a trust with five years
    of history needs the dates it was given. Switched off only while the load runs."""
    stamped = [
        f
        for m in model_classes
        for f in m._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]  # type: ignore[attr-defined]
    for f in stamped:
        f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add  # type: ignore[attr-defined]


def drop_organisation(org: Organisation) -> int:
    """Delete the organisation, everything in it and the people who belonged to it alone, with plain DELETEs:
    Django's cascade would load each of a million rows to send its signals (the search index listens to
    every model). Models are found through `organisation_path`, which every organisation-owned model
    declares, so models added later are dropped too. Deepest paths go first, while the rows a path joins
    through still exist. Returns the number of projects dropped."""
    project_ids = list(Project.objects.filter(organisation=org).values_list("pk", flat=True))
    member_ids = list(Membership.objects.filter(organisation=org).values_list("user_id", flat=True))
    owned = {m: m.organisation_path for m in apps.get_models() if hasattr(m, "organisation_path")}

    def rows(model: type[models.Model]) -> models.QuerySet[Any]:
        path = owned[model]
        return model._base_manager.filter(**{path if path == "pk" else f"{path}__pk": org.pk})

    # Rows of other models (many-to-many tables, the audit trail) that point into the organisation.
    for model in apps.get_models(include_auto_created=True):
        if model in owned:
            continue
        for fk in model._meta.concrete_fields:
            target = fk.related_model
            if not fk.many_to_one or not isinstance(target, type) or target not in owned:
                continue
            pointing = model._base_manager.filter(**{f"{fk.name}__in": rows(target).values("pk")})
            on_delete = getattr(fk.remote_field, "on_delete", None)
            if on_delete is models.CASCADE:
                pointing._raw_delete(pointing.db)
            elif on_delete is models.SET_NULL:
                pointing.update(**{fk.name: None})
            else:
                raise CommandError(f"Cannot drop {org.slug}: {model.__name__}.{fk.name} protects its rows.")
    for model in sorted(owned, key=lambda m: -owned[m].count("__") - (owned[m] != "pk")):
        found = rows(model)
        found._raw_delete(found.db)
    # People who belonged to no other organisation go too; the ORM handles what points at them.
    User.objects.filter(pk__in=member_ids, memberships__isnull=True).delete()
    # Their rows in SQLite's full-text table, which is no Django table and so had no part above.
    for project_id in project_ids:
        unindex_project(project_id)
    return len(project_ids)


class PointWriter:
    """Writes data points with plain INSERTs (executemany on SQLite, COPY on PostgreSQL): for a million
    rows bulk_create spends most of its time preparing each value of each model instance. Rows give the
    columns in GIVEN; any other column (a field added later) gets its default."""

    GIVEN = (
        "measure_id",
        "period",
        "value",
        "numerator",
        "denominator",
        "comment",
        "excluded",
        "exclude_reason",
    )

    def __init__(self, now: dt.datetime) -> None:
        meta = DataPoint._meta
        others = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in self.GIVEN]
        values = {"updated_at": now}
        self.rest = tuple(
            f.get_db_prep_save(values.get(f.attname, f.get_default()), connection) for f in others
        )
        given = [f for name in self.GIVEN for f in meta.concrete_fields if f.attname == name]
        if len(given) != len(self.GIVEN):
            missing = set(self.GIVEN) - {f.attname for f in given}
            raise CommandError(f"DataPoint has no field {', '.join(sorted(missing))}: update PointWriter.")
        columns = [f.column for f in given + others]
        self.columns = ", ".join(connection.ops.quote_name(c) for c in columns)
        self.table = connection.ops.quote_name(meta.db_table)
        self.placeholders = ", ".join(["%s"] * len(columns))

    def write(self, rows: list[tuple[Any, ...]]) -> int:
        if not rows:
            return 0
        adapt_date = connection.ops.adapt_datefield_value
        full = [(r[0], adapt_date(r[1]), *r[2:], *self.rest) for r in rows]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in full:
                        copy.write_row(row)
            else:
                insert = f"INSERT INTO {self.table} ({self.columns}) VALUES ({self.placeholders})"  # noqa: S608
                cursor.executemany(insert, full)
        return len(rows)


# --- the plan of one project ---------------------------------------------------------------------------


@dataclass
class Plan:
    """One project as drawn before anything is written: the rows are built from it."""

    index: int
    topic: Topic
    service: Service
    lifecycle: str
    created: dt.date
    start: dt.date
    end: dt.date  # the last day of work: today, or when it was completed or closed
    score: Decimal | None
    visibility: str
    coproduction: str
    project: Project | None = None
    team: dict[str, list[User]] = field(default_factory=dict)
    ideas: list[ChangeIdea] = field(default_factory=list)
    cycles: list[PDSACycle] = field(default_factory=list)
    ramp_starts: list[PDSACycle] = field(default_factory=list)

    @property
    def success(self) -> float:
        """How far the project's measures have moved: none below 2.5, all the way at 4.5 and above."""
        if self.score is None:
            return 0.0
        return min(1.1, max(0.0, (float(self.score) - 2.5) / 2))

    @property
    def work_weeks(self) -> int:
        return max(0, (self.end - self.start).days // 7)

    @property
    def lead(self) -> User:
        return self.team[TeamRole.LEAD][0]

    def person(self, rng: random.Random) -> User:
        people = [
            u for role in (TeamRole.LEAD, TeamRole.MEMBER, TeamRole.COACH) for u in self.team.get(role, [])
        ]
        return rng.choice(people)


# --- building the trust ---------------------------------------------------------------------------------


class ScaleTrust:
    """Builds the trust step by step; `counts` records what each step wrote."""

    def __init__(self, size: Size, seed: int, out: Any) -> None:
        self.size = size
        self.rng = random.Random(seed)  # noqa: S311 -- benchmark data, not security
        self.out = out
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.counts: dict[str, int] = defaultdict(int)
        self.org: Organisation
        self.services: list[Service] = []
        self.service_weights: list[float] = []
        self.kind_of_care: dict[int, str] = {}  # directorate id -> kind of care
        self.priorities: dict[str, StrategicPriority] = {}
        self.staff_by_service: dict[int, list[User]] = defaultdict(list)
        self.coaches: dict[int, list[User]] = defaultdict(list)  # by directorate id
        self.sponsors: dict[int, list[User]] = defaultdict(list)
        self.partners: list[User] = []
        self.admin: User
        self.member: User
        self.plans: list[Plan] = []
        self.point_writer = PointWriter(self.now)
        self.team_rows: list[TeamMember] = []
        self.lifecycle_rows: list[LifecycleChange] = []
        self.score_rows: list[ProgressScoreChange] = []

    def step(self, name: str, build: Any) -> None:
        started = time.perf_counter()
        build()
        self.out.write(f"  {name:<38} {time.perf_counter() - started:6.1f} s")

    def build(self) -> Organisation:
        with given_timestamps(Project, PDSACycle, StoryEntry, Measure, ProjectMeasure):
            self.step("organisation, directorates, services", self.structure)
            self.step("people and memberships", self.people)
            self.step("projects", self.projects)
            self.step("teams", self.teams)
            self.step("lifecycle and progress histories", self.histories)
            self.step("driver diagrams and change ideas", self.driver_diagrams)
            self.step("PDSA cycles", self.pdsa_cycles)
            self.step("story logs", self.story_logs)
            self.step("measures, data points, notes", self.measures)
        return self.org

    def write(self, model: type[models.Model], rows: list[Any], label: str | None = None) -> list[Any]:
        if rows:
            model._base_manager.bulk_create(rows, batch_size=BATCH)
            self.counts[label or str(model._meta.verbose_name_plural)] += len(rows)
        return rows

    # --- structure and people ---

    def structure(self) -> None:
        self.org = Organisation.objects.create(name=SCALE_NAME, slug=SCALE_SLUG)
        self.counts["organisations"] = 1
        chosen = list(STRUCTURE.items())[: self.size.directorates]
        directorates = self.write(
            Directorate, [Directorate(organisation=self.org, name=name) for name, _ in chosen]
        )
        per = allocate(self.size.services, [1] * len(directorates))
        services = []
        for directorate, (_, (care, names)), count in zip(directorates, chosen, per, strict=True):
            self.kind_of_care[directorate.pk] = care
            services += [Service(directorate=directorate, name=n) for n in names[:count]]
        self.services = self.write(Service, services)
        # Services differ in size: in each directorate a few large teams and many small ones.
        self.service_weights = [1 / (1 + i % 10) ** 0.6 for i in range(len(self.services))]
        self.priorities = {
            p.name: p
            for p in self.write(
                StrategicPriority,
                [StrategicPriority(organisation=self.org, name=n) for n in PRIORITIES],
                "strategic priorities",
            )
        }

    def people(self) -> None:
        rng, size = self.rng, self.size
        count = size.people - 2
        names = self._names(count)
        coaches = max(2, round(count * 0.04))
        sponsors = max(2, round(count * 0.03))
        advisors = max(1, round(count * 0.003))
        partners = max(1, round(count * 0.05))
        password = make_password(None)  # nobody signs in with a password; codes and SSO only
        users, roles, guests = [], [], []
        for i, (name, email) in enumerate(names):
            if i < partners:
                email = email.replace(f"@{STAFF_DOMAIN}", "@example.com")
            users.append(User(email=email, name=name, password=password, date_joined=self.now))
            role: list[str] = []
            if partners <= i < partners + coaches:
                role = [Role.QI_COACH]
            elif partners + coaches <= i < partners + coaches + sponsors:
                role = [Role.SPONSOR]
            elif partners + coaches + sponsors <= i < partners + coaches + sponsors + advisors:
                role = [Role.IMPROVEMENT_ADVISOR]
            roles.append(role)
            guests.append(i < partners)
        self.admin = self._known(ADMIN_EMAIL, "Scale Admin")
        self.member = self._known(MEMBER_EMAIL, "Scale Member")
        users = self.write(User, users, "people")
        self.counts["people"] += 2
        memberships = [
            Membership(
                organisation=self.org,
                user=user,
                roles=[str(r) for r in role],
                is_guest=guest,
                joined_at=self.now - dt.timedelta(days=rng.randint(0, 5 * 365)),
            )
            for user, role, guest in zip(users, roles, guests, strict=True)
        ]
        memberships += [
            Membership(organisation=self.org, user=self.admin, roles=[str(Role.QI_TEAM_ADMIN)]),
            Membership(organisation=self.org, user=self.member, roles=[]),
        ]
        self.write(Membership, memberships)
        directorate_ids = sorted(self.kind_of_care)
        for i, (user, role) in enumerate(zip(users, roles, strict=True)):
            if i < partners:
                self.partners.append(user)
            elif Role.QI_COACH in role:
                self.coaches[directorate_ids[i % len(directorate_ids)]].append(user)
            elif Role.SPONSOR in role:
                self.sponsors[directorate_ids[i % len(directorate_ids)]].append(user)
            elif not role:
                self.staff_by_service[rng.choices(self.services, self.service_weights)[0].pk].append(user)
        for service in self.services:
            if not self.staff_by_service[service.pk]:
                self.staff_by_service[service.pk].append(rng.choice(users[partners:]))

    def _names(self, count: int) -> list[tuple[str, str]]:
        seen: dict[str, int] = defaultdict(int)
        people = []
        for _ in range(count):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            local = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
            seen[local] += 1
            suffix = str(seen[local]) if seen[local] > 1 else ""
            people.append((f"{first} {last}", f"{local}{suffix}@{STAFF_DOMAIN}"))
        return people

    def _known(self, email: str, name: str) -> User:
        user = User.objects.get_by_email(email) or User.objects.create_user(email=email, name=name)
        return user

    # --- projects ---

    def projects(self) -> None:
        rng = self.rng
        stages = list(STAGES)
        stage_weights = [STAGES[s].share for s in stages]
        for index in range(self.size.projects):
            service = rng.choices(self.services, self.service_weights)[0]
            care = self.kind_of_care[service.directorate_id]
            topic = rng.choices(TOPICS, [5 if care in t.kinds_of_care else 0.1 for t in TOPICS])[0]
            lifecycle = rng.choices(stages, stage_weights)[0]
            if index == 0:
                # The known member's project: the trust's busiest, a waiting-times project three years in.
                topic, lifecycle = TOPICS[0], Lifecycle.ACTIVE
            self.plans.append(self._plan(index, topic, service, lifecycle))
        projects = [self._project(plan) for plan in self.plans]
        # Teams and histories are drawn before the projects are written: the histories set approval and
        # review dates on the project rows themselves.
        for plan in self.plans:
            self.team_rows += self._team(plan)
            self.lifecycle_rows += self._lifecycle(plan)
            self.score_rows += self._scores(plan)
        self.write(Project, projects)
        through = Project.priorities.through
        links = []
        for plan in self.plans:
            assert plan.project is not None
            chosen = {plan.topic.priority}
            if rng.random() < 0.3:
                chosen.add(rng.choice(PRIORITIES))
            links += [
                through(project_id=plan.project.pk, strategicpriority_id=self.priorities[n].pk)
                for n in chosen
            ]
        self.write(through, links, "project priorities")

    def _plan(self, index: int, topic: Topic, service: Service, lifecycle: str) -> Plan:
        rng = self.rng
        low, high = STAGES[lifecycle].age_weeks
        age = 156 if index == 0 else rng.randint(low, high)
        created = self.today - dt.timedelta(weeks=age, days=rng.randint(0, 6))
        start = created + dt.timedelta(weeks=rng.randint(2, 10))
        end = self.today
        if lifecycle == Lifecycle.COMPLETED:
            end = self.today - dt.timedelta(weeks=rng.randint(0, max(0, age - 30)))
        elif lifecycle == Lifecycle.CLOSED:
            closed = created + dt.timedelta(weeks=rng.randint(min(4, age), age))
            end = min(max(closed, start), self.today)
        score = rng.choice(SCORES[lifecycle])
        visibility = rng.choices(
            [Visibility.ORGANISATION, Visibility.PRIVATE, Visibility.PUBLIC], [82, 10, 8]
        )[0]
        coproduction = rng.choices(
            [CoproductionLevel.PARTNERS, CoproductionLevel.CONSULTED, CoproductionLevel.NOT_YET], [25, 35, 40]
        )[0]
        if index == 0:
            score, visibility, coproduction = "3.5", Visibility.ORGANISATION, CoproductionLevel.PARTNERS
        elif index == 2:
            visibility = Visibility.PRIVATE  # one of the known member's teams keeps its project private
        return Plan(
            index=index,
            topic=topic,
            service=service,
            lifecycle=lifecycle,
            created=created,
            start=start,
            end=end,
            score=Decimal(score) if score else None,
            visibility=visibility,
            coproduction=coproduction,
        )

    def _project(self, plan: Plan) -> Project:
        rng, topic = self.rng, plan.topic
        service = plan.service.name
        title = self._title(plan)
        expected_end = plan.start + dt.timedelta(weeks=rng.randint(26, 78))
        aim_by = (expected_end.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        started = plan.lifecycle not in (Lifecycle.IDEA, Lifecycle.PROPOSED)
        plan.project = Project(
            organisation=self.org,
            directorate_id=plan.service.directorate_id,
            service=plan.service,
            title=title[:200],
            problem=topic.problem.format(service=service),
            aim_what=topic.aim_what if plan.lifecycle != Lifecycle.IDEA or rng.random() < 0.5 else "",
            aim_for_whom=topic.for_whom.format(service=service),
            aim_baseline=topic.baseline,
            aim_target=topic.target,
            aim_by=aim_by,
            start_date=plan.start if started else None,
            expected_end_date=expected_end if started else None,
            lifecycle=plan.lifecycle,
            visibility=plan.visibility,
            coproduction=plan.coproduction,
            progress_score=plan.score,
            created_at=at(plan.created, rng),
            updated_at=at(plan.end, rng),
        )
        return plan.project

    def _title(self, plan: Plan) -> str:
        """Titles as teams write them: the topic, often where, sometimes the change being tried."""
        rng, service = self.rng, plan.service.name
        template = rng.choice(plan.topic.titles)
        title = template.format(service=service)
        if "{service}" in template:
            return title
        form = rng.choices(("plain", "in", "service", "idea"), (15, 35, 20, 30))[0]
        if form == "in":
            return f"{title} in {service}"
        if form == "service":
            return f"{service}: {title[0].lower()}{title[1:]}"
        if form == "idea":
            idea = rng.choice(plan.topic.ideas)
            return f"{title}: {idea[0].lower()}{idea[1:]}"
        return title

    # --- teams ---

    def teams(self) -> None:
        self.write(TeamMember, self.team_rows, "team members")

    def _team(self, plan: Plan) -> list[TeamMember]:
        rng = self.rng
        directorate_id = plan.service.directorate_id
        staff = self.staff_by_service[plan.service.pk]
        early = plan.lifecycle in (Lifecycle.IDEA, Lifecycle.PROPOSED)
        lead = self.member if plan.index == 0 else rng.choice(staff)
        size = rng.choices(range(0, 10), [1, 4, 8, 10, 9, 7, 4, 3, 2, 1])[0]
        members = self._pick(staff, 1 if early else size, exclude={lead.pk})
        if plan.index in (1, 2, 3):
            members = [self.member, *members]
        partner_count = {"partners": rng.randint(1, 2), "consulted": int(rng.random() < 0.2)}.get(
            plan.coproduction, 0
        )
        team: dict[str, list[User]] = {
            TeamRole.LEAD: [lead],
            TeamRole.MEMBER: members,
            TeamRole.PARTNER: self._pick(self.partners, partner_count, exclude=set()),
            TeamRole.COACH: [rng.choice(self.coaches[directorate_id])]
            if not early or rng.random() < 0.5
            else [],
            TeamRole.SPONSOR: [rng.choice(self.sponsors[directorate_id])] if not early else [],
        }
        if plan.index == 3:
            team[TeamRole.DATA_LEAD] = [self.member]
        elif members and not early and rng.random() < 0.4:
            team[TeamRole.DATA_LEAD] = [rng.choice(members)]
        plan.team = team
        public = plan.visibility == Visibility.PUBLIC
        joined = plan.created
        rows = [
            TeamMember(
                project=plan.project,
                user=user,
                role=role,
                joined_on=joined + dt.timedelta(days=rng.randint(0, 60) if role != TeamRole.LEAD else 0),
                show_name_publicly=public and rng.random() < 0.6,
            )
            for role, people in team.items()
            for user in people
        ]
        rows += self._past_stints(plan, staff)
        return rows

    def _past_stints(self, plan: Plan, staff: list[User]) -> list[TeamMember]:
        """Teams change: a lead hands over part-way, a member moves on (DOMAIN.md)."""
        rng = self.rng
        age_weeks = (self.today - plan.created).days // 7
        rows = []
        if age_weeks > 52 and rng.random() < 0.15:
            left = plan.created + dt.timedelta(weeks=rng.randint(20, age_weeks - 10))
            rows.append(
                TeamMember(
                    project=plan.project,
                    user=rng.choice(staff),
                    role=TeamRole.LEAD,
                    joined_on=plan.created,
                    left_on=left,
                )
            )
        if age_weeks > 26 and rng.random() < 0.25:
            rows.append(
                TeamMember(
                    project=plan.project,
                    user=rng.choice(staff),
                    role=TeamRole.MEMBER,
                    joined_on=plan.created + dt.timedelta(weeks=2),
                    left_on=plan.created + dt.timedelta(weeks=rng.randint(8, age_weeks)),
                )
            )
        return rows

    def _pick(self, pool: list[User], count: int, exclude: set[int]) -> list[User]:
        chosen: dict[int, User] = {}
        for _ in range(count * 3):
            if len(chosen) >= count or not pool:
                break
            user = self.rng.choice(pool)
            if user.pk not in exclude:
                chosen[user.pk] = user
        return list(chosen.values())

    # --- lifecycle and progress ---

    def histories(self) -> None:
        self.write(LifecycleChange, self.lifecycle_rows, "lifecycle changes")
        self.write(ProgressScoreChange, self.score_rows, "progress score changes")

    def _lifecycle(self, plan: Plan) -> list[LifecycleChange]:
        rng, project = self.rng, plan.project
        assert project is not None
        if plan.lifecycle == Lifecycle.CLOSED:
            path = [*PATH[: rng.randint(1, 4)], Lifecycle.CLOSED]
        else:
            path = PATH[: PATH.index(Lifecycle(plan.lifecycle)) + 1]
        moves = list(zip(path, path[1:], strict=False))
        span = max(1, (plan.end - plan.created).days)
        rows = []
        forum = f"{plan.service.directorate.name} QI forum"
        for step, (before, after) in enumerate(moves, start=1):
            day = plan.created + dt.timedelta(days=span * step // (len(moves) + 1))
            note = ""
            if after == Lifecycle.APPROVED:
                note = f"Approved at the {forum}."
                project.approved_on, project.approved_by = day, forum
            elif after == Lifecycle.CLOSED:
                note = rng.choice(
                    (
                        "Closed: the service was redesigned and the problem no longer exists in this form.",
                        "Closed: the team could not be released to work on it this year.",
                        "Closed: merged with a similar project in another team.",
                    )
                )
                project.closed_reason = note
            elif after == Lifecycle.COMPLETED:
                note = "Aim reached and sustained; learning summary shared at the forum."
            changes_by = plan.team.get(TeamRole.COACH) or [plan.lead]
            rows.append(
                LifecycleChange(
                    project=project,
                    from_state=before,
                    to_state=after,
                    note=note,
                    changed_by=changes_by[0],
                    changed_at=at(day, rng),
                )
            )
        return rows

    def _scores(self, plan: Plan) -> list[ProgressScoreChange]:
        rng, project = self.rng, plan.project
        assert project is not None
        if plan.score is None:
            return []
        steps = [Decimal("0.5") * k for k in range(1, int(plan.score * 2) + 1)]
        steps = sorted(set(rng.sample(steps, min(len(steps), rng.randint(1, 6)))) | {plan.score})
        stale_weeks = rng.randint(5, 20) if rng.random() < 0.4 else rng.randint(0, 4)
        last = min(plan.end, self.today - dt.timedelta(weeks=stale_weeks))
        last = max(last, plan.created)
        span = (last - plan.created).days
        rows, previous = [], None
        by = (plan.team.get(TeamRole.COACH) or [plan.lead])[0]
        for k, score in enumerate(steps, start=1):
            day = plan.created + dt.timedelta(days=span * k // len(steps))
            meaning = PROGRESS_LEVELS[score][1]
            rows.append(
                ProgressScoreChange(
                    project=project,
                    score=score,
                    previous_score=previous,
                    note=f"Reviewed with the coach. {meaning}",
                    changed_by=by,
                    changed_at=at(day, rng),
                )
            )
            previous = score
        project.progress_reviewed_at = rows[-1].changed_at
        return rows

    # --- driver diagrams ---

    def driver_diagrams(self) -> None:
        primaries: list[Driver] = []
        for plan in self.plans:
            if plan.lifecycle in (Lifecycle.IDEA, Lifecycle.PROPOSED) and self.rng.random() < 0.7:
                continue
            primaries += [
                Driver(project=plan.project, title=title, position=i)
                for i, (title, _) in enumerate(plan.topic.drivers)
            ]
        self.write(Driver, primaries, "drivers")
        by_project: dict[int, list[Driver]] = defaultdict(list)
        for driver in primaries:
            by_project[driver.project_id].append(driver)
        secondaries, ideas = [], []
        for plan in self.plans:
            assert plan.project is not None
            mine = by_project.get(plan.project.pk, [])
            for primary, (_, children) in zip(mine, plan.topic.drivers, strict=False):
                secondaries += [
                    Driver(project=plan.project, parent=primary, title=t, position=i)
                    for i, t in enumerate(children)
                ]
            if mine:
                count = self.rng.randint(min(3, len(plan.topic.ideas)), len(plan.topic.ideas))
                plan.ideas = [
                    ChangeIdea(project=plan.project, title=t, position=i)
                    for i, t in enumerate(self.rng.sample(plan.topic.ideas, count))
                ]
                ideas += plan.ideas
        self.write(Driver, secondaries, "drivers")
        self.write(ChangeIdea, ideas, "change ideas")
        secondaries_of: dict[int, list[Driver]] = defaultdict(list)
        for driver in secondaries:
            secondaries_of[driver.project_id].append(driver)
        through = ChangeIdea.drivers.through
        links = [
            through(changeidea_id=idea.pk, driver_id=driver.pk)
            for idea in ideas
            for driver in self.rng.sample(
                secondaries_of[idea.project_id], min(len(secondaries_of[idea.project_id]), 2)
            )
        ]
        self.write(through, links, "change idea links")

    # --- PDSA cycles ---

    def pdsa_cycles(self) -> None:
        weights = [
            STAGES[p.lifecycle].cycles * min(p.work_weeks, 104) / 52 * self.rng.uniform(0.5, 1.5)
            if p.ideas
            else 0
            for p in self.plans
        ]
        weights[0] = max(weights) * 2 if weights[0] else 0
        ramps_by_plan = {
            p.index: self._ramps(p, count)
            for p, count in zip(self.plans, allocate(self.size.cycles, weights), strict=True)
        }
        # Cycles are written round by round, so that each can name the cycle it follows in its ramp.
        round_no = 0
        while True:
            cycles = [
                (plan, ramp, ramp[round_no])
                for plan in self.plans
                for ramp in ramps_by_plan[plan.index]
                if len(ramp) > round_no
            ]
            if not cycles:
                break
            self.write(PDSACycle, [c for _, _, c in cycles], "PDSA cycles")
            for plan, ramp, cycle in cycles:
                plan.cycles.append(cycle)
                if round_no == 0:
                    plan.ramp_starts.append(cycle)
                if round_no + 1 < len(ramp):
                    ramp[round_no + 1].follows = cycle
            round_no += 1
        tasks = [
            PDSATask(
                cycle=c,
                description=d,
                owner=plan.person(self.rng),
                due_on=c.started_on,
                done=bool(c.act_decision),
            )
            for plan in self.plans
            for c in plan.cycles
            for d in TASKS[: self.rng.randint(0, len(TASKS))]
        ]
        self.write(PDSATask, tasks, "PDSA tasks")

    def _ramps(self, plan: Plan, count: int) -> list[list[PDSACycle]]:
        """`count` cycles in ramps of one to four, one ramp per change idea in turn, spread over the work."""
        rng = self.rng
        if not count:
            return []
        lengths: list[int] = []
        while sum(lengths) < count:
            lengths.append(min(rng.randint(1, 4), count - sum(lengths)))
        first = plan.start + dt.timedelta(weeks=2)
        gap = max(7, (plan.end - first).days // max(1, count))
        ramps, n = [], 0
        for r, length in enumerate(lengths):
            idea = plan.ideas[r % len(plan.ideas)]
            ramp = []
            for k in range(length):
                started = first + dt.timedelta(days=gap * n + rng.randint(0, 6))
                ramp.append(self._cycle(plan, idea, k, length, started))
                n += 1
            ramps.append(ramp)
        return ramps

    def _cycle(self, plan: Plan, idea: ChangeIdea, k: int, length: int, started: dt.date) -> PDSACycle:
        rng = self.rng
        scope = RAMP_SCOPES[min(k, len(RAMP_SCOPES) - 1)]
        running = plan.lifecycle in (
            Lifecycle.ACTIVE,
            Lifecycle.APPROVED,
        ) and started > self.today - dt.timedelta(weeks=4)
        done = not running and started <= self.today
        decision = ""
        if done:
            decision = ActDecision.ADOPT if k == length - 1 else ActDecision.ADAPT
            if rng.random() < 0.15:
                decision = ActDecision.ABANDON
        idea_text = idea.title[0].lower() + idea.title[1:]
        return PDSACycle(
            project=plan.project,
            change_idea=idea,
            title=f"{idea.title} {scope}"[:200],
            objective=f"To find out whether {idea_text} works {scope}.",
            questions="Will people notice the change? How long does it take staff each day?",
            prediction=f"We predict that {idea_text} will help, and take under ten minutes a day.",
            plan_what=f"Test {idea_text} {scope}.",
            plan_who=plan.lead.display_name,
            plan_when=f"From {started:%d %B %Y}",
            plan_where=plan.service.name,
            plan_data="Tally on the huddle board; the weekly report for the outcome measure.",
            do_what_happened="We ran the test as planned; two days were missed when the team was short."
            if done or running
            else "",
            do_observations="Staff found it quicker after the first two days." if done else "",
            study_results=rng.choice(
                (
                    "As predicted: the measure moved in the right direction during the test.",
                    "Better than predicted, though the week was quieter than usual.",
                    "No change we could see; the idea needs adapting before a bigger test.",
                )
            )
            if done
            else "",
            act_decision=decision,
            act_next_step="Test it on a larger scale." if decision == ActDecision.ADAPT else "",
            started_on=started,
            completed_on=started + dt.timedelta(weeks=rng.randint(1, 4)) if done else None,
            created_by=plan.lead,
            created_at=at(started - dt.timedelta(days=rng.randint(1, 10)), rng),
        )

    # --- story logs ---

    def story_logs(self) -> None:
        weights = [
            STAGES[p.lifecycle].story * self.rng.uniform(0.5, 1.5) * (1 + min(p.work_weeks, 156) / 104)
            for p in self.plans
        ]
        weights[0] = max(weights) * 2
        rows: list[StoryEntry] = []
        for plan, count in zip(self.plans, allocate(self.size.story_entries, weights), strict=True):
            rows += [self._entry(plan) for _ in range(count)]
            if len(rows) >= 10 * BATCH:
                self.write(StoryEntry, rows, "story entries")
                rows = []
        self.write(StoryEntry, rows, "story entries")

    def _entry(self, plan: Plan) -> StoryEntry:
        rng = self.rng
        category = rng.choices(list(STORY_WEIGHTS), list(STORY_WEIGHTS.values()))[0]
        titles, sentences = STORY[category]
        members = plan.team.get(TeamRole.MEMBER) or [plan.lead]
        sponsor = (plan.team.get(TeamRole.SPONSOR) or [plan.lead])[0]
        words = {
            "n": rng.randint(3, 40),
            "idea": (rng.choice(plan.ideas).title if plan.ideas else rng.choice(plan.topic.ideas)).lower(),
            "lead": plan.lead.display_name,
            "member": rng.choice(members).display_name,
            "sponsor": sponsor.display_name,
            "service": plan.service.name,
        }
        chosen = rng.sample(sentences, rng.randint(1, min(3, len(sentences))))
        if rng.random() < 0.6:
            chosen.insert(rng.randint(0, len(chosen)), rng.choice(plan.topic.story))
        text = " ".join(s.format(**words) for s in chosen)
        if rng.random() < 0.15:
            text += (
                f"\n\nNext steps:\n\n- share the chart at the huddle\n- agree the next test with {plan.lead}"
            )
        span = max(0, (plan.end - plan.created).days)
        day = plan.created + dt.timedelta(days=rng.randint(0, span))
        return StoryEntry(
            project=plan.project,
            occurred_on=day,
            author=plan.person(rng),
            category=category,
            title=rng.choice(titles).format(**words)[:200],
            text=text,
            created_at=at(day, rng),
        )

    # --- measures ---

    def measures(self) -> None:
        weights = [
            STAGES[p.lifecycle].measures * self.rng.uniform(0.6, 1.4)
            if p.lifecycle != Lifecycle.IDEA or self.rng.random() < 0.3
            else 0
            for p in self.plans
        ]
        weights[0] = 0
        counts = allocate(self.size.measures - 6, weights)
        counts[0] = 6  # the known member's project: a full family of measures
        specs = [
            (plan, spec, order)
            for plan, n in zip(self.plans, counts, strict=True)
            for order, spec in self._family(plan, n)
        ]
        # The busiest project's measures have five years of weekly data; the rest share what is left.
        showcase = [plan.index == 0 for plan, _, _ in specs]
        natural = [
            0 if first else self._natural_length(plan)
            for (plan, _, _), first in zip(specs, showcase, strict=True)
        ]
        lengths = allocate(self.size.points - 260 * sum(showcase), natural)
        lengths = [260 if first else n for first, n in zip(showcase, lengths, strict=True)]
        for chunk in batched(zip(specs, lengths, strict=True), 500):
            self._write_measures(chunk)
        self._share_measures()

    def _family(self, plan: Plan, count: int) -> list[tuple[int, MeasureSpec]]:
        topic = plan.topic
        order = [topic.outcome]
        process, balancing = list(topic.process), list(topic.balancing)
        while process or balancing:
            if process:
                order.append(process.pop(0))
            if balancing:
                order.append(balancing.pop(0))
        return [(i + 1, order[i % len(order)]) for i in range(count)]

    def _natural_length(self, plan: Plan) -> float:
        """Weeks of data a measure would have: a baseline from the service dashboard, then the work."""
        baseline = self.rng.randint(8, 52)
        return max(4, baseline + plan.work_weeks)

    def _write_measures(self, chunk: list[tuple[tuple[Plan, MeasureSpec, int], int]]) -> None:
        measures, links = [], []
        for (plan, spec, order), length in chunk:
            measure = self._measure(plan, spec, order)
            measures.append((plan, spec, order, measure, max(1, length)))
        self.write(Measure, [m for _, _, _, m, _ in measures])
        for plan, spec, order, measure, _ in measures:
            measure_type = (
                MeasureType.OUTCOME
                if order == 1
                else (MeasureType.PROCESS if spec in plan.topic.process else MeasureType.BALANCING)
            )
            links.append(
                ProjectMeasure(
                    project=plan.project,
                    measure=measure,
                    measure_type=measure_type,
                    order=order,
                    added_at=measure.created_at,
                )
            )
        self.write(ProjectMeasure, links, "project measures")
        points: list[tuple[Any, ...]] = []
        notes: list[Annotation] = []
        limits: list[LimitChange] = []
        cycle_links, idea_links = [], []
        for (plan, spec, order, measure, length), link in zip(measures, links, strict=True):
            periods, change_at = self._periods(plan, length)
            points += self._points(measure, spec, periods, change_at, plan.success)
            if order == 1:
                notes += self._annotations(plan, measure, periods)
                limits += self._limits(plan, measure, periods, change_at)
                cycle_links += [(link.pk, c.pk) for c in plan.ramp_starts[:3]]
            elif link.measure_type == MeasureType.PROCESS and plan.ideas:
                idea_links.append((link.pk, plan.ideas[(order - 2) % len(plan.ideas)].pk))
            if len(points) >= 10 * BATCH:
                self.counts["data points"] += self.point_writer.write(points)
                points = []
        self.counts["data points"] += self.point_writer.write(points)
        self.write(Annotation, notes, "annotations")
        self.write(LimitChange, limits, "limit changes")
        cycles_through = ProjectMeasure.pdsa_cycles.through
        ideas_through = ProjectMeasure.change_ideas.through
        self.write(
            cycles_through,
            [cycles_through(projectmeasure_id=lk, pdsacycle_id=c) for lk, c in cycle_links],
            "measure–cycle links",
        )
        self.write(
            ideas_through,
            [ideas_through(projectmeasure_id=lk, changeidea_id=i) for lk, i in idea_links],
            "measure–idea links",
        )

    def _measure(self, plan: Plan, spec: MeasureSpec, order: int) -> Measure:
        rng = self.rng
        direction = {"increase": 1, "decrease": -1}.get(spec.improvement, 0)
        target = None
        if direction and spec.change:
            goal = spec.level + direction * spec.change
            target = Decimal(round(goal * 100)) if spec.kind == "proportion" else Decimal(str(round(goal, 1)))
        created = at(plan.created + dt.timedelta(days=rng.randint(0, 28)), rng)
        kind_text = {
            "proportion": f"Of the {spec.denominator.lower()} in the week (Monday to Sunday), the proportion "
            f"{spec.numerator.lower()}.",
            "rate": f"{spec.numerator} in the week, per 1,000 occupied bed days.",
            "count": f"The number of {spec.unit or 'events'} in the week (Monday to Sunday).",
            "continuous": f"{spec.value or spec.name}, for the week (Monday to Sunday).",
        }[spec.kind]
        return Measure(
            organisation=self.org,
            service=plan.service,
            name=f"{spec.name} – {plan.service.name}"[:200],
            definition=f"{kind_text} Counted for {plan.service.name}.",
            data_source=rng.choice(DATA_SOURCES),
            kind=spec.kind,
            numerator_definition=spec.numerator,
            denominator_definition=spec.denominator,
            value_definition=spec.value,
            unit=spec.unit,
            frequency=Frequency.WEEKLY,
            improvement=spec.improvement,
            target_value=target,
            target_date=plan.project.aim_by if plan.project and target is not None else None,
            created_by=plan.lead,
            created_at=created,
            updated_at=created,
        )

    def _periods(self, plan: Plan, length: int) -> tuple[list[dt.date], int | None]:
        """Weekly periods ending at the last full week of the work, and where the changes began."""
        last = monday(min(plan.end, self.today)) - dt.timedelta(weeks=1 if plan.end >= self.today else 0)
        periods = [last - dt.timedelta(weeks=length - 1 - i) for i in range(length)]
        change_day = plan.ramp_starts[0].started_on if plan.ramp_starts else None
        change_at = None
        if change_day is not None:
            change_at = next((i for i, p in enumerate(periods) if p >= change_day), None)
        return periods, change_at

    def _points(
        self,
        measure: Measure,
        spec: MeasureSpec,
        periods: list[dt.date],
        change_at: int | None,
        success: float,
    ) -> list[tuple[Any, ...]]:
        """The measure's weekly data, as rows for `PointWriter`: noise around a level that shifts, over
        twelve weeks from the first PDSA cycle, as far as the project succeeded; a few notes and
        excluded weeks, as real series have."""
        rng = self.rng
        direction = {"increase": 1, "decrease": -1}.get(spec.improvement, 0)
        level = spec.level * rng.uniform(0.85, 1.15)
        size = spec.size * rng.uniform(0.5, 2.0)
        move = spec.change * success * direction
        rows = []
        for i, period in enumerate(periods):
            shift = 0.0
            if change_at is not None and i >= change_at:
                shift = move * min(1.0, (i - change_at + 1) / 12)
            value, numerator, denominator = self._draw(spec, level + shift, size)
            special = rng.random()
            comment = rng.choice(POINT_COMMENTS) if special < 0.005 else ""
            excluded = special > 0.998
            reason = "Data error: the report double-counted this week" if excluded else ""
            rows.append((measure.pk, period, value, numerator, denominator, comment, excluded, reason))
        return rows

    def _draw(self, spec: MeasureSpec, mean: float, size: float) -> tuple[Decimal | None, ...]:
        """One week's (value, numerator, denominator) around `mean`."""
        gauss = self.rng.gauss
        if spec.kind == "proportion":
            p = min(0.99, max(0.01, mean))
            den = max(3, round(gauss(size, size * 0.15)))
            num = min(den, max(0, round(gauss(p * den, math.sqrt(den * p * (1 - p))))))
            return None, Decimal(num), Decimal(den)
        if spec.kind == "rate":
            exposure = max(0.02, gauss(size, size * 0.1))
            mu = max(0.0, mean) * exposure
            events = max(0, round(gauss(mu, math.sqrt(mu) if mu > 0 else 0.1)))
            return None, Decimal(events), Decimal(f"{exposure:.3f}")
        if spec.kind == "count":
            mu = max(0.2, mean)
            return Decimal(max(0, round(gauss(mu, math.sqrt(mu))))), None, None
        return Decimal(f"{max(0.0, gauss(mean, spec.size)):.1f}"), None, None

    def _annotations(self, plan: Plan, measure: Measure, periods: list[dt.date]) -> list[Annotation]:
        first, last = (periods[0], periods[-1]) if periods else (None, None)
        return [
            Annotation(
                measure=measure,
                project=plan.project,
                period=monday(cycle.started_on),
                pdsa_cycle=cycle,
                created_by=plan.lead,
                created_at=at(cycle.started_on, self.rng),
            )
            for cycle in plan.ramp_starts[:4]
            if cycle.started_on and first and last and first <= monday(cycle.started_on) <= last
        ]

    def _limits(
        self, plan: Plan, measure: Measure, periods: list[dt.date], change_at: int | None
    ) -> list[LimitChange]:
        rng = self.rng
        if change_at is None or change_at < 12 or rng.random() < 0.5:
            return []
        rows = [
            LimitChange(
                measure=measure,
                kind=LimitChangeKind.FREEZE,
                period=periods[change_at - 1],
                reason=f"Baseline: the {change_at} weeks before the first PDSA cycle.",
                created_by=plan.lead,
                created_at=at(periods[change_at], rng),
            )
        ]
        if plan.success >= 0.75 and len(periods) > change_at + 30 and rng.random() < 0.4:
            rows.append(
                LimitChange(
                    measure=measure,
                    kind=LimitChangeKind.REBASE,
                    period=periods[change_at + 12],
                    reason="A sustained shift after the changes were adopted: new limits from here.",
                    created_by=plan.lead,
                    created_at=at(periods[change_at + 24], rng),
                )
            )
        return rows

    def _share_measures(self) -> None:
        """Some teams use a measure another project in their service defined (a shared outcome, say)."""
        rng = self.rng
        by_service: dict[int, list[tuple[int, int]]] = defaultdict(list)
        taken: dict[int, set[int]] = defaultdict(set)
        links = ProjectMeasure.objects.filter(project__organisation=self.org).values_list(
            "project_id", "measure_id", "measure__service_id", "order"
        )
        highest: dict[int, int] = defaultdict(int)
        for project_id, measure_id, service_id, order in links:
            by_service[service_id].append((project_id, measure_id))
            taken[project_id].add(measure_id)
            highest[project_id] = max(highest[project_id], order)
        shared = []
        for plan in self.plans:
            assert plan.project is not None
            pid = plan.project.pk
            if not taken[pid] or rng.random() > 0.05:
                continue
            options = [m for p, m in by_service[plan.service.pk] if p != pid and m not in taken[pid]]
            if options:
                measure_id = rng.choice(options)
                taken[pid].add(measure_id)
                highest[pid] += 1
                shared.append(
                    ProjectMeasure(
                        project_id=pid,
                        measure_id=measure_id,
                        measure_type=MeasureType.BALANCING,
                        order=highest[pid],
                        added_at=self.now,
                    )
                )
        self.write(ProjectMeasure, shared, "project measures")


# --- the command ----------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Build a large trust for measuring OpenQI at scale (default: 5,000 projects, 1.36 million data "
        "points). Refuses if it exists; --replace drops and rebuilds it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", choices=sorted(SCALES, key=SCALES.__getitem__), default="trust", help="A size by name."
        )
        parser.add_argument("--projects", type=int, help="Number of projects; everything else in proportion.")
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed (the same seed, the same trust)."
        )
        parser.add_argument(
            "--replace", action="store_true", help=f"Drop the organisation '{SCALE_SLUG}' first if it exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        projects = options["projects"] or SCALES[options["scale"]]
        if projects < 10:
            raise CommandError("--projects must be at least 10.")
        size = Size.for_projects(projects)
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A maintenance job, not a request: the per-statement budget of web requests does not apply.
                cursor.execute("SET statement_timeout = 0")
        with transaction.atomic():
            existing = Organisation.objects.filter(slug=SCALE_SLUG).first()
            if existing is not None:
                if not options["replace"]:
                    raise CommandError(
                        f"The organisation '{SCALE_SLUG}' exists already: "
                        "run with --replace to drop and rebuild it."
                    )
                t0 = time.perf_counter()
                dropped = drop_organisation(existing)
                took = time.perf_counter() - t0
                self.stdout.write(
                    f"Dropped the old '{SCALE_SLUG}' trust ({dropped:,} projects) in {took:.1f} s."
                )
            self.stdout.write(
                f"Building the '{SCALE_SLUG}' trust: {size.projects:,} projects, {size.points:,} data points."
            )
            builder = ScaleTrust(size, options["seed"], self.stdout)
            builder.build()
        loaded = time.perf_counter() - started
        call_command("reindex", organisation=SCALE_SLUG, stdout=self.stdout)
        self._refresh_statistics()
        self._summary(builder, loaded, time.perf_counter() - started)

    def _refresh_statistics(self) -> None:
        """A bulk load leaves the planner's statistics describing empty tables (and, on PostgreSQL, dead row
        versions behind): without fresh ones it picks nested loops and sequential scans that make the
        first hours of a real trust look slow. Autovacuum would get there; a benchmark cannot wait."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # VACUUM cannot run inside a transaction (a test's, say); ANALYZE alone still fixes the plans.
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(f"Planner statistics refreshed in {time.perf_counter() - started:.1f} s.")

    def _summary(self, builder: ScaleTrust, loaded: float, total: float) -> None:
        self.stdout.write("Built:")
        for label, count in builder.counts.items():
            self.stdout.write(f"  {count:>10,}  {label}")
        self.stdout.write(
            f"Known accounts: {ADMIN_EMAIL} (QI team admin), {MEMBER_EMAIL} (member of four teams)."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale trust ready in {total:.1f} s ({loaded:.1f} s loading, the rest indexing)."
            )
        )
