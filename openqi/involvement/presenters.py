"""Involvement for display: claim rows, the onboarding checklist on the team page, reflections on the
project overview, and the approver's panel on the home page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from openqi.core.formatting import date_and_time, long_date
from openqi.involvement import access
from openqi.involvement.models import (
    Agreement,
    ClaimStatus,
    CoproductionReflection,
    InvolvementEntry,
    OnboardingItem,
    PartnerOnboarding,
    ReflectionStage,
    ReflectionTheme,
)
from openqi.involvement.services import hours_text
from openqi.projects.access import Level
from openqi.projects.models import Project, TeamRole

STATUS_TAG = {
    ClaimStatus.NOT_CLAIMED: "nhsuk-tag--grey",
    ClaimStatus.PENDING: "nhsuk-tag--blue",
    ClaimStatus.APPROVED: "nhsuk-tag--green",
    ClaimStatus.QUERIED: "nhsuk-tag--orange",
}


def money(amount: Decimal | None) -> str:
    return f"£{amount:.2f}" if amount is not None else ""


@dataclass(frozen=True)
class ClaimRow:
    entry: InvolvementEntry

    @property
    def href(self) -> str:
        return reverse("involvement:claim", kwargs={"claim_pk": self.entry.pk})

    @property
    def date(self) -> str:
        return long_date(self.entry.occurred_on)

    @property
    def activity(self) -> str:
        return self.entry.get_activity_display()

    @property
    def time(self) -> str:
        return hours_text(self.entry.minutes)

    @property
    def amount(self) -> str:
        return money(self.entry.amount) if self.entry.is_claim else "–"

    @property
    def status(self) -> str:
        return self.entry.get_status_display()

    @property
    def status_class(self) -> str:
        return STATUS_TAG[ClaimStatus(self.entry.status)]

    @property
    def partner(self) -> str:
        return str(self.entry.partner.display_name)

    @property
    def project(self) -> str:
        return self.entry.project.title

    @property
    def approver(self) -> str:
        if not self.entry.is_claim:
            return ""
        return str(self.entry.approver.display_name) if self.entry.approver else "The QI team"

    @property
    def decided(self) -> str:
        if self.entry.decided_at is None:
            return ""
        who = self.entry.decided_by.display_name if self.entry.decided_by else "Someone"
        return f"{who}, {date_and_time(self.entry.decided_at)}"

    @property
    def meeting(self) -> str:
        meeting = self.entry.meeting
        return f"{meeting.title}, {long_date(meeting.start)}" if meeting is not None else ""


def claim_rows(entries: Iterable[InvolvementEntry]) -> list[ClaimRow]:
    return [ClaimRow(e) for e in entries]


def with_relations(entries: QuerySet[InvolvementEntry]) -> QuerySet[InvolvementEntry]:
    return entries.select_related("project", "partner", "approver", "decided_by", "meeting")


# --- the team page: onboarding checklist --------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistRow:
    member_pk: int
    partner: str
    checklist: PartnerOnboarding
    contact: str

    @property
    def items(self) -> list[tuple[str, bool]]:
        ticked = [(label, bool(getattr(self.checklist, value))) for value, label in OnboardingItem.choices]
        return [
            *ticked,
            (f"Named contact: {self.contact}" if self.contact else "Named contact", bool(self.contact)),
        ]

    @property
    def progress(self) -> str:
        return (
            "Complete"
            if self.checklist.complete
            else f"{self.checklist.done} of {PartnerOnboarding.TOTAL} done"
        )

    @property
    def href(self) -> str:
        return reverse(
            "involvement:onboarding", kwargs={"pk": self.checklist.project_id, "member_pk": self.member_pk}
        )


def checklists(project: Project, members: Iterable[Any]) -> list[ChecklistRow]:
    """A checklist for each current partner in `members` (team rows), in two queries."""
    partners = [m for m in members if m.role == TeamRole.PARTNER and m.left_on is None]
    saved = {
        c.partner_id: c
        for c in project.partner_onboardings.filter(
            partner_id__in=[m.user_id for m in partners]
        ).select_related("named_contact")
    }
    rows = []
    for member in partners:
        checklist = saved.get(member.user_id) or PartnerOnboarding(project=project, partner_id=member.user_id)
        contact = checklist.named_contact.display_name if checklist.named_contact_id else ""  # type: ignore[union-attr]
        rows.append(ChecklistRow(member.pk, member.user.display_name, checklist, contact))
    return rows


def onboarding_panel(project: Project, level: Level) -> dict[str, Any] | None:
    """The partners' checklists, for the lead and coach (and QI team) until every one is complete. The
    panel reads only the team: which of its people may tick is decided in the template from `keepers`."""
    if level < Level.EDIT:
        return None
    members = list(project.team.filter(left_on__isnull=True).select_related("user"))
    rows = [row for row in checklists(project, members) if not row.checklist.complete]
    if not rows:
        return None
    keepers = {m.user_id for m in members if m.role in (TeamRole.LEAD, TeamRole.COACH)}
    return {"rows": rows, "keepers": keepers, "admin": level >= Level.ADMIN}


def onboarding_column(project: Project, members: list[Any], level: Level) -> dict[int, Any]:
    """The team table's "Partner onboarding" cell: progress for each partner, for the team."""
    if level < Level.EDIT:
        return {}
    return {row.member_pk: row.progress for row in checklists(project, members)}


# --- reflections ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReflectionCard:
    reflection: CoproductionReflection

    @property
    def stage(self) -> str:
        return self.reflection.get_stage_display()

    @property
    def date(self) -> str:
        return long_date(self.reflection.recorded_on)

    @property
    def answers(self) -> list[tuple[str, str]]:
        return [
            (label, Agreement(getattr(self.reflection, theme)).label)
            for theme, label in ReflectionTheme.choices
        ]

    @property
    def href(self) -> str:
        return reverse(
            "involvement:reflection",
            kwargs={"pk": self.reflection.project_id, "stage": self.reflection.stage},
        )


@dataclass(frozen=True)
class StageLink:
    stage: str
    label: str
    done: bool
    href: str


def reflections_of(project: Project) -> list[ReflectionCard]:
    return [ReflectionCard(r) for r in project.coproduction_reflections.all()]


def stage_links(project: Project, cards: list[ReflectionCard]) -> list[StageLink]:
    done = {card.reflection.stage for card in cards}
    return [
        StageLink(
            stage,
            label,
            stage in done,
            reverse("involvement:reflection", kwargs={"pk": project.pk, "stage": stage}),
        )
        for stage, label in ReflectionStage.choices
    ]


def reflection_panel(project: Project, level: Level) -> dict[str, Any] | None:
    """The latest co-production reflection on the overview of a project that involves partners."""
    latest = project.coproduction_reflections.order_by("-recorded_on", "-id").first()
    if latest is None and level < Level.EDIT:
        return None
    return {
        "latest": ReflectionCard(latest) if latest else None,
        "href": reverse("involvement:project", kwargs={"pk": project.pk}),
    }


# --- the home page: claims waiting for this person ------------------------------------------------------


def approvals_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    waiting = access.payment_records_for(user).filter(status=ClaimStatus.PENDING).exclude(partner_id=user.pk)
    count = waiting.count()
    if not count:
        return None
    return {"count": count, "href": reverse("involvement:claims")}
