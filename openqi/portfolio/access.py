"""Who may see which part of the portfolio (docs/adr/0025-portfolio-and-reporting.md).

- The dashboard and the signal scan: every member of the organisation who is not a guest. Its figures
  count only the projects the reader may see (`visible_projects`), so a QI team admin and an improvement
  advisor see the whole organisation, a sponsor, coach or member what the projects list shows them.
- Forum packs and the board report: the QI team admins and improvement advisors (they hold every
  project of the organisation); recording a forum's decisions: the QI team admins.
- Someone in no organisation, a guest, or a person of another organisation: 404, so the portfolio of an
  organisation is not disclosed by probing addresses.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from openqi.organisations.models import Organisation, Role
from openqi.organisations.scoping import scope_for


def readable_organisations(user: Any) -> list[Organisation]:
    return [m.organisation for m in scope_for(user).memberships if not m.is_guest]


def organisation_or_404(user: Any, slug: str | None = None, *, pk: int | None = None) -> Organisation:
    """The organisation whose portfolio is asked for (by `slug` or `pk`), or the person's first one."""
    for organisation in readable_organisations(user):
        if (pk is None or organisation.pk == pk) and slug in (None, "", organisation.slug):
            return organisation
    raise Http404("Not found")


def may_report(user: Any, organisation: Organisation) -> bool:
    scope = scope_for(user)
    return scope.has_role(organisation, Role.QI_TEAM_ADMIN) or scope.has_role(
        organisation, Role.IMPROVEMENT_ADVISOR
    )


def may_decide(user: Any, organisation: Organisation) -> bool:
    return scope_for(user).has_role(organisation, Role.QI_TEAM_ADMIN)


def reporting_organisation_or_404(
    user: Any, slug: str | None = None, *, pk: int | None = None
) -> Organisation:
    """As `organisation_or_404`, for the reports: 404 for anyone who may not make them."""
    for organisation in readable_organisations(user):
        chosen = (pk is None or organisation.pk == pk) and slug in (None, "", organisation.slug)
        if chosen and may_report(user, organisation):
            return organisation
    raise Http404("Not found")
