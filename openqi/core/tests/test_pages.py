from __future__ import annotations

import pytest
from django.db.utils import DatabaseError
from django.test import Client, RequestFactory

from openqi.core import views


@pytest.mark.django_db
def test_healthz_checks_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_reports_a_broken_database(monkeypatch: pytest.MonkeyPatch) -> None:
    class BrokenCursor:
        def __enter__(self) -> BrokenCursor:
            raise DatabaseError("down")

        def __exit__(self, *args: object) -> None:
            return None

    monkeypatch.setattr(views.connection, "cursor", lambda: BrokenCursor())
    response = views.healthz(RequestFactory().get("/healthz"))
    assert response.status_code == 503


@pytest.mark.django_db
def test_not_found_uses_the_design_system(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "nhsuk-header" in body and "nhsuk-footer" in body and "Skip to main content" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (views.bad_request, 400, "there is a problem with your request"),
        (views.permission_denied, 403, "You do not have permission"),
        (views.page_not_found, 404, "Page not found"),
    ],
)
def test_error_pages(view: object, status: int, heading: str, rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    response = view(request, Exception())  # type: ignore[operator]
    assert response.status_code == status
    assert heading in response.content.decode()


def test_server_error_page_needs_no_database(rf: RequestFactory) -> None:
    # No db fixture: any query would raise, so this proves the 500 page survives a dead database.
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_pages_send_a_nonce_based_content_security_policy(client: Client) -> None:
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "'nonce-" in policy and "'unsafe-inline'" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


@pytest.mark.django_db
def test_navigation_shows_each_section_to_the_people_it_serves(client: Client, world: object) -> None:
    """Sections come from the apps' plug-ins; each says who it is for (a member is not a coach)."""
    client.force_login(world.member)  # type: ignore[attr-defined]
    body = client.get("/").content.decode()
    for section in ("Projects", "Learning", "Portfolio"):
        assert f">{section}<" in body
    assert ">Coaching<" not in body
    client.force_login(world.coach)  # type: ignore[attr-defined]
    assert ">Coaching<" in client.get("/").content.decode()
