"""Coaching: the coach's caseload, coaching sessions (with the actions agreed), idea intake and triage,
and sponsor updates. The pages' rules (openqi.coaching.access), forms and services, so the API and the
pages cannot disagree: private notes reach only a project's coaches and the QI team."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, QueryDict
from ninja import Router, Schema, Status
from pydantic import Field

from openqi.api.base import Out
from openqi.api.common import (
    BODY,
    Choice,
    PersonRef,
    caller,
    form_problem,
    person_ref,
    project_or_404,
    responses,
)
from openqi.api.problems import Problem
from openqi.coaching import access, caseload, services
from openqi.coaching.forms import IdeaForm, SessionForm, TriageForm
from openqi.coaching.models import CoachingSession, Idea, IdeaStatus, SessionKind, SponsorUpdate
from openqi.organisations.models import Membership, Role
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level
from openqi.projects.guard import guard_kwargs, record_confirmation

router = Router(tags=["Coaching"])


class FlagOut(Out):
    code: str = Field(description="no_contact, score_stale, stalled or no_data.")
    text: str


class SignalOut(Out):
    measure: str
    measure_type: str
    variation: str | None = Field(description="The Making Data Count variation icon's code, if any.")
    headline: str


class CaseloadRowOut(Out):
    project_id: int
    title: str
    lifecycle: Choice
    progress_score: Decimal | None
    days_since_score_review: int | None
    last_contact: dt.date | None
    next_contact: dt.date | None
    open_actions: int
    signals: list[SignalOut]
    flags: list[FlagOut]


class CaseloadOut(Out):
    coach: PersonRef
    projects: list[CaseloadRowOut]


@router.get(
    "/coaching/caseload",
    response=responses({200: CaseloadOut}, 403, 404, 422),
    url_name="coaching_caseload",
    summary="A coach's caseload with its flags",
    description="Yours, or (for the QI team) any coach's in your organisation: `coach_id`.",
)
def coaching_caseload(request: HttpRequest, coach_id: int | None = None) -> CaseloadOut:
    user = caller(request)
    if not access.coaches_anything(user):
        raise PermissionDenied("The caseload is for QI coaches and the QI team.")
    coach: Any = user
    if coach_id is not None and coach_id != user.pk:
        coach = next((c for c in access.coaches_user_may_see(user) if c.pk == coach_id), None)
        if coach is None:
            raise Http404("Not found")
    rows = caseload.sort_and_filter(
        caseload.caseload_rows(access.caseload_projects(user, coach)), sort="title", flag="", stage=""
    )
    return CaseloadOut(
        coach=person_ref(coach),  # type: ignore[arg-type]
        projects=[
            CaseloadRowOut(
                project_id=row.project.pk,
                title=row.project.title,
                lifecycle=Choice(code=row.project.lifecycle, label=row.project.get_lifecycle_display()),
                progress_score=row.project.progress_score,
                days_since_score_review=row.days_since_review,
                last_contact=row.last_contact,
                next_contact=row.next_contact,
                open_actions=row.open_actions,
                signals=[
                    SignalOut(
                        measure=s.measure,
                        measure_type=s.measure_type,
                        variation=s.icon.code if s.icon else None,
                        headline=s.headline,
                    )
                    for s in row.signals
                ],
                flags=[FlagOut(code=f.code, text=f.text) for f in row.flags],
            )
            for row in rows
        ],
    )


class ActionRef(Out):
    id: int
    description: str
    owner: PersonRef | None
    due_on: dt.date | None
    done_on: dt.date | None


class SessionOut(Out):
    id: int
    held_on: dt.date
    kind: Choice
    coach: PersonRef | None
    participants: list[PersonRef]
    shared_notes: str
    private_notes: str | None = Field(
        description="Only for the project's coaches and the QI team; else null."
    )
    next_on: dt.date | None
    next_time: dt.time | None
    actions: list[ActionRef]


def session_out(session: CoachingSession, *, private: bool) -> SessionOut:
    return SessionOut(
        id=session.pk,
        held_on=session.held_on,
        kind=Choice(code=session.kind, label=session.get_kind_display()),
        coach=person_ref(session.coach),
        participants=[p for p in (person_ref(u) for u in session.participants.all()) if p is not None],
        shared_notes=session.shared_notes,
        private_notes=session.private_notes if private else None,
        next_on=session.next_on,
        next_time=session.next_time,
        actions=[
            ActionRef(
                id=a.pk,
                description=a.description,
                owner=person_ref(a.owner),
                due_on=a.due_on,
                done_on=a.done_on,
            )
            for a in session.actions.all()
        ],
    )


@router.get(
    "/projects/{project_id}/coaching-sessions",
    response=responses({200: list[SessionOut]}, 403, 404),
    url_name="coaching_sessions",
    summary="A project's coaching sessions, newest first",
)
def coaching_sessions(request: HttpRequest, project_id: int) -> list[SessionOut]:
    project, level = project_or_404(request, project_id)
    if not access.may_read_sessions(request.user, project, level):
        raise PermissionDenied("Coaching sessions are for the project team, its coaches and the QI team.")
    private = access.may_read_private_notes(request.user, project, level)
    sessions = project.coaching_sessions.select_related("coach").prefetch_related(
        "participants", "actions", "actions__owner"
    )
    return [session_out(s, private=private) for s in sessions]


class AgreedActionIn(Schema):
    description: str = Field(max_length=1000)
    owner_id: int | None = Field(None, description="A current team member.")
    due_on: dt.date | None = None


class SessionIn(Schema):
    held_on: dt.date
    kind: SessionKind
    participant_ids: list[int] = Field(default_factory=list, description="Current team members.")
    shared_notes: str = Field("", max_length=20_000)
    private_notes: str = Field("", max_length=20_000)
    next_on: dt.date | None = Field(None, description="Gives a calendar invitation to those taking part.")
    next_time: dt.time | None = None
    actions: list[AgreedActionIn] = Field(default_factory=list, max_length=3)
    confirm_no_personal_data: bool = False


@router.post(
    "/projects/{project_id}/coaching-sessions",
    response=responses({201: SessionOut}, *BODY, 403, 404),
    url_name="coaching_session_add",
    summary="Log a coaching session (the project's coach or the QI team)",
)
def add_coaching_session(request: HttpRequest, project_id: int, payload: SessionIn) -> Status[SessionOut]:
    project, level = project_or_404(request, project_id, Level.EDIT)
    if not access.may_coach(request.user, project, level):
        raise PermissionDenied("Only the project's QI coach or the QI team can log coaching sessions.")
    team = {m.user_id: m.user for m in project.team.filter(left_on__isnull=True).select_related("user")}
    data: dict[str, Any] = {
        "held_on": payload.held_on.isoformat(),
        "kind": payload.kind.value,
        "shared_notes": payload.shared_notes,
        "private_notes": payload.private_notes,
        "next_on": payload.next_on.isoformat() if payload.next_on else "",
        "next_time": payload.next_time.strftime("%H:%M") if payload.next_time else "",
    }
    form_data: Any = {
        **data,
        **({"confirm_no_personal_data": "on"} if payload.confirm_no_personal_data else {}),
    }
    for i, action in enumerate(payload.actions, start=1):
        form_data[f"action_{i}_description"] = action.description
        form_data[f"action_{i}_owner"] = str(action.owner_id) if action.owner_id else ""
        form_data[f"action_{i}_due_on"] = action.due_on.isoformat() if action.due_on else ""
    posted = QueryDict(mutable=True)
    for key, value in form_data.items():
        posted[key] = value
    posted.setlist("participants", [str(pk) for pk in payload.participant_ids])
    people = sorted((pk, user.display_name) for pk, user in team.items())
    form = SessionForm(posted, people=people, **guard_kwargs(project))
    if not form.is_valid():
        raise form_problem(form, "The coaching session was not saved: see `errors`.")
    cleaned = form.cleaned_data
    session = services.log_session(
        project,
        services.SessionRecord(
            held_on=cleaned["held_on"],
            kind=cleaned["kind"],
            participants=[team[pk] for pk in cleaned["participants"]],
            shared_notes=cleaned["shared_notes"],
            private_notes=cleaned["private_notes"],
            next_on=cleaned["next_on"],
            next_time=cleaned["next_time"],
            actions=form.agreed_actions(team),
        ),
        by=request.user,
    )
    record_confirmation(form, by=request.user, project=project, instance=session)
    return Status(201, session_out(session, private=True))


class IdeaOut(Out):
    id: int
    title: str
    problem: str
    affects: str
    could_try: str
    status: Choice
    coach_note: str
    brought_by: PersonRef | None
    coach: PersonRef | None
    project_id: int | None
    created_at: dt.datetime


def idea_out(idea: Idea) -> IdeaOut:
    return IdeaOut(
        id=idea.pk,
        title=idea.title,
        problem=idea.problem,
        affects=idea.affects,
        could_try=idea.could_try,
        status=Choice(code=idea.status, label=idea.get_status_display()),
        coach_note=idea.triage_note,
        brought_by=person_ref(idea.brought_by),
        coach=person_ref(idea.coach),
        project_id=idea.project_id,
        created_at=idea.created_at,
    )


@router.get(
    "/coaching/ideas",
    response=responses({200: list[IdeaOut]}, 422),
    url_name="coaching_ideas",
    summary="Ideas you brought, were brought to you, or (QI team) your organisation's",
)
def coaching_ideas(request: HttpRequest, status: IdeaStatus | None = None) -> list[IdeaOut]:
    ideas = access.ideas_for(request.user).select_related("brought_by", "coach")
    if status:
        ideas = ideas.filter(status=status)
    return [idea_out(i) for i in ideas[:500]]


class IdeaIn(Schema):
    coach_id: int = Field(description="A QI coach of your organisation.")
    title: str = Field(max_length=200)
    problem: str = Field(max_length=10_000, description="What is the problem?")
    affects: str = Field(max_length=10_000, description="Who does it affect?")
    could_try: str = Field(max_length=10_000, description="What could we try?")
    confirm_no_personal_data: bool = False


@router.post(
    "/coaching/ideas",
    response=responses({201: IdeaOut}, *BODY, 404),
    url_name="coaching_idea_add",
    summary="Bring an idea to a coach",
)
def add_coaching_idea(request: HttpRequest, payload: IdeaIn) -> Status[IdeaOut]:
    scope = scope_for(request.user)
    orgs = [m.organisation_id for m in scope.memberships]
    coach = next(
        (
            m
            for m in scope.filter(Membership)
            .filter(user_id=payload.coach_id, organisation_id__in=orgs)
            .select_related("user", "organisation")
            if m.has_role(Role.QI_COACH)
        ),
        None,
    )
    if coach is None:
        raise Problem(422, "Choose a QI coach of your organisation as `coach_id`.")
    form = IdeaForm(
        {
            "coach": str(coach.user_id),
            "title": payload.title,
            "problem": payload.problem,
            "affects": payload.affects,
            "could_try": payload.could_try,
            **({"confirm_no_personal_data": "on"} if payload.confirm_no_personal_data else {}),
        },
        coaches=[(coach.user_id, coach.user.display_name)],
        block=coach.organisation.block_personal_data,
    )
    if not form.is_valid():
        raise form_problem(form, "The idea was not sent: see `errors`.")
    idea = services.bring_idea(
        organisation=coach.organisation,
        coach=coach.user,
        service=None,
        title=form.cleaned_data["title"],
        problem=form.cleaned_data["problem"],
        affects=form.cleaned_data["affects"],
        could_try=form.cleaned_data["could_try"],
        by=request.user,
    )
    return Status(201, idea_out(idea))


class TriageIn(Schema):
    decision: IdeaStatus = Field(description="talking, project, parked or declined.")
    note: str = Field("", max_length=10_000, description="Needed to decline: the reason.")
    project_title: str = Field("", max_length=200)
    confirm_no_personal_data: bool = False


@router.post(
    "/coaching/ideas/{idea_id}/triage",
    response=responses({200: IdeaOut}, *BODY, 403, 404),
    url_name="coaching_idea_triage",
    summary="Decide on an idea (its coach or the QI team)",
)
def triage_coaching_idea(request: HttpRequest, idea_id: int, payload: TriageIn) -> IdeaOut:
    idea = (
        access.ideas_for(request.user).select_related("organisation", "brought_by").filter(pk=idea_id).first()
    )
    if idea is None:
        raise Http404("Not found")
    if not access.may_triage(request.user, idea):
        raise PermissionDenied("Only the coach it was brought to, or the QI team, can decide on an idea.")
    form = TriageForm(
        {
            "decision": payload.decision.value,
            "note": payload.note,
            "project_title": payload.project_title,
            **({"confirm_no_personal_data": "on"} if payload.confirm_no_personal_data else {}),
        },
        block=idea.organisation.block_personal_data,
    )
    if not form.is_valid():
        raise form_problem(form, "The decision was not saved: see `errors`.")
    try:
        services.triage_idea(
            idea,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            project_title=form.cleaned_data["project_title"],
            by=request.user,
        )
    except services.CoachingError as problem:
        raise Problem(422, str(problem)) from problem
    return idea_out(idea)


class UpdateSectionOut(Out):
    project_id: int
    title: str
    facts: dict[str, Any] = Field(description="What the data showed when the update was drafted.")
    coach_note: str


class SponsorUpdateOut(Out):
    id: int
    month: dt.date
    status: Choice
    sponsor: PersonRef | None
    prepared_by: PersonRef | None
    introduction: str
    needs: str = Field(description="What the coach needs from the sponsor.")
    sent_at: dt.datetime | None
    projects: list[UpdateSectionOut]


@router.get(
    "/coaching/sponsor-updates",
    response=responses({200: list[SponsorUpdateOut]}),
    url_name="coaching_sponsor_updates",
    summary="Sponsor updates you prepared, and those sent to you",
)
def sponsor_updates(request: HttpRequest) -> list[SponsorUpdateOut]:
    user = caller(request)
    scope = scope_for(user)
    found = (
        scope.filter(SponsorUpdate)
        .filter(Q(prepared_by=user) | Q(sponsor=user, status="sent"))
        .select_related("sponsor", "prepared_by")
        .prefetch_related("sections", "sections__project")
    )
    return [
        SponsorUpdateOut(
            id=u.pk,
            month=u.month,
            status=Choice(code=u.status, label=u.get_status_display()),
            sponsor=person_ref(u.sponsor),
            prepared_by=person_ref(u.prepared_by),
            introduction=u.introduction,
            needs=u.needs,
            sent_at=u.sent_at,
            projects=[
                UpdateSectionOut(
                    project_id=s.project_id, title=s.project.title, facts=s.facts, coach_note=s.coach_note
                )
                for s in u.sections.all()
            ],
        )
        for u in found[:200]
    ]
