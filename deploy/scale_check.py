"""`make scale-check`: deploy/compose.yaml's topology, run as processes on this one machine, and a journey
through it (issue "reliability", part 6: runs beyond one machine).

Containers cannot run here, so each service of compose.yaml is a process (SERVICES says which), all on
127.0.0.1 on free ports:

    client ──TLS──▶ haproxy (deploy/haproxy.cfg) ──▶ web1, web2 (gunicorn) ──▶ PostgreSQL, Redis, S3 (moto)
                                                       worker1, worker2 (db_worker) ──▶ SMTP sink

Then, through the proxy only:
1. sign in by e-mailed code (the code is read from the SMTP sink), so the session is shared by both webs;
2. add a story entry with an attachment on web1 and download it through web2 (each web process has its own
   empty media folder: the file can only come from the S3 bucket, which is checked to hold it);
3. invite someone, and see a worker send the invitation to the SMTP sink;
4. a short load on the project list and a chart page: p50 / p95, errors, and how many each web served.
It exits non-zero on any failure, and always stops what it started (Ctrl-C too). Each process logs to
var/scale-check/<service>.log. The database (a fresh `openqi_scale_check` on the PostgreSQL server at
127.0.0.1:5432) is dropped at the end unless --keep is given.

    make scale-check                                       # installs what it needs, then runs this
    .venv/bin/python deploy/scale_check.py --load-seconds 5 --keep
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import email
import email.policy
import ipaddress
import mailbox
import math
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import boto3
import httpx
import psycopg
import redis
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOGS = ROOT / "var" / "scale-check"
PROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
DATABASE = "openqi_scale_check"
BUCKET = "openqi-scale-check"
HOST = "127.0.0.1"

# Each service of deploy/compose.yaml, and what stands for it here (tests/test_deploy.py keeps the two lists
# equal). The trust's mail relay is not in compose.yaml (OPENQI_EMAIL_HOST points at it); here an SMTP sink
# stands in for it.
SERVICES = {
    "db": "PostgreSQL at 127.0.0.1:5432: a fresh database",
    "redis": "redis-server (Debian): the chart cache",
    "s3": "moto's S3 server (compose: SeaweedFS): uploaded files",
    "s3-bucket": "the bucket, made with boto3, versioning on",
    "migrate": "manage.py migrate and createcachetable (here also collectstatic and seed_demo)",
    "web1": "gunicorn",
    "web2": "gunicorn",
    "worker1": "manage.py db_worker",
    "worker2": "manage.py db_worker",
    "proxy": "haproxy (Debian) with deploy/haproxy.cfg, TLS with a certificate made for the run",
}
# What every web process and worker is given, in compose.yaml (x-openqi) and here.
APP_SETTINGS = (
    "OPENQI_SECRET_KEY",
    "OPENQI_ALLOWED_HOSTS",
    "OPENQI_SITE_URL",
    "OPENQI_BEHIND_PROXY",
    "DATABASE_URL",
    "OPENQI_REDIS_URL",
    "OPENQI_S3_BUCKET",
    "OPENQI_S3_ENDPOINT_URL",
    "OPENQI_S3_ACCESS_KEY_ID",
    "OPENQI_S3_SECRET_ACCESS_KEY",
    "OPENQI_S3_REGION",
    "OPENQI_EMAIL_HOST",
    "OPENQI_EMAIL_PORT",
    "OPENQI_EMAIL_USER",
    "OPENQI_EMAIL_PASSWORD",
    "OPENQI_EMAIL_USE_TLS",
    "OPENQI_FROM_EMAIL",
)
# What deploy/haproxy.cfg reads from its environment (PROXY_ALLOW_PIN only here, never in compose.yaml).
PROXY_SETTINGS = ("PROXY_BIND", "PROXY_CERT", "PROXY_HOST", "WEB1_ADDR", "WEB2_ADDR")
# The web and worker commands after the program (gunicorn; python), as compose.yaml and the Dockerfile say.
WEB_ARGS = ("openqi.config.wsgi", "--access-logfile", "-")
WORKER_ARGS = ("manage.py", "db_worker", "--no-reload")
SIGN_IN_AS = "qi.admin@northshire.nhs.uk"  # seed_demo's QI team admin: may add to every project and invite
ORGANISATION = "northshire"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n" + secrets.token_hex(2048).encode()
CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class CheckFailed(Exception):
    """A step of the journey did not do what it should."""


def check(condition: object, failure: str) -> None:
    if not condition:
        raise CheckFailed(failure)


# --- the topology ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Ports:
    smtp: int
    s3: int
    redis: int
    web1: int
    web2: int
    proxy: int

    @classmethod
    def pick(cls) -> Ports:
        ports: list[int] = []
        while len(ports) < 6:
            if (port := free_port()) not in ports:
                ports.append(port)
        return cls(*ports)


@dataclass(frozen=True)
class Topology:
    ports: Ports
    database: str
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    s3_key: str = "scale-check"
    s3_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def database_url(self) -> str:
        return f"{POSTGRES}/{self.database}"

    @property
    def public_url(self) -> str:
        return f"https://{HOST}:{self.ports.proxy}"

    @property
    def s3_url(self) -> str:
        return f"http://{HOST}:{self.ports.s3}"

    def app_settings(self) -> dict[str, str]:
        """The OpenQI settings of every web process and worker (APP_SETTINGS), as compose.yaml gives them."""
        return {
            "OPENQI_SECRET_KEY": self.secret_key,
            "OPENQI_ALLOWED_HOSTS": HOST,
            "OPENQI_SITE_URL": self.public_url,
            "OPENQI_BEHIND_PROXY": "1",
            "DATABASE_URL": self.database_url,
            "OPENQI_REDIS_URL": f"redis://{HOST}:{self.ports.redis}/0",
            "OPENQI_S3_BUCKET": BUCKET,
            "OPENQI_S3_ENDPOINT_URL": self.s3_url,
            "OPENQI_S3_ACCESS_KEY_ID": self.s3_key,
            "OPENQI_S3_SECRET_ACCESS_KEY": self.s3_secret,
            "OPENQI_S3_REGION": "eu-west-2",
            "OPENQI_EMAIL_HOST": HOST,
            "OPENQI_EMAIL_PORT": str(self.ports.smtp),
            "OPENQI_EMAIL_USER": "",
            "OPENQI_EMAIL_PASSWORD": "",
            "OPENQI_EMAIL_USE_TLS": "0",
            "OPENQI_FROM_EMAIL": "OpenQI scale-check <no-reply@openqi.invalid>",
        }

    def proxy_settings(self) -> dict[str, str]:
        return {
            "PROXY_BIND": f"{HOST}:{self.ports.proxy}",
            "PROXY_CERT": str(LOGS / "proxy.pem"),
            "PROXY_HOST": HOST,
            "WEB1_ADDR": f"{HOST}:{self.ports.web1}",
            "WEB2_ADDR": f"{HOST}:{self.ports.web2}",
        }


def base_environment() -> dict[str, str]:
    """This process's environment without the caller's own OpenQI settings (OPENQI_DEBUG, DATABASE_URL)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENQI_", "PROXY_", "AWS_"))
        and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "openqi.config.settings",
            "PYTHONUNBUFFERED": "1",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
        }
    )
    return env


def app_environment(topology: Topology, media: str) -> dict[str, str]:
    """A web process's or worker's environment: production settings (no OPENQI_DEBUG), and a media folder of
    its own, so a file that reached another process's disk instead of the bucket could not be found."""
    return {**base_environment(), **topology.app_settings(), "OPENQI_MEDIA_ROOT": str(LOGS / media)}


# --- processes ------------------------------------------------------------------------------------------


STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


class Processes:
    """The services started so far, each in a process group of its own (so Ctrl-C in the terminal reaches
    only this script, which then stops them in reverse order: whatever else happens, `stop_all` runs)."""

    def __init__(self) -> None:
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with (LOGS / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.running[name] = process
        return process

    def check_alive(self) -> None:
        for name, process in self.running.items():
            check(
                process.poll() is None, f"{name} stopped (exit {process.returncode}): see {LOGS / name}.log"
            )

    def stop_all(self) -> None:
        for process in reversed(self.running.values()):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in reversed(self.running.values()):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.running.clear()


def wait_until(what: str, ready: Callable[[], bool], seconds: float, processes: Processes) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        processes.check_alive()
        with contextlib.suppress(OSError, httpx.HTTPError):
            if ready():
                return
        time.sleep(0.2)
    raise CheckFailed(f"{what} was not ready within {seconds:.0f} s")


def listening(port: int) -> Callable[[], bool]:
    def ready() -> bool:
        with socket.create_connection((HOST, port), timeout=1):
            return True

    return ready


def healthy(url: str) -> Callable[[], bool]:
    def ready() -> bool:
        return httpx.get(url, timeout=2).text == "ok\n"

    return ready


def manage(env: dict[str, str], *command: str) -> None:
    with (LOGS / "migrate.log").open("ab") as log:
        try:
            result = subprocess.run(
                [sys.executable, "manage.py", *command],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=300,
            )
        except subprocess.TimeoutExpired as late:
            raise CheckFailed(f"manage.py {' '.join(command)} took over 5 minutes") from late
    check(result.returncode == 0, f"manage.py {' '.join(command)} failed: see {LOGS / 'migrate.log'}")


# --- starting each service ------------------------------------------------------------------------------


def fresh_database(name: str) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_certificate() -> Path:
    """A self-signed certificate for 127.0.0.1 that lives one day: the proxy's, and what the client trusts."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OpenQI scale-check")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    combined = LOGS / "proxy.pem"
    combined.touch(mode=0o600)
    combined.write_bytes(cert_pem + key_pem)
    (LOGS / "proxy-ca.pem").write_bytes(cert_pem)
    return LOGS / "proxy-ca.pem"


def start_mail_and_storage(topology: Topology, processes: Processes) -> None:
    env = base_environment()
    ports = topology.ports
    maildir = LOGS / "mail"
    processes.start(
        "smtp",
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"{HOST}:{ports.smtp}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(maildir),
        ],
        env,
    )
    processes.start("s3", [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(ports.s3)], env)
    processes.start(
        "redis",
        ["redis-server", "--bind", HOST, "--port", str(ports.redis), "--save", "", "--appendonly", "no"],
        env,
    )
    for name, port in (("smtp", ports.smtp), ("s3", ports.s3), ("redis", ports.redis)):
        wait_until(f"{name} on port {port}", listening(port), 30, processes)
    s3 = s3_client(topology)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    say(f"SMTP sink :{ports.smtp}, S3 (moto) :{ports.s3} with bucket {BUCKET}, Redis :{ports.redis}")


def s3_client(topology: Topology) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=topology.s3_url,
        aws_access_key_id=topology.s3_key,
        aws_secret_access_key=topology.s3_secret,
        region_name="eu-west-2",
    )


def migrate(topology: Topology) -> None:
    env = app_environment(topology, "migrate-media")
    fresh_database(topology.database)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "createcachetable")
    manage(env, "check", "--deploy", "--fail-level", "ERROR")
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "seed_demo")
    say(f"database {topology.database}: migrated, static files collected, demo seeded")


def start_web_and_workers(topology: Topology, processes: Processes) -> None:
    for name, port in (("web1", topology.ports.web1), ("web2", topology.ports.web2)):
        command = [sys.executable, "-m", "gunicorn", *WEB_ARGS, "--bind", f"{HOST}:{port}", "--workers", "2"]
        processes.start(name, command, app_environment(topology, f"{name}-media"))
    for name in ("worker1", "worker2"):
        processes.start(name, [sys.executable, *WORKER_ARGS], app_environment(topology, f"{name}-media"))
    for name, port in (("web1", topology.ports.web1), ("web2", topology.ports.web2)):
        wait_until(f"{name} /healthz", healthy(f"http://{HOST}:{port}/healthz"), 60, processes)
    ports = topology.ports
    say(f"web1 :{ports.web1} and web2 :{ports.web2} (gunicorn, 2 workers each), worker1 and worker2")


def start_proxy(topology: Topology, processes: Processes, client: httpx.Client) -> None:
    env = {**base_environment(), **topology.proxy_settings(), "PROXY_ALLOW_PIN": "1"}
    result = subprocess.run(
        ["haproxy", "-c", "-q", "-f", str(PROXY_CONFIG)], env=env, capture_output=True, text=True
    )
    check(result.returncode == 0, f"haproxy refuses {PROXY_CONFIG}: {result.stdout}{result.stderr}")
    processes.start("proxy", ["haproxy", "-db", "-f", str(PROXY_CONFIG)], env)

    def both_webs_answer() -> bool:
        return all(
            client.get("/healthz", headers={"X-OpenQI-Pin": web}).status_code == 200
            for web in ("web1", "web2")
        )

    wait_until("the proxy and both webs behind it", both_webs_answer, 30, processes)
    say(f"haproxy {topology.public_url} (TLS) → web1, web2 round robin")


# --- the journey ----------------------------------------------------------------------------------------


class Browser:
    """One person's client through the proxy: cookies, the CSRF token of each form, the Origin header."""

    def __init__(self, topology: Topology, ca: Path) -> None:
        self.origin = topology.public_url
        self.client = httpx.Client(
            base_url=self.origin, verify=ssl.create_default_context(cafile=str(ca)), timeout=30
        )

    def form_token(self, path: str, pin: str | None = None) -> str:
        page = self.client.get(path, headers=self._pin(pin))
        check(page.status_code == 200, f"GET {path}: HTTP {page.status_code}")
        found = CSRF_INPUT.search(page.text)
        check(found, f"GET {path}: no CSRF token in the form")
        return found.group(1) if found else ""

    def post(self, path: str, data: dict[str, Any], pin: str | None = None, **kwargs: Any) -> httpx.Response:
        token = self.form_token(path, pin)
        headers = {"Origin": self.origin, **self._pin(pin)}
        return self.client.post(path, data={"csrfmiddlewaretoken": token, **data}, headers=headers, **kwargs)

    @staticmethod
    def _pin(pin: str | None) -> dict[str, str]:
        return {"X-OpenQI-Pin": pin} if pin else {}


def mail_to(address: str) -> list[email.message.EmailMessage]:
    box = mailbox.Maildir(LOGS / "mail", create=False)
    found = []
    for key in box.iterkeys():
        message = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        if isinstance(message, email.message.EmailMessage) and address in str(message.get("To", "")):
            found.append(message)
    return found


def body_of(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if isinstance(part, email.message.EmailMessage) else ""


def sign_in(browser: Browser) -> None:
    asked = browser.post("/accounts/login/code/", {"email": SIGN_IN_AS})
    check(asked.status_code == 302, f"asking for a sign-in code: HTTP {asked.status_code}")
    codes = [m for body in map(body_of, mail_to(SIGN_IN_AS)) if (m := CODE.search(body))]
    check(codes, "no sign-in code reached the SMTP sink")
    confirmed = browser.post("/accounts/login/code/confirm/", {"code": codes[-1].group(1)})
    check(confirmed.status_code == 302, f"entering the sign-in code: HTTP {confirmed.status_code}")
    # Two requests land on the two webs (round robin): both know the session, as it is in the database.
    for _ in range(2):
        home = browser.client.get("/projects/")
        check(home.status_code == 200, f"after signing in, the project list: HTTP {home.status_code}")
    say(f"signed in as {SIGN_IN_AS} with the code e-mailed to the SMTP sink")


@dataclass(frozen=True)
class Targets:
    project: int
    chart: str


def find_targets() -> Targets:
    """The demo's project with measures, and its first measure's chart page (read from the database)."""
    from django.urls import reverse

    from openqi.projects.models import Project

    project = Project.objects.filter(organisation__slug=ORGANISATION, project_measures__isnull=False).first()
    check(project, "the demo has no project with measures")
    assert project is not None
    link = project.project_measures.order_by("order", "pk").first()
    assert link is not None
    return Targets(project.pk, reverse("measures:detail", kwargs={"pk": project.pk, "pm": link.pk}))


def in_access_log(web: str, line: str) -> bool:
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if line in (LOGS / f"{web}.log").read_text(errors="replace"):
            return True
        time.sleep(0.1)
    return False


def attachment_across_webs(browser: Browser, topology: Topology, targets: Targets) -> None:
    new = f"/projects/{targets.project}/story/new/"
    entry = {
        "occurred_on": dt.date.today().strftime("%d/%m/%Y"),
        "category": "meeting",
        "title": "Scale-check: a file uploaded on web1",
        "text": "Uploaded through the proxy to web1, downloaded through web2.",
    }
    added = browser.post(
        new, entry, pin="web1", files={"attachments": ("scale-check.pdf", PDF, "application/pdf")}
    )
    check(
        added.status_code == 302, f"adding a story entry with an attachment on web1: HTTP {added.status_code}"
    )
    check(in_access_log("web1", f"POST {new}"), "the story entry was not added by web1")
    story = browser.client.get(f"/projects/{targets.project}/story/")
    ids = [int(i) for i in re.findall(rf"/projects/{targets.project}/story/attachments/(\d+)/", story.text)]
    check(ids, "the story log shows no attachment")
    download = f"/projects/{targets.project}/story/attachments/{max(ids)}/"
    got = browser.client.get(download, headers={"X-OpenQI-Pin": "web2"})
    check(got.status_code == 200, f"downloading the attachment through web2: HTTP {got.status_code}")
    check(got.content == PDF, "the file downloaded through web2 is not the one uploaded on web1")
    check("scale-check.pdf" in got.headers.get("content-disposition", ""), "the download lost its file name")
    check(in_access_log("web2", f"GET {download}"), "the attachment was not served by web2")
    keys = [o["Key"] for o in s3_client(topology).list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    check(
        any(k.startswith(f"story/{targets.project}/") for k in keys), "the attachment is not in the S3 bucket"
    )
    on_disk = [p for p in LOGS.glob("*-media/**/*") if p.is_file()]
    check(not on_disk, f"an upload was written to a local folder: {on_disk}")
    say(f"attachment uploaded on web1, downloaded via web2 ({len(PDF)} bytes, the same); S3 has {keys[-1]}")


def invitation_sent_by_a_worker(browser: Browser, processes: Processes) -> None:
    invitee = f"scale.check.{secrets.token_hex(4)}@example.org"
    invited = browser.post(
        f"/organisation/{ORGANISATION}/people/invite/", {"email": invitee, "name": "Scale Check"}
    )
    check(invited.status_code == 302, f"inviting {invitee}: HTTP {invited.status_code}")
    started = time.monotonic()
    wait_until(f"the invitation e-mail to {invitee}", lambda: bool(mail_to(invitee)), 60, processes)
    body = body_of(mail_to(invitee)[0])
    check(f"{browser.origin}/invitations/" in body, "the invitation e-mail has no link to the site")
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.filter(args_kwargs__kwargs__to=invitee).first()
    sender = "a worker"
    if task is not None:
        sender = next(
            (
                w
                for w in ("worker1", "worker2")
                if str(task.id) in (LOGS / f"{w}.log").read_text(errors="replace")
            ),
            sender,
        )
    say(f"invited {invitee}: {sender} sent the e-mail {time.monotonic() - started:.1f} s later")


# --- the load -------------------------------------------------------------------------------------------


@dataclass
class Timings:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else math.nan


async def load(
    browser: Browser, ca: Path, pages: dict[str, str], clients: int, seconds: float
) -> dict[str, Timings]:
    """`clients` people requesting each page in turn, back to back, for `seconds` (at most 5,000 requests)."""
    results = {name: Timings() for name in pages}
    deadline = time.monotonic() + seconds
    budget = 5000
    async with httpx.AsyncClient(
        base_url=browser.origin,
        cookies=browser.client.cookies,
        verify=ssl.create_default_context(cafile=str(ca)),
        timeout=30,
        limits=httpx.Limits(max_connections=clients),
    ) as client:

        async def person(offset: int) -> None:
            nonlocal budget
            names = list(pages)
            turn = offset
            while time.monotonic() < deadline and budget > 0:
                budget -= 1
                name = names[turn % len(names)]
                turn += 1
                started = time.perf_counter()
                try:
                    response = await client.get(pages[name])
                except httpx.HTTPError as error:
                    results[name].errors.append(type(error).__name__)
                    continue
                if response.status_code == 200:
                    results[name].times.append((time.perf_counter() - started) * 1000)
                else:
                    results[name].errors.append(f"HTTP {response.status_code}")

        await asyncio.gather(*(person(i) for i in range(clients)))
    return results


def requests_served(web: str) -> int:
    return sum(
        1 for line in (LOGS / f"{web}.log").read_text(errors="replace").splitlines() if '"GET /' in line
    )


def short_load(
    browser: Browser, topology: Topology, ca: Path, targets: Targets, clients: int, seconds: float
) -> None:
    pages = {"project list": "/projects/", "chart page": targets.chart}
    before = {web: requests_served(web) for web in ("web1", "web2")}
    results = asyncio.run(load(browser, ca, pages, clients, seconds))
    served = {web: requests_served(web) - before[web] for web in before}
    say(f"load: {clients} clients for {seconds:.0f} s through the proxy")
    print(f"    {'page':<14} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for name, timing in results.items():
        count = len(timing.times) + len(timing.errors)
        p50, p95 = timing.percentile(50), timing.percentile(95)
        print(f"    {name:<14} {count:>8} {p50:>8.0f} {p95:>8.0f} {len(timing.errors):>7}")
    charts = redis.Redis(host=HOST, port=topology.ports.redis).dbsize()
    print(f"    served by web1: {served['web1']}, web2: {served['web2']}; charts cached in Redis: {charts}")
    errors = sorted({e for t in results.values() for e in t.errors})
    check(not errors, f"errors under load: {errors}")
    check(all(t.times for t in results.values()), "a page got no answer under load")
    check(all(served.values()), f"the proxy did not share the load: {served}")
    check(charts, "no chart was cached in Redis")


# --- the run --------------------------------------------------------------------------------------------


def needed_programs() -> None:
    missing = [p for p in ("haproxy", "redis-server") if shutil.which(p) is None]
    if missing:
        raise SystemExit(
            f"missing: {', '.join(missing)}. `make scale-check` installs them "
            "(as root: apt-get install haproxy redis-server)."
        )


@contextlib.contextmanager
def stopped_on_signals(time_limit: int) -> Iterator[None]:
    """SIGTERM and SIGHUP end the run as Ctrl-C does, and so does running past `time_limit` seconds: through
    the `finally` that stops every process."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    def too_long(signum: int, frame: FrameType | None) -> None:
        raise CheckFailed(f"the scale-check ran past its limit of {time_limit} s")

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    previous[signal.SIGALRM] = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(time_limit)
    try:
        yield
    finally:
        signal.alarm(0)
        for s, handler in previous.items():
            signal.signal(s, handler)


def journey(args: argparse.Namespace, topology: Topology, processes: Processes) -> None:
    ca = make_certificate()
    start_mail_and_storage(topology, processes)
    migrate(topology)
    start_web_and_workers(topology, processes)
    browser = Browser(topology, ca)
    start_proxy(topology, processes, browser.client)
    # This script reads the database too (the demo's ids; the invitation's task), quietly.
    os.environ.update({**app_environment(topology, "script-media"), "OPENQI_LOG_LEVEL": "WARNING"})
    # Django is set up once its database exists; the functions that read it import their models then.
    import django

    django.setup()
    targets = find_targets()
    sign_in(browser)
    attachment_across_webs(browser, topology, targets)
    invitation_sent_by_a_worker(browser, processes)
    short_load(browser, topology, ca, targets, args.clients, args.load_seconds)
    processes.check_alive()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--load-seconds", type=float, default=20, help="how long the load lasts (default 20)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients in the load (default 4)")
    parser.add_argument(
        "--database", default=DATABASE, help=f"database to create and drop (default {DATABASE})"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--time-limit", type=int, default=600, help="stop and fail after this (default 600 s)"
    )
    args = parser.parse_args()
    if args.clients < 1 or not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        parser.error("--clients must be 1 or more, and --database a plain lower-case name")
    needed_programs()
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    topology = Topology(Ports.pick(), args.database)
    processes = Processes()
    outcome = 1
    with stopped_on_signals(args.time_limit):
        try:
            say(f"scale-check: the services of deploy/compose.yaml as processes; logs in {LOGS}")
            journey(args, topology, processes)
            outcome = 0
        except CheckFailed as failure:
            say(f"FAILED: {failure}")
        except KeyboardInterrupt:
            say("interrupted")
            outcome = 130
        finally:
            signal.alarm(0)  # the limit is for the run: stopping always gets to finish
            processes.stop_all()
            if not args.keep:
                with contextlib.suppress(psycopg.Error):
                    drop_database(topology.database)
    if outcome == 0:
        say("scale-check passed: everything stopped")
    else:
        say(f"scale-check did not pass; everything stopped; logs in {LOGS}")
    return outcome


if __name__ == "__main__":
    sys.exit(main())
