"""The package installs on its own: a wheel built from packages/openqi-spc, installed into a fresh virtual
environment with no Django (and no pandas or matplotlib), imports and computes, and its command line works.

Takes about a minute (it builds a wheel and installs NumPy into the new environment from the package index).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]

SMOKE = r"""
import importlib.util, json, sys
from openqi_spc import qic, mdc, qic_batch, cusum, funnel
assert importlib.util.find_spec("django") is None, "Django must not be installed here"
assert importlib.util.find_spec("pandas") is None and importlib.util.find_spec("matplotlib") is None
r = qic([3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8, 10, 9, 11], chart="i")
m = mdc([3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8, 10, 9, 11, 10, 12], improvement="increase", target=20)
b = qic_batch([[1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2]] * 3, chart="i")
frames = qic(data={"v": [1.0, 2.0, 3.0, 2.0]}, y="v", chart="run")
try:
    frames.points
except ImportError as exc:
    message = str(exc)
else:
    raise AssertionError("pandas is not installed: .points must say how to install it")
svg = m.to_svg(title="Smoke")
print(json.dumps({"cl": r.summary[0].CL, "icon": m.variation_icon.value, "assurance": m.assurance_icon.value,
                  "batch": len(b), "cusum": cusum([10, 11, 9, 12], 10, 1).c_plus.tolist(),
                  "funnel": funnel([10, 20], [12, 18]).target, "pandas_hint": message, "svg": svg[:4]}))
"""


def run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, check=False)  # noqa: S603
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_wheel_installs_and_runs_in_a_clean_venv_without_django(tmp_path: Path) -> None:
    # build from a copy, so setuptools' build/ and egg-info never land in the working tree
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests", ".*")
    shutil.copytree(PACKAGE, source, ignore=ignore)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, source)
    built = sorted(wheels.glob("openqi_spc-*.whl"))
    assert len(built) == 1, list(wheels.iterdir())
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=True, clear=True).create(env)
    python = env / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", built[0])
    out = run(python, "-c", SMOKE, cwd=tmp_path)
    assert '"icon": "special_cause_improvement_high"' in out
    assert '"assurance": "consistently_fail"' in out
    assert "pip install 'openqi-spc[pandas]'" in out
    assert '"svg": "<svg"' in out  # the web app's renderer ships inside the package
    # the console script, reading CSV with the standard library only
    data = tmp_path / "data.csv"
    data.write_text(
        "week,done,started\n" + "\n".join(f"2024-01-{d:02d},{10 + d % 3},{20}" for d in range(1, 16))
    )
    out = run(
        env / "bin" / "openqi-spc",
        "chart",
        data,
        "--x",
        "week",
        "--y",
        "done",
        "--n",
        "started",
        "--chart",
        "p",
        "--json",
    )
    assert '"chart": "p"' in out
    run(env / "bin" / "openqi-spc", "chart", data, "--y", "done", "--chart", "xmr", "-o", tmp_path / "c.svg")
    assert (tmp_path / "c.svg").read_text().startswith("<svg")
