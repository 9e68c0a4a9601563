"""The ``openqi-spc`` command line: a chart (SVG or PNG) and its analysis (JSON) from a CSV file.

    openqi-spc chart data.csv --x week --y completed --n started --chart p -o chart.svg
    openqi-spc chart data.csv --x month --y attendances --chart xmr --improvement decrease -o chart.png
    openqi-spc chart data.csv --x week --y completed --n started --chart p --json      # analysis to stdout

Reads CSV with the standard library (no pandas needed). The x column is read as dates when every value is
an ISO date (2024-01-31), else as numbers, else as text. Errors name the column and the row (1-based, as a
spreadsheet counts data rows) and exit with status 2.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openqi_spc.errors import SPCError
from openqi_spc.limits import CHART_TYPES

MDC_CHARTS = ("xmr",)


class UsageError(Exception):
    """Bad command-line input: reported on stderr as ``openqi-spc: error: ...`` with exit status 2."""


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            names = list(reader.fieldnames or [])
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{path}: not a readable CSV file ({exc})") from None
    if not names:
        raise UsageError(f"{path}: the file is empty (a CSV file with a header row is needed)")
    if not rows:
        raise UsageError(f"{path}: the file has a header but no data rows")
    return names, rows


def _check_column(name: str | None, names: list[str], role: str) -> None:
    if name is not None and name not in names:
        raise UsageError(f"{role} column {name!r} is not in the file; its columns are: {', '.join(names)}")


def numbers(rows: list[dict[str, str]], name: str, role: str) -> list[float | None]:
    out: list[float | None] = []
    for i, row in enumerate(rows, start=1):
        text = (row.get(name) or "").strip()
        if text == "" or text.upper() in ("NA", "NAN"):
            out.append(None)
            continue
        try:
            out.append(float(text.replace(",", "")))
        except ValueError:
            raise UsageError(f"{role} column {name!r}, row {i}: {text!r} is not a number") from None
    return out


def x_values(rows: list[dict[str, str]], name: str) -> list[Any]:
    texts = [(row.get(name) or "").strip() for row in rows]
    present = [t for t in texts if t]
    for parse in (dt.date.fromisoformat, float):
        try:
            parsed = [parse(t) for t in present]
        except ValueError:
            continue
        values = iter(parsed)
        return [next(values) if t else None for t in texts]
    return [t or None for t in texts]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openqi-spc", description="Run charts, control charts and Making Data Count charts from CSV."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    chart = commands.add_parser("chart", help="draw a chart (SVG/PNG) and/or write its analysis (JSON)")
    chart.add_argument("csv", type=Path, help="CSV file with a header row")
    chart.add_argument("--y", required=True, help="column of values (numerators when --n is given)")
    chart.add_argument("--x", help="column of subgroups/dates (rows with the same x are one subgroup)")
    chart.add_argument("--n", help="column of denominators (P, P', U, U' charts)")
    chart.add_argument(
        "--chart",
        default="run",
        choices=[*CHART_TYPES, "np", *MDC_CHARTS],
        help="chart type (xmr = Making Data Count; np = nonconforming units out of --n)",
    )
    chart.add_argument("--facets", help="column to split into one chart per value (needs matplotlib)")
    chart.add_argument("--style", choices=("mdc", "qicharts2"), help="drawing style (default: mdc)")
    chart.add_argument("--improvement", default="increase", choices=("increase", "decrease", "neutral"))
    chart.add_argument("--target", type=float, help="target value (on the chart's own scale)")
    chart.add_argument("--freeze", type=int, help="limits from the first k points (qic charts)")
    chart.add_argument("--multiply", type=float, default=1.0, help="multiply y and limits (100 for percent)")
    chart.add_argument("--title", default="", help="chart title")
    chart.add_argument("-o", "--output", type=Path, help="output file: .svg, .png or .json")
    chart.add_argument(
        "--json", action="store_true", help="write the analysis as JSON (to stdout without -o)"
    )
    return parser


def analyse(args: argparse.Namespace) -> Any:
    from openqi_spc.charts import qic
    from openqi_spc.mdc import mdc

    names, rows = read_csv(args.csv)
    for name, role in ((args.y, "y"), (args.x, "x"), (args.n, "n"), (args.facets, "facets")):
        _check_column(name, names, role)
    columns: dict[str, Any] = {"y": numbers(rows, args.y, "y")}
    if args.x:
        columns["x"] = x_values(rows, args.x)
    if args.n:
        columns["n"] = numbers(rows, args.n, "n")
    if args.facets:
        columns["facets"] = [row.get(args.facets) or "" for row in rows]
    facets = "facets" if args.facets else None
    if args.chart in MDC_CHARTS:
        if args.n:
            raise UsageError("--n is for qic charts (p, pp, u, up...); an XmR chart takes values only")
        mdc_options = {
            "improvement": args.improvement,
            "target": args.target,
            "fix_after_n_points": args.freeze,
        }
        if facets:
            return mdc("y", "x" if args.x else None, data=columns, facets=facets, **mdc_options)
        return mdc(columns["y"], columns.get("x"), **mdc_options)
    options = {"freeze": args.freeze, "multiply": args.multiply}
    if args.chart == "np":
        from openqi_spc.shewhart import np_chart

        if facets or not args.n:
            raise UsageError("an np chart needs --n (the subgroup sizes) and takes no --facets")
        return np_chart(columns["y"], columns["n"], columns.get("x"), freeze=args.freeze)
    if facets:
        return qic(
            "y",
            "n" if args.n else None,
            "x" if args.x else None,
            args.chart,
            data=columns,
            facets=facets,
            **options,
        )
    return qic(columns["y"], columns.get("n"), columns.get("x"), args.chart, **options)


def write_chart(result: Any, args: argparse.Namespace) -> None:
    output: Path = args.output
    suffix = output.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise UsageError(f"{output}: the output must end in .svg, .png or .json")
    from openqi_spc.frames import MDCFrames, QicFrames

    if isinstance(result, QicFrames | MDCFrames) and len(result.results) > 1:
        figure = result.plot(style=args.style or "mdc", title=args.title or None)
        figure.savefig(output, format=suffix[1:])
        return
    single: Any = next(iter(result.results.values())) if isinstance(result, QicFrames | MDCFrames) else result
    extra: dict[str, Any] = {"title": args.title, "style": args.style}
    if args.target is not None and args.chart not in MDC_CHARTS:
        extra["target"] = args.target
    if args.chart not in MDC_CHARTS and args.style != "qicharts2":
        extra["improvement"] = args.improvement
    if suffix == ".svg":
        output.write_text(single.to_svg(**extra), encoding="utf-8")
        return
    try:
        output.write_bytes(single.to_png(**extra))
    except ImportError:  # no resvg: matplotlib draws the PNG instead
        single.plot(style=args.style or "mdc", title=args.title or None).savefig(output, format="png")


def as_json(result: Any) -> str:
    from openqi_spc.frames import MDCFrames, QicFrames

    if isinstance(result, QicFrames | MDCFrames):
        payload: Any = {"facets": [{"facet": list(k), **r.to_records()} for k, r in result.results.items()]}
    else:
        payload = result.to_records()
    return json.dumps(payload, indent=2, default=str)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if not args.output and not args.json:
            raise UsageError("nothing to write: give -o chart.svg / chart.png / analysis.json, or --json")
        result = analyse(args)
        if args.output and args.output.suffix.lower() == ".json":
            args.output.write_text(as_json(result), encoding="utf-8")
        elif args.output:
            write_chart(result, args)
        if args.json and not (args.output and args.output.suffix.lower() == ".json"):
            sys.stdout.write(as_json(result) + "\n")
    except (UsageError, SPCError) as exc:
        parser.exit(2, f"openqi-spc: error: {exc}\n")
    except ImportError as exc:
        parser.exit(2, f"openqi-spc: error: {exc}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
