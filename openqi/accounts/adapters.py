"""allauth adapters: nobody signs up uninvited. People join through an invitation (or, for staff with
single sign-on, by an account that already exists for their e-mail address)."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest

from openqi.accounts import plugins

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """The sign-in e-mail in our own words (account/email/login_code_*.txt): what OpenQI is, the code,
        how long it lasts and who invited the person."""
        if template_prefix == "account/email/login_code":
            lines = [line for contribute in plugins.sign_in_email_lines if (line := contribute(email))]
            context = {
                **context,
                "code_minutes": max(1, settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60),
                "invited_lines": lines,
            }
        super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address for rate limits: allauth's reading of X-Forwarded-For, given the number
        of proxies we trust (settings). A request with fewer forwarded addresses than that did not come
        through every proxy (a health check on the app's own port, say): allauth would fail it with a
        server error; its connecting address is the one we can trust."""
        try:
            ip: str = super().get_client_ip(request)
        except ImproperlyConfigured:
            logger.warning("X-Forwarded-For has fewer addresses than OPENQI_TRUSTED_PROXY_COUNT")
            remote = request.META.get("REMOTE_ADDR")
            if not remote:
                raise PermissionDenied("Unable to determine client IP address") from None
            return str(remote)
        return ip


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False
