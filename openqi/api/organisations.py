"""The caller and their organisations: who the token acts as, which organisations they belong to with
which roles, and each organisation's structure (directorates, services, strategic priorities)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from openqi.api.base import Out
from openqi.api.common import Ref, caller, responses
from openqi.organisations.models import Directorate, Organisation, Role, StrategicPriority
from openqi.organisations.scoping import scope_for

router = Router(tags=["Organisations"])


class MembershipOut(Out):
    id: int
    name: str
    slug: str
    roles: list[str]
    is_guest: bool


class Me(Out):
    id: int
    email: str
    name: str
    organisations: list[MembershipOut]


class ServiceOut(Ref):
    pass


class DirectorateOut(Ref):
    services: list[ServiceOut]


class PriorityOut(Ref):
    active: bool


class OrganisationStructure(Out):
    id: int
    name: str
    slug: str
    directorates: list[DirectorateOut]
    strategic_priorities: list[PriorityOut]


def _memberships(request: HttpRequest) -> list[MembershipOut]:
    return [
        MembershipOut(
            id=m.organisation.pk,
            name=m.organisation.name,
            slug=m.organisation.slug,
            roles=[r for r in Role.values if m.has_role(r)],
            is_guest=m.is_guest,
        )
        for m in scope_for(request.user).memberships
    ]


@router.get("/me", response=responses({200: Me}), summary="The person this token acts as")
def me(request: HttpRequest) -> Me:
    user = caller(request)
    return Me(id=user.pk, email=user.email, name=user.name, organisations=_memberships(request))


@router.get(
    "/organisations", response=responses({200: list[MembershipOut]}), summary="Your organisations and roles"
)
def organisations(request: HttpRequest) -> list[MembershipOut]:
    return _memberships(request)


@router.get(
    "/organisations/{organisation_id}",
    response=responses({200: OrganisationStructure}, 404),
    summary="An organisation's directorates, services and strategic priorities",
)
def organisation(request: HttpRequest, organisation_id: int) -> OrganisationStructure:
    scope = scope_for(request.user)
    found = scope.get_or_404(Organisation, pk=organisation_id)
    directorates = scope.filter(Directorate).filter(organisation=found).prefetch_related("services")
    priorities = scope.filter(StrategicPriority).filter(organisation=found)
    return OrganisationStructure(
        id=found.pk,
        name=found.name,
        slug=found.slug,
        directorates=[
            DirectorateOut(
                id=d.pk, name=d.name, services=[ServiceOut(id=s.pk, name=s.name) for s in d.services.all()]
            )
            for d in directorates
        ],
        strategic_priorities=[PriorityOut(id=p.pk, name=p.name, active=p.is_active) for p in priorities],
    )
