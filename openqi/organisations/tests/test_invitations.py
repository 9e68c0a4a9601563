from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from openqi.accounts.models import User
from openqi.accounts.tests.helpers import last_code_for, last_link_for
from openqi.core.models import AuditEvent
from openqi.organisations import services
from openqi.organisations.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append((attributes.get("action") or "", {}))
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1][1][attributes["name"] or ""] = attributes.get("value") or ""


def sign_in_form(response: HttpResponse) -> tuple[str, dict[str, str]]:
    """The form on the page that asks allauth for a sign-in code: where it posts and what it sends,
    exactly as a browser without JavaScript would submit it."""
    parser = _Forms()
    parser.feed(response.content.decode())
    found = [
        (action, fields) for action, fields in parser.forms if action == reverse("account_request_login_code")
    ]
    assert len(found) == 1, f"expected one sign-in form, found {len(found)}"
    action, fields = found[0]
    fields.pop("csrfmiddlewaretoken", None)
    return action, fields


def invite(world, email: str = "carer.partner@gmail.com", roles: list[str] | None = None):  # type: ignore[no-untyped-def]
    # The e-mail is queued once the invitation commits; tests run queued tasks at once.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.invite(
            organisation=world.trust, email=email, name="Jo Carer", roles=roles or [], invited_by=world.admin
        )


def test_an_admin_invites_anyone_by_email(client: Client, world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
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


def test_accepting_creates_the_account_and_offers_a_sign_in_code(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    issued = invite(world, roles=[Role.SPONSOR])
    mail.outbox.clear()
    response = client.post(issued.path)
    assert response.status_code == 200
    user = User.objects.get(email="carer.partner@gmail.com")
    membership = Membership.objects.get(user=user)
    assert membership.organisation == world.trust and membership.roles == [Role.SPONSOR]
    assert Invitation.objects.get().status == "accepted"
    # Accepting signs nobody in and sends nothing: the person asks for their code on the next page.
    assert "_auth_user_id" not in client.session and not mail.outbox
    assert sign_in_form(response) == (
        reverse("account_request_login_code"),
        {"email": "carer.partner@gmail.com"},
    )
    actions = set(AuditEvent.objects.values_list("object_type", "action"))
    assert {("organisations.membership", "create"), ("organisations.invitation", "accept")} <= actions


def test_an_invited_person_signs_in_with_a_code_sent_to_the_invited_address(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    # Given an invitation e-mailed to a carer partner
    issued = invite(world)
    link = last_link_for("carer.partner@gmail.com")
    path = link[link.index("/invitations/") :]
    # When they open the link, they see a confirmation page and nothing is accepted yet
    page = client.get(path)
    assert page.status_code == 200 and "Accept invitation" in page.content.decode()
    assert Invitation.objects.get(pk=issued.invitation.pk).status == "pending"
    # When they accept, then press the one button on the next page (a plain form: no JavaScript needed)
    accepted = client.post(path)
    action, fields = sign_in_form(accepted)
    mail.outbox.clear()
    asked = client.post(action, fields)
    assert asked.status_code == 302 and asked.url.startswith(reverse("account_confirm_login_code"))
    # Then a one-time code reaches the invited address, and only that address
    assert [message.to for message in mail.outbox] == [["carer.partner@gmail.com"]]
    # And entering it signs them in, on the home page, as a member of the organisation
    home = client.post(
        reverse("account_confirm_login_code"), {"code": last_code_for("carer.partner@gmail.com")}, follow=True
    )
    user = User.objects.get(email="carer.partner@gmail.com")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert home.redirect_chain[-1][0] == reverse("core:home")
    body = home.content.decode()
    assert "Welcome, Jo Carer" in body and "Northshire Health and Care NHS Foundation Trust" in body
    assert Membership.objects.filter(user=user, organisation=world.trust).exists()


def test_someone_else_signed_in_is_signed_out_on_accepting(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    # A forwarded link opened on a colleague's signed-in browser must not leave the colleague signed in.
    issued = invite(world)
    client.force_login(world.coach)
    response = client.post(issued.path)
    assert "_auth_user_id" not in client.session
    assert sign_in_form(response)[1] == {"email": "carer.partner@gmail.com"}


def test_the_invited_person_already_signed_in_goes_home(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    issued = invite(world, email=world.coach.email, roles=[Role.SPONSOR])
    client.force_login(world.coach)
    response = client.post(issued.path)
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert client.session["_auth_user_id"] == str(world.coach.pk)


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
