from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from openqi.accounts.models import User
from openqi.accounts.tests.helpers import last_code_for, last_link_for
from openqi.core.models import AuditEvent
from openqi.organisations import services
from openqi.organisations.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db


def invite(world, email: str = "carer.partner@gmail.com", roles: list[str] | None = None):  # type: ignore[no-untyped-def]
    return services.invite(
        organisation=world.trust, email=email, name="Jo Carer", roles=roles or [], invited_by=world.admin
    )


def test_an_admin_invites_anyone_by_email(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.admin)
    response = client.post(
        "/organisation/northshire/people/invite/",
        {"email": "Carer.Partner@Gmail.com", "name": "Jo Carer", "roles": [Role.QI_COACH]},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "carer.partner@gmail.com" and invitation.roles == [Role.QI_COACH]
    assert "/invitations/" in last_link_for("carer.partner@gmail.com")
    # Only a hash of the token is stored.
    token = last_link_for("carer.partner@gmail.com").rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == Invitation.hash_token(token) != token
    assert AuditEvent.objects.filter(object_type="organisations.invitation", action="create").exists()


def test_bad_invitation_input_gets_error_summary(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.admin)
    response = client.post("/organisation/northshire/people/invite/", {"email": "not-an-email", "name": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_email"' in body and 'href="#id_name"' in body
    assert 'value="not-an-email"' in body  # nothing typed is lost
    assert not Invitation.objects.exists()


def test_opening_the_link_does_not_accept(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    issued = invite(world)
    response = client.get(issued.path)
    assert response.status_code == 200
    assert "Accept invitation" in response.content.decode()
    assert Invitation.objects.get().status == "pending"
    assert not User.objects.filter(email="carer.partner@gmail.com").exists()


def test_accepting_creates_the_account_and_sends_a_code(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    issued = invite(world, roles=[Role.SPONSOR])
    response = client.post(issued.path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/code/confirm/")
    user = User.objects.get(email="carer.partner@gmail.com")
    membership = Membership.objects.get(user=user)
    assert membership.organisation == world.trust and membership.roles == [Role.SPONSOR]
    assert Invitation.objects.get().status == "accepted"
    client.post("/accounts/login/code/confirm/", {"code": last_code_for("carer.partner@gmail.com")})
    assert client.session["_auth_user_id"] == str(user.pk)
    actions = set(AuditEvent.objects.values_list("object_type", "action"))
    assert {("organisations.membership", "create"), ("organisations.invitation", "accept")} <= actions


def test_an_existing_person_keeps_their_account_and_gains_roles(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    issued = services.invite(
        organisation=world.trust,
        email=world.coach.email,
        name="",
        roles=[Role.SPONSOR],
        invited_by=world.admin,
    )
    client.post(issued.path)
    membership = Membership.objects.get(user=world.coach, organisation=world.trust)
    assert membership.roles == [Role.QI_COACH, Role.SPONSOR]
    assert User.objects.filter(email=world.coach.email).count() == 1


@pytest.mark.parametrize("state", ["accepted", "revoked", "expired"])
def test_spent_invitations_cannot_be_used(client: Client, world, state: str) -> None:  # type: ignore[no-untyped-def]
    issued = invite(world)
    if state == "accepted":
        Client().post(issued.path)
    elif state == "revoked":
        services.revoke_invitation(issued.invitation, by=world.admin)
    else:
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    for method in (client.get, client.post):
        response = method(issued.path)
        assert response.status_code == 410
        assert "cannot be used" in response.content.decode()
    assert not mail.outbox


def test_an_unknown_token_is_not_an_invitation(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/invitations/not-a-real-token/").status_code == 410


def test_an_admin_revokes_a_pending_invitation(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    issued = invite(world)
    client.force_login(world.admin)
    response = client.post(
        f"/organisation/northshire/invitations/{issued.invitation.pk}/revoke/", follow=True
    )
    assert "revoked" in response.content.decode()
    assert Invitation.objects.get().status == "revoked"
