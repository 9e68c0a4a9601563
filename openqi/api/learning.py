"""Learning: the QI training pathway: programmes, cohorts, sessions, enrolments, attendance, feedback
summaries and a person's learning record. The rules are the pages' (openqi.learning.access): rows of another
organisation are a 404, what only the QI team or a session's facilitators may do a 403; writes go through the
pages' forms and services, which audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from openqi.accounts.models import User
from openqi.api.base import Out
from openqi.api.common import BODY, Choice, PersonRef, form_problem, page_url, person_ref, responses
from openqi.api.pagination import PageParams, paginate
from openqi.api.problems import Problem
from openqi.learning import access, presenters, reports, services
from openqi.learning.forms import EnrolForm, RegisterForm
from openqi.learning.models import Cohort, Enrolment, EnrolmentStatus, Feedback, Group, Programme, Session
from openqi.organisations.scoping import scope_for

router = Router(tags=["Learning"])


class ProgrammeOut(Out):
    id: int
    organisation_id: int
    name: str
    short_name: str
    audience: Choice
    kind: Choice
    length: str
    prepares_for: str
    completion_percent: int = Field(description="Share of a cohort's sessions a learner attends to complete.")
    prepares_coaches: bool
    next_programme_ids: list[int] = Field(description="What the pathway suggests after it.")
    page_url: str


class ProgrammePage(Out):
    count: int
    next: str | None
    previous: str | None
    items: list[ProgrammeOut]


class SessionOut(Out):
    id: int
    title: str
    date: dt.date
    starts_at: dt.time | None
    ends_at: dt.time | None
    place: str
    video_link: str
    facilitators: list[PersonRef]
    register_taken: bool


class CohortOut(Out):
    id: int
    programme_id: int
    name: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    capacity: int
    places_taken: int
    open_to_requests: bool
    facilitators: list[PersonRef]
    sessions: list[SessionOut]
    page_url: str


class EnrolmentOut(Out):
    id: int
    cohort_id: int
    person: PersonRef
    status: Choice
    group: Choice
    completed_on: dt.date | None


class EnrolmentIn(Schema):
    group: Group = Field(description="Taking part as staff, or as a service user or carer.")


class AttendanceOut(Out):
    enrolment_id: int
    person: PersonRef
    present: bool | None = Field(description="null until the register is taken.")


class RegisterIn(Schema):
    present: list[int] = Field(
        description="Enrolment ids of everyone who came; every other enrolled person was absent."
    )


class DistributionOut(Out):
    counts: dict[str, int] = Field(description="How many gave each rating, '1' to '5'.")
    answers: int
    mean: float | None
    median: float | None


class FeedbackSummaryOut(Out):
    responses: int
    useful_yes: int
    useful_no: int
    rating: DistributionOut = Field(description="1 = poor, 5 = great.")
    usefulness: DistributionOut = Field(description="1 = not useful at all, 5 = very useful.")
    comments: list[str] = Field(description="Without names.")


class RecordLineOut(Out):
    programme_id: int
    programme: str
    cohort_id: int
    cohort: str
    status: Choice
    completed_on: dt.date | None


class SuggestionOut(Out):
    programme_id: int
    programme: str
    next_cohort_id: int | None


class RecordOut(Out):
    person: PersonRef
    organisation_id: int
    in_a_word: str = Field(description="As the project team page shows it, e.g. 'Pocket QI ✓'.")
    completed: list[RecordLineOut]
    current: list[RecordLineOut]
    suggested_next: list[SuggestionOut]
    is_coach: bool
    coaching_project_ids: list[int]


def _choice(value: str, label: str) -> Choice:
    return Choice(code=value, label=str(label))


def programme_out(request: HttpRequest, p: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        id=p.pk,
        organisation_id=p.organisation_id,
        name=p.name,
        short_name=p.short_name,
        audience=_choice(p.audience, p.get_audience_display()),
        kind=_choice(p.kind, p.get_kind_display()),
        length=p.length,
        prepares_for=p.prepares_for,
        completion_percent=p.completion_percent,
        prepares_coaches=p.prepares_coaches,
        next_programme_ids=sorted(q.pk for q in p.next_programmes.all()),
        page_url=page_url(request, "learning:programme", pk=p.pk),
    )


def _people(users: Any) -> list[PersonRef]:
    return [PersonRef(id=u.pk, name=u.display_name) for u in users]


def cohort_out(request: HttpRequest, c: Cohort) -> CohortOut:
    sessions = c.sessions.prefetch_related("facilitators")
    return CohortOut(
        id=c.pk,
        programme_id=c.programme_id,
        name=c.name,
        starts_on=c.starts_on,
        ends_on=c.ends_on,
        capacity=c.capacity,
        places_taken=services.places_taken(c),
        open_to_requests=c.is_open(),
        facilitators=_people(c.facilitators.all()),
        sessions=[
            SessionOut(
                id=s.pk,
                title=s.title,
                date=s.date,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                place=s.place,
                video_link=s.video_link,
                facilitators=_people(s.facilitators.all()),
                register_taken=s.register_taken_at is not None,
            )
            for s in sessions
        ],
        page_url=page_url(request, "learning:cohort", pk=c.pk),
    )


def enrolment_out(e: Enrolment) -> EnrolmentOut:
    return EnrolmentOut(
        id=e.pk,
        cohort_id=e.cohort_id,
        person=PersonRef(id=e.user.pk, name=e.user.display_name),
        status=_choice(e.status, e.get_status_display()),
        group=_choice(e.group, e.get_group_display()),
        completed_on=e.completed_on,
    )


def _distribution(d: reports.Distribution) -> DistributionOut:
    return DistributionOut(
        counts={str(k): v for k, v in d.counts.items()}, answers=d.total, mean=d.mean, median=d.median
    )


def summary_out(summary: reports.FeedbackSummary) -> FeedbackSummaryOut:
    return FeedbackSummaryOut(
        responses=summary.responses,
        useful_yes=summary.useful_yes,
        useful_no=summary.useful_no,
        rating=_distribution(summary.rating),
        usefulness=_distribution(summary.usefulness),
        comments=summary.comments,
    )


# --- programmes and cohorts ----------------------------------------------------------------------------


@router.get(
    "/learning/programmes",
    response=responses({200: ProgrammePage}, 422),
    url_name="learning_programmes",
    summary="The training programmes of your organisations, in pathway order",
)
def programmes(request: HttpRequest, paging: PageParams) -> dict[str, Any]:
    rows = scope_for(request.user).filter(Programme).prefetch_related("next_programmes")
    return paginate(request, rows, paging).out(lambda p: programme_out(request, p))


@router.get(
    "/learning/programmes/{programme_id}",
    response=responses({200: ProgrammeOut}, 404, 422),
    url_name="learning_programme",
    summary="One programme",
)
def programme(request: HttpRequest, programme_id: int) -> ProgrammeOut:
    return programme_out(request, access.programme_or_404(request.user, programme_id))


@router.get(
    "/learning/programmes/{programme_id}/cohorts",
    response=responses({200: list[CohortOut]}, 404, 422),
    url_name="learning_cohorts",
    summary="A programme's cohorts (waves), newest first, with their sessions",
)
def cohorts(request: HttpRequest, programme_id: int) -> list[CohortOut]:
    item = access.programme_or_404(request.user, programme_id)
    rows = item.cohorts.prefetch_related("facilitators")
    if not access.is_qi_team(request.user, item.organisation_id):
        rows = rows.filter(is_historic=False)
    return [cohort_out(request, c) for c in rows]


@router.get(
    "/learning/cohorts/{cohort_id}",
    response=responses({200: CohortOut}, 404, 422),
    url_name="learning_cohort",
    summary="One cohort with its sessions",
)
def cohort(request: HttpRequest, cohort_id: int) -> CohortOut:
    return cohort_out(request, access.cohort_or_404(request.user, cohort_id))


# --- enrolments ----------------------------------------------------------------------------------------


@router.get(
    "/learning/cohorts/{cohort_id}/enrolments",
    response=responses({200: list[EnrolmentOut]}, 403, 404, 422),
    url_name="learning_enrolments",
    summary="Who is enrolled, waiting or asked to join (the QI team and facilitators)",
)
def enrolments(request: HttpRequest, cohort_id: int) -> list[EnrolmentOut]:
    item = access.cohort_or_404(request.user, cohort_id)
    if not access.runs_cohort(request.user, item):
        raise Problem(403, "Only the cohort's facilitators and the QI team see who is enrolled.")
    return [enrolment_out(e) for e in item.enrolments.select_related("user")]


@router.post(
    "/learning/cohorts/{cohort_id}/enrolments",
    response=responses({201: EnrolmentOut}, *BODY, 404, 409),
    url_name="learning_enrol",
    summary="Ask to join a cohort (the QI team approves)",
)
def enrol(request: HttpRequest, cohort_id: int, payload: EnrolmentIn) -> Status[EnrolmentOut]:
    item = access.cohort_or_404(request.user, cohort_id)
    form = EnrolForm({"group": payload.group.value})
    if not form.is_valid():
        raise form_problem(form, "The request was not made: see `errors`.")
    try:
        enrolment = services.request_place(
            item, user=request.user, group=form.cleaned_data["group"], by=request.user
        )
    except services.LearningError as refusal:
        raise Problem(409, str(refusal)) from refusal
    return Status(201, enrolment_out(enrolment))


# --- attendance and feedback ---------------------------------------------------------------------------


@router.get(
    "/learning/sessions/{session_id}/attendance",
    response=responses({200: list[AttendanceOut]}, 403, 404, 422),
    url_name="learning_attendance",
    summary="A session's register (facilitators and the QI team)",
)
def attendance(request: HttpRequest, session_id: int) -> list[AttendanceOut]:
    session = access.session_or_404(request.user, session_id, run=True)
    return _register(session)


def _register(session: Session) -> list[AttendanceOut]:
    marked = {a.enrolment_id: a.present for a in session.attendance.all()}
    enrolled = session.cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related("user")
    return [
        AttendanceOut(
            enrolment_id=e.pk,
            person=PersonRef(id=e.user.pk, name=e.user.display_name),
            present=marked.get(e.pk),
        )
        for e in enrolled
    ]


@router.post(
    "/learning/sessions/{session_id}/attendance",
    response=responses({200: list[AttendanceOut]}, *BODY, 403, 404),
    url_name="learning_register",
    summary="Take a session's register; completion follows the programme's rule",
)
def take_register(request: HttpRequest, session_id: int, payload: RegisterIn) -> list[AttendanceOut]:
    session = access.session_or_404(request.user, session_id, run=True)
    enrolled = list(session.cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related("user"))
    form = RegisterForm({"present": [str(pk) for pk in payload.present]}, enrolments=enrolled)
    if not form.is_valid():
        raise form_problem(form, "The register was not saved: every id must be an enrolment on this cohort.")
    services.take_register(session, form.present_ids, by=request.user)
    return _register(session)


@router.get(
    "/learning/sessions/{session_id}/feedback-summary",
    response=responses({200: FeedbackSummaryOut}, 403, 404, 422),
    url_name="learning_session_feedback",
    summary="Feedback on a session: distributions, not only means",
)
def session_feedback(request: HttpRequest, session_id: int) -> FeedbackSummaryOut:
    session = access.session_or_404(request.user, session_id, run=True)
    return summary_out(reports.summarise(session.feedback.all()))


@router.get(
    "/learning/cohorts/{cohort_id}/feedback-summary",
    response=responses({200: FeedbackSummaryOut}, 403, 404, 422),
    url_name="learning_cohort_feedback",
    summary="Feedback on every session of a cohort",
)
def cohort_feedback(request: HttpRequest, cohort_id: int) -> FeedbackSummaryOut:
    item = access.cohort_or_404(request.user, cohort_id)
    if not access.runs_cohort(request.user, item):
        raise Problem(403, "Only the cohort's facilitators and the QI team read its feedback.")
    return summary_out(
        reports.summarise(scope_for(request.user).filter(Feedback).filter(session__cohort=item))
    )


@router.get(
    "/learning/programmes/{programme_id}/feedback-summary",
    response=responses({200: FeedbackSummaryOut}, 403, 404, 422),
    url_name="learning_programme_feedback",
    summary="Feedback on every session of every cohort of a programme (the QI team)",
)
def programme_feedback(request: HttpRequest, programme_id: int) -> FeedbackSummaryOut:
    item = access.programme_or_404(request.user, programme_id)
    if not access.is_qi_team(request.user, item.organisation_id):
        raise Problem(403, "Only the QI team reads a whole programme's feedback.")
    rows = scope_for(request.user).filter(Feedback).filter(session__cohort__programme=item)
    return summary_out(reports.summarise(rows))


# --- records -------------------------------------------------------------------------------------------


def _line(line: presenters.EnrolmentLine) -> RecordLineOut:
    e = line.enrolment
    return RecordLineOut(
        programme_id=e.cohort.programme_id,
        programme=e.cohort.programme.name,
        cohort_id=e.cohort_id,
        cohort=e.cohort.name,
        status=_choice(e.status, e.get_status_display()),
        completed_on=e.completed_on,
    )


def record_out(person: Any, viewer: Any) -> RecordOut:
    organisation = access.record_organisation_or_404(viewer, person)
    record = presenters.learning_record(person, organisation)
    return RecordOut(
        person=person_ref(person) or PersonRef(id=person.pk, name=person.display_name),
        organisation_id=organisation.pk,
        in_a_word=record.summary,
        completed=[_line(line) for line in record.completed],
        current=[_line(line) for line in record.current],
        suggested_next=[
            SuggestionOut(
                programme_id=s.programme.pk,
                programme=s.programme.name,
                next_cohort_id=s.cohort.pk if s.cohort else None,
            )
            for s in record.suggestions
        ],
        is_coach=record.is_coach,
        coaching_project_ids=record.coaching_project_ids,
    )


@router.get(
    "/learning/people/{person_id}/record",
    response=responses({200: RecordOut}, 404, 422),
    url_name="learning_record",
    summary="A person's learning record: yours, or theirs for the QI team and their project's lead and coach",
)
def person_record(request: HttpRequest, person_id: int) -> RecordOut:
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404("Not found")
    return record_out(person, request.user)
