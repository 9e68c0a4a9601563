"""Every query for organisation data goes through the scoping helper.

This lint reads each view and presenter module and fails on a direct `Model.objects` (or
`get_object_or_404(Model, ...)`) for any model that declares `organisation_path`, so a new view
cannot forget the scope by accident."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

import openqi
from openqi.organisations import scoping

PACKAGE = Path(openqi.__file__).parent
SCOPED_MODELS = {m.__name__ for m in apps.get_models() if hasattr(m, "organisation_path")}
CHECKED = sorted(
    p
    for p in PACKAGE.rglob("*.py")
    if "tests" not in p.parts
    and (p.name.endswith(("views.py", "presenters.py")) or p.parent.name in {"views", "presenters"})
)


def unscoped_queries(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in SCOPED_MODELS
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {
            "get_object_or_404",
            "get_list_or_404",
        }:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Name) and first.id in SCOPED_MODELS:
                found.append(f"line {node.lineno}: {node.func.id}({first.id})")  # type: ignore[attr-defined]
    return found


def test_the_lint_knows_the_organisation_models() -> None:
    assert {"Organisation", "Directorate", "Service", "Membership", "Invitation"} <= SCOPED_MODELS
    assert CHECKED, "no view modules found"


def test_the_lint_catches_a_direct_query() -> None:
    assert unscoped_queries("def v(r):\n    return Membership.objects.all()\n") == [
        "line 2: Membership.objects"
    ]
    assert unscoped_queries("get_object_or_404(Directorate, pk=1)") == [
        "line 1: get_object_or_404(Directorate)"
    ]
    assert unscoped_queries("scope.filter(Membership)") == []


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_views_and_presenters_query_through_the_scope(path: Path) -> None:
    assert unscoped_queries(path.read_text()) == []


def test_models_without_an_organisation_path_cannot_be_scoped(db: None) -> None:
    from openqi.accounts.models import User

    with pytest.raises(TypeError, match="organisation_path"):
        scoping.Scope(None).filter(User)
