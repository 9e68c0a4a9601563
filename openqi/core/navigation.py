"""Header parameters for the NHS.UK header macro: service name, navigation and account links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

# Sections appear in the header only once a feature behind them exists (the foundation issue asks
# for Projects, Measures, Coaching, Learning and Portfolio to stay hidden until they are built).
SECTIONS: list[tuple[str, str]] = [("projects:list", "Projects"), ("measures:library", "Measures")]


def header_params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = {
        "service": {"text": "OpenQI", "href": reverse("core:home")},
        "logo": {"href": reverse("core:home"), "ariaLabel": "OpenQI homepage"},
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        path = request.path
        items = [
            {"href": reverse(url_name), "text": text, "current": path.startswith(reverse(url_name))}
            for url_name, text in SECTIONS
        ]
        from openqi.core.scoping import scope_for

        if scope_for(user).administered_organisations():
            items.append(
                {
                    "href": reverse("organisations:admin_home"),
                    "text": "Organisation",
                    "current": path.startswith("/organisation/"),
                }
            )
        if items:
            params["navigation"] = {"items": items}
        params["account"] = {
            "items": [
                {"text": user.display_name, "icon": True},
                {"href": reverse("account_logout"), "text": "Sign out"},
            ]
        }
    else:
        params["account"] = {"items": [{"href": reverse("account_request_login_code"), "text": "Sign in"}]}
    return params
