"""OpenQI uses only allauth's public surface: settings, adapters, forms, views and URL names.

allauth's `internal` packages are its private implementation and change between releases without notice,
so an import from them (or a dotted path naming one, as settings do) fails this test."""

from __future__ import annotations

import ast
from pathlib import Path

import openqi

PACKAGE = Path(openqi.__file__).parent


def allauth_internals(source: str) -> list[str]:
    """Each allauth internal module a source names: `from a.b import c` names `a.b.c`, and a string
    naming an allauth module counts too, because settings and `import_module` refer to them that way."""
    named: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            named += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            named += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("allauth.")
        ):
            named.append((node.lineno, node.value))
    return [
        f"line {line}: {name}"
        for line, name in named
        if name.split(".")[0] == "allauth" and "internal" in name.split(".")
    ]


def test_the_check_catches_internal_imports() -> None:
    assert allauth_internals(
        "from allauth.account.internal.flows.login_by_code import LoginCodeVerificationProcess"
    ) == ["line 1: allauth.account.internal.flows.login_by_code.LoginCodeVerificationProcess"]
    assert allauth_internals("from allauth.account import internal") == ["line 1: allauth.account.internal"]
    assert allauth_internals("import allauth.core.internal.httpkit") == [
        "line 1: allauth.core.internal.httpkit"
    ]
    assert allauth_internals("import_module('allauth.account.internal.flows')") == [
        "line 1: allauth.account.internal.flows"
    ]
    assert allauth_internals("from allauth.account.adapter import DefaultAccountAdapter") == []
    assert allauth_internals("from allauth.account.views import RequestLoginCodeView") == []


def test_no_module_uses_allauth_internals() -> None:
    offences = {
        str(path.relative_to(PACKAGE.parent)): found
        for path in sorted(PACKAGE.rglob("*.py"))
        if (found := allauth_internals(path.read_text(encoding="utf-8")))
    }
    assert offences == {}
