"""Coaching demo data (called by seed_demo after the projects and measures exist): Dan Okafor, the QI
coach embedded in the addictions service, with his caseload (the talking-therapies project and the two
addictions projects), a year of coaching sessions with the actions agreed in them, five ideas from
colleagues in every triage state (the naloxone idea became the second addictions project), and two months
of sponsor updates sent to Helen Marsh.

Idempotent: rows are found by what identifies them and only added when missing. Nothing is e-mailed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqi.accounts.models import User
from openqi.coaching import report
from openqi.coaching.models import (
    CoachingSession,
    Idea,
    IdeaStatus,
    SessionKind,
    SponsorUpdate,
    SponsorUpdateProject,
    UpdateStatus,
)
from openqi.meetings.models import Action
from openqi.organisations.models import Membership, Organisation, Service
from openqi.projects import demo as project_demo
from openqi.projects.models import Project, TeamMember, TeamRole

# Colleagues in the addictions service who bring ideas (besides the demo people seed_demo makes).
EXTRA_PEOPLE = [
    ("peer.mentor@northshire.nhs.uk", "Chris Lewis"),
    ("addictions.nurse@northshire.nhs.uk", "Fatima Begum"),
]


def _person(email: str) -> User:
    user = User.objects.get_by_email(email)
    assert user is not None, f"demo person {email} is missing: run seed_demo"
    return user


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed(org: Organisation) -> None:
    """Idempotent: running it again keeps what exists and adds only what is missing."""
    for email, name in EXTRA_PEOPLE:
        user = User.objects.get_by_email(email) or User.objects.create_user(email=email, name=name)
        Membership.objects.get_or_create(organisation=org, user=user, defaults={"roles": []})
    coach = _person("coach@northshire.nhs.uk")
    projects = {p.title: p for p in Project.objects.filter(organisation=org)}
    talking = projects.get(project_demo.TALKING_THERAPIES)
    missed = projects.get(project_demo.MISSED_APPOINTMENTS)
    naloxone = projects.get(project_demo.NALOXONE)
    if naloxone is not None:
        # The idea Lena brought became this project; Dan coaches it.
        TeamMember.objects.get_or_create(
            project=naloxone,
            user=coach,
            role=TeamRole.COACH,
            left_on=None,
            defaults={"joined_on": dt.date(2026, 11, 2)},
        )
    _ideas(org, coach, naloxone)
    if talking is not None:
        _talking_therapies_sessions(talking, coach)
    if missed is not None:
        _missed_appointment_sessions(missed, coach)
    if talking is not None:
        _sponsor_updates(org, coach, [p for p in (talking, missed) if p is not None])


def _ideas(org: Organisation, coach: User, naloxone: Project | None) -> None:
    service = Service.objects.filter(
        directorate__organisation=org, name="Addictions Community Service"
    ).first()
    triaged = timezone.make_aware(dt.datetime(2026, 11, 2, 11))
    ideas = [
        (
            "recovery.worker@northshire.nhs.uk",
            "Naloxone at every assessment",
            "Naloxone kits are not offered at every assessment; it depends who does the assessment.",
            "People at risk of overdose, and their families.",
            "A prompt in the assessment form, and kits kept in every clinic room.",
            IdeaStatus.PROJECT,
            "A clear gap with data we already collect: let's make it a project.",
            naloxone,
        ),
        (
            "administrator@northshire.nhs.uk",
            "A welcome call before the first appointment",
            "People do not know what to expect at their first appointment and some do not come.",
            "People newly referred to the service.",
            "A short call from the admin team two days before, saying who they will meet and where.",
            IdeaStatus.TALKING,
            "Fits the missed-appointments project: come to its next team meeting?",
            None,
        ),
        (
            "peer.mentor@northshire.nhs.uk",
            "A peer mentor at the door on group days",
            "The first group session feels daunting; people turn round at the door.",
            "People starting recovery groups.",
            "A peer mentor meets people at reception and walks in with them.",
            IdeaStatus.NEW,
            "",
            None,
        ),
        (
            "addictions.nurse@northshire.nhs.uk",
            "Appointment texts in plain English",
            "Our appointment texts are long and use clinic codes.",
            "Everyone who gets an appointment text.",
            "Rewrite the texts with people who use the service.",
            IdeaStatus.PARKED,
            "Parked until the text system contract is renewed in April.",
            None,
        ),
        (
            "addictions.nurse@northshire.nhs.uk",
            "Open the clinic on Saturday mornings",
            "Some people cannot come on weekdays because of work.",
            "People in work who use the service.",
            "Open the clinic on Saturday mornings.",
            IdeaStatus.DECLINED,
            "Staffing and opening hours are the service manager's decision, not a QI test: I have passed it on.",
            None,
        ),
    ]
    for email, title, problem, affects, could_try, status, note, project in ideas:
        Idea.objects.get_or_create(
            organisation=org,
            title=title,
            defaults={
                "service": service,
                "coach": coach,
                "brought_by": _person(email),
                "problem": problem,
                "affects": affects,
                "could_try": could_try,
                "status": status,
                "triage_note": note,
                "triaged_by": coach if status != IdeaStatus.NEW else None,
                "triaged_at": triaged if status != IdeaStatus.NEW else None,
                "project": project,
                "created_at": triaged - dt.timedelta(days=10),
            },
        )


def _session(
    project: Project,
    coach: User,
    day: dt.date,
    kind: str,
    people: list[str],
    shared: str,
    private: str,
    actions: list[tuple[str, str, int, bool]],
    next_on: dt.date | None = None,
) -> None:
    """One session; its actions are (description, owner's e-mail, days until due, done)."""
    if project.coaching_sessions.filter(held_on=day, kind=kind).exists():
        return
    session = CoachingSession.objects.create(
        project=project,
        coach=coach,
        held_on=day,
        kind=kind,
        shared_notes=shared,
        private_notes=private,
        next_on=next_on,
        next_time=dt.time(10) if next_on else None,
        created_at=_at(day, 15),
    )
    session.participants.set([_person(email) for email in people])
    for description, owner, days, done in actions:
        due = day + dt.timedelta(days=days)
        action = Action.objects.create(
            project=project,
            description=description,
            owner=_person(owner),
            due_on=due,
            done_on=due if done else None,
            created_by=coach,
        )
        session.actions.add(action)


def _talking_therapies_sessions(project: Project, coach: User) -> None:
    aisha, grace, sam = (
        "practitioner@northshire.nhs.uk",
        "pwp.lead@northshire.nhs.uk",
        "sam.taylor.partner@example.com",
    )
    today = timezone.localdate()
    sessions = [
        (
            dt.date(2025, 10, 13),
            SessionKind.ONE_TO_ONE,
            [grace],
            "Charter drafted; agreed to bring baseline data to the next team meeting.",
            "Grace is keen but short of protected time; raise with Helen.",
            [("Pull two years of completion data from the dashboard", grace, 14, True)],
        ),
        (
            dt.date(2025, 11, 10),
            SessionKind.TEAM,
            [grace, aisha, sam],
            "Process map of step 2 done together; Sam's view of the first contact changed the map.",
            "",
            [("Write up the process map for the story log", aisha, 7, True)],
        ),
        (
            dt.date(2025, 12, 8),
            SessionKind.TEAM,
            [grace, aisha, sam],
            "Driver diagram drafted. First change idea to test: a text reminder the day before.",
            "Team energy good. Check the data lead has time for weekly updates.",
            [("Plan the first reminder PDSA with a prediction", aisha, 10, True)],
        ),
        (
            dt.date(2026, 1, 19),
            SessionKind.ONE_TO_ONE,
            [grace],
            "Reviewed the first PDSA: adapt and test with two more clinics.",
            "Grace mentioned she may move to the step 3 pathway in spring; plan the handover early.",
            [("Ask Aisha if she would co-lead the next cycles", grace, 14, True)],
        ),
        (
            dt.date(2026, 3, 2),
            SessionKind.FORUM_PREP,
            [grace, aisha],
            "Prepared the forum slides: the run chart shows six points above the median.",
            "",
            [("Send the slides to the forum secretary", aisha, 5, True)],
        ),
        (
            dt.date(2026, 4, 13),
            SessionKind.ONE_TO_ONE,
            [aisha],
            "First 1:1 with Aisha as lead: agreed the monthly rhythm and what good looks like by the summer.",
            "Aisha is confident with the data; coach her on chairing the team meeting.",
            [("Book team meetings to the end of the year", aisha, 7, True)],
        ),
        (
            dt.date(2026, 6, 15),
            SessionKind.TEAM,
            [aisha, sam],
            "Completion above 50% for eight weeks. Next: same-day calls after a missed session.",
            "",
            [("Draft the same-day call script with Sam", aisha, 14, True)],
        ),
        (
            dt.date(2026, 9, 7),
            SessionKind.ONE_TO_ONE,
            [aisha],
            "Same-day calls in every clinic. Start planning how to sustain: who owns the reminders?",
            "Sustainability risk: the reminders depend on one administrator.",
            [("Write the reminder process into the team's standard work", aisha, 21, False)],
        ),
        (
            min(today - dt.timedelta(days=9), dt.date(2026, 11, 16)),
            SessionKind.TEAM,
            [aisha, sam],
            "Reviewed the score (3.5) and the balancing measure: staff time per call is steady.",
            "",
            [
                ("Share the results with the perinatal team", aisha, 21, False),
                ("Ask Helen for time at the directorate meeting", "coach@northshire.nhs.uk", 14, False),
            ],
        ),
    ]
    for index, (day, kind, people, shared, private, actions) in enumerate(sessions):
        next_on = sessions[index + 1][0] if index + 1 < len(sessions) else today + dt.timedelta(days=21)
        _session(project, coach, day, kind, people, shared, private, actions, next_on=next_on)


def _missed_appointment_sessions(project: Project, coach: User) -> None:
    lena = "recovery.worker@northshire.nhs.uk"
    _session(
        project,
        coach,
        dt.date(2026, 10, 6),
        SessionKind.ONE_TO_ONE,
        [lena],
        "Turned Lena's idea into a charter: aim, measures and who to invite to the team.",
        "First QI project for Lena: pair her with a peer mentor.",
        [("Invite a peer mentor and Tom (admin) to the team", lena, 14, True)],
    )
    _session(
        project,
        coach,
        dt.date(2026, 10, 20),
        SessionKind.DROP_IN,
        [lena],
        "Drop-in: how to count missed first appointments from the booking system.",
        "",
        [("Draft the operational definition of a missed first appointment", lena, 14, False)],
        next_on=timezone.localdate() + dt.timedelta(days=14),
    )


def _sponsor_updates(org: Organisation, coach: User, projects: list[Project]) -> None:
    sponsor = _person("sponsor@northshire.nhs.uk")
    this_month = timezone.localdate().replace(day=1)
    previous = (this_month - dt.timedelta(days=1)).replace(day=1)
    before = (previous - dt.timedelta(days=1)).replace(day=1)
    sponsored = [p for p in projects if p.team.filter(user=sponsor, role=TeamRole.SPONSOR).exists()]
    for month, needs in (
        (before, "Protected time for Aisha to write up the same-day call process."),
        (previous, "Ten minutes at the directorate meeting to share the results with the perinatal team."),
    ):
        update, created = SponsorUpdate.objects.get_or_create(
            organisation=org,
            sponsor=sponsor,
            prepared_by=coach,
            month=month,
            defaults={
                "status": UpdateStatus.SENT,
                "introduction": f"Helen, here is {month:%B}'s update on the projects you sponsor.",
                "needs": needs,
                "sent_at": min(_at(report.month_end(month) + dt.timedelta(days=3)), timezone.now()),
                "sent_by": coach,
            },
        )
        if not created:
            continue
        for position, project in enumerate(sponsored):
            SponsorUpdateProject.objects.create(
                update=update,
                project=project,
                position=position,
                facts=report.facts_for(project, month),
                coach_note="Steady progress: the team is now planning how to sustain the change.",
            )
