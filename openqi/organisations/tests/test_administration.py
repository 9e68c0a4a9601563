"""Organisation administration: who may reach each page (a role matrix), and edits that conflict."""

from __future__ import annotations

import pytest
from django.test import Client

from openqi.core.models import AuditEvent
from openqi.organisations import services
from openqi.organisations.models import Directorate, Membership, Role, StrategicPriority

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "coach", "sponsor", "member", "partner", "outsider", "loner", "anonymous"]


def pages(world) -> list[str]:  # type: ignore[no-untyped-def]
    membership = Membership.objects.get(user=world.member)
    directorate = Directorate.objects.get(organisation=world.trust)
    issued = services.invite(
        organisation=world.trust, email="x@example.org", name="X", roles=[], invited_by=world.admin
    )
    return [
        "/organisation/northshire/people/",
        "/organisation/northshire/people/invite/",
        f"/organisation/northshire/people/{membership.pk}/",
        "/organisation/northshire/structure/",
        f"/organisation/northshire/structure/directorate/{directorate.pk}/",
        f"/organisation/northshire/invitations/{issued.invitation.pk}/revoke/",
        f"/organisation/northshire/people/{membership.pk}/remove/",
    ]


def expected_status(persona: str, url: str) -> set[int]:
    if persona == "anonymous":
        return {302}  # to sign-in
    if persona == "admin":
        return {302} if url.endswith(("/revoke/", "/remove/")) else {200}
    return {404, 405} if url.endswith(("/revoke/", "/remove/")) else {404}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organisations_admins_reach_its_administration(world, persona: str) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    for url in pages(world):
        method = client.post if url.endswith(("/revoke/", "/remove/")) else client.get
        response = method(url)
        assert response.status_code in expected_status(persona, url), (persona, url, response.status_code)
        if persona != "admin":
            body = response.content.decode()
            assert "x@example.org" not in body and "Members (" not in body
    if persona != "admin":
        assert Membership.objects.filter(user=world.member).exists()


def test_the_other_trusts_admin_sees_nothing_of_the_first(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.outsider)
    home = client.get("/").content.decode()
    assert "Eastvale" in home and "Northshire" not in home and "Primary Care Mental Health" not in home
    people = client.get("/organisation/eastvale/people/").content.decode()
    assert "Morgan Ellis" in people and "Aisha Khan" not in people


def test_admin_changes_roles_with_an_audit_record(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.admin)
    membership = Membership.objects.get(user=world.member)
    response = client.post(
        f"/organisation/northshire/people/{membership.pk}/",
        {"name": "Aisha Khan", "roles": [Role.QI_COACH], "version": membership.version},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.roles == [Role.QI_COACH] and membership.version == 2
    event = AuditEvent.objects.get(object_type="organisations.membership", action="update")
    assert event.actor == world.admin and event.changes == {"roles": [[], [Role.QI_COACH]]}


def test_a_stale_edit_is_refused_and_keeps_the_typed_values(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.admin)
    membership = Membership.objects.get(user=world.member)
    stale_version = membership.version
    services.update_member(
        membership, roles=[Role.SPONSOR], name="Aisha Khan", expected_version=stale_version, by=world.admin
    )
    response = client.post(
        f"/organisation/northshire/people/{membership.pk}/",
        {"name": "Aisha K. Khan", "roles": [Role.QI_COACH], "version": stale_version},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record" in body and 'value="Aisha K. Khan"' in body
    membership.refresh_from_db()
    assert membership.roles == [Role.SPONSOR]


def test_admin_builds_the_structure(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.admin)
    client.post("/organisation/northshire/structure/", {"directorate-name": "Community and Addictions"})
    directorate = Directorate.objects.get(name="Community and Addictions")
    client.post(
        "/organisation/northshire/structure/",
        {"service-name": "Addictions Community Service", "directorate": directorate.pk},
    )
    assert directorate.services.filter(name="Addictions Community Service").exists()
    duplicate = client.post(
        "/organisation/northshire/structure/", {"directorate-name": "Community and Addictions"}
    )
    assert "already exists" in duplicate.content.decode()


def test_admin_cannot_remove_themself(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.admin)
    own = Membership.objects.get(user=world.admin)
    client.post(f"/organisation/northshire/people/{own.pk}/remove/")
    assert Membership.objects.filter(pk=own.pk).exists()


def test_seed_demo_is_idempotent(db: None) -> None:
    from django.core.management import call_command

    from openqi.accounts.models import User

    call_command("seed_demo")
    counts = (User.objects.count(), Membership.objects.count(), Directorate.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Membership.objects.count(), Directorate.objects.count()) == counts
    partner = User.objects.get(email="sam.taylor.partner@example.com")
    assert not partner.email.endswith("nhs.uk")


def test_admins_set_the_personal_data_policy_and_strategic_priorities(world) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from openqi.core.models import AuditEvent

    client = Client()
    client.force_login(world.admin)
    url = "/organisation/northshire/settings/"
    client.post(url, {"policy-policy": "block"})
    world.trust.refresh_from_db()
    assert world.trust.block_personal_data
    assert AuditEvent.objects.filter(object_type="organisations.organisation", action="update").exists()
    client.post(url, {"priority-name": "Reducing harm"})
    priority = StrategicPriority.objects.get(organisation=world.trust)
    assert "Reducing harm" in client.get(url).content.decode()
    client.post(url, {"retire": priority.pk})
    priority.refresh_from_db()
    assert not priority.is_active
    # Members and other trusts' admins cannot reach it.
    for person in (world.member, world.outsider):
        other = Client()
        other.force_login(person)
        assert other.get(url).status_code == 404
