"""The layers of OpenQI (docs/adr/0012-layers-and-plug-in-points.md), enforced.

An app may import only apps in lower layers: never one above it, never one beside it, so no two apps
can import each other; tests of an app obey this too (a test that spans apps lives in tests/). Imports inside
functions count as well, and between apps they are refused outright (they only ever dodged a loop) except in
an AppConfig's `ready()`, where Django needs them, in tests, and where a comment on the lines just above says
why a plug-in point cannot serve. A string naming another app's
module (`include("openqi.measures.urls")`, `import_module(...)`) counts as an import.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import openqi

PACKAGE = Path(openqi.__file__).parent

# Bottom to top. Apps in one layer are independent of each other.
LAYERS: list[set[str]] = [
    {"privacy"},  # the personal-data detector (the SPC engine and its chart renderer: package openqi_spc)
    {"core"},  # layout, audit, concurrency, form helpers, plug-in points: what every app uses
    {"accounts"},  # people's accounts and sign-in
    {"organisations"},  # organisations, structure, memberships and roles, priorities, the scoping helper
    {"projects"},  # the project and its Model for Improvement records, its access policy, its plug-in points
    {"measures"},  # measures, data and charts of a project
    {"meetings"},  # meetings, papers, minutes, attendance; actions; calendar invitations; reminders
    {"coaching"},  # the caseload, coaching sessions, idea intake, sponsor updates (uses meetings' actions)
    {"learning"},  # the training pathway: programmes, cohorts, attendance, feedback, learning records
    {"involvement"},  # co-production: partner onboarding, involvement and payments, reflections
    {"tools"},  # process map, fishbone, Pareto, 5 whys, stakeholder analysis, affinity diagram
    {"portfolio"},  # dashboards, signal scan, forum packs, board reports, storyboards, public showcase
    {"api"},  # the REST API: every domain's endpoints (docs/adr/0014-api.md); only config imports it
    {"demo"},  # demo and scale data: may use every app
    {"config"},  # settings and URL wiring
]
LAYER_OF = {app: index for index, layer in enumerate(LAYERS) for app in layer}
ALLOWED_NESTED_WHY = "plug-in point cannot serve"
APP_MODULE = re.compile(r"^openqi\.(\w+)(\.|$)")


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    target: str  # the module named
    nested: bool
    in_ready: bool

    @property
    def app(self) -> str:
        return self.path.relative_to(PACKAGE).parts[0]

    @property
    def target_app(self) -> str | None:
        found = APP_MODULE.match(self.target)
        return found.group(1) if found else None

    def __str__(self) -> str:
        return f"openqi/{self.path.relative_to(PACKAGE)}:{self.line} imports {self.target}"


def modules() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts and len(p.relative_to(PACKAGE).parts) > 1
    )


def imports_of(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[Import] = []

    def visit(node: ast.AST, depth: int, in_ready: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = depth
            ready = in_ready
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                inner = depth + 1
                ready = in_ready or (path.name == "apps.py" and getattr(child, "name", "") == "ready")
            if isinstance(child, ast.Import):
                found.extend(Import(path, child.lineno, a.name, depth > 0, in_ready) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append(Import(path, child.lineno, child.module, depth > 0, in_ready))
            elif (
                isinstance(child, ast.Constant)
                and isinstance(child.value, str)
                and APP_MODULE.match(child.value)
            ):
                found.append(Import(path, child.lineno, child.value, depth > 0, in_ready))
            visit(child, inner, ready)

    visit(tree, 0, False)
    return found


def all_imports() -> list[Import]:
    return [i for path in modules() for i in imports_of(path) if i.target_app not in (None, i.app)]


def test_every_app_has_a_layer() -> None:
    apps = {p.relative_to(PACKAGE).parts[0] for p in modules()} - {"static_root"}
    assert not apps - set(LAYER_OF), f"add these apps to a layer in LAYERS: {sorted(apps - set(LAYER_OF))}"


def test_no_app_imports_a_higher_or_sibling_app() -> None:
    upward = [
        f"{i}  ({i.app}: layer {LAYER_OF[i.app]}; {i.target_app}: layer {LAYER_OF.get(i.target_app or '')})"
        for i in all_imports()
        if i.target_app in LAYER_OF and LAYER_OF[i.target_app] >= LAYER_OF[i.app]
    ]
    assert not upward, "imports against the layers:\n" + "\n".join(upward)


def test_no_imports_inside_functions_between_apps() -> None:
    lines = {path: path.read_text().splitlines() for path in modules()}
    hidden = []
    for i in all_imports():
        if not i.nested or i.target.count(".") == 0:
            continue
        if i.in_ready or "tests" in i.path.parts:
            # AppConfig.ready(): Django needs these once every app's models are loaded. Tests: a fixture
            # importing what it builds is no loop being dodged (the layer rule above still holds for them).
            continue
        comment = " ".join(lines[i.path][max(0, i.line - 4) : i.line - 1])
        if ALLOWED_NESTED_WHY not in comment:
            hidden.append(str(i))
    assert not hidden, "imports inside functions between apps (use a plug-in point):\n" + "\n".join(hidden)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from openqi.measures.models import Measure\n", ["openqi.measures.models"]),
        ("def f():\n    from openqi.measures import presenters\n", ["openqi.measures"]),
        ("include('openqi.measures.urls')\n", ["openqi.measures.urls"]),
        ("import openqi.measures.views as v\n", ["openqi.measures.views"]),
    ],
)
def test_the_check_sees_every_kind_of_import(tmp_path: Path, source: str, expected: list[str]) -> None:
    module = tmp_path / "m.py"
    module.write_text(source)
    assert [i.target for i in imports_of(module)] == expected


def test_the_check_would_catch_an_upward_import() -> None:
    fake = Import(PACKAGE / "projects" / "views" / "x.py", 3, "openqi.measures.presenters", True, False)
    assert fake.app == "projects" and fake.target_app == "measures"
    assert LAYER_OF[fake.target_app] > LAYER_OF[fake.app]
