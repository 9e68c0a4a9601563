"""Personal access tokens for the API: made by their person (the account page, or `manage.py api_token`),
revoked by their person or an admin of the person's organisation, and each change audited.

A token is `oqi_` and 43 URL-safe characters (256 random bits). Only its SHA-256 is stored; the first
characters after the `oqi_` are kept as a prefix to tell tokens apart on the account page."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from openqi.accounts.models import ApiToken, User
from openqi.core import audit
from openqi.core.models import AuditEvent

TOKEN_PREFIX = "oqi_"  # noqa: S105 -- how every token starts, not a secret
SHOWN_PREFIX = 8
# Writing last-used on every request would make every API read a write; once a minute is precise enough
# for "is this token still in use?".
LAST_USED_PRECISION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


def issue_token(user: User, *, name: str, expires_on: dt.date | None = None, by: Any) -> IssuedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip() or "API token",
            prefix=secret[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + SHOWN_PREFIX],
            secret_hash=ApiToken.hash_secret(secret),
            expires_on=expires_on,
        )
        audit.record(
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=token,
            changes={"person": user.email, "name": token.name, "expires_on": str(expires_on or "")},
        )
    return IssuedToken(token, secret)


def revoke_token(token: ApiToken, *, by: Any, organisation: Any = None) -> bool:
    """Revoke a token; False when it was already revoked. `organisation`: the organisation whose admin
    revoked it, so the event is on that organisation's record too."""
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
        if not changed:
            return False
        token.refresh_from_db(fields=["revoked_at", "revoked_by"])
        audit.record(
            by=by,
            action=AuditEvent.Action.REVOKE,
            instance=token,
            organisation=organisation,
            changes={"person": token.user.email, "name": token.name},
        )
    return True


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret, its person loaded; None for anything else (unknown, revoked,
    expired, or its person deactivated)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(secret_hash=ApiToken.hash_secret(secret), user__is_active=True)
        .first()
    )
    if token is not None:
        _mark_used(token)
    return token


def _mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
