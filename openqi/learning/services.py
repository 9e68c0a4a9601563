"""Operations that change learning records. Each takes `by=` and writes the audit trail itself."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from openqi.core import audit
from openqi.learning.models import (
    Attendance,
    Cohort,
    CohortTeam,
    CompletionSource,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Programme,
    Session,
)
from openqi.organisations.models import Organisation

# A place is taken by these; the waiting list and requests wait for one.
HOLDING_A_PLACE = (EnrolmentStatus.ENROLLED,)


class LearningError(Exception):
    """A refusal written for the person (shown next to the form or as a message)."""


def _org(cohort: Cohort) -> Organisation:
    return cohort.programme.organisation


# --- programmes and cohorts ----------------------------------------------------------------------------


@transaction.atomic
def save_programme(
    programme: Programme, values: dict[str, Any], *, by: Any, expected_version: int | None = None
) -> Programme:
    """Create (no pk yet) or update a programme from the form's values; audited field by field."""
    fields = Programme.AUDITED_FIELDS
    creating = programme.pk is None
    before = {} if creating else audit.snapshot(programme, fields)
    for name, value in values.items():
        if name != "next_programmes":
            setattr(programme, name, value)
    if creating:
        programme.save()
    else:
        programme.save_versioned(expected_version or programme.version)
    if "next_programmes" in values:
        programme.next_programmes.set([p for p in values["next_programmes"] if p.pk != programme.pk])
    audit.record(
        by=by,
        action="create" if creating else "update",
        instance=programme,
        organisation=programme.organisation,
        changes=audit.diff(before, audit.snapshot(programme, fields)),
    )
    return programme


@transaction.atomic
def save_cohort(
    cohort: Cohort, values: dict[str, Any], *, by: Any, expected_version: int | None = None
) -> Cohort:
    fields = Cohort.AUDITED_FIELDS
    creating = cohort.pk is None
    before = {} if creating else audit.snapshot(cohort, fields)
    for name, value in values.items():
        if name != "facilitators":
            setattr(cohort, name, value)
    if creating:
        cohort.save()
    else:
        cohort.save_versioned(expected_version or cohort.version)
    if "facilitators" in values:
        cohort.facilitators.set(values["facilitators"])
    audit.record(
        by=by,
        action="create" if creating else "update",
        instance=cohort,
        organisation=_org(cohort),
        changes=audit.diff(before, audit.snapshot(cohort, fields)),
    )
    return cohort


@transaction.atomic
def add_session(cohort: Cohort, values: dict[str, Any], *, by: Any) -> Session:
    facilitators = values.pop("facilitators", [])
    session = Session.objects.create(cohort=cohort, **values)
    session.facilitators.set(facilitators)
    audit.record(
        by=by,
        action="create",
        instance=session,
        organisation=_org(cohort),
        changes={"date": [None, str(session.date)], "title": [None, session.title]},
    )
    return session


@transaction.atomic
def add_team(cohort: Cohort, *, name: str, project: Any, by: Any) -> CohortTeam:
    team = CohortTeam.objects.create(cohort=cohort, name=name, project=project)
    audit.record(
        by=by,
        action="create",
        instance=team,
        organisation=_org(cohort),
        changes={"team": [None, name], "project": [None, str(project) if project else None]},
    )
    return team


# --- enrolment -----------------------------------------------------------------------------------------


def places_taken(cohort: Cohort) -> int:
    return cohort.enrolments.filter(status__in=HOLDING_A_PLACE).count()


def is_full(cohort: Cohort) -> bool:
    return places_taken(cohort) >= cohort.capacity


@transaction.atomic
def request_place(cohort: Cohort, *, user: Any, group: str, directorate: Any = None, by: Any) -> Enrolment:
    """A person asks to join: the QI team decides. Asking again after withdrawing opens the request again."""
    if not cohort.is_open():
        raise LearningError("This cohort is not taking requests to join.")
    enrolment = Enrolment.objects.select_for_update().filter(cohort=cohort, user=user).first()
    if enrolment is not None and enrolment.status not in (
        EnrolmentStatus.WITHDRAWN,
        EnrolmentStatus.DECLINED,
    ):
        raise LearningError(f"You have already asked to join: {enrolment.get_status_display().lower()}.")
    if enrolment is None:
        enrolment = Enrolment(cohort=cohort, user=user)
    enrolment.status = EnrolmentStatus.REQUESTED
    enrolment.group = group
    enrolment.directorate = directorate
    enrolment.requested_at = timezone.now()
    enrolment.decided_at = None
    enrolment.save()
    audit.record(
        by=by,
        action="create",
        instance=enrolment,
        organisation=_org(cohort),
        changes={"status": [None, enrolment.get_status_display()]},
    )
    return enrolment


@transaction.atomic
def enrol(cohort: Cohort, *, user: Any, group: str, directorate: Any = None, by: Any) -> Enrolment:
    """The QI team adds a person: a place if there is one, else the waiting list."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()  # one decision at a time per cohort
    enrolment, _created = Enrolment.objects.get_or_create(
        cohort=cohort, user=user, defaults={"group": group, "directorate": directorate}
    )
    if enrolment.status == EnrolmentStatus.ENROLLED:
        raise LearningError(f"{user.display_name} is already enrolled.")
    enrolment.group, enrolment.directorate = group, directorate
    return _place(enrolment, by=by)


def _place(enrolment: Enrolment, *, by: Any) -> Enrolment:
    before = enrolment.get_status_display()
    enrolment.status = EnrolmentStatus.WAITING if is_full(enrolment.cohort) else EnrolmentStatus.ENROLLED
    enrolment.decided_at = timezone.now()
    enrolment.save()
    audit.record(
        by=by,
        action="update",
        instance=enrolment,
        organisation=_org(enrolment.cohort),
        changes={"status": [before, enrolment.get_status_display()]},
    )
    return enrolment


@transaction.atomic
def approve(enrolment: Enrolment, *, by: Any) -> Enrolment:
    Cohort.objects.select_for_update().filter(pk=enrolment.cohort_id).first()
    if enrolment.status == EnrolmentStatus.ENROLLED:
        raise LearningError(f"{enrolment.user.display_name} is already enrolled.")
    return _place(enrolment, by=by)


@transaction.atomic
def set_status(enrolment: Enrolment, status: str, *, by: Any) -> Enrolment:
    """Decline a request or withdraw a place; a place given up goes to the first on the waiting list."""
    if status not in (EnrolmentStatus.DECLINED, EnrolmentStatus.WITHDRAWN):
        raise LearningError("Choose whether to decline or withdraw.")
    Cohort.objects.select_for_update().filter(pk=enrolment.cohort_id).first()
    had_place = enrolment.status == EnrolmentStatus.ENROLLED
    before = enrolment.get_status_display()
    enrolment.status = status
    enrolment.decided_at = timezone.now()
    enrolment.save()
    audit.record(
        by=by,
        action="update",
        instance=enrolment,
        organisation=_org(enrolment.cohort),
        changes={"status": [before, enrolment.get_status_display()]},
    )
    if had_place:
        waiting = enrolment.cohort.enrolments.filter(status=EnrolmentStatus.WAITING).order_by("requested_at")
        first = waiting.select_related("cohort__programme__organisation").first()
        if first is not None:
            _place(first, by=by)
    return enrolment


# --- registers and completion --------------------------------------------------------------------------


@transaction.atomic
def take_register(session: Session, present: Iterable[int], *, by: Any) -> list[Enrolment]:
    """Record who came (enrolment pks in `present`; every other enrolled person was absent), then decide
    completion for the cohort by the programme's rule. Returns the enrolments that completed just now."""
    present_ids = set(present)
    enrolled = list(session.cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED))
    existing = {a.enrolment_id: a for a in session.attendance.all()}
    now = timezone.now()
    changes: dict[str, list[Any]] = {}
    for enrolment in enrolled:
        came = enrolment.pk in present_ids
        row = existing.get(enrolment.pk)
        if row is None:
            Attendance.objects.create(session=session, enrolment=enrolment, present=came, recorded_by=by)
            changes[str(enrolment.user)] = [None, "present" if came else "absent"]
        elif row.present != came:
            changes[str(enrolment.user)] = [
                "present" if row.present else "absent",
                "present" if came else "absent",
            ]
            row.present, row.recorded_by, row.recorded_at = came, by, now
            row.save(update_fields=["present", "recorded_by", "recorded_at"])
    session.register_taken_at = now
    session.save(update_fields=["register_taken_at"])
    audit.record(by=by, action="update", instance=session, organisation=_org(session.cohort), changes=changes)
    return decide_completion(session.cohort, by=by)


def sessions_needed(total_sessions: int, percent: int) -> int:
    """How many sessions a learner must attend: the programme's share of them, rounded up (at least one)."""
    return max(1, math.ceil(total_sessions * percent / 100 - 1e-9))


def decide_completion(cohort: Cohort, *, by: Any) -> list[Enrolment]:
    """Completion by the rule, for everyone whose completion came from registers: the date is that of the
    session at which they reached the share. Imported records keep their own dates."""
    total = cohort.sessions.count()
    if total == 0:
        return []
    needed = sessions_needed(total, cohort.programme.completion_percent)
    attended: dict[int, list[Any]] = {}
    for enrolment_id, day in (
        Attendance.objects.filter(session__cohort=cohort, present=True)
        .order_by("session__date", "session_id")
        .values_list("enrolment_id", "session__date")
    ):
        attended.setdefault(enrolment_id, []).append(day)
    completed_now = []
    for enrolment in cohort.enrolments.exclude(completion_source=CompletionSource.RECORD).select_related(
        "user"
    ):
        days = attended.get(enrolment.pk, [])
        reached = (
            days[needed - 1] if len(days) >= needed and enrolment.status == EnrolmentStatus.ENROLLED else None
        )
        if reached != enrolment.completed_on:
            before = enrolment.completed_on
            enrolment.completed_on = reached
            enrolment.completion_source = CompletionSource.ATTENDANCE if reached else ""
            enrolment.save(update_fields=["completed_on", "completion_source"])
            audit.record(
                by=by,
                action="update",
                instance=enrolment,
                organisation=_org(cohort),
                changes={
                    "completed_on": [str(before) if before else None, str(reached) if reached else None]
                },
            )
            if reached:
                completed_now.append(enrolment)
    return completed_now


# --- feedback ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackAnswers:
    useful: bool
    rating: int
    usefulness: int
    comment: str


@transaction.atomic
def give_feedback(session: Session, enrolment: Enrolment, answers: FeedbackAnswers, *, by: Any) -> Feedback:
    """A learner's feedback on a session; giving it again replaces their earlier answers."""
    if enrolment.cohort_id != session.cohort_id:
        raise LearningError("You are not enrolled on this session's cohort.")
    feedback, created = Feedback.objects.update_or_create(
        session=session,
        enrolment=enrolment,
        defaults={
            "useful": answers.useful,
            "rating": answers.rating,
            "usefulness": answers.usefulness,
            "comment": answers.comment,
            "given_at": timezone.now(),
        },
    )
    audit.record(
        by=by,
        action="create" if created else "update",
        instance=feedback,
        organisation=_org(session.cohort),
        # The answers stay out of the audit trail: feedback is read only as a summary.
        changes={"feedback": [None, "given"]},
    )
    return feedback
