"""The openqi-spc command line: charts and JSON from CSV, and clear errors for bad columns and bad data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openqi_spc import qic
from openqi_spc.cli import main

ROWS = [
    ("2024-01-01", 40, 22),
    ("2024-01-08", 42, 25),
    ("2024-01-15", 38, 20),
    ("2024-01-22", 45, 27),
    ("2024-01-29", 41, 24),
    ("2024-02-05", 39, 21),
    ("2024-02-12", 44, 26),
    ("2024-02-19", 40, 23),
    ("2024-02-26", 43, 25),
    ("2024-03-04", 42, 24),
    ("2024-03-11", 41, 38),
    ("2024-03-18", 40, 37),
]


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "referrals.csv"
    lines = ["week,started,completed,team"] + [
        f"{w},{s},{c},{'A' if i < 6 else 'B'}" for i, (w, s, c) in enumerate(ROWS)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def run(*args: str) -> int:
    return main(list(args))


def test_p_chart_svg(csv_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.svg"
    assert (
        run(
            "chart",
            str(csv_file),
            "--x",
            "week",
            "--y",
            "completed",
            "--n",
            "started",
            "--chart",
            "p",
            "-o",
            str(out),
        )
        == 0
    )
    svg = out.read_text()
    assert svg.startswith("<svg")
    expected = qic([r[2] for r in ROWS], [r[1] for r in ROWS], chart="p")
    assert expected.sigma_signal  # the last two weeks are special causes, and the SVG says so
    assert "special cause" in svg.lower()


def test_png_output(csv_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    assert (
        run("chart", str(csv_file), "--x", "week", "--y", "completed", "--chart", "xmr", "-o", str(out)) == 0
    )
    assert out.read_bytes().startswith(b"\x89PNG")


def test_json_to_stdout_is_the_analysis(csv_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            "chart",
            str(csv_file),
            "--x",
            "week",
            "--y",
            "completed",
            "--n",
            "started",
            "--chart",
            "p",
            "--json",
        )
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    expected = qic([r[2] for r in ROWS], [r[1] for r in ROWS], chart="p")
    assert payload["chart"] == "p"
    assert [p["ucl"] for p in payload["points"]] == pytest.approx(expected.points.ucl.tolist())
    assert payload["points"][0]["x"] == "2024-01-01"


def test_json_file_for_mdc_with_a_target(csv_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "analysis.json"
    args = ["chart", str(csv_file), "--y", "completed", "--chart", "xmr", "--target", "30", "-o", str(out)]
    assert run(*args) == 0
    payload = json.loads(out.read_text())
    assert payload["target"] == 30.0
    assert payload["assurance_icon"] in {"consistently_pass", "consistently_fail", "inconsistent"}


def test_facets_draw_panels_and_list_each_facet(
    csv_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "teams.svg"
    assert (
        run(
            "chart",
            str(csv_file),
            "--y",
            "completed",
            "--chart",
            "i",
            "--facets",
            "team",
            "-o",
            str(out),
            "--json",
        )
        == 0
    )
    assert out.read_text().lstrip().startswith("<?xml")  # matplotlib draws the panels
    payload = json.loads(capsys.readouterr().out)
    assert [f["facet"] for f in payload["facets"]] == [["A"], ["B"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--y", "done"],
            "y column 'done' is not in the file; its columns are: week, started, completed, team",
        ),
        (["--y", "team", "--chart", "i"], "y column 'team', row 1: 'A' is not a number"),
        (["--y", "completed", "--chart", "p"], "a P chart needs denominators"),
        (["--y", "completed", "--chart", "zz"], "invalid choice: 'zz'"),
        (["--y", "completed", "--n", "started", "--chart", "xmr"], "--n is for qic charts"),
    ],
)
def test_errors_are_clear_and_exit_2(
    csv_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        run("chart", str(csv_file), *args, "-o", str(tmp_path / "x.svg"))
    assert stop.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.svg").exists()


def test_bad_files_and_outputs(tmp_path: Path, csv_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run("chart", str(tmp_path / "missing.csv"), "--y", "a", "--json")
    assert "no such file" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(SystemExit):
        run("chart", str(empty), "--y", "a", "--json")
    assert "the file is empty" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run("chart", str(csv_file), "--y", "completed", "-o", str(tmp_path / "chart.gif"))
    assert "must end in .svg, .png or .json" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run("chart", str(csv_file), "--y", "completed")
    assert "nothing to write" in capsys.readouterr().err


def test_the_console_script_is_installed(csv_file: Path, tmp_path: Path) -> None:
    script = shutil.which("openqi-spc", path=str(Path(sys.executable).parent))
    assert script, "the openqi-spc console script is not installed next to this Python"
    out = tmp_path / "c.svg"
    done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [script, "chart", str(csv_file), "--y", "completed", "--chart", "i", "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("<svg")
    bad = subprocess.run(  # noqa: S603
        [script, "chart", str(csv_file), "--y", "nope", "--json"], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2
    assert "openqi-spc: error: y column 'nope'" in bad.stderr


def test_np_chart_from_the_command_line(csv_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("chart", str(csv_file), "--y", "completed", "--n", "started", "--chart", "np", "--json") == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["chart"] == "np"
    assert [p["y"] for p in payload["points"]] == [float(r[2]) for r in ROWS]  # counts, not proportions
