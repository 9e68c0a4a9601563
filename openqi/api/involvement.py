"""Involvement (co-production): partners' involvement entries and the payment claims they make.

Payment records are narrower than the project (openqi.involvement.access): only the partner, the claim's
approver and the organisation's QI team admins see an entry; to anyone else it does not exist (404). The
pages' form checks the entry (the personal-data guard included), the pages' services log and decide it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

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
from openqi.api.problems import FieldError, Problem, invalid
from openqi.involvement import access, presenters, services
from openqi.involvement.forms import DecisionForm, InvolvementForm
from openqi.involvement.models import Activity, ClaimStatus, InvolvementEntry
from openqi.projects.access import Level
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import TeamRole

router = Router(tags=["Involvement"])


class InvolvementEntryOut(Out):
    id: int
    project: int
    partner: PersonRef | None
    occurred_on: dt.date
    activity: Choice
    minutes: int
    note: str
    meeting: int | None = Field(description="The team meeting the time was for, if any.")
    status: Choice = Field(description="not_claimed (time only), pending, approved or queried.")
    amount: Decimal = Field(description="Pounds, from the organisation's bands when the claim was made.")
    approver: PersonRef | None
    decided_by: PersonRef | None
    decided_at: dt.datetime | None
    query: str = Field(description="The approver's question, when the claim is queried.")
    page_url: str


class InvolvementPage(Out):
    count: int
    next: str | None
    previous: str | None
    items: list[InvolvementEntryOut]


class InvolvementEntryIn(Schema):
    occurred_on: dt.date = Field(description="The day the time was given: today or earlier.")
    activity: Activity
    minutes: int = Field(ge=15, le=24 * 60, description="Time given, in minutes.")
    note: str = Field("", max_length=300)
    claim: bool = Field(True, description="Claim payment for this time (false: record the time only).")
    meeting_id: int | None = Field(None, description="The project's team meeting the time was for, if any.")
    partner_id: int | None = Field(
        None, description="The partner, when the project lead logs on their behalf; partners leave it out."
    )
    confirm_over_limit: bool = Field(
        False, description="Send true, having read the warning, to make a claim that passes a weekly limit."
    )
    confirm_no_personal_data: bool = False


class DecisionIn(Schema):
    decision: Literal["approve", "query"]
    query: str = Field("", max_length=500, description="Your question for the partner (needed to query).")
    confirm_no_personal_data: bool = False


def entry_out(request: HttpRequest, entry: InvolvementEntry) -> InvolvementEntryOut:
    return InvolvementEntryOut(
        id=entry.pk,
        project=entry.project_id,
        partner=person_ref(entry.partner),
        occurred_on=entry.occurred_on,
        activity=Choice(code=entry.activity, label=entry.get_activity_display()),
        minutes=entry.minutes,
        note=entry.note,
        meeting=entry.meeting_id,
        status=Choice(code=entry.status, label=entry.get_status_display()),
        amount=entry.amount,
        approver=person_ref(entry.approver),
        decided_by=person_ref(entry.decided_by),
        decided_at=entry.decided_at,
        query=entry.query,
        page_url=page_url(request, "involvement:claim", claim_pk=entry.pk),
    )


def _page(request: HttpRequest, entries: QuerySet[InvolvementEntry], paging: Any) -> dict[str, Any]:
    page = paginate(request, presenters.with_relations(entries), paging)
    return page.out(lambda e: entry_out(request, e))


@router.get(
    "/involvement-entries",
    response=responses({200: InvolvementPage}, 422),
    url_name="involvement_entries",
    summary="Involvement entries and claims you may see: your own, those you approve, or (QI team) all",
)
def involvement_entries(
    request: HttpRequest, paging: PageParams, status: ClaimStatus | None = None
) -> dict[str, Any]:
    entries = access.payment_records_for(request.user)
    if status:
        entries = entries.filter(status=status)
    return _page(request, entries, paging)


@router.get(
    "/involvement-entries/{entry_id}",
    response=responses({200: InvolvementEntryOut}, 404),
    url_name="involvement_entry",
    summary="One involvement entry or claim",
)
def involvement_entry(request: HttpRequest, entry_id: int) -> InvolvementEntryOut:
    return entry_out(request, access.entry_or_404(request.user, entry_id))


@router.get(
    "/projects/{project_id}/involvement-entries",
    response=responses({200: InvolvementPage}, 404, 422),
    url_name="project_involvement_entries",
    summary="A project's involvement entries and claims that you may see",
)
def project_involvement_entries(request: HttpRequest, project_id: int, paging: PageParams) -> dict[str, Any]:
    project, _level = project_or_404(request, project_id)
    return _page(request, access.payment_records_for(request.user).filter(project=project), paging)


@router.post(
    "/projects/{project_id}/involvement-entries",
    response=responses({201: InvolvementEntryOut}, *BODY, 403, 404, 409),
    url_name="involvement_log",
    summary="Log a partner's involvement, and claim payment for it",
    description=(
        "A partner logs their own time; the project lead may log for a partner (`partner_id`). A claim "
        "that would pass the organisation's weekly payment or hours limit is refused with 409 and the "
        "warning, until it is sent again with `confirm_over_limit: true`."
    ),
)
def log_involvement(
    request: HttpRequest, project_id: int, payload: InvolvementEntryIn
) -> Status[InvolvementEntryOut]:
    project, level = project_or_404(request, project_id, Level.EDIT)
    access.check_may_log(request.user, project, level)
    partner: Any = request.user
    if payload.partner_id is not None and payload.partner_id != request.user.pk:
        if not access.may_log_for_others(level):
            raise Problem(403, "Only the project lead can log involvement for someone else.")
        member = (
            project.team.filter(user_id=payload.partner_id, role=TeamRole.PARTNER, left_on__isnull=True)
            .select_related("user")
            .first()
        )
        if member is None:
            raise invalid(
                "The entry was not logged: see `errors`.",
                [FieldError(field="partner_id", message="Select a partner in this project's team")],
            )
        partner = member.user
    elif not access.is_partner(request.user, project):
        raise invalid(
            "The entry was not logged: see `errors`.",
            [FieldError(field="partner_id", message="Give the partner you are logging for")],
        )
    meeting = None
    if payload.meeting_id is not None:
        meeting = project.meetings.filter(pk=payload.meeting_id).first()
        if meeting is None:
            raise invalid(
                "The entry was not logged: see `errors`.",
                [FieldError(field="meeting_id", message="Select a meeting of this project")],
            )
    form = InvolvementForm(
        {
            "occurred_on": payload.occurred_on.isoformat(),
            "activity": payload.activity.value,
            "minutes": str(Decimal(payload.minutes) / 60),
            "note": payload.note,
            **({"claim": "on"} if payload.claim else {}),
            **({"confirm_no_personal_data": "on"} if payload.confirm_no_personal_data else {}),
        },
        **guard_kwargs(project),
    )
    if not form.is_valid():
        raise form_problem(form, "The entry was not logged: see `errors`.")
    data = form.cleaned_data
    proposed = services.propose(
        project,
        partner=partner,
        occurred_on=data["occurred_on"],
        minutes=payload.minutes,
        claim=data["claim"],
    )
    if proposed.warnings and not payload.confirm_over_limit:
        raise Problem(
            409,
            " ".join(proposed.warnings) + " Send confirm_over_limit: true to make the claim anyway.",
            type="urn:openqi:problem:weekly-limit",
        )
    entry = services.log_involvement(
        project,
        partner=partner,
        occurred_on=data["occurred_on"],
        activity=data["activity"],
        minutes=payload.minutes,
        note=data["note"],
        claim=data["claim"],
        meeting=meeting,
        by=request.user,
    )
    record_confirmation(form, by=request.user, project=project, instance=entry)
    return Status(201, entry_out(request, entry))


@router.post(
    "/involvement-entries/{entry_id}/decision",
    response=responses({200: InvolvementEntryOut}, *BODY, 403, 404, 409),
    url_name="involvement_decide",
    summary="Approve or query a claim (its approver, or the QI team)",
)
def decide(request: HttpRequest, entry_id: int, payload: DecisionIn) -> InvolvementEntryOut:
    entry = access.entry_or_404(request.user, entry_id)
    if not access.may_decide(request.user, entry):
        raise Problem(403, "Only the claim's approver or the QI team can decide it.")
    form = DecisionForm(
        {
            "decision": payload.decision,
            "query": payload.query,
            **({"confirm_no_personal_data": "on"} if payload.confirm_no_personal_data else {}),
        },
        **guard_kwargs(entry.project),
    )
    if not form.is_valid():
        raise form_problem(form, "The decision was not saved: see `errors`.")
    try:
        decided = services.decide(
            entry, approve=payload.decision == "approve", query=form.cleaned_data["query"], by=request.user
        )
    except services.ClaimError as problem:
        raise Problem(409, str(problem)) from problem
    record_confirmation(form, by=request.user, project=entry.project, instance=decided)
    return entry_out(request, access.entry_or_404(request.user, decided.pk))
