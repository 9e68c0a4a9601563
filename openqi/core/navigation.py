"""Header parameters for the NHS.UK header macro: service name, navigation and account links. The
navigation is what apps registered on `plugins.navigation` (a section appears once its app exists)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from openqi.core import plugins


def header_params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = {
        "service": {"text": "OpenQI", "href": reverse("core:home")},
        "logo": {"href": reverse("core:home"), "ariaLabel": "OpenQI homepage"},
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items = []
        for section in plugins.navigation:
            if not section.visible(user):
                continue
            href = reverse(section.url_name)
            items.append({"href": href, "text": section.text, "current": request.path.startswith(href)})
        if items:
            params["navigation"] = {"items": items}
        params["account"] = {
            "items": [
                # The person's account page: their API tokens.
                {"href": reverse("accounts:account"), "text": user.display_name, "icon": True},
                {"href": reverse("account_logout"), "text": "Sign out"},
            ]
        }
    else:
        params["account"] = {"items": [{"href": reverse("account_request_login_code"), "text": "Sign in"}]}
    return params
