"""Foundation journeys: invitation of a service user, isolation between organisations, bad codes."""

from __future__ import annotations

from openqi.accounts.tests.helpers import last_code_for
from tests.system.conftest import Journey
from tests.system.steps import (
    given_i_am_signed_in_as,
    the_invitation_link_for,
    when_i_accept_the_invitation_and_ask_for_a_code,
    when_i_enter_the_code,
    when_i_request_a_code,
)


def test_a_service_user_with_a_personal_email_is_invited_and_signs_in(
    journey: Journey, second_journey: Journey, world
) -> None:  # type: ignore[no-untyped-def]
    # Given the QI team admin is signed in
    given_i_am_signed_in_as(journey, world.admin.email)
    # When they invite a carer partner with a personal e-mail address
    journey.follow("Organisation")
    journey.follow("Invite a person")
    journey.fill("E-mail address", "jo.carer@gmail.com")
    journey.fill("Full name", "Jo Carer")
    journey.press("Send invitation")
    assert "Invitation sent to jo.carer@gmail.com" in journey.text

    # Then the partner (on their own device, without JavaScript) opens the link: nothing happens yet
    partner = second_journey
    partner.goto(the_invitation_link_for("jo.carer@gmail.com"))
    assert "Join Northshire Health and Care NHS Foundation Trust" in partner.text
    # When they accept on the confirmation page and ask for a code, it is e-mailed and they sign in with it
    when_i_accept_the_invitation_and_ask_for_a_code(partner)
    assert "Enter your sign-in code" in partner.text
    when_i_enter_the_code(partner, last_code_for("jo.carer@gmail.com"))
    # Then they land on a page that shows their organisation
    assert "Welcome, Jo Carer" in partner.text
    assert "Northshire Health and Care NHS Foundation Trust" in partner.text
    assert "Talking Therapies Wellbeing Service" in partner.text


def test_people_in_another_organisation_see_nothing(journey: Journey, world) -> None:  # type: ignore[no-untyped-def]
    # Given a staff member of Northshire signs in, they see their organisation
    given_i_am_signed_in_as(journey, world.member.email)
    assert "Northshire Health and Care NHS Foundation Trust" in journey.text
    journey.follow("Sign out")
    journey.press("Sign out")

    # When the QI lead of another trust signs in
    given_i_am_signed_in_as(journey, world.outsider.email)
    # Then lists show only their own trust
    assert "Eastvale Community NHS Trust" in journey.text
    assert "Northshire" not in journey.text
    journey.follow("Organisation")
    assert "Morgan Ellis" in journey.text and "Aisha Khan" not in journey.text
    # And Northshire's pages are simply not found
    for path in ("/organisation/northshire/people/", "/organisation/northshire/structure/"):
        journey.goto(path)
        assert "Page not found" in journey.text


def test_a_wrong_or_expired_code_is_explained_and_guessing_is_stopped(
    journey: Journey, world, settings
) -> None:  # type: ignore[no-untyped-def]
    when_i_request_a_code(journey, world.partner.email)
    when_i_enter_the_code(journey, "BBBB-CCCC")
    assert "There is a problem" in journey.text
    assert "Incorrect code" in journey.text
    # The error summary links to the field, as the NHS.UK pattern requires.
    assert journey.page.locator(".nhsuk-error-summary a[href='#id_code']").count() == 1

    when_i_enter_the_code(journey, "BBBB-DDDD")
    when_i_enter_the_code(journey, "BBBB-FFFF")
    # Third wrong guess: the code is spent and the person starts again.
    assert "Sign in to OpenQI" in journey.text
    assert "Too many failed" in journey.text

    # An expired code is refused too (another person: the failures above rightly lock this address).
    when_i_request_a_code(journey, world.member.email)
    settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 0  # the code's time runs out while the person fetches it
    when_i_enter_the_code(journey, last_code_for(world.member.email))
    assert "Sign out" not in journey.page.inner_text("header")
    assert "Sign in to OpenQI" in journey.text


def test_repeated_code_requests_are_rate_limited(journey: Journey, world) -> None:  # type: ignore[no-untyped-def]
    # Each time the person starts again from the confirmation page, another code is asked for.
    when_i_request_a_code(journey, world.partner.email)
    for _ in range(2):
        journey.press("Use another e-mail address")
        when_i_request_a_code(journey, world.partner.email)
        assert "Enter your sign-in code" in journey.text
    journey.press("Use another e-mail address")
    when_i_request_a_code(journey, world.partner.email)
    assert "Too many" in journey.text
    assert "Enter your sign-in code" not in journey.text
