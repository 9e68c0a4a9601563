"""docs/api.md's examples work: each runs against a live server with the demo trust, as a reader would
run it — the Python ones with httpx in a fresh interpreter, the curl one in bash (curl must be installed:
a missing curl fails this test rather than skipping it)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
EXAMPLE = re.compile(r"<!-- example: (\w+)(?: ([\w.]+))? -->\n```\w*\n(.*?)```", re.S)


def examples() -> list[tuple[str, str | None, str]]:
    return [(kind, name, code) for kind, name, code in EXAMPLE.findall(DOC.read_text())]


def test_the_doc_has_the_three_examples() -> None:
    kinds = [kind for kind, _name, _code in examples()]
    assert kinds == ["python", "sh", "csv", "python"]
    assert "httpx" in examples()[0][2] and "curl" in examples()[1][2] and "weekly.csv" in examples()[3][2]


@pytest.fixture
def demo(transactional_db: None, live_server: Any, tmp_path: Path) -> dict[str, str]:
    from openqi.api.tests.helpers import API, ApiClient

    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("api_token", "qi.admin@northshire.nhs.uk", "--name", "docs", stdout=out)
    token = out.getvalue().strip()
    client = ApiClient(secret=token)
    project = client.get(f"{API}/projects", {"q": "Low Intensity CBT"}).json()["items"][0]
    measures = client.get(f"{API}/projects/{project['id']}/measures").json()
    measure = next(m for m in measures if m["name"] == "Completion of Low Intensity CBT")
    return {
        **os.environ,
        "OPENQI_URL": live_server.url,
        "OPENQI_TOKEN": token,
        "OPENQI_PROJECT": str(project["id"]),
        "OPENQI_MEASURE": str(measure["id"]),
    }


def _run(command: list[str], env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    assert done.returncode == 0, f"{command[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_examples_run_against_a_live_server(demo: dict[str, str], tmp_path: Path) -> None:
    from openqi.measures.models import DataPoint

    curl = shutil.which("curl")
    assert curl, "curl is needed to check docs/api.md's curl example: install it (apt-get install curl)"
    (python, _, code), (_, _, shell), (_, csv_name, csv_text), (_, _, upload) = examples()

    printed = _run([sys.executable, "-c", code], demo, tmp_path)
    assert "Increasing completion of Low Intensity CBT" in printed
    assert "- Completion of Low Intensity CBT [" in printed and "variation:" in printed

    printed = _run(["bash", "-e", "-o", "pipefail", "-c", shell], demo, tmp_path)
    decoder = json.JSONDecoder()
    projects, end = decoder.raw_decode(printed)  # curl prints one body after the other
    analysis, _end = decoder.raw_decode(printed[end:].lstrip())
    assert projects["items"] and all(p["stage"]["code"] == "active" for p in projects["items"])
    assert analysis["baseline_end"] == 11 and analysis["summary"]

    (tmp_path / str(csv_name)).write_text(csv_text)
    printed = _run([sys.executable, "-c", upload], demo, tmp_path)
    assert re.search(r"^\d+ new, \d+ updated, \d+ unchanged weeks$", printed, re.M), printed
    saved = DataPoint.objects.filter(
        measure_id=int(demo["OPENQI_MEASURE"]), period__in=["2025-03-03", "2025-03-17"]
    )
    assert sorted((str(p.period), int(p.numerator), int(p.denominator)) for p in saved) == [
        ("2025-03-03", 31, 52),
        ("2025-03-17", 38, 57),
    ]
