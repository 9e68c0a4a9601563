"""Meetings demo data (called by seed_demo after the projects and measures exist).

The talking-therapies team meets every Monday at 10:00, in the wellbeing centre and by video so that Sam
(the service-user partner, on a personal e-mail address) can join from home: a year of weekly meetings,
with papers and minutes on a few, attendance, and the actions agreed. Each addictions project has one
meeting. Rows are made directly (as the projects demo does), not through the services: seeding sends no
e-mail and writes no audit trail.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from openqi.accounts.models import User
from openqi.meetings.models import Action, Attendance, AttendanceStatus, Meeting, MeetingPaper, Recurrence
from openqi.meetings.services.meetings import MAX_OCCURRENCES, Repeat, occurrence_starts
from openqi.organisations.models import Organisation
from openqi.projects.demo import MISSED_APPOINTMENTS, NALOXONE, START, TALKING_THERAPIES
from openqi.projects.models import Project

SERIES_TITLE = "LI CBT completion: weekly QI team meeting"
VIDEO = "https://teams.microsoft.com/l/meetup-join/northshire-li-cbt-qi"
PLACE = "Wellbeing Centre, meeting room 2"
AGENDA = (
    "1. Welcome and check-in\n"
    "2. This week's completion data (run chart)\n"
    "3. PDSA cycles: what we tested, what we learned\n"
    "4. Actions from last week\n"
    "5. Anything else"
)
# Minutes and papers of a few meetings, by week number in the series (0 = the first meeting).
MINUTES: dict[int, str] = {
    0: (
        "Kick-off. Grace introduced the project and the Model for Improvement. Sam shared what made it hard "
        "to finish a course of CBT: sessions clashing with work, and not knowing what to expect. We agreed "
        "to meet every Monday at 10:00, in room 2 and on Teams, and that papers go out by the Friday before."
    ),
    3: (
        "Aim agreed: 45% to 60% completion by March 2027. Tom will pull ten weeks of baseline data from the "
        "dashboard. Sam and Aisha to draft the welcome pack together."
    ),
    10: (
        "Baseline charted: completion stable around 45%. Driver diagram reviewed with Dan; text reminders "
        "chosen as the first change idea to test with one practitioner for two weeks."
    ),
    22: (
        "Handover: Aisha takes over as lead from Grace. Reminders adopted after three cycles; the welcome "
        "pack is being adapted after Sam's feedback from the peer group."
    ),
    40: (
        "Completion above 50% for eight weeks. Same-day calls now in every clinic. Started planning for "
        "sustainability and for spreading the reminders to step 3."
    ),
}
PAPERS: dict[int, list[tuple[str, bytes]]] = {
    0: [("Project charter draft.txt", b"Project charter (draft)\n\nAim: increase completion of LI CBT.\n")],
    3: [("Baseline plan.txt", b"Baseline: ten weeks of completions from the service dashboard.\n")],
    10: [
        (
            "Completion baseline.csv",
            b"week,completed,discharged\n2025-10-06,18,40\n2025-10-13,19,41\n2025-10-20,17,39\n",
        )
    ],
    40: [("Sustainability plan.txt", b"Reminders and same-day calls as standard work; spread to step 3.\n")],
}
ACTIONS: dict[int, list[tuple[str, str, int, bool]]] = {
    # (description, owner's e-mail, due in days after the meeting, done)
    0: [("Share the draft charter with the team", "pwp.lead@northshire.nhs.uk", 7, True)],
    3: [
        ("Pull ten weeks of baseline completion data", "administrator@northshire.nhs.uk", 14, True),
        ("Draft the welcome pack with Aisha", "sam.taylor.partner@example.com", 21, True),
    ],
    10: [("Set up text reminders for one practitioner's clinic", "practitioner@northshire.nhs.uk", 7, True)],
    40: [
        (
            "Write the reminders into the step 2 standard operating procedure",
            "practitioner@northshire.nhs.uk",
            28,
            False,
        ),
        (
            "Ask the peer group for feedback on the revised welcome pack",
            "sam.taylor.partner@example.com",
            14,
            False,
        ),
        ("Add step 3 completions to the weekly data pull", "administrator@northshire.nhs.uk", 21, False),
    ],
}


def _person(email: str) -> User | None:
    return User.objects.get_by_email(email)


def _monday_10(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_current_timezone())


def seed(org: Organisation) -> None:
    """Idempotent: running it again keeps what exists and adds only what is missing."""
    talking = Project.objects.filter(organisation=org, title=TALKING_THERAPIES).first()
    if talking is not None:
        _weekly_series(talking)
    for title, offset, subject in (
        (MISSED_APPOINTMENTS, 9, "First meeting: why people miss their first appointment"),
        (NALOXONE, 16, "Naloxone project: getting started"),
    ):
        project = Project.objects.filter(organisation=org, title=title).first()
        if project is not None:
            _one_meeting(project, subject, timezone.localdate() + dt.timedelta(days=offset))


def _team_invitees(project: Project) -> list[User]:
    """The current team without the sponsor (who is sent the monthly update, not the weekly meeting)."""
    members = project.team.filter(left_on__isnull=True).exclude(role="sponsor").select_related("user")
    return list(dict.fromkeys(m.user for m in members))


def _weekly_series(project: Project) -> None:
    if project.meetings.filter(title=SERIES_TITLE).exists():
        return
    organiser = _person("pwp.lead@northshire.nhs.uk")
    today = timezone.localdate()
    # A year of Mondays from the first team meeting, and on into the coming weeks.
    until = min(
        max(START + dt.timedelta(weeks=52), today + dt.timedelta(weeks=8)),
        START + dt.timedelta(weeks=MAX_OCCURRENCES - 1),
    )
    starts = occurrence_starts(_monday_10(START), Repeat(Recurrence.WEEKLY, until=until))
    master = Meeting.objects.create(
        project=project,
        title=SERIES_TITLE,
        start=starts[0],
        end=starts[0] + dt.timedelta(hours=1),
        place=PLACE,
        video_link=VIDEO,
        agenda=AGENDA,
        recurrence=Recurrence.WEEKLY,
        recurrence_until=until,
        recurrence_id=starts[0],
        created_by=organiser,
    )
    rows = [master] + Meeting.objects.bulk_create(
        [
            Meeting(
                project=project,
                title=SERIES_TITLE,
                start=moment,
                end=moment + dt.timedelta(hours=1),
                place=PLACE,
                video_link=VIDEO,
                agenda=AGENDA,
                series=master,
                recurrence_id=moment,
                uid=master.uid,
                created_by=organiser,
            )
            for moment in starts[1:]
        ]
    )
    people = _team_invitees(project)
    if organiser is not None and organiser not in people:
        people.insert(0, organiser)  # the first lead organised the series before handing over
    now = timezone.now()
    attendance = []
    for week, row in enumerate(rows):
        for n, person in enumerate(people):
            status = AttendanceStatus.INVITED
            if row.end < now:
                # Most weeks everyone comes; now and then someone sends apologies.
                status = AttendanceStatus.APOLOGIES if (week + n) % 9 == 0 else AttendanceStatus.ATTENDED
            attendance.append(Attendance(meeting=row, person=person, status=status))
    Attendance.objects.bulk_create(attendance)
    # The Christmas week's meeting was cancelled.
    christmas = next((r for r in rows if r.start.month == 12 and 22 <= r.start.day <= 28), None)
    if christmas is not None:
        Meeting.objects.filter(pk=christmas.pk).update(
            cancelled_at=christmas.start - dt.timedelta(days=10), sequence=1
        )
    for week, text in MINUTES.items():
        if week < len(rows) and rows[week].end < now:
            Meeting.objects.filter(pk=rows[week].pk).update(
                minutes=text, minutes_updated_at=rows[week].end + dt.timedelta(hours=2), minutes_by=organiser
            )
    for week, papers in PAPERS.items():
        if week < len(rows):
            for name, content in papers:
                _paper(rows[week], name, content, organiser)
    for week, actions in ACTIONS.items():
        if week < len(rows):
            for description, email, due_in, done in actions:
                meeting_day = timezone.localdate(rows[week].start)
                Action.objects.create(
                    project=project,
                    meeting=rows[week],
                    description=description,
                    owner=_person(email),
                    due_on=meeting_day + dt.timedelta(days=due_in),
                    done_on=meeting_day + dt.timedelta(days=due_in - 2) if done else None,
                    created_by=organiser,
                )
    # The next meeting has its papers already, as the team's rule says.
    upcoming = next((r for r in rows if r.start > now and r.pk != getattr(christmas, "pk", None)), None)
    if upcoming is not None:
        _paper(upcoming, "This week's completion data.csv", b"week,completed,discharged\n", organiser)


def _paper(meeting: Meeting, name: str, content: bytes, by: User | None) -> None:
    kind = "text/csv" if name.endswith(".csv") else "text/plain"
    paper = MeetingPaper(
        meeting=meeting, original_name=name, content_type=kind, size=len(content), uploaded_by=by
    )
    paper.file.save("upload", ContentFile(content), save=False)
    paper.save()


def _one_meeting(project: Project, title: str, day: dt.date) -> None:
    if project.meetings.exists():
        return
    lead = project.team.filter(role="lead", left_on__isnull=True).select_related("user").first()
    start = dt.datetime.combine(day, dt.time(14, 0), tzinfo=timezone.get_current_timezone())
    meeting = Meeting.objects.create(
        project=project,
        title=title,
        start=start,
        end=start + dt.timedelta(hours=1),
        place="Addictions Community Service, group room",
        agenda="1. The problem and the data we have\n2. Who else should be on the team\n3. Next steps",
        created_by=lead.user if lead else None,
    )
    Attendance.objects.bulk_create([Attendance(meeting=meeting, person=p) for p in _team_invitees(project)])
    if lead is not None:
        Action.objects.create(
            project=project,
            meeting=meeting,
            description="Bring last quarter's figures to the first meeting",
            owner=lead.user,
            due_on=day - dt.timedelta(days=2),
            created_by=lead.user,
        )
