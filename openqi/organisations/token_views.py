"""The API tokens of an organisation's people, for its QI team admins: who has tokens, when each was last
used, and revoking one (a leaver's laptop, a script that should stop). Only the admins reach it; everyone
else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openqi.accounts import tokens
from openqi.accounts.models import ApiToken
from openqi.accounts.presenters import TokenRow
from openqi.organisations.models import Membership, Organisation
from openqi.organisations.scoping import scope_for


def _tokens_of_people_in(organisation: Organisation, user: object) -> list[ApiToken]:
    people = scope_for(user).filter(Membership).filter(organisation=organisation).values("user_id")
    return list(
        ApiToken.objects.filter(user_id__in=people)
        .select_related("user")
        .order_by("user__name", "-created_at")
    )


@login_required
def api_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = scope_for(request.user).admin_organisation_or_404(slug)
    rows = [
        TokenRow(t, reverse("organisations:revoke_api_token", kwargs={"slug": slug, "pk": t.pk}))
        for t in _tokens_of_people_in(organisation, request.user)
    ]
    return render(request, "organisations/api_tokens.jinja", {"organisation": organisation, "rows": rows})


@require_POST
@login_required
def revoke_api_token(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = scope_for(request.user).admin_organisation_or_404(slug)
    token = next((t for t in _tokens_of_people_in(organisation, request.user) if t.pk == pk), None)
    if token is None:
        raise Http404("Not found")
    if tokens.revoke_token(token, by=request.user, organisation=organisation):
        messages.success(request, f"Token ‘{token.name}’ of {token.user.display_name} revoked.")
    return redirect("organisations:api_tokens", slug=organisation.slug)
