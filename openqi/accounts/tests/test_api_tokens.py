"""A person's API tokens on their account page and from the command line: made with a name and optional
expiry, shown once, listed with when each was last used, revoked; never stored in the clear."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openqi.accounts.models import ApiToken

SECRET = re.compile(r"oqi_[A-Za-z0-9_-]{43}")


@pytest.fixture
def signed_in(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.partner)
    return client


def test_the_account_page_needs_sign_in(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_new_token_is_shown_once_and_stored_as_a_hash(signed_in: Client, world) -> None:  # type: ignore[no-untyped-def]
    made = signed_in.post(reverse("accounts:account"), {"name": "Excel weekly upload", "expires_on": ""})
    assert made.status_code == 201
    page = made.content.decode()
    secret = SECRET.search(page).group(0)  # type: ignore[union-attr]
    token = ApiToken.objects.get(user=world.partner)
    assert token.name == "Excel weekly upload" and token.expires_on is None
    assert token.secret_hash == ApiToken.hash_secret(secret) and secret not in (token.prefix, token.name)
    later = signed_in.get(reverse("accounts:account")).content.decode()
    assert secret not in later and "Excel weekly upload" in later and "Not used yet" in later
    assert f"oqi_{token.prefix}…" in later


def test_a_token_needs_a_name_and_a_future_expiry(signed_in: Client, world) -> None:  # type: ignore[no-untyped-def]
    page = signed_in.post(
        reverse("accounts:account"), {"name": "", "expires_on": "2000-01-01"}
    ).content.decode()
    assert "Enter a name for the token" in page
    assert "The expiry date must be today or in the future" in page
    assert not ApiToken.objects.exists()
    day = timezone.localdate() + dt.timedelta(days=30)
    signed_in.post(reverse("accounts:account"), {"name": "R", "expires_on": day.isoformat()})
    assert ApiToken.objects.get().expires_on == day


def test_revoking_only_ones_own_tokens(signed_in: Client, world) -> None:  # type: ignore[no-untyped-def]
    from openqi.accounts import tokens

    mine = tokens.issue_token(world.partner, name="mine", by=world.partner).token
    theirs = tokens.issue_token(world.lead, name="theirs", by=world.lead).token
    assert signed_in.post(reverse("accounts:revoke_token", kwargs={"pk": theirs.pk})).status_code == 404
    assert signed_in.get(reverse("accounts:revoke_token", kwargs={"pk": mine.pk})).status_code == 405
    response = signed_in.post(reverse("accounts:revoke_token", kwargs={"pk": mine.pk}), follow=True)
    assert "Token ‘mine’ revoked" in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "revoked" and mine.revoked_by == world.partner and theirs.status == "active"


def test_the_header_links_to_the_account_page(signed_in: Client) -> None:
    assert f'href="{reverse("accounts:account")}"' in signed_in.get(reverse("core:home")).content.decode()


def test_the_command_prints_only_the_token(world) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("api_token", "QI.Admin@northshire.nhs.uk", "--name", "nightly", stdout=out)
    assert world.admin.email == "qi.admin@northshire.nhs.uk"
    printed = out.getvalue()
    assert SECRET.fullmatch(printed.strip()) and printed.count("\n") == 1
    token = ApiToken.objects.get(user=world.admin)
    assert token.name == "nightly" and token.secret_hash == ApiToken.hash_secret(printed.strip())


def test_the_command_refuses_unknown_people_and_bad_dates(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="No active person"):
        call_command("api_token", "nobody@nowhere.example", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--expires"):
        call_command("api_token", world.lead.email, "--expires", "soon", stdout=io.StringIO())
    call_command("api_token", world.lead.email, "--expires", "2031-03-31", stdout=io.StringIO())
    assert ApiToken.objects.get(user=world.lead).expires_on == dt.date(2031, 3, 31)
