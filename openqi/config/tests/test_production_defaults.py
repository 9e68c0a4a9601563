"""Production defaults (reliability issue, part 5): the Django admin off unless enabled; sessions that end
when the browser closes and after a configurable idle time; no personal data in cookies; JSON logs with
request ids; Sentry-compatible error reporting by configuration."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqi.accounts.tests.helpers import last_code_for
from openqi.core import logs

ROOT = Path(__file__).resolve().parents[3]


def in_production(code: str, **environment: str) -> str:
    """Run `code` after django.setup() with production settings plus `environment`; what it prints."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("OPENQI_", "DATABASE_URL", "DJANGO_ALLOW"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "openqi.config.settings",
            "OPENQI_SECRET_KEY": "x" * 64,
            "OPENQI_ALLOWED_HOSTS": "qi.example.nhs.uk",
            **environment,
        }
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# --- what production settings are, and what the variables change ------------------------------------

STATE = """
import sentry_sdk
from django.conf import settings as s
from django.urls import Resolver404, resolve
try:
    resolve("/django-admin/login/")
    admin = "admin-on"
except Resolver404:
    admin = "admin-off"
sentry = sentry_sdk.get_client()
print(admin, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_AGE, s.MESSAGE_STORAGE.rsplit(".", 1)[-1],
      s.LOGGING["handlers"]["console"]["formatter"], sentry.is_active())
if sentry.is_active():
    options = sentry.options
    print(options["send_default_pii"], options["max_request_body_size"], options["environment"])
"""


def test_production_defaults() -> None:
    assert in_production(STATE) == "admin-off True 28800 SessionStorage json False"


def test_what_the_variables_change() -> None:
    configured = in_production(
        STATE,
        OPENQI_ADMIN_ENABLED="1",
        OPENQI_SESSION_IDLE_MINUTES="30",
        OPENQI_LOG_FORMAT="text",
        OPENQI_SENTRY_DSN="https://public@sentry.example.invalid/1",
        OPENQI_SENTRY_ENVIRONMENT="staging",
    )
    # Errors go to Sentry (or GlitchTip) only with a DSN, and without personal data or request bodies.
    assert configured.splitlines() == ["admin-on True 1800 SessionStorage text True", "False never staging"]
    # `make run` (development) keeps the admin for developers and logs in plain text.
    assert in_production(STATE, OPENQI_DEBUG="1") == "admin-on True 28800 SessionStorage text False"


@pytest.mark.django_db
def test_the_admin_sign_in_page_is_not_served(client: Client) -> None:
    assert not settings.ADMIN_ENABLED
    assert client.get("/django-admin/login/").status_code == 404


# --- sessions -------------------------------------------------------------------------------------


def signed_in_by_code(email: str) -> tuple[Client, list[str]]:
    """Sign in the way people do, collecting every Set-Cookie value the browser received."""
    client = Client()
    cookies: list[str] = []
    for response in (
        client.post("/accounts/login/code/", {"email": email}),
        client.post("/accounts/login/code/confirm/", {"code": last_code_for(email)}),
        client.get("/"),
    ):
        cookies += [morsel.OutputString() for morsel in response.cookies.values()]
    return client, cookies


@pytest.mark.django_db
def test_no_cookie_carries_personal_data(world) -> None:  # type: ignore[no-untyped-def]
    client, cookies = signed_in_by_code("sam@example.com")
    assert client.session["_auth_user_id"] == str(world.partner.pk)
    assert cookies and not any(name in c for c in cookies for name in ("sam", "@", "%40", "messages"))
    # The sign-in message is still shown: it travels in the session.
    assert "sessionid" in "".join(cookies)


@pytest.mark.django_db
def test_the_session_cookie_lasts_until_the_browser_closes(world) -> None:  # type: ignore[no-untyped-def]
    _client, cookies = signed_in_by_code("sam@example.com")
    session_cookie = next(c for c in reversed(cookies) if c.startswith("sessionid="))
    assert "expires" not in session_cookie.lower() and "max-age" not in session_cookie.lower()


@pytest.mark.django_db
def test_an_idle_session_ends_and_an_active_one_is_kept_alive_cheaply(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.partner)
    key = client.session.session_key
    # Activity after a minute moves the end of the session to eight hours from now...
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(hours=1))
    client.get("/")
    expires = Session.objects.get(pk=key).expire_date
    assert expires > timezone.now() + timedelta(hours=7, minutes=58)
    # ...and within the minute the session is not written again.
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries if "django_session" in q["sql"] and q["sql"].startswith("UPDATE")]
    # Once the idle time has passed, the person is signed out.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/projects/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


# --- logs -----------------------------------------------------------------------------------------


@pytest.fixture
def log_lines() -> io.StringIO:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream  # type: ignore[misc]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_every_response_and_log_line_carries_the_request_id(client: Client, log_lines: io.StringIO) -> None:
    response = client.get("/no-such-page/?email=sam@example.com")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [json.loads(line) for line in log_lines.getvalue().splitlines() if "Not Found" in line]
    assert (
        line["request_id"] == request_id and line["level"] == "WARNING" and line["logger"] == "django.request"
    )
    assert line["path"] == "/no-such-page/" and "sam@example.com" not in log_lines.getvalue()
    assert logs.current_request_id() == "-"  # nothing leaks into the next request


@pytest.mark.django_db
def test_a_request_id_from_the_proxy_is_kept_if_it_looks_like_one(client: Client) -> None:
    assert (
        client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a-2291c0de").headers["X-Request-ID"]
        == "lb-7f3a-2291c0de"
    )
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected=1 sam@example.com').headers["X-Request-ID"]
    assert len(forged) == 32 and "@" not in forged


def test_a_json_log_line_holds_extras_and_the_exception() -> None:
    try:
        raise ValueError("bad value")
    except ValueError:
        record = logging.getLogger("openqi.test").makeRecord(
            "openqi.test",
            logging.ERROR,
            __file__,
            1,
            "Import %s failed",
            ("42",),
            sys.exc_info(),
            extra={"rows": 3},
        )
    token = logs.bind_request_id("abc12345")
    try:
        logs.RequestIdFilter().filter(record)
    finally:
        logs.unbind_request_id(token)
    line = json.loads(logs.JsonFormatter().format(record))
    assert line["message"] == "Import 42 failed" and line["rows"] == 3 and line["request_id"] == "abc12345"
    assert "ValueError: bad value" in line["exception"]
