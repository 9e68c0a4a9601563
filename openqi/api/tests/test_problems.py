"""Every refusal is application/problem+json (RFC 9457) with a clear `detail`, and nothing a caller sends
is a server error."""

from __future__ import annotations

from openqi.api.problems import field_name
from openqi.api.tests.helpers import API, ApiClient


def _problem(response, status: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body  # type: ignore[no-any-return]


def test_unreadable_json_is_400(world) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(world.lead)
    response = client.client.post(
        f"{API}/spc/analyse", "{not json", content_type="application/json", headers=client.headers
    )
    _problem(response, 400)


def test_a_schema_mismatch_is_422_naming_the_field(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(world.lead)
    body = _problem(client.post(f"{API}/spc/analyse", {"y": [1, "x", 3]}), 422)
    assert body["type"] == "urn:openqi:problem:validation"
    assert [e["field"] for e in body["errors"]] == ["y[1]"]
    body = _problem(client.get(f"{API}/projects", {"page": 0}), 422)
    assert body["errors"][0]["field"] == "query.page"
    body = _problem(client.get(f"{API}/projects", {"stage": "finished"}), 422)
    assert body["errors"][0]["field"] == "query.stage"


def test_a_body_over_the_size_limit_is_413(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = _problem(ApiClient(world.lead).post(f"{API}/spc/analyse", {"y": list(range(500))}), 413)
    assert body["type"] == "urn:openqi:problem:too-large"


def test_not_found_and_forbidden(world, projects) -> None:  # type: ignore[no-untyped-def]
    _problem(ApiClient(world.member).get(f"{API}/projects/{projects.private.pk}"), 404)
    _problem(ApiClient(world.lead).get(f"{API}/projects/999999"), 404)
    story = {"occurred_on": "2025-01-01", "category": "meeting", "title": "t", "text": "x"}
    body = _problem(
        ApiClient(world.sponsor).post(f"{API}/projects/{projects.shared.pk}/story-entries", story), 403
    )
    assert "read this project but not change it" in body["detail"]


def test_an_unexpected_error_is_a_500_problem_and_logged(world, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    from openqi.api import organisations

    def broken(request):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr(organisations, "_memberships", broken)
    body = _problem(ApiClient(world.lead).get(f"{API}/organisations"), 500)
    assert "a bug" not in body["detail"]
    assert "API error on GET /api/v1/organisations" in caplog.text


def test_field_names_read_as_paths_into_the_request() -> None:
    assert field_name(("body", "payload", "points", 3, "value")) == "points[3].value"
    assert field_name(("body", "payload", "y", 1)) == "y[1]"
    assert field_name(("query", "page")) == "query.page"
    assert field_name(("path", "project_id")) == "path.project_id"
