"""The API's modules query organisation data only through the scoping helper, as views and presenters
must (openqi/organisations/tests/test_scoping_lint.py reads only modules named views and presenters)."""

from __future__ import annotations

from pathlib import Path

import pytest

from openqi.organisations.tests.test_scoping_lint import unscoped_queries

API_MODULES = sorted(p for p in Path(__file__).resolve().parent.parent.glob("*.py"))


def test_the_api_has_modules_to_check() -> None:
    assert {"projects.py", "measures.py", "story.py"} <= {p.name for p in API_MODULES}


@pytest.mark.parametrize("path", API_MODULES, ids=lambda p: p.name)
def test_api_modules_query_through_the_scope(path: Path) -> None:
    assert unscoped_queries(path.read_text()) == []
