"""Given/When/Then steps shared by the journeys."""

from __future__ import annotations

from openqi.accounts.tests.helpers import last_code_for, last_link_for
from tests.system.conftest import Journey


def when_i_request_a_code(journey: Journey, email: str) -> None:
    journey.goto("/accounts/login/code/")
    journey.fill("E-mail address", email)
    journey.press("Send me a code")


def when_i_enter_the_code(journey: Journey, code: str) -> None:
    journey.fill("Sign-in code", code)
    journey.press("Sign in")


def given_i_am_signed_in_as(journey: Journey, email: str) -> None:
    when_i_request_a_code(journey, email)
    when_i_enter_the_code(journey, last_code_for(email))
    assert "Sign out" in journey.page.inner_text("header")


def when_i_accept_the_invitation_and_ask_for_a_code(journey: Journey) -> None:
    journey.press("Accept invitation")
    journey.press("Send me a sign-in code")


def the_invitation_link_for(email: str) -> str:
    link = last_link_for(email)
    return link[link.index("/invitations/") :]
