"""The pages of a large trust under load: `make bench-scale` (issue "trust scale", parts 1 and 5).

Builds the trust with `manage.py seed_scale` (5,000 projects and 1.36 million data points by default),
serves it with gunicorn on 127.0.0.1, signs in as the known member, and measures each page at 1 user and
at 50 concurrent users with no think time, then prints p50 / p95 / max and errors beside the figures
measured on main before the work (the baseline) and the targets of the issue.

The database:
- PostgreSQL when DATABASE_URL is set. That database is migrated and its organisation 'scale' is DROPPED
  AND REBUILT (other organisations and people in it are left alone). Use a database of your own.
- Otherwise SQLite, in var/scale-bench.sqlite3, deleted and built anew.
`--reuse` keeps a trust built by an earlier run (the build takes one to three minutes).

Pages run with DEBUG off and test-friendly settings (OPENQI_TESTING=1: the development key, plain HTTP,
static files from the apps), as bench/page_bench.py does. Sign-in is by e-mailed code, so the bench
creates a session for the known account directly and sends its cookie.

Bounded: each page gets at most --single requests (or --single-seconds) at 1 user and --concurrent
requests (or --concurrent-seconds) at --users users, each request at most --timeout seconds; it talks
only to 127.0.0.1 and stops the server it started. About five to ten minutes at the default size.

    .venv/bin/python bench/scale_bench.py                      # the trust of the issue
    .venv/bin/python bench/scale_bench.py --scale small        # 500 projects, quicker
    .venv/bin/python bench/scale_bench.py --reuse --pages search,list
"""

from __future__ import annotations

import argparse
import asyncio
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
    """The requests of one page at one concurrency: milliseconds of the good ones, and the errors."""

    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.times) + len(self.errors)

    def percentile(self, p: float) -> float | None:
        if not self.times:
            return None
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def summary(self) -> str:
        if not self.times:
            return "—"
        return "/".join(_ms(self.percentile(p)) for p in (50, 95, 100))


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


def session_cookie() -> tuple[str, str]:
    """A signed-in session for the known member, made as django.contrib.auth.login would make it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from openqi.accounts.models import User
    from openqi.demo.management.commands.seed_scale import MEMBER_EMAIL

    user = User.objects.get(email=MEMBER_EMAIL)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return settings.SESSION_COOKIE_NAME, session.session_key or ""


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


async def load(
    base: str, cookie: tuple[str, str], url: str, users: int, requests: int, seconds: float, timeout: float
) -> Run:
    """`users` clients requesting `url` back to back until `requests` are sent or `seconds` pass."""
    run = Run()
    sent = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(
        base_url=base, cookies=dict([cookie]), timeout=timeout, limits=limits, follow_redirects=False
    ) as client:

        async def user() -> None:
            nonlocal sent
            while sent < requests and time.monotonic() < deadline:
                sent += 1
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code == 200:
                        run.times.append(elapsed)
                    else:
                        run.errors.append(f"HTTP {response.status_code}")
                except httpx.HTTPError as error:
                    run.errors.append(type(error).__name__)

        await asyncio.gather(*(user() for _ in range(users)))
    return run


def measure(
    args: argparse.Namespace, base: str, cookie: tuple[str, str], urls: dict[str, str]
) -> dict[str, tuple[Run, Run]]:
    results: dict[str, tuple[Run, Run]] = {}
    for page in PAGES:
        if page.key not in urls:
            continue
        url = urls[page.key]
        started = time.perf_counter()
        # Warm up: every worker has the templates compiled and the chart cache is filled.
        warm = asyncio.run(load(base, cookie, url, args.workers, 2 * args.workers, 10, args.timeout))
        single = asyncio.run(load(base, cookie, url, 1, args.single, args.single_seconds, args.timeout))
        loaded = asyncio.run(
            load(base, cookie, url, args.users, args.concurrent, args.concurrent_seconds, args.timeout)
        )
        results[page.key] = (single, loaded)
        errors = warm.errors + single.errors + loaded.errors
        note = f", errors: {sorted(set(errors))}" if errors else ""
        count = f"{single.count:>4} + {loaded.count:>4} requests"
        print(f"  {page.label:<30} {count} in {time.perf_counter() - started:5.1f} s{note}")
    return results


# --- the report ----------------------------------------------------------------------------------------


def verdict(page: Page, single: Run, loaded: Run, vendor: str, users: int) -> str:
    one_user, many = SLOW_MS.get(vendor, (150, None))
    misses = []
    p95 = single.percentile(95)
    if p95 is None or p95 >= one_user:
        misses.append(f"1u p95≥{one_user}")
    if many and page.loaded_target and ((loaded.percentile(95) or math.inf) >= many):
        misses.append(f"{users}u p95≥{many}")
    if single.errors or loaded.errors:
        misses.append("errors")
    return "ok" if not misses else "MISS " + ", ".join(misses)


def report(results: dict[str, tuple[Run, Run]], vendor: str, users: int) -> None:
    one_user, many = SLOW_MS.get(vendor, (150, None))
    target = f"1u p95<{one_user}" + (f", {users}u p95<{many}" if many else "")
    header = (
        f"{'page':<30} | {'1 user p50/p95/max ms':>21} | {f'{users} users p50/p95/max ms':>24} | "
        f"{'errors':>7} | {'baseline 1u p50 | 50u p50/p95':<34} | target"
    )
    print()
    print(header)
    print("-" * len(header))
    for page in PAGES:
        if page.key not in results:
            continue
        single, loaded = results[page.key]
        errors = f"{len(single.errors)}/{len(loaded.errors)}"
        page_target = target if page.loaded_target or not many else f"1u p95<{one_user}, no errors"
        print(
            f"{page.label:<30} | {single.summary():>21} | {loaded.summary():>24} | {errors:>7} | "
            f"{page.baseline:<34} | {page_target}: {verdict(page, single, loaded, vendor, users)}"
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
    parser.add_argument("--single", type=int, default=50, help="requests per page at 1 user")
    parser.add_argument("--single-seconds", type=float, default=15)
    parser.add_argument("--concurrent", type=int, default=300, help="requests per page at --users users")
    parser.add_argument("--concurrent-seconds", type=float, default=30)
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
    cookie = session_cookie()
    chosen = set(args.pages.split(",")) if args.pages else {p.key for p in PAGES}
    urls = page_urls([p for p in PAGES if p.key in chosen], args.project)
    connection.close()
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        print(f"Serving on 127.0.0.1:{port}; measuring (warm-up, then 1 user, then {args.users} users):")
        started = time.perf_counter()
        results = measure(args, f"http://127.0.0.1:{port}", cookie, urls)
        took = time.perf_counter() - started
    finally:
        stop_server(server)
    report(results, vendor, args.users)
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
