"""A new partner's first contact: the invitation link uses the address actually serving, the invitation
page names the organisation, the project and the role in plain words, the person then shows with a
readable role, and the sign-in e-mail and the on-screen message are in our own words and agree."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from openqi.accounts.tests.helpers import last_code_for, last_link_for
from openqi.organisations.models import Invitation

pytestmark = pytest.mark.django_db

PARTNER_EMAIL = "kim.carer@yahoo.co.uk"


def invite_from_the_team_page(
    world, project, django_capture_on_commit_callbacks, host: str = "127.0.0.1:8101"
) -> Client:  # type: ignore[no-untyped-def]
    lead = Client(HTTP_HOST=host)
    lead.force_login(world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(
            reverse("projects:team_invite", kwargs={"pk": project.pk}),
            {"email": PARTNER_EMAIL, "name": "Kim Carer", "role": "partner"},
        )
    assert response.status_code == 302
    return lead


def test_the_invitation_link_uses_the_address_the_lead_is_using(
    world, projects, django_capture_on_commit_callbacks, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    invite_from_the_team_page(
        world, projects.shared, django_capture_on_commit_callbacks, host="127.0.0.1:8101"
    )
    assert last_link_for(PARTNER_EMAIL).startswith("http://127.0.0.1:8101/invitations/")


def test_without_a_request_the_link_uses_the_site_url(
    world, projects, django_capture_on_commit_callbacks, settings
) -> None:  # type: ignore[no-untyped-def]
    from openqi.projects.services.team import invite_to_team

    settings.SITE_URL = "https://qi.example.nhs.uk"
    with django_capture_on_commit_callbacks(execute=True):
        invite_to_team(projects.shared, email=PARTNER_EMAIL, name="Kim", role="partner", by=world.lead)
    assert last_link_for(PARTNER_EMAIL).startswith("https://qi.example.nhs.uk/invitations/")


def test_the_invitation_names_organisation_project_and_role_in_plain_words(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    lead = invite_from_the_team_page(
        world, projects.shared, django_capture_on_commit_callbacks, host="localhost"
    )
    expected = (
        "Tom Price has invited you to join the team of the quality improvement project "
        "\u201cShared project\u201d "
        "at Northshire Health and Care NHS Foundation Trust, as a service-user or carer partner."
    )
    assert expected in mail.outbox[-1].body
    # The lead's pending list says the role in words, not its key.
    team = lead.get(reverse("projects:team", kwargs={"pk": projects.shared.pk})).content.decode()
    assert f"{PARTNER_EMAIL} – Service-user or carer partner" in team
    link = last_link_for(PARTNER_EMAIL)
    guest = Client()
    page = guest.get(link[link.index("/invitations/") :]).content.decode()
    assert expected.replace("\u201c", "&#8220;").replace("\u201d", "&#8221;") in page or expected in page
    assert "Service-user or carer partner in the project team" in page
    assert "Roles: Member" not in page and ">Member<" not in page


def test_after_accepting_the_partner_signs_in_with_our_own_email_and_shows_a_readable_role(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    invite_from_the_team_page(world, projects.shared, django_capture_on_commit_callbacks, host="localhost")
    link = last_link_for(PARTNER_EMAIL)
    guest = Client()
    guest.post(link[link.index("/invitations/") :])
    mail.outbox.clear()
    asked = guest.post(reverse("account_request_login_code"), {"email": PARTNER_EMAIL}, follow=True)
    banner_and_page = asked.content.decode()
    # The banner and the page say the same thing: a code is sent only to an address that can sign in.
    assert (
        "If kim.carer@yahoo.co.uk can sign in to OpenQI, we have e-mailed a sign-in code to it."
        in banner_and_page
    )
    assert "A sign-in code has been sent" not in banner_and_page
    message = mail.outbox[-1]
    assert message.subject == "OpenQI: Your sign-in code"
    body = message.body
    assert "Hello from" not in body and "Thank you for using" not in body
    assert "The code lasts 15 minutes" in body and "lasts 15 minutes" in banner_and_page
    assert "Tom Price invited you to join the team of the quality improvement project" in body
    assert "OpenQI is where NHS teams and the service users and carers" in body
    home = guest.post(
        reverse("account_confirm_login_code"), {"code": last_code_for(PARTNER_EMAIL)}, follow=True
    )
    text = home.content.decode()
    assert "Service-user or carer partner in Shared project" in text
    assert "Guest (project team only)" not in text
    # The QI team admin's list of people says the same.
    admin = Client()
    admin.force_login(world.admin)
    people = admin.get(reverse("organisations:people", kwargs={"slug": world.trust.slug})).content.decode()
    assert "Service-user or carer partner in Shared project" in people
    assert Invitation.objects.get().status == "accepted"
