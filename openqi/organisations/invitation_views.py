"""Invitation acceptance. The e-mailed link opens a confirmation page; only its POST accepts, because
mail scanners follow GET links and would otherwise spend the invitation.

Accepting proves the invitation link arrived, not who is at the keyboard now (links get forwarded), so
the person then signs in like everyone else: the accepted page posts the invited address to allauth's own
"request a login code" view, which e-mails a fresh one-time code to that address. Going through allauth's
public URL rather than its internal flows keeps this working across allauth upgrades, and the rate limits
on requesting codes apply here too."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from openqi.organisations import services
from openqi.organisations.presenters import InvitationRow


@never_cache
def accept(request: HttpRequest, token: str) -> HttpResponse:
    found = services.find_invitation(token)
    if found is None or found.status != "pending":
        return _unavailable(request, found.status if found else "unknown")
    if request.method != "POST":
        return render(request, "organisations/invitation.jinja", {"invitation": InvitationRow(found)})
    try:
        user = services.accept_invitation(found)
    except services.InvitationUnavailable as exc:
        return _unavailable(request, exc.status)
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("core:home")
    if request.user.is_authenticated:
        logout(request)
    return render(request, "organisations/invitation_accepted.jinja", {"invitation": InvitationRow(found)})


def _unavailable(request: HttpRequest, status: str) -> HttpResponse:
    return render(request, "organisations/invitation_unavailable.jinja", {"status": status}, status=410)
