"""OpenQI SPC engine against pyqicharts, side by side, on the same data (``make bench``).

Workloads (each "analysis" = limits + 3-sigma signals + Anhøj runs rules + Making Data Count rules/icons):

* one 60-point I chart (synthetic, seeded);
* 10 000 series x 60 points of I charts (synthetic);
* 10 000 series x 60 points of P charts (synthetic numerators/denominators; MDC rules on the proportions);
* the NHS A&E attendances portfolio (real data: one series per trust and department type): I charts of
  attendances and P charts of the proportion seen within four hours;
* the single series and the 10 000-series portfolios again with DataFrame input (column names in, summary
  DataFrames out), as an analyst calls the package from a notebook.

pyqicharts is far slower per series, so its portfolio times are measured on a sample of series and
extrapolated linearly; the output says so on every such line. Everything runs on one core: BLAS/OpenMP
threads are pinned to 1 before NumPy is imported.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import csv  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import timeit  # noqa: E402
import tracemalloc  # noqa: E402
import warnings  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
from openqi_spc import FewPointsWarning, mdc, mdc_batch, qic, qic_batch  # noqa: E402

SERIES = 10_000
POINTS = 60
PYQ_SAMPLE = 200  # pyqicharts series actually timed for each portfolio workload
TARGET_SINGLE_US = 100.0
TARGET_BATCH_S = 1.0


def shared_data_file() -> Path:
    base = os.environ.get("OPENQI_SHARED_DIR")
    root = Path(base) if base else Path(__file__).resolve().parents[2] / "shared"
    path = root / "data" / "ae_attendances.csv"
    if not path.exists():
        sys.exit(
            f"ERROR: benchmark data not found at {path}.\n"
            "Set OPENQI_SHARED_DIR to the directory that holds data/ae_attendances.csv."
        )
    return path


def load_ae(path: Path) -> tuple[list[str], list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """One series per (trust, type), in period order: attendances, within-4h counts, attendances."""
    rows: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            attendances = float(row["attendances"])
            if attendances <= 0:
                continue  # a department with no attendances that month has no proportion to chart
            within = attendances - float(row["breaches"])
            rows[f"{row['org_code']}/{row['type']}"].append((row["period"], attendances, within))
    ids, att, within4, denom = [], [], [], []
    for key in sorted(rows):
        series = sorted(rows[key])
        if len(series) < 15:  # too short for limits (NHSE minimum): leave out of the portfolio
            continue
        ids.append(key)
        att.append(np.array([s[1] for s in series]))
        within4.append(np.array([s[2] for s in series]))
        denom.append(np.array([s[1] for s in series]))
    return ids, att, within4, denom


def best_time(fn: Callable[[], Any], repeat: int = 3, number: int = 1) -> float:
    return min(timeit.repeat(fn, repeat=repeat, number=number)) / number


def per_call_us(fn: Callable[[], Any]) -> float:
    number = 200
    while best_time(fn, repeat=1, number=number) * number < 0.2:
        number *= 2
    return best_time(fn, repeat=5, number=number) * 1e6


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1e3:9.1f} ms" if seconds < 1 else f"{seconds:9.2f} s "


class PyQicharts:
    """The same analyses with pyqicharts 2.x (table API: no plotting)."""

    def __init__(self) -> None:
        import pandas as pd
        import pyqicharts
        from pyqicharts.rules import anhoej_rules
        from pyqicharts.tables import qic_table

        self.pd = pd
        self.version = pyqicharts.__version__
        self.qic_table = qic_table
        self.anhoej = anhoej_rules

    def i_analysis(self, y: np.ndarray) -> Any:
        frame = self.pd.DataFrame({"x": np.arange(1, y.size + 1), "y": y})
        table = self.qic_table(
            frame, "x", "y", chart="i", improvement="high is good"
        )  # limits + MDC-style rules
        return table, self.anhoej(frame["y"])  # Anhøj runs rules

    def p_analysis(self, y: np.ndarray, n: np.ndarray) -> Any:
        frame = self.pd.DataFrame({"x": np.arange(1, y.size + 1), "y": y, "n": n, "p": y / n})
        table = self.qic_table(frame, "x", "y", chart="p", denominator="n")
        rules = self.qic_table(frame, "x", "p", chart="i", improvement="high is good")  # MDC rules on p
        return table, rules, self.anhoej(frame["p"])


def openqi_i_portfolio(y: Any) -> Any:
    return qic_batch(y, chart="i"), mdc_batch(y, improvement="increase", target=None)


def openqi_p_portfolio(y: Any, n: Any) -> Any:
    proportions = (
        [np.asarray(a) / np.asarray(b) for a, b in zip(y, n, strict=True)] if isinstance(y, list) else y / n
    )
    return qic_batch(y, n, chart="p"), mdc_batch(proportions, improvement="increase")


def peak_memory(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    warnings.simplefilter("ignore", FewPointsWarning)
    data_file = shared_data_file()
    rng = np.random.default_rng(20240601)
    single = rng.normal(100.0, 10.0, POINTS)
    i_series = rng.normal(100.0, 10.0, (SERIES, POINTS))
    p_den = rng.integers(50, 500, (SERIES, POINTS)).astype(float)
    p_num = rng.binomial(p_den.astype(np.int64), 0.8).astype(float)
    ae_ids, ae_att, ae_within, ae_den = load_ae(data_file)

    try:
        pyq: PyQicharts | None = PyQicharts()
    except ImportError:
        pyq = None

    print("SPC benchmark: OpenQI (openqi_spc) vs pyqicharts, same data, one core")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"pyqicharts {pyq.version if pyq else 'NOT INSTALLED (pip install pyqicharts)'}"
    )
    print(
        f"A&E data: {data_file} -> {len(ae_ids)} series (trust x type), {sum(a.size for a in ae_att)} points"
    )
    print()
    header = f"{'workload':<58} {'OpenQI':>12} {'pyqicharts':>12} {'ratio':>9}  target"
    print(header)
    print("-" * len(header))

    def row(label: str, ours: float, theirs: float | None, unit: str, target: str, note: str = "") -> None:
        def show(v: float) -> str:
            return f"{v:9.1f} us" if unit == "us" else fmt_s(v)

        ratio = f"{theirs / ours:8.0f}x" if theirs else "      n/a"
        print(f"{label:<58} {show(ours):>12} {show(theirs) if theirs else 'n/a':>12} {ratio}  {target}{note}")

    # 1. one 60-point I chart
    ours_qic = per_call_us(lambda: qic(single, chart="i"))
    ours_both = per_call_us(lambda: (qic(single, chart="i"), mdc(single)))
    theirs_single = per_call_us(lambda: pyq.i_analysis(single)) if pyq else None
    ok = "PASS" if ours_qic < TARGET_SINGLE_US else "FAIL"
    row("one 60-point I chart: qic() (limits + Anhoej)", ours_qic, None, "us", f"< 100 us {ok}")
    row("one 60-point I chart: qic() + mdc() (Anhoej + MDC)", ours_both, theirs_single, "us", "")

    # 1b. the same from a DataFrame (column names in, DataFrames out), as an analyst in a notebook calls it
    import pandas as pd

    single_frame = pd.DataFrame({"week": np.arange(1, POINTS + 1), "value": single})
    ours_frame = per_call_us(
        lambda: (
            qic(data=single_frame, x="week", y="value", chart="i").summary,
            mdc(data=single_frame, x="week", y="value").summary,
        )
    )
    row("one 60-point I chart, DataFrame in/out: qic() + mdc()", ours_frame, theirs_single, "us", "")

    results: dict[str, float] = {}

    def portfolio(
        label: str,
        ours_fn: Callable[[], Any],
        theirs_fn: Callable[[int], Any] | None,
        count: int,
        target: bool,
    ) -> None:
        ours = best_time(ours_fn, repeat=3)
        results[label] = ours
        theirs = None
        note = ""
        if theirs_fn is not None:
            sample = min(PYQ_SAMPLE, count)
            start = time.perf_counter()
            theirs_fn(sample)
            theirs = (time.perf_counter() - start) * count / sample
            if sample < count:
                note = f"  [pyqicharts: {sample} series timed, x{count / sample:.0f} extrapolated]"
        verdict = ("< 1 s " + ("PASS" if ours < TARGET_BATCH_S else "FAIL")) if target else ""
        row(label, ours, theirs, "s", verdict, note)

    def pyq_i(sample: int) -> None:
        assert pyq is not None
        for k in range(sample):
            pyq.i_analysis(i_series[k])

    def pyq_p(sample: int) -> None:
        assert pyq is not None
        for k in range(sample):
            pyq.p_analysis(p_num[k], p_den[k])

    def pyq_ae_i(sample: int) -> None:
        assert pyq is not None
        for k in range(sample):
            pyq.i_analysis(ae_att[k])

    def pyq_ae_p(sample: int) -> None:
        assert pyq is not None
        for k in range(sample):
            pyq.p_analysis(ae_within[k], ae_den[k])

    portfolio(
        f"{SERIES} x {POINTS} I charts, Anhoej + MDC (qic_batch+mdc_batch)",
        lambda: openqi_i_portfolio(i_series),
        pyq_i if pyq else None,
        SERIES,
        True,
    )
    portfolio(
        f"{SERIES} x {POINTS} P charts, Anhoej + MDC (qic_batch+mdc_batch)",
        lambda: openqi_p_portfolio(p_num, p_den),
        pyq_p if pyq else None,
        SERIES,
        True,
    )
    long_i = pd.DataFrame(
        {
            "series": np.repeat(np.arange(SERIES), POINTS),
            "week": np.tile(np.arange(1, POINTS + 1), SERIES),
            "value": i_series.ravel(),
        }
    )
    long_p = long_i.assign(num=p_num.ravel(), den=p_den.ravel(), rate=(p_num / p_den).ravel())

    def frame_i() -> Any:
        options = {"data": long_i, "y": "value", "series_id": "series", "x": "week"}
        return qic_batch(chart="i", **options).summary_frame(), mdc_batch(**options).summary_frame()

    def frame_p() -> Any:
        return (
            qic_batch(data=long_p, y="num", n="den", series_id="series", x="week", chart="p").summary_frame(),
            mdc_batch(data=long_p, y="rate", series_id="series", x="week").summary_frame(),
        )

    portfolio(
        f"{SERIES} x {POINTS} I charts, one long DataFrame in, frames out",
        frame_i,
        pyq_i if pyq else None,
        SERIES,
        True,
    )
    portfolio(
        f"{SERIES} x {POINTS} P charts, one long DataFrame in, frames out",
        frame_p,
        pyq_p if pyq else None,
        SERIES,
        True,
    )
    portfolio(
        f"A&E {len(ae_ids)} series: I charts of attendances",
        lambda: openqi_i_portfolio(ae_att),
        pyq_ae_i if pyq else None,
        len(ae_ids),
        False,
    )
    portfolio(
        f"A&E {len(ae_ids)} series: P charts, % within 4 hours",
        lambda: openqi_p_portfolio(ae_within, ae_den),
        pyq_ae_p if pyq else None,
        len(ae_ids),
        False,
    )
    loop_time = best_time(lambda: [qic(s, chart="i") for s in i_series[:1000]], repeat=1) * SERIES / 1000
    row(
        f"{SERIES} x {POINTS} I charts as a loop of qic() (no batch API)",
        loop_time,
        None,
        "s",
        "(for reference)",
    )

    print()
    small = peak_memory(lambda: openqi_i_portfolio(i_series[: SERIES // 10]))
    large = peak_memory(lambda: openqi_i_portfolio(i_series))
    points_large = SERIES * POINTS
    print(
        f"memory (tracemalloc peak, I portfolio): {SERIES // 10} series {small / 1e6:.1f} MB, "
        f"{SERIES} series {large / 1e6:.1f} MB -> x{large / small:.1f} for x10 data "
        f"({large / points_large:.0f} bytes per point): linear"
    )

    # Agreement on the single series (unscreened MRs, as pyqicharts computes by default).
    if pyq is not None:
        table, _ = pyq.i_analysis(single)
        ours_i = qic(single, chart="i", screened_mr=False).points
        diff = max(
            abs(float(table["centre"].iloc[0]) - ours_i.cl[0]),
            abs(float(table["ucl"].iloc[0]) - ours_i.ucl[0]),
            abs(float(table["lcl"].iloc[0]) - ours_i.lcl[0]),
        )
        print(
            f"agreement on the 60-point I chart (cl, lcl, ucl, unscreened MR): max |difference| = {diff:.2e}"
        )
    print("ratio = pyqicharts time / OpenQI time (higher is faster for OpenQI)")


if __name__ == "__main__":
    main()
