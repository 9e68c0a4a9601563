"""The API against its own OpenAPI document, with schemathesis: every operation is called with data
generated from the document (valid and invalid), in-process through the WSGI application, with a real
token and real ids; no answer may be a server error, and every answer must match the document (status,
content type, headers, body). Bounded so that it adds about a minute to `make test`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig

from openqi.api.main import api
from openqi.api.tests.helpers import API

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = 12


@pytest.fixture
def token(world: Any, projects: Any) -> str:
    from openqi.accounts import tokens

    return tokens.issue_token(world.lead, name="schemathesis", by=world.lead).secret


@pytest.fixture
def in_process() -> Iterator[None]:
    """Requests through the WSGI application keep the test's database connection (and transaction), as
    Django's test client does: otherwise the end of each request closes it (on PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(world: Any, projects: Any, settings: Any, in_process: None) -> Any:
    """The document, loaded from the app, with path ids fixed to real records the lead may change, so that
    generated requests reach the endpoints' work, not only their 404s (the access matrix covers those)."""
    from openqi.learning.tests.factories import api_ids as learning_ids
    from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
    from openqi.projects.tests.factories import PDSACycleFactory, StoryEntryFactory
    from openqi.tools.models import Tool, ToolKind

    settings.API_REQUESTS_PER_MINUTE = 0
    project = projects.shared
    link = ProjectMeasureFactory(project=project)
    add_points(link.measure, [(9, 20), (10, 21), (8, 19), (11, 20), (12, 22), (9, 18)])
    ids = {
        "project_id": project.pk,
        "measure_id": link.measure_id,
        "cycle_id": PDSACycleFactory(project=project).pk,
        "entry_id": StoryEntryFactory(project=project).pk,
        "tool_id": Tool.objects.create(project=project, kind=ToolKind.PARETO, title="Reasons").pk,
        "organisation_id": world.trust.pk,
        **learning_ids(world.trust, world.lead),
    }
    parameters = {f"path.{name}": value for name, value in ids.items()}
    config = SchemathesisConfig.from_dict({"parameters": parameters})
    return schemathesis.openapi.from_wsgi(f"{API}/openapi.json", get_wsgi_application(), config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_to_its_document(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def test_every_operation_is_exercised(api_schema: Any) -> None:
    """`parametrize` makes one test per operation schemathesis loads from the document: every operation
    the document lists must load (none skipped for a schema it cannot read)."""
    loaded = [result.ok() for result in api_schema.get_all_operations()]
    paths = api.get_openapi_schema()["paths"]
    documented = {(method, path) for path, operations in paths.items() for method in operations}
    assert {(operation.method, operation.path) for operation in loaded} == documented
    assert len(documented) >= 19


def test_the_document_is_openapi_3_1_and_valid(client: Any) -> None:
    from openapi_spec_validator import validate

    document = client.get(f"{API}/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    validate(document)
