"""An organisation's QI team admins see their people's API tokens and can revoke them; nobody else can,
and another organisation's people's tokens are out of reach."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from openqi.accounts import tokens
from openqi.core.models import AuditEvent


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_admins_see_their_peoples_tokens_only(world) -> None:  # type: ignore[no-untyped-def]
    tokens.issue_token(world.partner, name="Partner's Excel", by=world.partner)
    tokens.issue_token(world.outsider, name="Eastvale script", by=world.outsider)
    page = _client(world.admin).get(reverse("organisations:api_tokens", kwargs={"slug": "northshire"}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Partner&#39;s Excel" in body and "Sam Taylor" in body
    assert "Eastvale script" not in body
    assert (
        "API tokens"
        in _client(world.admin)
        .get(reverse("organisations:people", kwargs={"slug": "northshire"}))
        .content.decode()
    )


def test_only_admins_reach_the_page(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("organisations:api_tokens", kwargs={"slug": "northshire"})
    for person in (world.coach, world.advisor, world.member, world.outsider, world.loner):
        assert _client(person).get(url).status_code == 404


def test_an_admin_revokes_a_persons_token_and_it_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    issued = tokens.issue_token(world.partner, name="laptop", by=world.partner)
    theirs = tokens.issue_token(world.outsider, name="elsewhere", by=world.outsider)
    admin = _client(world.admin)
    url = reverse("organisations:revoke_api_token", kwargs={"slug": "northshire", "pk": issued.token.pk})
    assert admin.post(url).status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.status == "revoked" and issued.token.revoked_by == world.admin
    event = AuditEvent.objects.get(action="revoke", object_id=str(issued.token.pk))
    assert event.organisation == world.trust and event.actor == world.admin
    other = reverse("organisations:revoke_api_token", kwargs={"slug": "northshire", "pk": theirs.token.pk})
    assert admin.post(other).status_code == 404
    eastvale = reverse("organisations:revoke_api_token", kwargs={"slug": "eastvale", "pk": theirs.token.pk})
    assert admin.post(eastvale).status_code == 404
