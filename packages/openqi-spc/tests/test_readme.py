"""The package README's and the tutorial's examples run as written: every ```python block (in order, one
namespace, in a scratch directory) and every ``$ openqi-spc`` line of the ```console blocks."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
PYTHON = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
CONSOLE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


def run_document(path: Path, workdir: Path) -> tuple[int, int]:
    text = path.read_text()
    blocks = PYTHON.findall(text)
    commands = [
        line[2:] for block in CONSOLE.findall(text) for line in block.splitlines() if line.startswith("$ ")
    ]
    namespace: dict[str, object] = {"__name__": "__readme__"}
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        for number, block in enumerate(blocks, start=1):
            try:
                exec(compile(block, f"{path.name} block {number}", "exec"), namespace)  # noqa: S102 - our docs
            except Exception as exc:  # pragma: no cover - the failure message is the point
                raise AssertionError(f"{path.name} python block {number} failed: {exc!r}\n{block}") from exc
    finally:
        os.chdir(cwd)
    script = shutil.which("openqi-spc", path=str(Path(sys.executable).parent))
    assert script, "the openqi-spc console script is not installed"
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "openqi-spc", command
        done = subprocess.run([script, *argv[1:]], cwd=workdir, capture_output=True, text=True, check=False)  # noqa: S603
        assert done.returncode == 0, f"{command}: {done.stderr}"
    return len(blocks), len(commands)


@pytest.mark.filterwarnings("ignore::openqi_spc.errors.FewPointsWarning")
def test_readme_examples_run(tmp_path: Path) -> None:
    blocks, commands = run_document(PACKAGE / "README.md", tmp_path)
    assert blocks >= 6 and commands >= 3
    for name in ("attendances.png", "rf4.png", "rf4-qic.png", "rf4.svg", "rf4-p.svg", "rf4.json"):
        produced = tmp_path / name
        assert produced.exists() and produced.stat().st_size > 1000, name
    assert (tmp_path / "rf4.svg").read_text().startswith("<svg")


@pytest.mark.filterwarnings("ignore::openqi_spc.errors.FewPointsWarning")
def test_tutorial_runs(tmp_path: Path) -> None:
    blocks, _ = run_document(PACKAGE / "docs" / "tutorial.md", tmp_path)
    assert blocks >= 8
    assert list(tmp_path.glob("*.png")), "the tutorial saves its figures"
