"""Invitation acceptance. The e-mailed link opens a confirmation page; only its POST accepts, because
mail scanners follow GET links and would otherwise spend the invitation."""

from __future__ import annotations

from allauth.account.internal.flows.login_by_code import LoginCodeVerificationProcess
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from openqi.organisations import services
from openqi.organisations.presenters import InvitationRow


@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.find_invitation(token)
    if found is None or found.status != "pending":
        status = found.status if found else "unknown"
        return render(request, "accounts/invitation_unavailable.jinja", {"status": status}, status=410)
    if request.method == "POST":
        try:
            user = services.accept_invitation(found)
        except services.InvitationUnavailable as exc:
            return render(
                request, "accounts/invitation_unavailable.jinja", {"status": exc.status}, status=410
            )
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("core:home")
        if request.user.is_authenticated:
            logout(request)
        # Accepting proves the invitation link arrived, not who is at the keyboard now (links get
        # forwarded), so the person still signs in with a fresh one-time code sent to the address.
        LoginCodeVerificationProcess.initiate(request=request, user=user, email=user.email)
        return redirect("account_confirm_login_code")
    return render(request, "accounts/invitation.jinja", {"invitation": InvitationRow(found), "token": token})
