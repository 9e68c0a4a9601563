from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openqi.core.scoping import Scope
from openqi.organisations.models import Directorate


@dataclass
class OrganisationCard:
    name: str
    roles: str
    directorates: list[Directorate]
    is_admin: bool
    slug: str


class HomePresenter:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    @property
    def greeting(self) -> str:
        return f"Welcome, {self.scope.user.display_name}"

    @property
    def my_projects(self) -> list[Any]:
        """The person's current projects, with the 30-day score prompt, first thing after signing in."""
        from openqi.projects.presenters.projects import my_project_rows

        return my_project_rows(self.scope.user)

    @property
    def organisations(self) -> list[OrganisationCard]:
        directorates = list(self.scope.filter(Directorate).prefetch_related("services"))
        cards = []
        for membership in self.scope.memberships:
            org = membership.organisation
            cards.append(
                OrganisationCard(
                    name=org.name,
                    roles=", ".join(membership.role_labels),
                    directorates=[d for d in directorates if d.organisation_id == org.pk],
                    is_admin=membership.has_role("qi_team_admin"),
                    slug=org.slug,
                )
            )
        return cards
