"""How meetings and actions read on pages, panels and the timeline: plain values for templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openqi.core.formatting import long_date
from openqi.meetings.models import Action, Attendance, Meeting, MeetingPaper
from openqi.meetings.services.actions import open_actions_for, open_actions_of
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, visible_projects
from openqi.projects.models import Project
from openqi.projects.presenters.nav import project_context
from openqi.projects.presenters.timeline import TimelineItem

# How many rows a panel shows before "and N more".
PANEL_ROWS = 5


def when(meeting: Meeting) -> str:
    """'Thursday 19 March 2026, 10:00 to 11:00' in UK time (the day of a meeting matters to people)."""
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    day = f"{start:%A} {start.day} {start:%B %Y}"
    if start.date() == end.date():
        return f"{day}, {start:%H:%M} to {end:%H:%M}"
    return f"{day}, {start:%H:%M} to {end.day} {end:%B %Y}, {end:%H:%M}"


def meeting_href(meeting: Meeting) -> str:
    return reverse("meetings:detail", kwargs={"pk": meeting.project_id, "meeting_pk": meeting.pk})


@dataclass(frozen=True)
class MeetingRow:
    pk: int
    title: str
    when: str
    where: str
    href: str
    cancelled: bool
    papers: int
    has_minutes: bool
    repeats: str

    @classmethod
    def of(cls, meeting: Meeting, papers: int | None = None) -> MeetingRow:
        where = meeting.place or ("Video call" if meeting.video_link else "")
        if meeting.place and meeting.video_link:
            where = f"{meeting.place} and video"
        master = meeting if meeting.series_id is None else None
        repeats = master.get_recurrence_display() if master and meeting.recurrence_id else ""
        return cls(
            pk=meeting.pk,
            title=meeting.title,
            when=when(meeting),
            where=where,
            href=meeting_href(meeting),
            cancelled=meeting.is_cancelled,
            papers=papers if papers is not None else getattr(meeting, "paper_count", 0),
            has_minutes=bool(meeting.minutes),
            repeats=repeats,
        )


def project_meetings(project: Project, *, past: bool) -> QuerySet[Meeting]:
    now = timezone.now()
    meetings = project.meetings.annotate(paper_count=Count("papers"))
    if past:
        return meetings.filter(end__lt=now).order_by("-start", "-id")
    return meetings.filter(end__gte=now).order_by("start", "id")


# Meetings on one page of the project's list.
PAGE_SIZE = 20


@dataclass(frozen=True)
class MeetingsPage:
    rows: list[MeetingRow]
    total: int
    page: int
    pages: int

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.rows) - 1 if self.rows else 0


def meetings_page(project: Project, *, past: bool, page: int = 1) -> MeetingsPage:
    """One page of the coming (soonest first) or past (latest first) meetings; a page past the end shows
    the last one."""
    meetings = project_meetings(project, past=past)
    total = meetings.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    rows = [MeetingRow.of(m) for m in meetings[start : start + PAGE_SIZE]]
    return MeetingsPage(rows, total, page, pages)


@dataclass(frozen=True)
class ActionRow:
    pk: int
    project_pk: int
    description: str
    owner: str
    owner_pk: int | None
    due: str
    overdue: bool
    done: bool
    done_on: str
    project_title: str
    project_href: str
    meeting_title: str
    meeting_href: str
    version: int

    @classmethod
    def of(cls, action: Action, today: dt.date | None = None) -> ActionRow:
        today = today or timezone.localdate()
        meeting = action.meeting if action.meeting_id else None
        return cls(
            pk=action.pk,
            project_pk=action.project_id,
            description=action.description,
            owner=action.owner.display_name if action.owner else "Nobody yet",
            owner_pk=action.owner_id,
            due=long_date(action.due_on),
            overdue=bool(action.due_on and action.due_on < today and not action.is_done),
            done=action.is_done,
            done_on=long_date(action.done_on),
            project_title=action.project.title,
            project_href=reverse("meetings:project_actions", kwargs={"pk": action.project_id}),
            meeting_title=meeting.title if meeting else "",
            meeting_href=meeting_href(meeting) if meeting else "",
            version=action.version,
        )


def project_actions(project: Project, *, done: bool) -> list[ActionRow]:
    actions = project.actions.select_related("owner", "meeting", "project")
    if done:
        actions = actions.filter(done_on__isnull=False).order_by("-done_on", "-id")[:50]
    else:
        actions = actions.filter(done_on__isnull=True).order_by("due_on", "id")
    today = timezone.localdate()
    return [ActionRow.of(a, today) for a in actions]


def my_actions(user: Any) -> list[ActionRow]:
    today = timezone.localdate()
    return [ActionRow.of(a, today) for a in open_actions_for(user).select_related("owner", "meeting")]


def action_or_404(user: Any, project: Project, action_pk: int) -> Action:
    scope = scope_for(user)
    found: Action = scope.get_or_404(
        scope.filter(Action).select_related("owner", "project"), pk=action_pk, project=project
    )
    return found


def meeting_or_404(user: Any, project: Project, meeting_pk: int) -> Meeting:
    scope = scope_for(user)
    found: Meeting = scope.get_or_404(
        scope.filter(Meeting).select_related("project", "series", "created_by", "minutes_by"),
        pk=meeting_pk,
        project=project,
    )
    return found


def paper_or_404(user: Any, meeting: Meeting, paper_pk: int) -> MeetingPaper:
    found: MeetingPaper = scope_for(user).get_or_404(MeetingPaper, pk=paper_pk, meeting=meeting)
    return found


def my_meetings(user: Any, *, limit: int = 20) -> list[MeetingRow]:
    """The person's coming meetings in every project they can see."""
    meetings = (
        scope_for(user)
        .filter(Meeting)
        .filter(
            attendance__person=user,
            end__gte=timezone.now(),
            project__in=visible_projects(user),
        )
        .annotate(paper_count=Count("papers"))
        .order_by("start", "id")[:limit]
    )
    return [MeetingRow.of(m) for m in meetings]


@dataclass(frozen=True)
class AttendeeRow:
    name: str
    status: str


def attendees(meeting: Meeting) -> list[AttendeeRow]:
    rows: QuerySet[Attendance] = meeting.attendance.select_related("person").order_by("person__name", "id")
    return [AttendeeRow(r.person.display_name, r.get_status_display()) for r in rows]


def page_context(project: Project, level: Level, **extra: Any) -> dict[str, Any]:
    return project_context(project, level, "meetings", **extra)


# --- Plug-ins (registered in apps.py) --------------------------------------------------------------


def overview_panel(project: Project, level: Level) -> dict[str, Any] | None:
    """The project overview's "Open actions" panel, with the next meeting."""
    actions = list(open_actions_of(project).select_related("project")[: PANEL_ROWS + 1])
    upcoming = project.meetings.filter(end__gte=timezone.now(), cancelled_at__isnull=True)
    next_meeting = upcoming.annotate(paper_count=Count("papers")).order_by("start", "id").first()
    if not actions and next_meeting is None and level < Level.EDIT:
        return None
    today = timezone.localdate()
    return {
        "actions": [ActionRow.of(a, today) for a in actions[:PANEL_ROWS]],
        "more": len(actions) > PANEL_ROWS,
        "next_meeting": MeetingRow.of(next_meeting) if next_meeting else None,
        "actions_href": reverse("meetings:project_actions", kwargs={"pk": project.pk}),
        "meetings_href": reverse("meetings:project_meetings", kwargs={"pk": project.pk}),
    }


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The home page's "My actions" panel: the person's open actions, soonest due first."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    actions = list(open_actions_for(user).select_related("owner", "meeting")[: PANEL_ROWS + 1])
    coming = my_meetings(user, limit=3)
    if not actions and not coming:
        return None
    today = timezone.localdate()
    return {
        "actions": [ActionRow.of(a, today) for a in actions[:PANEL_ROWS]],
        "more": len(actions) > PANEL_ROWS,
        "meetings": coming,
        "href": reverse("meetings:my_actions"),
        "meetings_href": reverse("meetings:mine"),
    }


def _on_the_timeline(project: Project) -> list[Meeting]:
    """Meetings held (not cancelled) and meetings with minutes, read once for both timeline sources."""
    cached: list[Meeting] | None = project.__dict__.get("_openqi_timeline_meetings")
    if cached is None:
        held = Q(start__lte=timezone.now(), cancelled_at__isnull=True)
        cached = list(
            project.meetings.filter(held | ~Q(minutes=""))
            .select_related("minutes_by")
            .order_by("start", "id")
        )
        project.__dict__["_openqi_timeline_meetings"] = cached
    return cached


def meeting_events(project: Project) -> list[TimelineItem]:
    """Meetings held (not cancelled) on the project's timeline."""
    now = timezone.now()
    held = [m for m in _on_the_timeline(project) if m.start <= now and not m.is_cancelled]
    return [
        TimelineItem(
            kind="meeting",
            date=timezone.localdate(m.start),
            title=f"Meeting: {m.title}",
            detail=m.place or ("Video call" if m.video_link else ""),
            link=meeting_href(m),
            at=m.start,
        )
        for m in held
    ]


def minutes_events(project: Project) -> list[TimelineItem]:
    written = [m for m in _on_the_timeline(project) if m.minutes]
    return [
        TimelineItem(
            kind="meeting_minutes",
            date=timezone.localdate(m.start),
            title=f"Minutes: {m.title}",
            detail=m.minutes[:300] + ("…" if len(m.minutes) > 300 else ""),
            link=meeting_href(m) + "#minutes",
            at=m.minutes_updated_at or m.start,
            who=m.minutes_by.display_name if m.minutes_by else "",
        )
        for m in written
    ]


def minutes_text(project: Project) -> list[str]:
    """What search finds a project by: its meetings' minutes (agendas repeat week after week, so they
    would only add noise)."""
    written = project.meetings.exclude(minutes="").values_list("title", "minutes")
    return [f"{title}\n{minutes}" for title, minutes in written]


def meetings_visible_to(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))
