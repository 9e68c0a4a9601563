"""Involvement demo data (called by seed_demo after the projects and measures exist): Sam Taylor, the
service-user partner on the talking-therapies project, with a completed onboarding checklist, an
involvement log of approved, pending, queried and time-only entries, and the team's start and midway
co-production reflections."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqi.accounts.models import User
from openqi.involvement import services
from openqi.involvement.models import Activity, CoproductionReflection, OnboardingItem, ReflectionStage
from openqi.organisations.models import Organisation
from openqi.projects.demo import START, TALKING_THERAPIES
from openqi.projects.models import Project

PARTNER = "sam.taylor.partner@example.com"
SPONSOR = "sponsor@northshire.nhs.uk"
LEAD = "practitioner@northshire.nhs.uk"
COACH = "coach@northshire.nhs.uk"


def seed(org: Organisation) -> None:
    """Idempotent: running it again keeps what exists and adds only what is missing."""
    project = Project.objects.filter(organisation=org, title=TALKING_THERAPIES).first()
    partner = User.objects.get_by_email(PARTNER)
    sponsor = User.objects.get_by_email(SPONSOR)
    lead = User.objects.get_by_email(LEAD)
    coach = User.objects.get_by_email(COACH)
    if project is None or partner is None or sponsor is None or lead is None or coach is None:
        return
    services.payment_settings_for(org)  # the default bands, shown and editable on the settings page
    _onboarding(project, partner, named_contact=lead, by=coach)
    _involvement_log(project, partner, sponsor=sponsor, lead=lead)
    _reflections(project, by=coach)


def _onboarding(project: Project, partner: User, *, named_contact: User, by: User) -> None:
    checklist = services.onboarding_for(project, partner)
    if checklist.pk is not None:
        return
    values: dict[str, object] = dict.fromkeys(OnboardingItem.values, True)
    values["named_contact"] = named_contact
    services.save_onboarding(checklist, values, expected_version=None, by=by)


def _tuesdays_before(day: dt.date, count: int) -> list[dt.date]:
    last = day - dt.timedelta(days=(day.weekday() - 1) % 7 or 7)
    return [last - dt.timedelta(weeks=n) for n in range(count)]


def _involvement_log(project: Project, partner: User, *, sponsor: User, lead: User) -> None:
    """Six weeks of the weekly team meeting (2.5 hours each, £20), preparation, a training morning and an
    event: the older claims approved, one queried, last week's waiting for the sponsor."""
    if project.involvement_entries.filter(partner=partner).exists():
        return
    tuesdays = _tuesdays_before(timezone.localdate(), 6)  # newest first
    log: list[tuple[dt.date, str, int, str, str, User]] = [
        # (day, activity, minutes, note, what happens, logged by)
        (
            tuesdays[5],
            Activity.TRAINING,
            210,
            "Introduction to QI for service users and carers",
            "approve",
            partner,
        ),
        (tuesdays[4], Activity.MEETING, 150, "Weekly team meeting", "approve", partner),
        (
            tuesdays[4] - dt.timedelta(days=1),
            Activity.PREPARATION,
            60,
            "Read the papers and the run chart",
            "approve",
            partner,
        ),
        (tuesdays[3], Activity.MEETING, 150, "Weekly team meeting", "approve", lead),
        (tuesdays[2], Activity.MEETING, 150, "Weekly team meeting", "approve", partner),
        (
            tuesdays[2] + dt.timedelta(days=2),
            Activity.EVENT,
            90,
            "Spoke at the directorate QI forum",
            "query",
            partner,
        ),
        (tuesdays[1], Activity.MEETING, 150, "Weekly team meeting", "approve", partner),
        (
            tuesdays[1] + dt.timedelta(days=1),
            Activity.PREPARATION,
            45,
            "Drafted the leaflet wording with Aisha",
            "none",
            partner,
        ),
        (tuesdays[0], Activity.MEETING, 150, "Weekly team meeting", "pending", partner),
        (
            tuesdays[0] - dt.timedelta(days=1),
            Activity.PREPARATION,
            60,
            "Read the papers for the team meeting",
            "pending",
            partner,
        ),
    ]
    for day, activity, minutes, note, outcome, by in log:
        meeting = project.meetings.filter(start__date=day).first() if activity == Activity.MEETING else None
        entry = services.log_involvement(
            project,
            partner=partner,
            occurred_on=day,
            activity=activity,
            minutes=minutes,
            note=note,
            claim=outcome != "none",
            meeting=meeting,
            by=by,
        )
        if outcome == "approve":
            services.decide(entry, approve=True, by=sponsor)
        elif outcome == "query":
            services.decide(
                entry,
                approve=False,
                query="Was this the forum on Thursday afternoon? The forum paper says 2 hours: please check the time.",
                by=sponsor,
            )


def _reflections(project: Project, *, by: User) -> None:
    answers = {
        ReflectionStage.START: (
            START,
            {"shared_power": 2, "whole_life_skills": 2, "training": 1, "communication": 2, "support": 3},
            "Sam has no NHS e-mail: send papers to a personal address and test the video link with Sam before "
            "each meeting. Book the introduction to QI for Sam before the first PDSA cycle.",
        ),
        ReflectionStage.MID: (
            START + dt.timedelta(weeks=32),
            {"shared_power": 3, "whole_life_skills": 4, "training": 3, "communication": 3, "support": 3},
            "Sam now co-chairs the weekly meeting and wrote the reminder text. Next: Sam to present at the "
            "showcase; agree cover when Sam cannot attend.",
        ),
    }
    for stage, (day, scores, actions) in answers.items():
        if project.coproduction_reflections.filter(stage=stage).exists():
            continue
        services.save_reflection(
            CoproductionReflection(project=project, stage=stage),
            {"recorded_on": day, **scores, "actions": actions},
            expected_version=None,
            by=by,
        )
