"""Learning demo data (called by seed_demo after the projects and measures exist): the trust's QI training
pathway with past and current cohorts, registers and feedback, and the talking-therapies (LI CBT) team's
own story in it:

- Tom Reid (administrator, the project's data lead) did Pocket QI after his team's Enjoying Work project,
  and is now enrolled on the next Improvement Leaders' Programme wave;
- Aisha Khan took Pocket QI when she took over as lead (March 2026);
- Aisha and Sam Taylor (service-user partner) went to the Learn and Apply series together;
- Grace Bennett, the first lead, finished ILP wave 8; Dan Okafor (coach) finished the coaching programme.

Idempotent: a cohort's people, registers and feedback are added only when the cohort is first made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openqi.accounts.models import User
from openqi.learning import services
from openqi.learning.models import (
    Attendance,
    Audience,
    Cohort,
    CohortTeam,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Group,
    Programme,
    ProgrammeKind,
    Session,
)
from openqi.organisations.models import Directorate, Membership, Organisation
from openqi.projects.models import Lifecycle, Project, TeamMember, TeamRole, Visibility

ADMIN = "qi.admin@northshire.nhs.uk"
COACH = "coach@northshire.nhs.uk"
LEAD = "practitioner@northshire.nhs.uk"
FIRST_LEAD = "pwp.lead@northshire.nhs.uk"
ADMINISTRATOR = "administrator@northshire.nhs.uk"
PARTNER = "sam.taylor.partner@example.com"
RECOVERY_WORKER = "recovery.worker@northshire.nhs.uk"

# Learners beyond the demo people, so cohorts and reports have believable numbers.
EXTRA_LEARNERS: list[tuple[str, str, str]] = [
    ("nurse.ward3@northshire.nhs.uk", "Chloe Adams", Group.STAFF),
    ("ot.community@northshire.nhs.uk", "Marcus Lee", Group.STAFF),
    ("psychologist@northshire.nhs.uk", "Fatima Hussain", Group.STAFF),
    ("hca.perinatal@northshire.nhs.uk", "Jo Whitfield", Group.STAFF),
    ("team.manager@northshire.nhs.uk", "Owen Price", Group.STAFF),
    ("carer.rep@example.com", "Pat Morgan", Group.PARTNER),
    ("peer.mentor@example.org", "Alex Rivers", Group.PARTNER),
]

PROGRAMMES: list[dict[str, Any]] = [
    {
        "name": "Enjoying Work",
        "audience": Audience.STAFF,
        "kind": ProgrammeKind.TEAM,
        "length": "9 months, in cohorts of teams",
        "prepares_for": "Teams improve their own experience of work (IHI Joy in Work), each with a project.",
        "position": 0,
        "completion_percent": 75,
    },
    {
        "name": "Introduction to QI for service users and carers",
        "short_name": "Introduction to QI",
        "audience": Audience.PARTNERS,
        "length": "Half a day",
        "prepares_for": "Joining a project team as a partner: what QI is, how a project runs, what partners do.",
        "position": 1,
        "completion_percent": 100,
    },
    {
        "name": "Pocket QI",
        "audience": Audience.BOTH,
        "length": "Two half days",
        "prepares_for": "Taking part in a project: the Model for Improvement, aims, measures and PDSA cycles.",
        "position": 2,
        "completion_percent": 100,
    },
    {
        "name": "QI tools: Learn and Apply",
        "short_name": "Learn and Apply",
        "audience": Audience.BOTH,
        "length": "A series of one-hour sessions",
        "prepares_for": "Using one tool at a time on your own project: process maps, run charts, PDSA.",
        "position": 3,
        "completion_percent": 60,
    },
    {
        "name": "Improvement Leaders' Programme",
        "short_name": "ILP",
        "audience": Audience.BOTH,
        "length": "6 months, in waves of up to 150",
        "prepares_for": "Leading a project from aim to sustained improvement.",
        "position": 4,
        "completion_percent": 80,
    },
    {
        "name": "Improvement Coaching Programme",
        "audience": Audience.BOTH,
        "length": "6 months, a cohort each year",
        "prepares_for": "Coaching several project teams: method, data, PDSA and sponsor updates.",
        "position": 5,
        "completion_percent": 80,
        "prepares_coaches": True,
    },
]
ILP_SESSIONS = [
    "Launch: the Model for Improvement",
    "Aims and driver diagrams",
    "Measurement for improvement",
    "Testing changes with PDSA cycles",
    "Sustain, spread and showcase",
]
PATHWAY = [
    ("Introduction to QI for service users and carers", "Pocket QI"),
    ("Enjoying Work", "Pocket QI"),
    ("Pocket QI", "QI tools: Learn and Apply"),
    ("QI tools: Learn and Apply", "Improvement Leaders' Programme"),
    ("Improvement Leaders' Programme", "Improvement Coaching Programme"),
]


def _person(email: str, name: str = "", org: Organisation | None = None, *, guest: bool = False) -> User:
    user = User.objects.get_by_email(email)
    if user is None:
        user = User.objects.create_user(email=email, name=name)
    if org is not None:
        Membership.objects.get_or_create(organisation=org, user=user, defaults={"is_guest": guest})
    return user


def seed(org: Organisation) -> None:
    """Idempotent: running it again keeps what exists and adds only what is missing."""
    programmes = _programmes(org)
    for email, name, group in EXTRA_LEARNERS:
        _person(email, name, org, guest=group == Group.PARTNER)
    admin = _person(ADMIN)
    today = timezone.localdate()
    primary = Directorate.objects.filter(organisation=org, name="Primary Care Mental Health").first()
    community = Directorate.objects.filter(organisation=org, name="Community and Addictions").first()
    staff = [_person(e) for e, _n, g in EXTRA_LEARNERS if g == Group.STAFF]
    partners = [_person(e) for e, _n, g in EXTRA_LEARNERS if g == Group.PARTNER]

    ew = programmes["Enjoying Work"]
    cohort3 = _cohort(ew, "Cohort 3", dt.date(2025, 1, 15), dt.date(2025, 9, 24), [ADMIN])
    if cohort3:
        people = [
            (_person(ADMINISTRATOR), Group.STAFF, primary),
            *[(u, Group.STAFF, primary) for u in staff[:2]],
        ]
        _run(cohort3, people, [dt.date(2025, 1, 15), dt.date(2025, 4, 16), dt.date(2025, 9, 24)], by=admin)
        project = _team_project(
            org,
            "Protected breaks for the wellbeing service admin team",
            [(ADMINISTRATOR, TeamRole.LEAD)],
            Lifecycle.COMPLETED,
            Decimal("4.0"),
            dt.date(2025, 1, 20),
        )
        CohortTeam.objects.get_or_create(cohort=cohort3, name="Wellbeing service admin team", project=project)
    cohort4 = _cohort(ew, "Cohort 4", dt.date(2026, 9, 16), dt.date(2027, 6, 16), [ADMIN])
    if cohort4:
        _run(
            cohort4,
            [(staff[3], Group.STAFF, primary), (staff[4], Group.STAFF, community)],
            [dt.date(2026, 9, 16), dt.date(2027, 1, 20), dt.date(2027, 6, 16)],
            by=admin,
        )
        project = _team_project(
            org,
            "Enjoying work in the perinatal team",
            [("hca.perinatal@northshire.nhs.uk", TeamRole.LEAD), (COACH, TeamRole.COACH)],
            Lifecycle.ACTIVE,
            Decimal("1.5"),
            dt.date(2026, 9, 21),
        )
        CohortTeam.objects.get_or_create(cohort=cohort4, name="Perinatal team", project=project)

    intro = programmes["Introduction to QI for service users and carers"]
    autumn = _cohort(intro, "Autumn 2026", dt.date(2026, 10, 14), None, [COACH])
    if autumn:
        _run(autumn, [(u, Group.PARTNER, None) for u in partners], [dt.date(2026, 10, 14)], by=admin)
    _cohort(intro, "January 2027", today + dt.timedelta(days=44), None, [COACH])

    pocket = programmes["Pocket QI"]
    run2025 = _cohort(pocket, "November 2025", dt.date(2025, 11, 5), dt.date(2025, 11, 12), [ADMIN])
    if run2025:
        _run(
            run2025,
            [(_person(ADMINISTRATOR), Group.STAFF, primary), (staff[2], Group.STAFF, community)],
            [dt.date(2025, 11, 5), dt.date(2025, 11, 12)],
            by=admin,
        )
    spring = _cohort(pocket, "April 2026", dt.date(2026, 4, 15), dt.date(2026, 4, 22), [ADMIN])
    if spring:
        _run(
            spring,
            [
                (_person(LEAD), Group.STAFF, primary),
                (staff[0], Group.STAFF, community),
                (partners[0], Group.PARTNER, None),
            ],
            [dt.date(2026, 4, 15), dt.date(2026, 4, 22)],
            by=admin,
        )
    february = _cohort(pocket, "February 2027", today + dt.timedelta(days=70), None, [ADMIN])
    if february:
        services.request_place(
            february, user=_person(RECOVERY_WORKER), group=Group.STAFF, directorate=community, by=admin
        )

    learn = programmes["QI tools: Learn and Apply"]
    series = _cohort(learn, "2026 series", dt.date(2026, 5, 13), dt.date(2026, 7, 8), [COACH])
    if series:
        _run(
            series,
            [
                (_person(LEAD), Group.STAFF, primary),
                (_person(PARTNER), Group.PARTNER, None),
                (staff[1], Group.STAFF, community),
            ],
            [dt.date(2026, 5, 13), dt.date(2026, 6, 10), dt.date(2026, 7, 8)],
            by=admin,
            titles=["Process mapping", "Run charts", "PDSA cycles"],
            misses=staff[1],
        )

    _cohort(learn, "2027 series", today + dt.timedelta(days=63), today + dt.timedelta(days=180), [COACH])

    ilp = programmes["Improvement Leaders' Programme"]
    wave8 = _cohort(ilp, "Wave 8", dt.date(2025, 9, 10), dt.date(2026, 3, 11), [ADMIN, COACH], capacity=150)
    if wave8:
        _run(
            wave8,
            [
                (_person(FIRST_LEAD), Group.STAFF, primary),
                *[(u, Group.STAFF, community) for u in staff[:3]],
                (partners[1], Group.PARTNER, None),
            ],
            [dt.date(2025, 9, 10) + dt.timedelta(weeks=5 * n) for n in range(5)],
            by=admin,
            misses=partners[1],
            titles=ILP_SESSIONS,
        )
    wave9 = _cohort(
        ilp,
        "Wave 9",
        today + dt.timedelta(days=50),
        today + dt.timedelta(days=230),
        [ADMIN, COACH],
        capacity=150,
    )
    if wave9:
        services.enrol(wave9, user=_person(ADMINISTRATOR), group=Group.STAFF, directorate=primary, by=admin)

    coaching = programmes["Improvement Coaching Programme"]
    y2025 = _cohort(coaching, "2025 cohort", dt.date(2025, 2, 5), dt.date(2025, 7, 30), [ADMIN], capacity=12)
    if y2025:
        _run(
            y2025,
            [(_person(COACH), Group.STAFF, primary), (staff[4], Group.STAFF, community)],
            [dt.date(2025, 2, 5) + dt.timedelta(weeks=6 * n) for n in range(4)],
            by=admin,
        )
    _cohort(
        coaching,
        "2027 cohort",
        today + dt.timedelta(days=90),
        today + dt.timedelta(days=270),
        [ADMIN],
        capacity=12,
    )


def _programmes(org: Organisation) -> dict[str, Programme]:
    made = {}
    for values in PROGRAMMES:
        fields = dict(values)
        programme, _ = Programme.objects.get_or_create(
            organisation=org, name=fields.pop("name"), defaults=fields
        )
        made[programme.name] = programme
    for before, after in PATHWAY:
        made[before].next_programmes.add(made[after])
    return made


def _cohort(
    programme: Programme,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    facilitators: list[str],
    *,
    capacity: int = 20,
) -> Cohort | None:
    """The cohort if it is new (so its people and sessions are added once), else None."""
    if programme.cohorts.filter(name=name).exists():
        return None
    cohort = Cohort.objects.create(
        programme=programme, name=name, starts_on=starts_on, ends_on=ends_on, capacity=capacity
    )
    cohort.facilitators.set([_person(email) for email in facilitators])
    return cohort


# Feedback patterns, cycled through learners: (useful, rating, usefulness, comment).
_FEEDBACK = [
    (True, 5, 5, "Seeing a real project's run chart made it click."),
    (True, 4, 4, ""),
    (True, 4, 5, "More time for questions, please."),
    (False, 2, 3, "Too fast for a first session."),
    (True, 5, 4, ""),
    (True, 3, 4, "Useful, but the room was too small."),
    (True, 4, 4, ""),
    (True, 5, 5, "Working on our own project in the session was the best part."),
    (True, 4, 3, ""),
    (False, 3, 2, "I could not hear the online group well."),
    (True, 5, 4, ""),
    (True, 4, 4, "The PDSA worksheet will help with our next cycle."),
]


def _run(
    cohort: Cohort,
    people: Sequence[tuple[User, str, Any]],
    dates: list[dt.date],
    *,
    by: User,
    titles: list[str] | None = None,
    misses: User | None = None,
) -> None:
    """People enrolled, sessions held (those in the past with a register and feedback)."""
    today = timezone.localdate()
    enrolments = [
        Enrolment.objects.create(
            cohort=cohort,
            user=user,
            group=group,
            directorate=directorate,
            status=EnrolmentStatus.ENROLLED,
            requested_at=timezone.make_aware(dt.datetime.combine(cohort.starts_on or today, dt.time(9)))
            - dt.timedelta(days=21),
        )
        for user, group, directorate in people
    ]
    sessions = [
        Session.objects.create(
            cohort=cohort,
            title=(titles[n] if titles else f"Session {n + 1}"),
            date=day,
            starts_at=dt.time(10, 0),
            ends_at=dt.time(12, 30),
            place="Online" if n % 2 else "Learning Centre, Northshire House",
            video_link="https://meet.example.nhs.uk/qi-learning" if n % 2 else "",
        )
        for n, day in enumerate(dates)
    ]
    turn = 0
    for n, session in enumerate(sessions):
        if session.date > today:
            continue
        # Everyone comes, except that `misses` names one learner who missed the second session.
        present = [e.pk for e in enrolments if not (n == 1 and e.user == misses)]
        services.take_register(session, present, by=by)
        for enrolment in enrolments:
            if (
                enrolment.pk not in present
                or Attendance.objects.filter(session=session, enrolment=enrolment, present=False).exists()
            ):
                continue
            useful, rating, usefulness, comment = _FEEDBACK[turn % len(_FEEDBACK)]
            turn += 1
            Feedback.objects.get_or_create(
                session=session,
                enrolment=enrolment,
                defaults={"useful": useful, "rating": rating, "usefulness": usefulness, "comment": comment},
            )


def _team_project(
    org: Organisation,
    title: str,
    team: list[tuple[str, str]],
    lifecycle: str,
    score: Decimal,
    start: dt.date,
) -> Project:
    """A small Enjoying Work project, so cohort teams link to real projects with progress scores."""
    project, created = Project.objects.get_or_create(
        organisation=org,
        title=title,
        defaults={
            "lifecycle": lifecycle,
            "progress_score": score,
            "start_date": start,
            "visibility": Visibility.ORGANISATION,
            "aim_what": "Improve how the team rates its experience of work",
            "aim_for_whom": "the team's staff",
        },
    )
    if created:
        for email, role in team:
            TeamMember.objects.create(
                project=project,
                user=_person(email),
                role=role,
                joined_on=start,
                left_on=dt.date(2025, 9, 30) if lifecycle == Lifecycle.COMPLETED else None,
            )
    return project
