"""Meetings: a project's meetings with their papers, minutes and attendance, each as an .ics file too;
scheduling one (the schedule page's form and the meetings service, which invites by e-mail and audits);
a project's actions, adding one and marking one done."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from openqi.api.base import Out
from openqi.api.common import (
    BODY,
    Choice,
    PersonRef,
    form_problem,
    page_url,
    person_ref,
    project_or_404,
    responses,
)
from openqi.api.pagination import PageParams, paginate
from openqi.api.problems import FieldError, invalid
from openqi.meetings import calendar
from openqi.meetings.forms import ActionForm, ScheduleForm, team_people
from openqi.meetings.models import Action, Meeting, Recurrence
from openqi.meetings.services import actions as action_services
from openqi.meetings.services import meetings as services
from openqi.projects.access import Level
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import Project

router = Router(tags=["Meetings"])


class PaperOut(Out):
    id: int
    name: str
    size: int
    page_url: str = Field(description="Download it from OpenQI (signed in).")


class AttendeeOut(Out):
    person: PersonRef
    status: Choice


class MeetingOut(Out):
    id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    place: str
    video_link: str
    agenda: str
    minutes: str
    cancelled: bool
    series_id: int | None = Field(description="The first meeting of its series; null for a one-off meeting.")
    recurrence: Choice = Field(description="How the series repeats (on the series' first meeting).")
    uid: str = Field(description="The calendar UID, shared by every meeting of a series.")
    sequence: int = Field(description="The calendar SEQUENCE: it grows with every change a calendar shows.")
    papers: list[PaperOut]
    attendance: list[AttendeeOut]
    ics_url: str = Field(description="This meeting (its whole series) as an .ics file.")
    page_url: str
    version: int


class MeetingPage(Out):
    count: int
    next: str | None
    previous: str | None
    items: list[MeetingOut]


class When(StrEnum):
    ALL = "all"
    UPCOMING = "upcoming"
    PAST = "past"


class MeetingIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "QI team meeting",
                    "start": "2027-03-18T10:00:00+00:00",
                    "end": "2027-03-18T11:00:00+00:00",
                    "place": "Wellbeing Centre, room 2",
                    "video_link": "https://teams.microsoft.com/l/meetup-join/…",
                    "recurrence": "weekly",
                    "until": "2027-12-16",
                }
            ]
        }
    )

    title: str = Field(max_length=200)
    start: dt.datetime = Field(description="With a UTC offset; without one it is read as UK time.")
    end: dt.datetime = Field(description="On the same day as the start.")
    place: str = Field("", max_length=300)
    video_link: str = Field("", max_length=500, description="An https:// link to join by video.")
    agenda: str = Field("", max_length=20_000)
    recurrence: Recurrence = Recurrence.NONE
    until: dt.date | None = Field(None, description="The last day of a repeating series.")
    invitee_ids: list[int] | None = Field(
        None, description="People of the project's current team to invite; default: the whole team."
    )
    confirm_no_personal_data: bool = Field(
        False, description="Send true after checking text the personal-data guard flagged identifies nobody."
    )


class ActionOut(Out):
    id: int
    description: str
    owner: PersonRef | None
    due_on: dt.date | None
    done_on: dt.date | None
    meeting_id: int | None
    created_at: dt.datetime
    version: int


class ActionPage(Out):
    count: int
    next: str | None
    previous: str | None
    items: list[ActionOut]


class ActionIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"description": "Ask the admin team for completions", "owner_id": 12, "due_on": "2027-03-25"}
            ]
        }
    )

    description: str = Field(max_length=1000)
    owner_id: int | None = Field(None, description="A person in the project's current team.")
    due_on: dt.date | None = None
    meeting_id: int | None = Field(None, description="The meeting the action was agreed at.")
    confirm_no_personal_data: bool = False


class DoneIn(Schema):
    done: bool = Field(True, description="true: done today; false: not done after all.")


def _meeting_out(request: HttpRequest, meeting: Meeting) -> MeetingOut:
    kwargs = {"pk": meeting.project_id, "meeting_pk": meeting.pk}
    return MeetingOut(
        id=meeting.pk,
        title=meeting.title,
        start=meeting.start,
        end=meeting.end,
        place=meeting.place,
        video_link=meeting.video_link,
        agenda=meeting.agenda,
        minutes=meeting.minutes,
        cancelled=meeting.is_cancelled,
        series_id=meeting.series_id or (meeting.pk if meeting.recurrence_id else None),
        recurrence=Choice(code=meeting.recurrence, label=meeting.get_recurrence_display()),
        uid=meeting.uid,
        sequence=meeting.sequence,
        papers=[
            PaperOut(
                id=p.pk,
                name=p.original_name,
                size=p.size,
                page_url=page_url(request, "meetings:paper", paper_pk=p.pk, **kwargs),
            )
            for p in meeting.papers.all()
        ],
        attendance=[
            AttendeeOut(
                person=PersonRef(id=a.person_id, name=a.person.display_name),
                status=Choice(code=a.status, label=a.get_status_display()),
            )
            for a in meeting.attendance.all()
        ],
        ics_url=request.build_absolute_uri(
            f"/api/v1/projects/{meeting.project_id}/meetings/{meeting.pk}/ics"
        ),
        page_url=page_url(request, "meetings:detail", **kwargs),
        version=meeting.version,
    )


def _meetings(project: Project) -> QuerySet[Meeting]:
    return project.meetings.prefetch_related("papers", "attendance__person")


def _meeting_or_404(project: Project, meeting_id: int) -> Meeting:
    meeting = (
        _meetings(project).filter(pk=meeting_id).select_related("series", "created_by", "project").first()
    )
    if meeting is None:
        raise Http404("Not found")
    return meeting


@router.get(
    "/projects/{project_id}/meetings",
    response=responses({200: MeetingPage}, 404, 422),
    url_name="meetings",
    summary="A project's meetings, in date order",
)
def meetings(
    request: HttpRequest, project_id: int, paging: PageParams, when: When = When.ALL
) -> dict[str, Any]:
    project, _level = project_or_404(request, project_id)
    found = _meetings(project)
    now = timezone.now()
    if when == When.UPCOMING:
        found = found.filter(end__gte=now).order_by("start", "id")
    elif when == When.PAST:
        found = found.filter(end__lt=now).order_by("-start", "-id")
    else:
        found = found.order_by("start", "id")
    return paginate(request, found, paging).out(lambda m: _meeting_out(request, m))


@router.get(
    "/projects/{project_id}/meetings/{meeting_id}",
    response=responses({200: MeetingOut}, 404, 422),
    url_name="meeting",
    summary="One meeting",
)
def meeting(request: HttpRequest, project_id: int, meeting_id: int) -> MeetingOut:
    project, _level = project_or_404(request, project_id)
    return _meeting_out(request, _meeting_or_404(project, meeting_id))


@router.get(
    "/projects/{project_id}/meetings/{meeting_id}/ics",
    response=responses({}, 404, 422),
    url_name="meeting_ics",
    summary="One meeting (its whole series) as an .ics calendar file",
    openapi_extra={
        "responses": {
            "200": {
                "description": "RFC 5545 calendar: the series with its moved and cancelled meetings.",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def meeting_ics(request: HttpRequest, project_id: int, meeting_id: int) -> HttpResponse:
    project, _level = project_or_404(request, project_id)
    found = _meeting_or_404(project, meeting_id)
    master = found.series or found
    base_url = request.build_absolute_uri("/").rstrip("/")
    body = calendar.feed_ics(services.series_events(master, base_url), name=master.title)
    response = HttpResponse(body, content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="meeting-{master.pk}.ics"'
    return response


def _local(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=timezone.get_current_timezone())
    return timezone.localtime(moment)


@router.post(
    "/projects/{project_id}/meetings",
    response=responses({201: MeetingOut}, *BODY, 403, 404),
    url_name="meeting_add",
    summary="Schedule a meeting or a series, and e-mail the invitations",
)
def add_meeting(request: HttpRequest, project_id: int, payload: MeetingIn) -> Status[MeetingOut]:
    project, _level = project_or_404(request, project_id, Level.EDIT)
    start, end = _local(payload.start), _local(payload.end)
    if end.date() != start.date():
        raise invalid("The meeting was not scheduled: see `errors`.", [_end_error()])
    invitees = (
        payload.invitee_ids
        if payload.invitee_ids is not None
        else list(team_people(project).values_list("pk", flat=True))
    )
    form = ScheduleForm(
        {
            "title": payload.title,
            "day": start.date().isoformat(),
            "start_time": f"{start:%H:%M}",
            "end_time": f"{end:%H:%M}",
            "place": payload.place,
            "video_link": payload.video_link,
            "agenda": payload.agenda,
            "recurrence": payload.recurrence.value,
            "until": payload.until.isoformat() if payload.until else "",
            "invitees": [str(i) for i in invitees],
            **({"confirm_no_personal_data": "on"} if payload.confirm_no_personal_data else {}),
        },
        project=project,
        **guard_kwargs(project),
    )
    names = {"day": "start", "start_time": "start", "end_time": "end", "invitees": "invitee_ids"}
    if not form.is_valid():
        raise form_problem(form, "The meeting was not scheduled: see `errors`.", names=names)
    try:
        made = services.schedule_meeting(
            project,
            form.details(),
            repeat=form.repeat(),
            invitees=list(form.cleaned_data["invitees"]),
            by=request.user,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except services.MeetingError as problem:
        raise invalid(
            "The meeting was not scheduled: see `errors`.", [_field_error(None, str(problem))]
        ) from problem
    record_confirmation(form, by=request.user, project=project, instance=made)
    return Status(201, _meeting_out(request, _meeting_or_404(project, made.pk)))


def _field_error(field: str | None, message: str) -> FieldError:
    return FieldError(field=field, message=message)


def _end_error() -> FieldError:
    return _field_error("end", "The meeting must end on the day it starts")


def _action_out(action: Action) -> ActionOut:
    return ActionOut(
        id=action.pk,
        description=action.description,
        owner=person_ref(action.owner),
        due_on=action.due_on,
        done_on=action.done_on,
        meeting_id=action.meeting_id,
        created_at=action.created_at,
        version=action.version,
    )


@router.get(
    "/projects/{project_id}/actions",
    response=responses({200: ActionPage}, 404, 422),
    url_name="actions",
    summary="A project's actions, open ones first, soonest due first",
)
def actions(
    request: HttpRequest, project_id: int, paging: PageParams, open: bool | None = None
) -> dict[str, Any]:
    project, _level = project_or_404(request, project_id)
    found = project.actions.select_related("owner")
    if open is not None:
        found = found.filter(done_on__isnull=open)
    found = found.order_by("done_on", "due_on", "id")
    return paginate(request, found, paging).out(_action_out)


@router.post(
    "/projects/{project_id}/actions",
    response=responses({201: ActionOut}, *BODY, 403, 404),
    url_name="action_add",
    summary="Add an action",
)
def add_action(request: HttpRequest, project_id: int, payload: ActionIn) -> Status[ActionOut]:
    project, _level = project_or_404(request, project_id, Level.EDIT)
    agreed_at = None
    if payload.meeting_id is not None:
        agreed_at = project.meetings.filter(pk=payload.meeting_id).first()
        if agreed_at is None:
            raise invalid(
                "The action was not added: see `errors`.",
                [_field_error("meeting_id", "Not a meeting of this project")],
            )
    form = ActionForm(
        {
            "description": payload.description,
            "owner": str(payload.owner_id) if payload.owner_id is not None else "",
            "due_on": payload.due_on.isoformat() if payload.due_on else "",
            **({"confirm_no_personal_data": "on"} if payload.confirm_no_personal_data else {}),
        },
        project=project,
        **guard_kwargs(project),
    )
    if not form.is_valid():
        raise form_problem(form, "The action was not added: see `errors`.", names={"owner": "owner_id"})
    made = action_services.add_action(
        project,
        description=form.cleaned_data["description"],
        owner=form.cleaned_data["owner"],
        due_on=form.cleaned_data["due_on"],
        meeting=agreed_at,
        by=request.user,
    )
    record_confirmation(form, by=request.user, project=project, instance=made)
    return Status(201, _action_out(made))


@router.post(
    "/projects/{project_id}/actions/{action_id}/done",
    response=responses({200: ActionOut}, *BODY, 403, 404),
    url_name="action_done",
    summary="Mark an action done (or not done): the project team, or the action's owner",
)
def action_done(request: HttpRequest, project_id: int, action_id: int, payload: DoneIn) -> ActionOut:
    project, level = project_or_404(request, project_id)
    found = project.actions.select_related("owner").filter(pk=action_id).first()
    if found is None:
        raise Http404("Not found")
    if not action_services.may_tick(found, request.user, level):
        raise PermissionDenied("Only the project team or the action's owner can mark it done.")
    return _action_out(action_services.set_done(found, done=payload.done, by=request.user))


class CancelIn(Schema):
    whole_series: bool = Field(
        False, description="true: cancel every meeting of the series not yet held, not only this one."
    )


@router.post(
    "/projects/{project_id}/meetings/{meeting_id}/cancel",
    response=responses({200: list[MeetingOut]}, *BODY, 403, 404),
    url_name="meeting_cancel",
    summary="Cancel a meeting (or the rest of its series) and e-mail the cancellation",
)
def cancel_meeting(
    request: HttpRequest, project_id: int, meeting_id: int, payload: CancelIn
) -> list[MeetingOut]:
    project, _level = project_or_404(request, project_id, Level.EDIT)
    found = _meeting_or_404(project, meeting_id)
    cancelled = services.cancel_meeting(
        found,
        by=request.user,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        whole_series=payload.whole_series,
    )
    rows = _meetings(project).filter(pk__in=[m.pk for m in cancelled]).order_by("start", "id")
    return [_meeting_out(request, m) for m in rows]
