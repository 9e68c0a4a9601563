"""The pages of a large trust under load: `make bench-scale` (issue "trust scale", parts 1 and 5).

Builds the trust with `manage.py seed_scale` (5,000 projects and 1.36 million data points by default),
serves it with gunicorn on 127.0.0.1, signs in as the known member, and measures each page with wrk
(Debian's package; `make bench-scale` installs it) in two passes, then prints p50 / p95 / max and errors
beside the figures measured on main before the work (the baseline) and the targets of the issue:
1. the page cache off: every request renders its page, at 1 user (what the first view after a change
   costs);
2. as served, pages kept per session until the data change (openqi.core.pagecache): 1 user, then 50
   concurrent users with no think time.

The database:
- PostgreSQL when DATABASE_URL is set. That database is migrated and its organisation 'scale' is DROPPED
  AND REBUILT (other organisations and people in it are left alone). Use a database of your own.
- Otherwise SQLite, in var/scale-bench.sqlite3, deleted and built anew.
`--reuse` keeps a trust built by an earlier run (the build takes one to three minutes).

Pages run with DEBUG off and test-friendly settings (OPENQI_TESTING=1: the development key, plain HTTP,
static files from the apps), as bench/page_bench.py does. Sign-in is by e-mailed code, so the bench
creates a session for the known account directly and sends its cookie, with a CSRF cookie, as a browser
would after its first page.

Bounded: each page gets --warm-seconds of warm-up, --single-seconds at 1 user in each pass and
--concurrent-seconds at --users users, each request at most --timeout seconds; it talks only to 127.0.0.1
and stops the servers it started. About eight minutes at the default size, after the build.

    .venv/bin/python bench/scale_bench.py                      # the trust of the issue
    .venv/bin/python bench/scale_bench.py --scale small        # 500 projects, quicker
    .venv/bin/python bench/scale_bench.py --reuse --pages search,list
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SQLITE_PATH = ROOT / "var" / "scale-bench.sqlite3"
GUNICORN_LOG = ROOT / "var" / "scale-bench-gunicorn.log"
SLOW_MS = {"postgresql": (100, 300), "sqlite": (150, None)}  # targets: 1 user p95, 50 users p95


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    url_name: str
    query: str = ""
    # Measured on main on PostgreSQL, 2 CPUs, gunicorn 5 workers: 1 user p50 | 50 users p50 / p95.
    baseline: str = ""
    # Whether the 50-user p95 < 300 ms target of the issue applies (home, timeline, SVG: no errors only).
    loaded_target: bool = True


PAGES = [
    Page("home", "home", "core:home", baseline="11–24 ms | 0.45–0.6 / 0.5–0.66 s", loaded_target=False),
    Page("list", "project list, page 1", "projects:list", baseline="0.8 s | 22 / 23 s"),
    Page(
        "filtered",
        "list filtered (dir. + stage)",
        "projects:list",
        "?directorate={directorate}&lifecycle=active",
        baseline="0.12 s | 4.2 / 5.7 s",
    ),
    Page("search", 'search "waiting"', "projects:list", "?q=waiting", baseline="30 s | every request 500"),
    Page("project", "project page", "projects:detail", baseline="59 ms | 1.5 / 1.9 s"),
    Page("measures", "project's measures page", "measures:project_measures", baseline="46 ms | 1.3 / 1.6 s"),
    Page("chart", "chart page", "measures:detail", baseline="36 ms | 0.8 / 0.9 s"),
    Page(
        "timeline",
        "timeline",
        "projects:timeline",
        baseline="11–24 ms | 0.45–0.6 / 0.5–0.66 s",
        loaded_target=False,
    ),
    Page("png", "PNG export", "measures:chart", baseline="118 ms | 2.8 / 3.0 s"),
    # The portfolio issue's target: the dashboard p95 < 300 ms at 50 users (no baseline: it is new).
    Page("portfolio", "portfolio dashboard", "portfolio:dashboard", baseline="new"),
    Page(
        "svg",
        "SVG export",
        "measures:chart",
        baseline="11–24 ms | 0.45–0.6 / 0.5–0.66 s",
        loaded_target=False,
    ),
]


@dataclass
class Run:
    """What wrk measured for one page at one concurrency (milliseconds)."""

    requests: int = 0
    p50: float | None = None
    p95: float | None = None
    max: float | None = None
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def summary(self) -> str:
        if not self.requests:
            return "—"
        return "/".join(_ms(value) for value in (self.p50, self.p95, self.max))


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value / 1000:.1f}s" if value >= 10_000 else f"{value:.0f}"


# --- the database and the trust ---------------------------------------------------------------------


def bench_environment(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "openqi.config.settings",
            "OPENQI_DEBUG": "0",
            "OPENQI_TESTING": "1",
            "OPENQI_LOG_LEVEL": "WARNING",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
        }
    )
    if not env.get("DATABASE_URL"):
        env["OPENQI_SQLITE_PATH"] = str(SQLITE_PATH)
    return env


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], env=env, cwd=ROOT, check=True)


def build_trust(args: argparse.Namespace, env: dict[str, str]) -> float:
    """Migrate and seed; returns the seconds seed_scale took (0 when an existing trust is reused)."""
    if not env.get("DATABASE_URL") and not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    SQLITE_PATH.parent.mkdir(exist_ok=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "createcachetable")
    if args.reuse and trust_exists():
        print("Reusing the scale trust already in the database (--reuse).")
        return 0.0
    size = ["--projects", str(args.projects)] if args.projects else ["--scale", args.scale]
    started = time.perf_counter()
    manage(env, "seed_scale", "--replace", *size)
    return time.perf_counter() - started


def trust_exists() -> bool:
    from openqi.demo.management.commands.seed_scale import SCALE_SLUG
    from openqi.organisations.models import Organisation

    return Organisation.objects.filter(slug=SCALE_SLUG).exists()


# --- what to request, and as whom --------------------------------------------------------------------


def browser_cookies() -> str:
    """The cookies a browser holds once the known member has signed in and seen a page: a session made as
    django.contrib.auth.login makes it, and a CSRF cookie (without one every page with a form would make a
    new CSRF secret and set it, as Django does for a browser's first page)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    from openqi.accounts.models import User
    from openqi.demo.management.commands.seed_scale import MEMBER_EMAIL

    user = User.objects.get(email=MEMBER_EMAIL)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"


def chosen_project(which: str) -> Any:
    """The busiest project (the member leads it: six measures of five years' weekly data, some 70 story
    entries and 28 PDSA cycles), or a typical one: an active project the member may read, with a family
    of three measures whose outcome has about 90 weeks of data (the trust's median)."""
    from django.db.models import Count

    from openqi.demo.management.commands.seed_scale import MEMBER_EMAIL, SCALE_SLUG
    from openqi.projects.models import Lifecycle, Project, TeamRole, Visibility

    if which == "busiest":
        return Project.objects.get(
            team__user__email=MEMBER_EMAIL, team__role=TeamRole.LEAD, team__left_on__isnull=True
        )
    candidates = (
        Project.objects.filter(
            organisation__slug=SCALE_SLUG, lifecycle=Lifecycle.ACTIVE, visibility=Visibility.ORGANISATION
        )
        .annotate(measures=Count("project_measures"))
        .filter(measures=3)
        .order_by("pk")
    )
    for project in candidates[:500]:
        link = project.project_measures.order_by("order", "pk").first()
        if link and 80 <= link.measure.points.count() <= 100:
            return project
    return candidates.first()


def page_urls(pages: list[Page], which: str) -> dict[str, str]:
    """Each page's URL for the chosen project and its outcome measure. URL names are resolved now, so a page
    whose name no longer resolves is skipped with a note, not a crash."""
    from django.urls import NoReverseMatch, reverse

    project = chosen_project(which)
    link = project.project_measures.order_by("order", "pk").first()
    kwargs: dict[str, dict[str, Any]] = {
        "projects:detail": {"pk": project.pk},
        "projects:timeline": {"pk": project.pk},
        "measures:project_measures": {"pk": project.pk},
        "measures:detail": {"pk": project.pk, "pm": link.pk if link else 0},
    }
    urls = {}
    for page in pages:
        args = kwargs.get(page.url_name, {})
        if page.url_name == "measures:chart":
            args = {"pk": project.pk, "pm": link.pk if link else 0, "fmt": page.key}
        try:
            url = reverse(page.url_name, kwargs=args)
        except NoReverseMatch:
            print(f"  note: skipping {page.label}: the URL name {page.url_name!r} does not resolve")
            continue
        urls[page.key] = url + page.query.format(directorate=project.directorate_id)
    points = link.measure.points.count() if link else 0
    print(
        f"  pages of the {which} project, {project.pk} ({project.title!r}): "
        f"{project.project_measures.count()} measures, {project.story_entries.count()} story entries; "
        f"chart of measure link {link.pk if link else '-'} ({points} weeks)"
    )
    return urls


# --- the server ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    GUNICORN_LOG.parent.mkdir(exist_ok=True)
    log = GUNICORN_LOG.open("wb")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "openqi.config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {GUNICORN_LOG}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {GUNICORN_LOG}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- load ----------------------------------------------------------------------------------------------


WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"


def load(base: str, cookies: str, url: str, users: int, seconds: float, timeout: float) -> Run:
    """`users` connections requesting `url` back to back for `seconds`, with wrk (C, on epoll): a load
    client that costs the shared 2 cores about a twentieth of what a Python client did, so the figures are
    the server's, not the client's. Each wrk thread drives its share of the connections."""
    command = [
        "wrk",
        f"--threads={min(users, 2)}",
        f"--connections={users}",
        f"--duration={max(1, round(seconds))}s",
        f"--timeout={max(1, round(timeout))}s",
        f"--script={WRK_SCRIPT}",
        f"--header=Cookie: {cookies}",
        base + url,
    ]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next((x for x in finished.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no report:\n{finished.stdout}\n{finished.stderr}")
    found = json.loads(line.removeprefix("WRK-JSON "))
    errors = {kind: found[kind] for kind in ("status", "connect", "read", "write", "timeout") if found[kind]}
    return Run(
        requests=found["requests"],
        p50=found["p50"] / 1000,
        p95=found["p95"] / 1000,
        max=found["max"] / 1000,
        errors=errors,
    )


@dataclass
class Measured:
    """One page: rendered every time at 1 user (the page cache off), then kept pages at 1 and at many."""

    rendered: Run = field(default_factory=Run)
    single: Run = field(default_factory=Run)
    loaded: Run = field(default_factory=Run)


def measure_rendered(
    args: argparse.Namespace, base: str, cookies: str, urls: dict[str, str]
) -> dict[str, Measured]:
    """The first pass, with the page cache off: what a page costs when it must be rendered (the first
    view after a change)."""
    results: dict[str, Measured] = {}
    for page in PAGES:
        if page.key in urls:
            load(base, cookies, urls[page.key], args.workers, args.warm_seconds, args.timeout)
            results[page.key] = Measured(
                rendered=load(base, cookies, urls[page.key], 1, args.single_seconds, args.timeout)
            )
            print(f"  {page.label:<30} rendered: {results[page.key].rendered.requests:>5} requests")
    return results


def measure_kept(
    args: argparse.Namespace,
    base: str,
    cookies: str,
    urls: dict[str, str],
    results: dict[str, Measured],
) -> None:
    """The second pass, with the page cache on (as served): 1 user, then `--users` users."""
    for page in PAGES:
        if page.key not in urls:
            continue
        url = urls[page.key]
        started = time.perf_counter()
        # Warm up: every worker has the templates compiled, and the chart and page caches are filled.
        warm = load(base, cookies, url, args.workers, args.warm_seconds, args.timeout)
        found = results.setdefault(page.key, Measured())
        found.single = load(base, cookies, url, 1, args.single_seconds, args.timeout)
        found.loaded = load(base, cookies, url, args.users, args.concurrent_seconds, args.timeout)
        errors = sorted(
            {kind for run in (warm, found.rendered, found.single, found.loaded) for kind in run.errors}
        )
        note = f", errors: {errors}" if errors else ""
        count = f"{found.single.requests:>5} + {found.loaded.requests:>5} requests"
        print(f"  {page.label:<30} {count} in {time.perf_counter() - started:5.1f} s{note}")


def measure_scan() -> tuple[int, float]:
    """The signal scan of every measure of the trust, as the daily task runs it (reading the points,
    analysing, storing a row per measure): the number of measures and the seconds it took."""
    from openqi.demo.management.commands.seed_scale import SCALE_SLUG
    from openqi.organisations.models import Organisation
    from openqi.portfolio import scan

    organisation = Organisation.objects.get(slug=SCALE_SLUG)
    started = time.perf_counter()
    done = scan.run_scan(scan.request_scan(organisation, by=None, on_demand=True))
    return done.measures_scanned, time.perf_counter() - started


# --- the report ----------------------------------------------------------------------------------------


def verdict(page: Page, found: Measured, vendor: str, users: int) -> str:
    """The issue's targets: 1 user p95 (checked on rendered pages too, the stricter reading) and, where it
    applies, `users` users p95; no errors anywhere."""
    one_user, many = SLOW_MS.get(vendor, (150, None))
    misses = []
    if (found.single.p95 or math.inf) >= one_user:
        misses.append(f"1u p95≥{one_user}")
    if (found.rendered.p95 or math.inf) >= one_user:
        misses.append(f"rendered 1u p95≥{one_user}")
    if many and page.loaded_target and ((found.loaded.p95 or math.inf) >= many):
        misses.append(f"{users}u p95≥{many}")
    runs = (found.rendered, found.single, found.loaded)
    if any(run.error_count for run in runs) or not all(run.requests for run in runs):
        misses.append("errors")
    return "ok" if not misses else "MISS " + ", ".join(misses)


def report(results: dict[str, Measured], vendor: str, users: int) -> None:
    one_user, many = SLOW_MS.get(vendor, (150, None))
    target = f"1u p95<{one_user}" + (f", {users}u p95<{many}" if many else "")
    header = (
        f"{'page':<30} | {'rendered 1u p50/p95/max':>23} | {'1 user p50/p95/max':>18} | "
        f"{f'{users} users p50/p95/max':>21} | {'errors':>7} | {'baseline 1u p50 | 50u p50/p95':<34} | target"
    )
    print()
    print(header)
    print("-" * len(header))
    for page in PAGES:
        if page.key not in results:
            continue
        found = results[page.key]
        errors = f"{found.rendered.error_count + found.single.error_count}/{found.loaded.error_count}"
        page_target = target if page.loaded_target or not many else f"1u p95<{one_user}, no errors"
        print(
            f"{page.label:<30} | {found.rendered.summary():>23} | {found.single.summary():>18} | "
            f"{found.loaded.summary():>21} | {errors:>7} | {page.baseline:<34} | "
            f"{page_target}: {verdict(page, found, vendor, users)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="trust", help="seed_scale --scale (default: trust)")
    parser.add_argument("--projects", type=int, help="seed_scale --projects (overrides --scale)")
    parser.add_argument("--reuse", action="store_true", help="keep a trust an earlier run built")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 2) + 1)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--warm-seconds", type=float, default=3, help="warm-up at one user per worker")
    parser.add_argument("--single-seconds", type=float, default=8)
    parser.add_argument("--concurrent-seconds", type=float, default=15)
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a request is an error")
    parser.add_argument(
        "--project",
        choices=("busiest", "typical"),
        default="busiest",
        help="whose project, measures, chart and timeline pages (default: the member's, the busiest)",
    )
    parser.add_argument("--pages", help=f"comma-separated subset of: {','.join(p.key for p in PAGES)}")
    args = parser.parse_args()

    env = bench_environment(args)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    vendor = connection.vendor
    where = "PostgreSQL (DATABASE_URL)" if vendor == "postgresql" else f"SQLite ({SQLITE_PATH})"
    print(f"Scale bench on {where}, gunicorn with {args.workers} workers, {os.cpu_count()} CPUs")
    load_before = os.getloadavg()[0]
    seeded = build_trust(args, env)
    connection.close()
    cookies = browser_cookies()
    chosen = set(args.pages.split(",")) if args.pages else {p.key for p in PAGES}
    urls = page_urls([p for p in PAGES if p.key in chosen], args.project)
    connection.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    # Pass 1: the page cache off (OPENQI_PAGE_CACHE_SECONDS=0), so every request renders its page.
    server = start_server({**env, "OPENQI_PAGE_CACHE_SECONDS": "0"}, port, args.workers)
    try:
        print("Serving with the page cache off; measuring rendered pages at 1 user:")
        results = measure_rendered(args, base, cookies, urls)
    finally:
        stop_server(server)
    # Pass 2: as served, pages kept per session until the data change (openqi.core.pagecache).
    server = start_server(env, port, args.workers)
    try:
        print(f"Serving as configured; measuring (warm-up, then 1 user, then {args.users} users):")
        measure_kept(args, base, cookies, urls, results)
    finally:
        stop_server(server)
    took = time.perf_counter() - started
    # The portfolio issue, part 8: the signal scan measured on this trust too (target: under 10 s).
    scanned, scan_seconds = measure_scan()
    report(results, vendor, args.users)
    scan_verdict = "ok" if scan_seconds < 10 else "MISS"
    print(f"\nSignal scan of {scanned:,} measures: {scan_seconds:.1f} s (target < 10 s): {scan_verdict}")
    print()
    if seeded:
        print(f"seed_scale took {seeded:.0f} s; the measurements {took:.0f} s. Server log: {GUNICORN_LOG}")
    else:
        print(f"The measurements took {took:.0f} s. Server log: {GUNICORN_LOG}")
    print("Times are milliseconds unless marked s; errors are 1 user / many users (non-200 or no answer).")
    # The server and this client share the machine: anything else running on it slows the pages too.
    print(
        f"Load average (1 min) before building: {load_before:.1f}; after measuring: {os.getloadavg()[0]:.1f}."
    )


if __name__ == "__main__":
    main()
