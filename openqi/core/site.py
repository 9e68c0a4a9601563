"""The address people reach OpenQI at, for links in e-mails."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def base_url(request: HttpRequest | None = None) -> str:
    """The address serving this request (the one the sender's browser used, so a demo on another address
    links to itself); without a request (background work), OPENQI_SITE_URL. The host has passed
    ALLOWED_HOSTS, so a forged Host header cannot put another site's address in a link."""
    if request is None:
        return str(settings.SITE_URL).rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")
