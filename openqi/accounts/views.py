"""The account page: a signed-in person's API tokens, made (the secret shown once), listed with when each
was last used, and revoked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openqi.accounts import tokens
from openqi.accounts.forms import TokenForm
from openqi.accounts.models import ApiToken
from openqi.accounts.presenters import TokenRow


@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = tokens.issue_token(
            request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            expires_on=form.cleaned_data["expires_on"],
            by=request.user,
        )
        # Rendered, not redirected: the secret must not travel in a URL or a session; it is never shown again.
        form = TokenForm()
    rows = [
        TokenRow(t, reverse("accounts:revoke_token", kwargs={"pk": t.pk}))
        for t in ApiToken.objects.filter(user=request.user.pk)
    ]
    return render(
        request,
        "accounts/account.jinja",
        {"form": form, "issued": issued, "rows": rows},
        status=201 if issued else 200,
    )


@require_POST
@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user.pk, pk=pk).first()
    if token is None:
        raise Http404("Not found")
    if tokens.revoke_token(token, by=request.user):
        messages.success(request, f"Token ‘{token.name}’ revoked. Programs using it can no longer sign in.")
    return redirect("accounts:account")
