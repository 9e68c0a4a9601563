"""The one scoping helper. Every query for organisation data goes through `scope_for(user)`, which
knows which organisations a person belongs to and filters any organisation-owned model by the path
it declares (`organisation_path`). A test fails when a view or presenter queries such a model
directly (see core/tests/test_scoping_lint.py)."""

from __future__ import annotations

import contextlib
from functools import cached_property
from typing import Any, TypeVar

from django.db import models
from django.http import Http404

from openqi.organisations.models import Membership, Organisation, Role

M = TypeVar("M", bound=models.Model)


class Scope:
    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def memberships(self) -> list[Membership]:
        if not getattr(self.user, "is_authenticated", False):
            return []
        return list(Membership.objects.filter(user=self.user).select_related("organisation"))

    @cached_property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(m.organisation_id for m in self.memberships)

    def membership(self, organisation: Organisation) -> Membership | None:
        return next((m for m in self.memberships if m.organisation_id == organisation.pk), None)

    def has_role(self, organisation: Organisation, role: str) -> bool:
        membership = self.membership(organisation)
        return membership is not None and membership.has_role(role)

    def organisations(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(pk__in=self.organisation_ids)

    def administered_organisations(self) -> list[Organisation]:
        return [m.organisation for m in self.memberships if m.has_role(Role.QI_TEAM_ADMIN)]

    def filter(self, source: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
        """Rows of an organisation-owned model that belong to this person's organisations."""
        queryset = source._default_manager.all() if isinstance(source, type) else source
        path = getattr(queryset.model, "organisation_path", None)
        if path is None:
            raise TypeError(f"{queryset.model.__name__} declares no organisation_path; it cannot be scoped.")
        lookup = "pk__in" if path == "pk" else f"{path}__in"
        return queryset.filter(**{lookup: self.organisation_ids})

    def get_or_404(self, source: type[M] | models.QuerySet[M], **lookup: Any) -> M:
        """One row, or 404 for rows in other organisations as for rows that do not exist, so that
        nobody can learn what another organisation holds by probing URLs."""
        try:
            return self.filter(source).get(**lookup)
        except (models.ObjectDoesNotExist, ValueError) as exc:
            raise Http404("Not found") from exc

    def admin_organisation_or_404(self, slug: str) -> Organisation:
        for org in self.administered_organisations():
            if org.slug == slug:
                return org
        raise Http404("Not found")


def scope_for(user: Any) -> Scope:
    """The scope of a user, cached on the user object for the rest of the request."""
    scope = getattr(user, "_openqi_scope", None)
    if scope is None:
        scope = Scope(user)
        with contextlib.suppress(AttributeError):  # AnonymousUser accepts attributes; guard anyway
            user._openqi_scope = scope
    return scope
