"""Who sees payment records, who logs involvement and who decides claims: the one place these are decided.

A payment record says what a person (often someone on benefits) was paid and when, so it is narrower than
the project: only the partner themself, the claim's approver and the organisation's QI team admins see it.
The project lead may log time on a partner's behalf, but does not then read the partner's payments.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from openqi.involvement.models import InvolvementEntry
from openqi.organisations.models import Role
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, current_roles
from openqi.projects.models import Project, TeamRole


def admin_organisation_ids(user: Any) -> list[int]:
    return [m.organisation_id for m in scope_for(user).memberships if m.has_role(Role.QI_TEAM_ADMIN)]


def payment_records_for(user: Any) -> QuerySet[InvolvementEntry]:
    """Every involvement entry this person may see: their own, those they approve, and every one in an
    organisation whose QI team they run."""
    if not getattr(user, "is_authenticated", False):
        return InvolvementEntry.objects.none()
    return (
        scope_for(user)
        .filter(InvolvementEntry)
        .filter(
            Q(partner=user) | Q(approver=user) | Q(project__organisation_id__in=admin_organisation_ids(user))
        )
    )


def entry_or_404(user: Any, pk: int) -> InvolvementEntry:
    """One entry this person may see, or 404: the others' payments are not disclosed, not even that they
    exist."""
    try:
        return (
            payment_records_for(user)
            .select_related("project__organisation", "partner", "approver")
            .get(pk=pk)
        )
    except InvolvementEntry.DoesNotExist as exc:
        raise Http404("Not found") from exc


def is_partner(user: Any, project: Project) -> bool:
    return TeamRole.PARTNER in current_roles(user, project)


def may_log_for_others(level: Level) -> bool:
    """The project lead (and the QI team admin) log on a partner's behalf."""
    return level >= Level.ADMIN


def check_may_log(user: Any, project: Project, level: Level) -> None:
    if not (is_partner(user, project) or may_log_for_others(level)):
        raise PermissionDenied("Only the project's partners and its lead can log involvement.")


def may_decide(user: Any, entry: InvolvementEntry) -> bool:
    """The approver, or a QI team admin of the organisation; never the partner on their own claim."""
    if entry.partner_id == user.pk:
        return False
    return entry.approver_id == user.pk or entry.project.organisation_id in admin_organisation_ids(user)


def may_tick_onboarding(user: Any, project: Project, level: Level) -> bool:
    """The lead and the coach keep the checklist (the QI team admin too)."""
    return level >= Level.ADMIN or TeamRole.COACH in current_roles(user, project)
