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
    # Nothing is sent to an address without an account: such mail would let anyone have us write to any
    # address, twenty times a minute (reliability issue, item 4).
    assert not [m for m in mail.outbox if "stranger@example.com" in m.to]


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


# --- Behind the documented proxy (reliability issue, item 4) ----------------------------------------------
PROXY = "10.0.0.2"  # the reverse proxy: every request arrives from it


def request_code_via_proxy(email: str, client_ip: str, *, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    # A client may send its own X-Forwarded-For; the proxy appends the address it saw.
    chain = f"{forwarded}, {client_ip}" if forwarded else client_ip
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain).post(REQUEST, {"email": email})


def codes_sent_to(email: str) -> int:
    return sum(1 for m in mail.outbox if email in m.to)


def test_someone_else_cannot_lock_a_person_out_of_sign_in(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _ in range(10):
        request_code_via_proxy("sam@example.com", "203.0.113.9")
    assert codes_sent_to("sam@example.com") == 3  # the stranger's own allowance for that address
    # Sam, from Sam's own address, still gets a code at once.
    response = request_code_via_proxy("sam@example.com", "198.51.100.7")
    assert response.status_code == 302 and response.url.startswith(CONFIRM)
    assert codes_sent_to("sam@example.com") == 4


def test_behind_the_proxy_each_client_has_its_own_limit(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # 25 people signing in at once through the one proxy: before, the 21st was refused (20 a minute per IP).
    for n in range(25):
        assert request_code_via_proxy("sam@example.com", f"198.51.100.{n + 1}").status_code == 302
    assert codes_sent_to("sam@example.com") == 25
    # A client cannot escape its own limit by writing X-Forwarded-For: the proxy's entry is the one used.
    answers = [
        request_code_via_proxy(f"person{n}@example.com", "203.0.113.9", forwarded=f"192.0.2.{n}").status_code
        for n in range(22)
    ]
    assert answers[:20] == [302] * 20 and set(answers[20:]) <= {200, 429}


def test_without_a_proxy_x_forwarded_for_is_ignored(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(3):
        Client(HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(REQUEST, {"email": "sam@example.com"})
    refused = Client(HTTP_X_FORWARDED_FOR="192.0.2.99").post(REQUEST, {"email": "sam@example.com"})
    assert refused.status_code in (200, 429) and "Too many" in refused.content.decode()


def test_too_few_forwarded_addresses_is_not_a_server_error(world, settings) -> None:  # type: ignore[no-untyped-def]
    # Two proxies configured, a request that came past one (or straight to the app): its own address counts.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9").post(
        REQUEST, {"email": "sam@example.com"}
    )
    assert response.status_code == 302
