"""A person's place on the pathway: what they completed, what they are on, and what comes next.

Everything here starts from rows already scoped to one organisation (the caller passes it), and reads a
person's enrolments in one query, so a team page asks once for the whole team."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from openqi.learning.models import Cohort, Enrolment, EnrolmentStatus, Group, Programme
from openqi.organisations.models import Organisation

ACTIVE = (EnrolmentStatus.REQUESTED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)


@dataclass
class Pathway:
    """An organisation's programmes with the links between them, read once."""

    programmes: list[Programme]
    next_of: dict[int, list[int]]
    previous_of: dict[int, list[int]]

    @classmethod
    def of(cls, organisation: Organisation | int) -> Pathway:
        organisation_id = organisation if isinstance(organisation, int) else organisation.pk
        programmes = list(Programme.objects.filter(organisation_id=organisation_id))
        links = Programme.next_programmes.through.objects.filter(
            from_programme__organisation_id=organisation_id
        )
        next_of: dict[int, list[int]] = defaultdict(list)
        previous_of: dict[int, list[int]] = defaultdict(list)
        for from_id, to_id in links.values_list("from_programme_id", "to_programme_id"):
            next_of[from_id].append(to_id)
            previous_of[to_id].append(from_id)
        return cls(programmes, next_of, previous_of)

    def by_pk(self, pk: int) -> Programme | None:
        return next((p for p in self.programmes if p.pk == pk), None)

    def entry_points(self, group: str) -> list[Programme]:
        """Where someone with no training starts: programmes for them that nothing for them comes before."""
        return [
            p
            for p in self.programmes
            if p.is_for(group)
            and not any(
                (q := self.by_pk(pk)) is not None and q.is_for(group) for pk in self.previous_of[p.pk]
            )
        ]

    def suggestions(self, group: str, completed: set[int], active: set[int]) -> list[Programme]:
        if not completed:
            candidates = self.entry_points(group)
        else:
            ids = {n for pk in completed for n in self.next_of[pk]}
            candidates = [p for p in self.programmes if p.pk in ids]
        return [p for p in candidates if p.pk not in completed and p.pk not in active and p.is_for(group)]


def next_cohorts(programmes: Iterable[Programme], today: dt.date | None = None) -> dict[int, Cohort]:
    """The next cohort open to requests, for each programme that has one (one query)."""
    today = today or timezone.localdate()
    ids = [p.pk for p in programmes]
    found: dict[int, Cohort] = {}
    cohorts = (
        Cohort.objects.filter(
            programme_id__in=ids, is_historic=False, self_enrolment=True, starts_on__gte=today
        )
        .select_related("programme")
        .order_by("starts_on", "pk")
    )
    for cohort in cohorts:
        found.setdefault(cohort.programme_id, cohort)
    return found


def enrolments_of(users: Iterable[Any], organisation: Organisation | int) -> dict[int, list[Enrolment]]:
    """Each person's enrolments in the organisation's programmes, pathway order (one query)."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    found: dict[int, list[Enrolment]] = defaultdict(list)
    rows = (
        Enrolment.objects.filter(
            user__in=[u.pk for u in users], cohort__programme__organisation_id=organisation_id
        )
        .select_related("cohort__programme")
        .order_by("cohort__programme__position", "cohort__starts_on", "pk")
    )
    for enrolment in rows:
        found[enrolment.user_id].append(enrolment)
    return found


def programme_label(programme: Programme) -> str:
    return programme.short_name or programme.name


def cohort_label(cohort: Cohort) -> str:
    return f"{programme_label(cohort.programme)} {cohort.name[:1].lower()}{cohort.name[1:]}"


@dataclass
class Standing:
    """A person's training in a few words, and where the pathway points them."""

    completed: list[Enrolment] = field(default_factory=list)
    active: list[Enrolment] = field(default_factory=list)

    @classmethod
    def of(cls, enrolments: Iterable[Enrolment]) -> Standing:
        standing = cls()
        done: set[int] = set()
        for e in enrolments:
            if e.completed_on is not None and e.cohort.programme_id not in done:
                standing.completed.append(e)
                done.add(e.cohort.programme_id)
        for e in enrolments:
            if e.completed_on is None and e.status in ACTIVE and e.cohort.programme_id not in done:
                standing.active.append(e)
        return standing

    @property
    def completed_ids(self) -> set[int]:
        return {e.cohort.programme_id for e in self.completed}

    @property
    def active_ids(self) -> set[int]:
        return {e.cohort.programme_id for e in self.active}

    @property
    def has_training(self) -> bool:
        return bool(self.completed or self.active)

    def in_words(self) -> str:
        """ "Pocket QI ✓, ILP wave 9 — in progress"; the furthest completed step only, to stay short."""
        words = []
        if self.completed:
            furthest = max(self.completed, key=lambda e: (e.cohort.programme.position, e.completed_on))
            words.append(f"{programme_label(furthest.cohort.programme)} ✓")
        for e in self.active:
            state = {
                EnrolmentStatus.ENROLLED: "in progress",
                EnrolmentStatus.REQUESTED: "asked to join",
                EnrolmentStatus.WAITING: "waiting list",
            }[EnrolmentStatus(e.status)]
            words.append(f"{cohort_label(e.cohort)} — {state}")
        return ", ".join(words) or "No training yet"


def group_of(enrolments: Iterable[Enrolment], *, is_partner: bool) -> str:
    """Staff or service user / carer: as they last enrolled, else as their role says."""
    latest = max(enrolments, key=lambda e: e.requested_at, default=None)
    if latest is not None:
        return latest.group
    return Group.PARTNER if is_partner else Group.STAFF
