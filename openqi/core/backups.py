"""Backups of everything OpenQI keeps, in one archive: the database and the uploaded files
(docs/adr/0016-backups-and-production-defaults.md; `manage.py backup` and `manage.py restore`).

The archive (`openqi-backup-<UTC time>.tar.gz`, readable by its owner only) holds:
- `manifest.json`: when, which database, which migrations, how many files;
- `database.sqlite3`, a copy made with SQLite's online backup API (consistent while the app is running), or
  `database.pgdump`, `pg_dump`'s custom format (one consistent snapshot, also while running);
- `media/`: the uploaded files (story attachments).
The chart and rate-limit caches are left out (their tables are kept, empty): they refill themselves.

Restoring replaces the database and the uploaded files with the archive's, all or nothing for the database
(one SQLite backup step; one PostgreSQL transaction), then applies any migrations the code has that the
backup lacks. A backup made by a newer OpenQI (migrations this code does not know) is refused, and so is
one of the other database (SQLite into PostgreSQL): use the backup's own kind of database.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump, pg_restore and psql, with fixed arguments
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Caches refill themselves; leaving their rows out keeps a backup to what cannot be rebuilt.
CACHE_TABLES = ("openqi_cache", "openqi_cache_entry")
PG_CLIENT_MISSING = (
    "{tool} was not found: install the PostgreSQL client tools of the server's version "
    "(Debian: apt-get install postgresql-client)."
)


class BackupError(Exception):
    """The backup or restore cannot be done; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    format: int
    created_at: str
    database: str
    migrations: list[str]
    media_files: int
    openqi_version: str

    @classmethod
    def read(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise BackupError(
                f"This archive has backup format {data.get('format')!r}; this OpenQI reads {FORMAT}."
            )
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


# --- backing up -------------------------------------------------------------------------------------


def back_up(to_dir: Path) -> tuple[Path, Manifest]:
    """Write an archive of the database and the uploaded files into `to_dir`; its path and manifest."""
    vendor = _vendor()
    to_dir.mkdir(parents=True, exist_ok=True)
    created = datetime.now(UTC)
    archive = to_dir / f"openqi-backup-{created:%Y%m%dT%H%M%S}Z.tar.gz"
    with tempfile.TemporaryDirectory(dir=to_dir, prefix=".backup-") as work:
        database_file = Path(work) / DATABASE_FILE[vendor]
        if vendor == "sqlite":
            _dump_sqlite(database_file)
        else:
            _dump_postgresql(database_file)
        media = Path(settings.MEDIA_ROOT)
        manifest = Manifest(
            format=FORMAT,
            created_at=created.isoformat(timespec="seconds"),
            database=vendor,
            migrations=_applied_migrations(),
            media_files=sum(1 for p in media.rglob("*") if p.is_file()) if media.is_dir() else 0,
            openqi_version=_openqi_version(),
        )
        (Path(work) / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2))
        partial = Path(work) / "archive.tar.gz"
        # Personal data (names, e-mail addresses, story text): readable by the owner only.
        with (
            os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file,
            tarfile.open(fileobj=file, mode="w:gz") as tar,
        ):
            tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
            tar.add(database_file, arcname=database_file.name)
            if media.is_dir():
                tar.add(media, arcname=MEDIA)
        # Only a complete archive ever has the archive's name.
        os.replace(partial, archive)
    return archive, manifest


def _dump_sqlite(target: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in CACHE_TABLES:
            if table in tables:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 - our own table names
        copy.commit()
        copy.execute("VACUUM")
    finally:
        copy.close()


def _dump_postgresql(target: Path) -> None:
    _run_pg(
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        *(f"--exclude-table-data={table}" for table in CACHE_TABLES),
        f"--file={target}",
    )


# --- restoring --------------------------------------------------------------------------------------


def describe(archive: Path) -> Manifest:
    """The archive's manifest, checked against this installation (raises BackupError if unusable)."""
    with tarfile.open(archive) as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive} has no {MANIFEST}: it is not an OpenQI backup.")
        with tempfile.TemporaryDirectory() as work:
            path = Path(work) / MANIFEST
            path.write_bytes(member.read())
            manifest = Manifest.read(path)
    _check_compatible(manifest)
    return manifest


def restore(archive: Path) -> tuple[Manifest, list[str]]:
    """Replace the database and the uploaded files with the archive's. Returns the manifest and the
    migrations applied afterwards (those this code has and the backup did not)."""
    manifest = describe(archive)
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a database transaction.")
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".restore-") as work:
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(work, filter="data")  # no paths outside `work`, no devices, no links out
        except tarfile.FilterError as refused:
            raise BackupError(f"{archive} is not a safe archive: {refused}") from refused
        database_file = Path(work) / DATABASE_FILE[manifest.database]
        if not database_file.is_file():
            raise BackupError(f"{archive} has no {database_file.name}.")
        if manifest.database == "sqlite":
            _load_sqlite(database_file)
        else:
            _load_postgresql(database_file, Path(work))
        _replace_media(Path(work) / MEDIA, media, Path(work) / "replaced")
    missing = sorted(set(_known_migrations()) - set(manifest.migrations))
    if missing:
        call_command("migrate", interactive=False, verbosity=0)
    return manifest, missing


def _check_compatible(manifest: Manifest) -> None:
    vendor = _vendor()
    if manifest.database != vendor:
        raise BackupError(
            f"This is a backup of a {manifest.database} database and OpenQI now uses {vendor}: "
            f"restore it into {manifest.database}."
        )
    unknown = sorted(set(manifest.migrations) - set(_known_migrations()))
    if unknown:
        raise BackupError(
            "This backup was made by a newer OpenQI (migrations this code does not have: "
            + ", ".join(unknown[:5])
            + ("…" if len(unknown) > 5 else "")
            + "). Restore it with that version."
        )


def _load_sqlite(database_file: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(database_file)
    try:
        # One step: the live database (the app may be running) is locked while its pages are replaced.
        source.backup(connection.connection)
    finally:
        source.close()


def _load_postgresql(dump: Path, work: Path) -> None:
    script = work / "restore.sql"
    _run_pg("pg_restore", "--no-owner", "--no-privileges", f"--file={script}", str(dump), database=False)
    connection.close()  # this process holds no lock on what is about to be dropped
    # One transaction: the schema is emptied and refilled, or (on any error) left as it was.
    _run_pg(
        "psql",
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        "--command=SET lock_timeout = '60s'",
        "--command=DROP SCHEMA public CASCADE",
        "--command=CREATE SCHEMA public",
        f"--file={script}",
    )


def _replace_media(new: Path, media: Path, replaced: Path) -> None:
    """Make `media` hold exactly the archive's files. Moves entries rather than the directory itself, which
    may be a mount point; the files it held go to `replaced` (deleted with the working directory)."""
    media.mkdir(parents=True, exist_ok=True)
    replaced.mkdir()
    for entry in list(media.iterdir()):
        shutil.move(entry, replaced / entry.name)
    if new.is_dir():
        for entry in list(new.iterdir()):
            shutil.move(entry, media / entry.name)


# --- helpers ----------------------------------------------------------------------------------------


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILE:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return str(connection.vendor)


def _applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _known_migrations() -> list[str]:
    return [f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations]


def _openqi_version() -> str:
    try:
        return version("openqi")
    except PackageNotFoundError:
        return "unknown"


def _pg_environment() -> dict[str, str]:
    """The connection settings of Django's database, as libpq reads them (no password on a command line)."""
    db: dict[str, Any] = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
        ("PGSSLMODE", (db.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    # OpenQI's per-statement limit is for web requests; a dump or restore takes as long as it takes.
    env["PGOPTIONS"] = "-c statement_timeout=0"
    return env


def _run_pg(tool: str, *arguments: str, database: bool = True) -> None:
    if shutil.which(tool) is None:
        raise BackupError(PG_CLIENT_MISSING.format(tool=tool))
    result = subprocess.run(  # noqa: S603 - a PostgreSQL client tool with arguments we built
        [tool, *arguments],
        env=_pg_environment() if database else dict(os.environ),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.stdout.strip()}")
