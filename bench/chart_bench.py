"""Chart rendering speed: render_svg for 100-point I and P charts, render_png, and the text summary.

Run with ``.venv/bin/python bench/chart_bench.py``. Times are medians of many runs on one core; the SPC
analysis itself is excluded (see ``bench/spc_bench.py``), spec building is reported separately.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import datetime as dt  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402
from openqi_spc import FewPointsWarning, mdc, qic  # noqa: E402
from openqi_spc.render import ChartSpec, render_png, render_svg, spec_from_mdc, spec_from_qic, summarise  # noqa: E402

POINTS = 100


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches (font lookup, imports)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    warnings.simplefilter("ignore", FewPointsWarning)
    rng = np.random.default_rng(2025)
    x = [dt.date(2023, 1, 2) + dt.timedelta(weeks=i) for i in range(POINTS)]
    y_i = np.concatenate([rng.normal(45, 4, 60), rng.normal(52, 4, 40)]).round(1).tolist()
    n_p = rng.integers(80, 160, POINTS)
    y_p = rng.binomial(n_p, np.r_[np.full(60, 0.45), np.full(40, 0.55)])

    i_result = qic(y_i, x=x, chart="i", freeze=30, exclude=[7])
    p_result = qic(y_p, n=n_p, x=x, chart="p", part=[60])
    m_result = mdc(y_i, x=x, improvement="increase", target=55, rebase=[x[60]])
    annotations = [(30, 1, "New booking letter"), (60, 2, "Text reminders"), (75, 3, "Evening clinic")]
    i_spec = spec_from_qic(
        i_result,
        title="Completion rate (I chart)",
        improvement="increase",
        period="weeks",
        target=55,
        annotations=annotations,
    )
    p_spec = spec_from_qic(
        p_result, title="Seen within 18 weeks (P chart)", improvement="increase", percent=True, period="weeks"
    )
    m_spec = spec_from_mdc(
        m_result, title="Completion rate (MDC)", percent=True, period="weeks", annotations=annotations
    )
    compact = ChartSpec(
        title="Small multiple",
        x=x,
        y=y_i,
        centre=i_spec.centre,
        lower=i_spec.lower,
        upper=i_spec.upper,
        status=i_spec.status,
    )

    rows = [
        ("spec_from_qic, I chart", lambda: spec_from_qic(i_result, title="t", improvement="increase"), 2000),
        ("spec_from_mdc", lambda: spec_from_mdc(m_result, title="t"), 2000),
        ("render_svg, I chart (freeze, target, 3 notes)", lambda: render_svg(i_spec), 2000),
        ("render_svg, P chart (varying n, 2 parts)", lambda: render_svg(p_spec), 2000),
        ("render_svg, MDC XmR (rebase, target, notes)", lambda: render_svg(m_spec), 2000),
        ("render_svg, compact 240x120", lambda: render_svg(compact, 240, 120, compact=True), 2000),
        ("summarise, MDC", lambda: summarise(m_result, period="weeks", percent=True), 2000),
        ("summarise, P chart", lambda: summarise(p_result, period="weeks", percent=True), 2000),
    ]
    i_svg = render_svg(i_spec)
    small_svg = render_svg(compact, 240, 120, compact=True)
    rows += [
        ("render_png, I chart 720x360 at scale 2", lambda: render_png(i_svg, scale=2), 30),
        ("render_png, I chart 720x360 at scale 1", lambda: render_png(i_svg, scale=1), 30),
        ("render_png, compact 240x120 at scale 2", lambda: render_png(small_svg, scale=2), 60),
    ]
    print(f"Python {platform.python_version()} on {platform.machine()}, {POINTS}-point charts, one core")
    print(
        f"SVG sizes: I {len(i_svg):,} B, P {len(render_svg(p_spec)):,} B, MDC {len(render_svg(m_spec)):,} B, "
        f"compact {len(small_svg):,} B; PNG (I, scale 2) {len(render_png(i_svg)):,} B"
    )
    print(f"{'workload':<50} {'median':>10}")
    for name, fn, runs in rows:
        print(f"{name:<50} {median_ms(fn, runs):>8.3f} ms")


if __name__ == "__main__":
    main()
