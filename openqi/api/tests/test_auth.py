"""Tokens at the API's door: no token, a wrong, revoked or expired one, or a deactivated person's is a 401;
a good one acts as its person and records when it was last used; each token has its own rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from openqi.accounts import tokens
from openqi.accounts.models import ApiToken
from openqi.api.tests.helpers import API, ApiClient


def _is_401(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="openqi"'
    assert "Authorization: Bearer" in response.json()["detail"]


def test_no_token_or_a_wrong_one_is_401(world) -> None:  # type: ignore[no-untyped-def]
    _is_401(ApiClient().get(f"{API}/me"))
    _is_401(ApiClient(secret="oqi_not-a-token").get(f"{API}/me"))
    _is_401(ApiClient(secret="not even the shape").get(f"{API}/me"))
    good = tokens.issue_token(world.lead, name="x", by=world.lead).secret
    _is_401(ApiClient().get(f"{API}/me", Authorization=f"Basic {good}"))


def test_a_token_acts_as_its_person_and_is_stored_only_as_a_hash(world) -> None:  # type: ignore[no-untyped-def]
    issued = tokens.issue_token(world.coach, name="Power BI", by=world.coach)
    assert issued.secret.startswith("oqi_") and len(issued.secret) > 40
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.secret not in (stored.secret_hash, stored.prefix, stored.name)
    assert stored.last_used_at is None
    me = ApiClient(secret=issued.secret).get(f"{API}/me").json()
    assert me["email"] == "coach@northshire.nhs.uk" and me["organisations"][0]["roles"] == ["qi_coach"]
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_revoked_and_expired_tokens_and_deactivated_people_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    revoked = tokens.issue_token(world.lead, name="old", by=world.lead)
    assert tokens.revoke_token(revoked.token, by=world.lead)
    assert not tokens.revoke_token(revoked.token, by=world.lead)  # already revoked: nothing to do
    _is_401(ApiClient(secret=revoked.secret).get(f"{API}/me"))

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    expired = tokens.issue_token(world.lead, name="expired", expires_on=yesterday, by=world.lead)
    _is_401(ApiClient(secret=expired.secret).get(f"{API}/me"))
    today = tokens.issue_token(world.lead, name="today", expires_on=timezone.localdate(), by=world.lead)
    assert ApiClient(secret=today.secret).get(f"{API}/me").status_code == 200  # works to the end of the day

    active = tokens.issue_token(world.member, name="leaver", by=world.member)
    world.member.is_active = False
    world.member.save()
    _is_401(ApiClient(secret=active.secret).get(f"{API}/me"))


def test_making_and_revoking_a_token_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    from openqi.core.models import AuditEvent

    issued = tokens.issue_token(world.lead, name="R script", by=world.lead)
    tokens.revoke_token(issued.token, by=world.admin, organisation=world.trust)
    events = AuditEvent.objects.filter(object_type="accounts.apitoken", object_id=str(issued.token.pk))
    made, revoked = events.order_by("created_at", "id")
    assert (made.action, made.actor, made.changes["name"]) == ("create", world.lead, "R script")
    assert (revoked.action, revoked.actor, revoked.organisation) == ("revoke", world.admin, world.trust)
    assert issued.secret not in str(made.changes) + made.object_repr


@pytest.mark.parametrize("limit", [3])
def test_each_token_has_its_own_rate_limit(world, settings, limit: int) -> None:  # type: ignore[no-untyped-def]
    settings.API_REQUESTS_PER_MINUTE = limit
    busy, other = ApiClient(world.lead), ApiClient(world.lead)
    for _ in range(limit):
        assert busy.get(f"{API}/me").status_code == 200
    refused = busy.get(f"{API}/me")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["type"] == "urn:openqi:problem:rate-limited"
    assert other.get(f"{API}/me").status_code == 200  # another token of the same person is not held up
