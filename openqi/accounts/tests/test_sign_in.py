"""Sign-in by e-mailed one-time code: any address, no enumeration, errors, expiry, rate limits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from openqi.accounts.tests.helpers import last_code_for

pytestmark = pytest.mark.django_db

REQUEST = "/accounts/login/code/"
CONFIRM = "/accounts/login/code/confirm/"


def request_code(client: Client, email: str):  # type: ignore[no-untyped-def]
    return client.post(REQUEST, {"email": email})


def test_a_service_user_with_a_personal_address_signs_in_by_code(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    response = request_code(client, "sam@example.com")
    assert response.status_code == 302 and response.url.startswith(CONFIRM)
    code = last_code_for("sam@example.com")
    response = client.post(CONFIRM, {"code": code}, follow=True)
    assert client.session["_auth_user_id"] == str(world.partner.pk)
    assert "Northshire Health and Care NHS Foundation Trust" in response.content.decode()


def test_password_sign_in_is_not_offered(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 302 and response.url.startswith(REQUEST)


def test_unknown_addresses_get_the_same_response(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    known = request_code(client, "sam@example.com")
    other = Client()
    unknown = request_code(other, "stranger@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    page_known = client.get(CONFIRM).content.decode().replace("sam@example.com", "EMAIL")
    page_unknown = other.get(CONFIRM).content.decode().replace("stranger@example.com", "EMAIL")
    strip = lambda html: [line for line in html.splitlines() if "csrf" not in line and "nonce" not in line]  # noqa: E731
    assert strip(page_known) == strip(page_unknown)
    # The stranger gets an e-mail saying no account exists, not a code.
    stranger_mail = [m for m in mail.outbox if "stranger@example.com" in m.to]
    assert stranger_mail and "code" not in stranger_mail[-1].subject.lower()


def test_a_wrong_code_shows_a_clear_error(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    request_code(client, "sam@example.com")
    response = client.post(CONFIRM, {"code": "WRONG-CODE"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "nhsuk-error-summary" in body
    assert "Incorrect code" in body
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_codes_spend_the_code(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    request_code(client, "sam@example.com")
    code = last_code_for("sam@example.com")
    for _ in range(2):
        assert client.post(CONFIRM, {"code": "WRONG-CODE"}).status_code == 200
    third = client.post(CONFIRM, {"code": "WRONG-CODE"})
    assert third.status_code == 302 and third.url.startswith(REQUEST)
    # Even the right code no longer works: the attacker has to start again, and is rate-limited.
    response = client.post(CONFIRM, {"code": code})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302


def test_requests_for_codes_are_rate_limited_per_address(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        assert request_code(Client(), "sam@example.com").status_code == 302
    response = request_code(client, "sam@example.com")
    assert response.status_code in (200, 429)
    assert "Too many" in response.content.decode()


def test_an_expired_code_is_refused(client: Client, world, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    request_code(client, "sam@example.com")
    code = last_code_for("sam@example.com")
    import time

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 5)
    response = client.post(CONFIRM, {"code": code})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and response.url.startswith(REQUEST)


def test_sign_out_needs_a_post(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.partner)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200 and "Are you sure" in page.content.decode()
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
