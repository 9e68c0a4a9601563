"""Demo projects for the demo trust (DOMAIN.md): a talking-therapies project a year in, told through its
record, team (with a change of lead part-way), driver diagram, PDSA ramps, progress reviews and story log,
and two early-stage projects in the addictions service.

Idempotent: each part is added only where it is missing, so people's own demo changes survive a re-run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openqi.accounts.models import User
from openqi.organisations.models import Organisation, Service, StrategicPriority
from openqi.projects.models import (
    ActDecision,
    ChangeIdea,
    CoproductionLevel,
    Driver,
    LeadHandover,
    Lifecycle,
    LifecycleChange,
    PDSACycle,
    PreviousLead,
    ProgressScoreChange,
    Project,
    StoryCategory,
    StoryEntry,
    TeamMember,
    TeamRole,
    Visibility,
)

TALKING_THERAPIES = "Increasing completion of Low Intensity CBT"
MISSED_APPOINTMENTS = "Fewer missed first appointments in the addictions service"
NALOXONE = "Naloxone offered at every assessment"
PRIORITIES = [
    "Access and waiting times",
    "Co-production with service users",
    "Reducing harm",
    "Staff wellbeing",
]

START = dt.date(2025, 10, 6)  # the talking-therapies project's first team meeting (a Monday)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _person(email: str) -> User:
    user = User.objects.get_by_email(email)
    assert user is not None, f"demo person {email} is missing: run seed_demo"
    return user


def seed(org: Organisation) -> list[Project]:
    for name in PRIORITIES:
        StrategicPriority.objects.get_or_create(organisation=org, name=name)
    return [_talking_therapies(org), *_addictions(org)]


def _service(org: Organisation, name: str) -> Service:
    return Service.objects.get(directorate__organisation=org, name=name)


def _project(org: Organisation, title: str, service: Service, **fields: Any) -> tuple[Project, bool]:
    project, created = Project.objects.get_or_create(
        organisation=org,
        title=title,
        defaults={"service": service, "directorate": service.directorate, **fields},
    )
    return project, created


def _team(project: Project, stints: list[tuple[str, str, dt.date, dt.date | None, bool]]) -> None:
    if project.team.exists():
        return
    for email, role, joined, left, public in stints:
        TeamMember.objects.create(
            project=project,
            user=_person(email),
            role=role,
            joined_on=joined,
            left_on=left,
            show_name_publicly=public,
        )


def _handover(project: Project, *, new_lead: User, previous: User, on: dt.date, by: User) -> None:
    """The change of lead as the team page's "Hand over the lead" records it (the stints are in _team)."""
    LeadHandover.objects.get_or_create(
        project=project,
        new_lead=new_lead,
        previous_lead=previous,
        handed_over_on=on,
        defaults={
            "previous_lead_becomes": PreviousLead.LEAVES,
            "note": "Grace moves to the new step 3 pathway; Aisha has run the reminder tests since January.",
            "recorded_by": by,
            "recorded_at": _at(on),
        },
    )


def _lifecycle(project: Project, steps: list[tuple[str, str, dt.date, str]], by: User) -> None:
    if project.lifecycle_changes.exists():
        return
    for from_state, to_state, day, note in steps:
        LifecycleChange.objects.create(
            project=project,
            from_state=from_state,
            to_state=to_state,
            note=note,
            changed_by=by,
            changed_at=_at(day),
        )


def _scores(project: Project, reviews: list[tuple[str, dt.date, str]], by: User) -> None:
    if project.score_changes.exists():
        return
    previous = None
    for score, day, note in reviews:
        ProgressScoreChange.objects.create(
            project=project,
            score=Decimal(score),
            previous_score=previous,
            note=note,
            changed_by=by,
            changed_at=_at(day),
        )
        previous = Decimal(score)
    last_score, last_day, _ = reviews[-1]
    Project.objects.filter(pk=project.pk).update(
        progress_score=Decimal(last_score), progress_reviewed_at=_at(last_day)
    )


def _talking_therapies(org: Organisation) -> Project:
    service = _service(org, "Talking Therapies Wellbeing Service")
    today = timezone.localdate()
    project, _ = _project(
        org,
        TALKING_THERAPIES,
        service,
        problem=(
            "Fewer than half of the people who start Low Intensity CBT in the wellbeing service complete their "
            "course. The service dashboard shows completion between 40% and 50% for two years. People who "
            "drop out tell us sessions clash with work and caring, and that they did not know what to expect."
        ),
        aim_what="Increase the percentage of service users who complete Low Intensity CBT",
        aim_for_whom="adults discharged from step 2 of the wellbeing service",
        aim_baseline="45%",
        aim_target="60%",
        aim_by=dt.date(2027, 3, 31),
        start_date=START,
        expected_end_date=dt.date(2027, 3, 31),
        lifecycle=Lifecycle.ACTIVE,
        approved_on=dt.date(2025, 10, 20),
        approved_by="Primary Care Mental Health directorate QI forum",
        visibility=Visibility.ORGANISATION,
        coproduction=CoproductionLevel.PARTNERS,
    )
    project.priorities.add(*StrategicPriority.objects.filter(organisation=org, name__in=PRIORITIES[:2]))
    handover = dt.date(2026, 3, 30)
    _team(
        project,
        [
            ("pwp.lead@northshire.nhs.uk", TeamRole.LEAD, START, handover, True),
            ("practitioner@northshire.nhs.uk", TeamRole.MEMBER, START, handover, True),
            ("practitioner@northshire.nhs.uk", TeamRole.LEAD, handover, None, True),
            ("sam.taylor.partner@example.com", TeamRole.PARTNER, START, None, True),
            ("administrator@northshire.nhs.uk", TeamRole.DATA_LEAD, START, None, False),
            ("coach@northshire.nhs.uk", TeamRole.COACH, START, None, True),
            ("sponsor@northshire.nhs.uk", TeamRole.SPONSOR, START, None, True),
        ],
    )
    coach = _person("coach@northshire.nhs.uk")
    lead = _person("practitioner@northshire.nhs.uk")
    first_lead = _person("pwp.lead@northshire.nhs.uk")
    _handover(project, new_lead=lead, previous=first_lead, on=handover, by=coach)
    _lifecycle(
        project,
        [
            (
                Lifecycle.IDEA,
                Lifecycle.PROPOSED,
                dt.date(2025, 9, 22),
                "Taken to the QI forum by Grace and Dan.",
            ),
            (
                Lifecycle.PROPOSED,
                Lifecycle.APPROVED,
                dt.date(2025, 10, 20),
                "Approved by the Primary Care Mental Health directorate QI forum on 20 October 2025; Helen Marsh to sponsor.",
            ),
            (Lifecycle.APPROVED, Lifecycle.ACTIVE, dt.date(2025, 11, 3), "Baseline data collection starts."),
        ],
        by=coach,
    )
    recent = today - dt.timedelta(days=12)
    _scores(
        project,
        [
            ("1.0", dt.date(2025, 10, 27), "Charter agreed at the first meeting; Sam joined as partner."),
            ("1.5", dt.date(2025, 11, 24), "Meeting schedule set; process map of the step 2 pathway done."),
            ("2.0", dt.date(2026, 1, 12), "Baseline of ten weeks charted; driver diagram drafted with Sam."),
            ("2.5", dt.date(2026, 3, 9), "Text reminders and the welcome pack being tested."),
            (
                "3.0",
                dt.date(2026, 5, 18),
                "Completion above 50% for eight weeks after reminders were adopted.",
            ),
            (
                "3.5",
                min(recent, dt.date(2026, 11, 14)),
                "Shift sustained; same-day calls now in every clinic.",
            ),
        ],
        by=coach,
    )
    _driver_diagram(project)
    _pdsa(project, lead=lead, first_lead=first_lead)
    _story(project, lead=lead, first_lead=first_lead, coach=coach)
    return project


def _driver_diagram(project: Project) -> None:
    if project.drivers.exists():
        return

    def driver(title: str, position: int, parent: Driver | None = None) -> Driver:
        return Driver.objects.create(project=project, title=title, position=position, parent=parent)

    know = driver("Service users know what to expect from treatment", 0)
    info = driver("Clear information before the first session", 0, know)
    goals = driver("Goals agreed together at assessment", 1, know)
    easy = driver("It is easy to keep attending", 1)
    times = driver("Appointment times that fit around work and caring", 0, easy)
    reminders = driver("People remember their sessions", 1, easy)
    early = driver("Early contact when someone starts to drift away", 2)
    follow_up = driver("Follow-up after a missed session", 0, early)

    def idea(title: str, position: int, drivers: list[Driver], description: str = "") -> ChangeIdea:
        change = ChangeIdea.objects.create(
            project=project, title=title, position=position, description=description
        )
        change.drivers.set(drivers)
        return change

    idea(
        "Welcome pack co-written with service users",
        0,
        [info, goals],
        "Written with Sam and two past service users.",
    )
    idea("Text reminder before each session", 1, [reminders])
    idea("Evening and video appointments", 2, [times])
    idea("Same-day phone call after a missed session", 3, [follow_up, reminders])


def _pdsa(project: Project, *, lead: User, first_lead: User) -> None:
    if project.pdsa_cycles.exists():
        return
    ideas = {c.title: c for c in project.change_ideas.all()}

    def cycle(
        idea: str, title: str, started: dt.date, follows: PDSACycle | None = None, **fields: Any
    ) -> PDSACycle:
        completed = started + dt.timedelta(days=fields.pop("days", 14))
        return PDSACycle.objects.create(
            project=project,
            change_idea=ideas[idea],
            follows=follows,
            title=title,
            started_on=started,
            completed_on=completed,
            created_by=fields.pop("by", lead),
            **fields,
        )

    reminder_1 = cycle(
        "Text reminder before each session",
        "Text reminders for one practitioner's caseload",
        dt.date(2026, 2, 2),
        by=first_lead,
        objective="Find out whether a text reminder the day before reduces missed sessions.",
        questions="Will people read the text? Will fewer sessions be missed?",
        prediction="Missed sessions on Grace's caseload will fall from about 1 in 5 to 1 in 10.",
        plan_what="Tom sends a text the day before each session for Grace's caseload.",
        plan_who="Tom (administrator), Grace",
        plan_when="Two weeks from 2 February",
        plan_where="Wellbeing service, step 2",
        plan_data="Sessions booked and missed, by day.",
        do_what_happened="Texts went out for 38 sessions. Two numbers were wrong.",
        do_observations="Three people replied that the day before was too late to rearrange childcare.",
        study_results="4 of 38 sessions missed (11%), close to the prediction. Timing was the main complaint.",
        act_decision=ActDecision.ADAPT,
        act_next_step="Send the reminder two days before, and test with the whole step 2 team.",
    )
    cycle(
        "Text reminder before each session",
        "Text reminders two days before, whole step 2 team",
        dt.date(2026, 2, 23),
        follows=reminder_1,
        days=28,
        by=first_lead,
        objective="Test two-day reminders across the team.",
        prediction="Missed sessions across the team fall below 1 in 10.",
        plan_what="Automated texts two days before every step 2 session.",
        plan_who="Tom sets it up; every practitioner",
        plan_when="Four weeks from 23 February",
        plan_data="Weekly missed-session rate and completion.",
        do_what_happened="All sessions got reminders from week 2, once the template was fixed.",
        study_results="Missed sessions 8%; completion rose for the first time in two years.",
        act_decision=ActDecision.ADOPT,
        act_next_step="Make it the standard process; Tom owns the template.",
    )
    call_1 = cycle(
        "Same-day phone call after a missed session",
        "Same-day call after a missed session, Monday clinic",
        dt.date(2026, 4, 13),
        objective="See whether a same-day call brings people back.",
        prediction="Half of the people called will rebook within a week.",
        plan_what="Aisha calls anyone who misses a Monday session before 5pm.",
        plan_who="Aisha",
        plan_when="Three Mondays",
        plan_data="Calls made, answered, rebooked.",
        do_what_happened="11 calls, 7 answered, 6 rebooked.",
        do_observations="People valued being asked rather than discharged; the script felt stiff.",
        study_results="6 of 11 rebooked, better than predicted. The script needs to be warmer.",
        act_decision=ActDecision.ADAPT,
        act_next_step="Rewrite the script with Sam; test in all clinics.",
    )
    cycle(
        "Same-day phone call after a missed session",
        "Same-day calls in every clinic with the new script",
        dt.date(2026, 5, 11),
        follows=call_1,
        days=42,
        objective="Spread same-day calls to every clinic.",
        prediction="At least half of the people called rebook.",
        plan_what="Every practitioner calls their own missed sessions the same day.",
        plan_who="All step 2 practitioners",
        plan_when="Six weeks",
        do_what_happened="Calls made for 85% of missed sessions.",
        study_results="58% rebooked; completion held above 55%.",
        act_decision=ActDecision.ADOPT,
        act_next_step="Added to the team's standard work; checked monthly in supervision.",
    )
    pack = cycle(
        "Welcome pack co-written with service users",
        "Welcome pack for five new service users",
        dt.date(2026, 3, 2),
        by=first_lead,
        objective="Does a welcome pack help people know what to expect?",
        prediction="All five will say they knew what to expect at session 2.",
        plan_what="Sam and Grace give the draft pack to five people at assessment.",
        plan_who="Sam, Grace",
        plan_when="Two weeks",
        do_what_happened="Four of five read it; one found it too long.",
        study_results="Four of five knew what to expect. Shorten it.",
        act_decision=ActDecision.ADAPT,
        act_next_step="Cut to two pages; test again with easy-read version.",
    )
    cycle(
        "Welcome pack co-written with service users",
        "Two-page welcome pack with an easy-read version",
        dt.date(2026, 6, 15),
        follows=pack,
        days=21,
        objective="Test the shorter pack.",
        prediction="Nine of ten people will say they knew what to expect.",
        plan_what="Everyone assessed in three weeks gets the new pack.",
        plan_who="All assessors",
        plan_when="Three weeks",
    )
    cycle(
        "Evening and video appointments",
        "Tuesday evening video clinic",
        dt.date(2026, 7, 6),
        days=28,
        objective="Would an evening clinic help people who work?",
        prediction="The clinic fills within two weeks.",
        plan_what="One practitioner offers video sessions 5–8pm on Tuesdays.",
        do_what_happened="Only three of twelve slots were booked.",
        study_results="Much lower uptake than predicted; people preferred early mornings.",
        act_decision=ActDecision.ABANDON,
        act_next_step="Ask service users about early-morning sessions instead.",
    )


def _story(project: Project, *, lead: User, first_lead: User, coach: User) -> None:
    if project.story_entries.exists():
        return
    partner = _person("sam.taylor.partner@example.com")
    entries = [
        (
            dt.date(2025, 10, 6),
            first_lead,
            StoryCategory.MEETING,
            "First team meeting",
            "We met for the first time: Grace, Aisha, Tom, Sam and Dan. We agreed to meet **every other Monday**.",
        ),
        (
            dt.date(2025, 10, 20),
            coach,
            StoryCategory.MILESTONE,
            "Approved at the directorate QI forum",
            "The forum approved the project. Helen Marsh will sponsor it.",
        ),
        (
            dt.date(2025, 11, 17),
            partner,
            StoryCategory.LEARNING,
            "What service users told us",
            "I spoke to six people who stopped coming. The main reasons:\n\n- sessions clash with work or caring\n"
            "- they did not know what the sessions would be like\n- nobody got in touch when they missed one",
        ),
        (
            dt.date(2025, 12, 15),
            first_lead,
            StoryCategory.DECISION,
            "Driver diagram agreed",
            "We agreed three primary drivers. Sam's interviews shaped all of them.",
        ),
        (
            dt.date(2026, 1, 26),
            coach,
            StoryCategory.CHALLENGE,
            "Baseline data took longer than planned",
            "The dashboard counts discharges differently from our definition. Tom built a weekly extract.",
        ),
        (
            dt.date(2026, 2, 16),
            first_lead,
            StoryCategory.LEARNING,
            "First PDSA: reminders",
            "Reminders a day before were too late for people arranging childcare. We will try two days.",
        ),
        (
            dt.date(2026, 3, 30),
            first_lead,
            StoryCategory.DECISION,
            "Handover of the lead role",
            "Grace moves to a new post. Aisha takes over as project lead; Grace stays in touch as an adviser.",
        ),
        (
            dt.date(2026, 4, 27),
            lead,
            StoryCategory.CELEBRATION,
            "Completion above 50%",
            "For the first time in two years weekly completion has been above 50% for six weeks running.",
        ),
        (
            dt.date(2026, 5, 25),
            lead,
            StoryCategory.MEETING,
            "Sponsor update",
            "Helen joined the meeting and asked us to present at the June showcase.",
        ),
        (
            dt.date(2026, 6, 22),
            partner,
            StoryCategory.MILESTONE,
            "Presented at the trust showcase",
            "Aisha and I presented the project. People asked most about the welcome pack.",
        ),
        (
            dt.date(2026, 7, 20),
            lead,
            StoryCategory.LEARNING,
            "Evening clinic abandoned",
            "Few people booked evening video sessions. Early mornings may suit better; Sam will ask.",
        ),
        (
            dt.date(2026, 9, 14),
            coach,
            StoryCategory.MEETING,
            "Six-month review with the coach",
            "The shift on the completion chart is sustained. We should check waiting times are not getting worse.",
        ),
        (
            dt.date(2026, 11, 9),
            lead,
            StoryCategory.DECISION,
            "Planning for sustainability",
            "Reminders and same-day calls are standard work. Next: spread to step 3.",
        ),
    ]
    for day, author, category, title, text in entries:
        StoryEntry.objects.create(
            project=project, occurred_on=day, author=author, category=category, title=title, text=text
        )


def _addictions(org: Organisation) -> list[Project]:
    service = _service(org, "Addictions Community Service")
    worker = _person("recovery.worker@northshire.nhs.uk")
    coach = _person("coach@northshire.nhs.uk")
    missed, created = _project(
        org,
        MISSED_APPOINTMENTS,
        service,
        problem="About one in four people referred to the service do not attend their first appointment.",
        aim_what="Reduce the percentage of missed first appointments",
        aim_for_whom="people referred to the addictions community service",
        aim_baseline="25%",
        aim_target="15%",
        aim_by=dt.date(2027, 6, 30),
        lifecycle=Lifecycle.PROPOSED,
        coproduction=CoproductionLevel.CONSULTED,
        visibility=Visibility.ORGANISATION,
        start_date=dt.date(2026, 10, 5),
    )
    _team(
        missed,
        [
            ("recovery.worker@northshire.nhs.uk", TeamRole.LEAD, dt.date(2026, 9, 28), None, False),
            ("coach@northshire.nhs.uk", TeamRole.COACH, dt.date(2026, 10, 5), None, False),
        ],
    )
    _lifecycle(
        missed,
        [(Lifecycle.IDEA, Lifecycle.PROPOSED, dt.date(2026, 10, 12), "For the November forum.")],
        by=worker,
    )
    _scores(
        missed,
        [("1.0", dt.date(2026, 10, 19), "Charter drafted; looking for a peer mentor to join.")],
        by=coach,
    )
    naloxone, _ = _project(
        org,
        NALOXONE,
        service,
        problem="Naloxone kits are offered at fewer than half of assessments, although every assessment should offer one.",
        aim_what="Increase the percentage of assessments at which naloxone is offered",
        aim_for_whom="people assessed by the addictions community service",
        aim_baseline="45%",
        aim_target="95%",
        aim_by=dt.date(2027, 3, 31),
        lifecycle=Lifecycle.IDEA,
        coproduction=CoproductionLevel.NOT_YET,
        visibility=Visibility.PRIVATE,
    )
    naloxone.priorities.add(*StrategicPriority.objects.filter(organisation=org, name="Reducing harm"))
    _team(naloxone, [("recovery.worker@northshire.nhs.uk", TeamRole.LEAD, dt.date(2026, 11, 2), None, False)])
    return [missed, naloxone]
