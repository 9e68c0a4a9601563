"""Tools demo data (called by seed_demo after the projects and measures exist): the LI CBT project's team
studies its step 2 pathway before writing its driver diagram — a process map of where people drop out, a
fishbone of reasons for not completing, a Pareto chart of the reasons a survey gave, 5 whys, a stakeholder
grid and an affinity diagram from a "what matters to you?" session with service users — each linked into
the driver diagram, a PDSA cycle or the story log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from openqi.accounts.models import User
from openqi.organisations.models import Organisation
from openqi.projects.models import Project
from openqi.tools import services
from openqi.tools.models import ItemKind, Tool, ToolItem, ToolKind, ToolLink, ToolVersion

TALKING_THERAPIES = "Increasing completion of Low Intensity CBT"


def seed(org: Organisation) -> None:
    """Idempotent: running it again keeps what exists and adds only what is missing."""
    project = Project.objects.filter(organisation=org, title=TALKING_THERAPIES).first()
    if project is None:
        return
    lead = User.objects.get_by_email("pwp.lead@northshire.nhs.uk")
    partner = User.objects.get_by_email("sam.taylor.partner@example.com")
    coach = User.objects.get_by_email("coach@northshire.nhs.uk")
    drivers = {d.title: d for d in project.drivers.all()}
    ideas = {i.title: i for i in project.change_ideas.all()}
    made = {
        "map": _process_map(project, lead, dt.date(2025, 11, 10)),
        "fishbone": _fishbone(project, coach, drivers, ideas, dt.date(2025, 11, 24)),
        "pareto": _pareto(project, lead, dt.date(2025, 12, 1)),
        "whys": _five_whys(project, lead, drivers, ideas, dt.date(2025, 12, 1)),
        "stakeholders": _stakeholders(project, coach, dt.date(2025, 11, 10)),
        "affinity": _affinity(project, partner, drivers, dt.date(2025, 11, 17)),
    }
    _links(project, made)


def _tool(
    project: Project, kind: str, title: str, subject: str, by: Any, day: dt.date, *, storyboard: bool = False
) -> tuple[Tool, bool]:
    found = project.tools.filter(kind=kind, title=title).first()
    if found is not None:
        return found, False
    tool = services.create_tool(project, kind=kind, title=title, subject=subject, by=by)
    if storyboard:
        Tool.objects.filter(pk=tool.pk).update(include_in_storyboard=True)
    return tool, True


def _finish(tool: Tool, summary: str, by: Any, day: dt.date) -> None:
    """Keep the filled-in tool as its second version, and date both versions as the story tells it."""
    tool.save_versioned(tool.version, update_fields=["updated_at"])
    ToolVersion.objects.create(
        tool=tool, number=tool.version, summary=summary, content=services.content_of(tool), made_by=by
    )
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))
    Tool.objects.filter(pk=tool.pk).update(created_at=at, updated_at=at + dt.timedelta(hours=1))
    tool.versions.filter(number=1).update(made_at=at)
    tool.versions.filter(number=tool.version).update(made_at=at + dt.timedelta(hours=1))


def _item(tool: Tool, kind: str, text: str, position: int, **fields: Any) -> ToolItem:
    return ToolItem.objects.create(tool=tool, kind=kind, text=text, position=position, **fields)


def _process_map(project: Project, by: Any, day: dt.date) -> Tool:
    tool, new = _tool(
        project,
        ToolKind.PROCESS_MAP,
        "Step 2 pathway as it is today",
        "From referral to discharge from LI CBT",
        by,
        day,
        storyboard=True,
    )
    if not new:
        return tool
    admin, pwp, person = "Admin team", "Psychological wellbeing practitioner", "Service user"
    rows: list[tuple[str, str, str, dict[str, Any]]] = [
        (ItemKind.START, "Referral received (self or GP)", admin, {"data_collected": True}),
        (
            ItemKind.ACTIVITY,
            "Letter with the assessment date sent",
            admin,
            {"note": "Letters go second class: some arrive after the date."},
        ),
        (
            ItemKind.WAIT,
            "Wait for assessment (about 3 weeks)",
            person,
            {"note": "Some people lose interest while they wait."},
        ),
        (ItemKind.ACTIVITY, "Assessment call", pwp, {"data_collected": True}),
        (ItemKind.DECISION, "Suitable for LI CBT?", pwp, {"next_label": "Yes", "branch_label": "No"}),
        (
            ItemKind.ACTIVITY,
            "First session booked (daytime only)",
            admin,
            {"note": "Times clash with work and caring."},
        ),
        (
            ItemKind.ACTIVITY,
            "Sessions 1 to 6",
            person,
            {"data_collected": True, "note": "Most people who stop do so after session 2."},
        ),
        (ItemKind.DECISION, "Attended every session?", pwp, {"next_label": "Yes", "branch_label": "No"}),
        (ItemKind.END, "Course completed", pwp, {"data_collected": True}),
        (
            ItemKind.WAIT,
            "Opt-in letter: reply within 2 weeks",
            admin,
            {"note": "Few people reply; nobody phones them."},
        ),
        (ItemKind.END, "Discharged without completing", pwp, {"data_collected": True}),
        (ItemKind.END, "Signposted to another service", pwp, {}),
    ]
    steps = [
        _item(tool, kind, text, i, lane=lane, **extra) for i, (kind, text, lane, extra) in enumerate(rows)
    ]
    ToolItem.objects.filter(pk=steps[4].pk).update(branch_to=steps[11])
    ToolItem.objects.filter(pk=steps[7].pk).update(branch_to=steps[9])
    _finish(tool, "Steps mapped at the team meeting", by, day)
    return tool


def _fishbone(
    project: Project, by: Any, drivers: dict[str, Any], ideas: dict[str, Any], day: dt.date
) -> Tool:
    tool, new = _tool(
        project,
        ToolKind.FISHBONE,
        "Why people do not complete LI CBT",
        "People stop coming before the end of their course",
        by,
        day,
        storyboard=True,
    )
    if not new:
        return tool
    category = {c.text: c for c in tool.items.filter(kind=ItemKind.CATEGORY)}
    causes: list[tuple[str, str, dict[str, Any]]] = [
        (
            "People",
            "Sessions clash with work and caring",
            {
                "marked": True,
                "votes": 6,
                "driver": drivers.get("Appointment times that fit around work and caring"),
            },
        ),
        (
            "People",
            "Did not know what to expect",
            {"marked": True, "votes": 5, "driver": drivers.get("Clear information before the first session")},
        ),
        (
            "Methods",
            "Opt-in letter after a missed session",
            {
                "marked": True,
                "votes": 4,
                "change_idea": ideas.get("Same-day phone call after a missed session"),
            },
        ),
        (
            "Methods",
            "No reminder before sessions",
            {"votes": 3, "driver": drivers.get("People remember their sessions")},
        ),
        ("Equipment", "Video sessions not offered", {"votes": 1}),
        ("Environment", "Clinic open 9 to 5 only", {"votes": 2}),
        ("Environment", "Long bus journey to the clinic", {}),
        ("Materials", "Workbook written in clinical language", {"votes": 1}),
        ("Measurement", "Dashboard counts discharges differently", {}),
    ]
    made = {}
    for position, (parent, text, extra) in enumerate(causes):
        made[text] = _item(tool, ItemKind.CAUSE, text, position, parent=category[parent], **extra)
    _item(
        tool,
        ItemKind.CAUSE,
        "No information sent before the first session",
        0,
        parent=made["Did not know what to expect"],
    )
    _item(tool, ItemKind.CAUSE, "Letters arrive late", 0, parent=made["Opt-in letter after a missed session"])
    _finish(tool, "Causes gathered and voted on; three marked for action", by, day)
    return tool


def _pareto(project: Project, by: Any, day: dt.date) -> Tool:
    tool, new = _tool(
        project,
        ToolKind.PARETO,
        "Reasons for stopping LI CBT (survey, autumn 2025)",
        "Why did you stop coming? 100 answers from people who did not complete",
        by,
        day,
        storyboard=True,
    )
    if not new:
        return tool
    counts = [
        ("Sessions clash with work or caring", 34),
        ("Missed a session and was discharged", 18),
        ("Did not know what to expect", 21),
        ("Felt better", 12),
        ("Did not find it helpful", 7),
        ("Other", 5),
        ("Moved away", 3),
    ]
    for position, (text, count) in enumerate(counts):
        _item(tool, ItemKind.CATEGORY, text, position, count=count)
    _finish(tool, "100 survey answers counted", by, day)
    return tool


def _five_whys(
    project: Project, by: Any, drivers: dict[str, Any], ideas: dict[str, Any], day: dt.date
) -> Tool:
    tool, new = _tool(
        project, ToolKind.FIVE_WHYS, "Why people miss session 3", "Many people miss session 3", by, day
    )
    if not new:
        return tool
    forget = _item(tool, ItemKind.WHY, "they forget the appointment", 0)
    _item(
        tool,
        ItemKind.WHY,
        "no reminder is sent before sessions",
        0,
        parent=forget,
        marked=True,
        driver=drivers.get("People remember their sessions"),
    )
    time = _item(tool, ItemKind.WHY, "the time no longer fits their week", 1)
    shifts = _item(tool, ItemKind.WHY, "shifts and caring change from week to week", 0, parent=time)
    _item(
        tool,
        ItemKind.WHY,
        "only daytime slots are offered, booked weeks ahead",
        0,
        parent=shifts,
        marked=True,
        change_idea=ideas.get("Evening and video appointments"),
    )
    _finish(tool, "Asked why five times with Sam", by, day)
    return tool


def _stakeholders(project: Project, by: Any, day: dt.date) -> Tool:
    tool, new = _tool(project, ToolKind.STAKEHOLDERS, "Who has a stake in completion", "", by, day)
    if not new:
        return tool
    people: list[tuple[str, str, int, int, bool, str]] = [
        (
            "People on the LI CBT waiting list",
            "Service users",
            2,
            5,
            True,
            "Sam gathers their views; co-design the welcome pack with two of them.",
        ),
        ("Carers and family", "Carers", 1, 3, True, "Invite them to the ‘what matters to you?’ session."),
        (
            "Psychological wellbeing practitioners",
            "Staff",
            4,
            5,
            False,
            "In the team: test changes in their clinics.",
        ),
        ("Admin team", "Staff", 3, 4, False, "Data lead in the team: shapes the reminder process."),
        ("Service manager", "Managers", 5, 3, False, "Monthly update from the sponsor."),
        ("IT and telephony", "Support services", 4, 1, False, "Ask early about text reminders."),
        ("GP practices", "Referrers", 2, 2, False, "A newsletter item once changes are adopted."),
    ]
    for i, (text, lane, influence, interest, user, note) in enumerate(people):
        _item(
            tool,
            ItemKind.STAKEHOLDER,
            text,
            i,
            lane=lane,
            influence=influence,
            interest=interest,
            is_service_user=user,
            note=note,
        )
    _finish(tool, "Stakeholders placed on the grid", by, day)
    return tool


def _affinity(project: Project, by: Any, drivers: dict[str, Any], day: dt.date) -> Tool:
    tool, new = _tool(
        project,
        ToolKind.AFFINITY,
        "What matters to you? (service users, November 2025)",
        "What would help you finish your course?",
        by,
        day,
    )
    if not new:
        return tool
    themes: list[tuple[str, str, list[str]]] = [
        (
            "Knowing what to expect",
            "Service users know what to expect from treatment",
            [
                "Tell me what the sessions are like",
                "A leaflet in plain English",
                "Know how many sessions there are",
            ],
        ),
        (
            "Sessions that fit my life",
            "It is easy to keep attending",
            ["Evening sessions", "Video instead of the bus", "A text the day before"],
        ),
        (
            "Someone notices when I struggle",
            "Early contact when someone starts to drift away",
            ["A phone call, not a letter", "The same worker each time"],
        ),
    ]
    position = 0
    for name, driver, notes in themes:
        theme = _item(tool, ItemKind.THEME, name, position, driver=drivers.get(driver))
        position += 1
        for note in notes:
            _item(tool, ItemKind.NOTE, note, position, parent=theme)
            position += 1
    for note in ("Free parking", "Somewhere quiet to wait"):
        _item(tool, ItemKind.NOTE, note, position)
        position += 1
    _finish(tool, "Notes from the session grouped into themes", by, day)
    return tool


def _links(project: Project, made: dict[str, Tool]) -> None:
    entry = project.story_entries.filter(title="What service users told us").first()
    if entry is not None:
        for key in ("pareto", "affinity"):
            ToolLink.objects.get_or_create(tool=made[key], story_entry=entry)
    for key, title in (("fishbone", "reminder"), ("whys", "reminder"), ("map", "call")):
        cycle = project.pdsa_cycles.filter(title__icontains=title).first()
        if cycle is not None:
            ToolLink.objects.get_or_create(tool=made[key], cycle=cycle)
