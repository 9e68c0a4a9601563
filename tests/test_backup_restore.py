"""Backups: `manage.py backup` and `manage.py restore` round-trip a populated demo on the database this run
uses, each database through its own path: under `make test` SQLite (its online backup API), in CI's second
pass PostgreSQL (pg_dump, then one psql transaction). The test asserts which path it took, so neither run
can pass by testing the other's."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from openqi.accounts.models import User
from openqi.core import backups
from openqi.core.models import AuditEvent
from openqi.measures.models import DataPoint, ProjectMeasure
from openqi.projects.models import Project, StoryAttachment, StoryEntry
from openqi.projects.services import story

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
WORD = "Zanzibarite"  # in no demo text: search finds the project by it only through the restored entry


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def found_by_search(client: Client, project: Project) -> bool:
    return project.title in client.get(reverse("projects:list"), {"q": WORD}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_demo_brings_back_search_attachments_audit_and_charts(
    media: Path, tmp_path: Path
) -> None:
    # Given the demo trust, with a story entry and its attachment added through the app
    call_command("seed_demo", stdout=io.StringIO())
    admin = User.objects.get(email="qi.admin@northshire.nhs.uk")
    project = Project.objects.get(title__icontains="Low Intensity CBT")
    client = signed_in(admin)
    response = client.post(
        reverse("projects:story_add", kwargs={"pk": project.pk}),
        {
            "occurred_on": "17/3/2026",
            "category": "meeting",
            "title": "Forum presentation",
            "text": f"We showed the {WORD} run chart to the directorate forum.",
            "attachments": [SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = StoryAttachment.objects.get(original_name="slides.pdf")
    download = reverse("projects:story_attachment", kwargs={"pk": project.pk, "attachment_pk": attachment.pk})
    link = ProjectMeasure.objects.filter(project=project).order_by("pk").first()
    assert link is not None
    chart = reverse("measures:chart", kwargs={"pk": project.pk, "pm": link.pk, "fmt": "svg"})
    chart_before = client.get(chart).content
    audit_before = AuditEvent.objects.filter(project_id=project.pk).count()
    assert found_by_search(client, project) and audit_before > 0

    # When it is backed up
    out = io.StringIO()
    call_command("backup", to=tmp_path / "backups", stdout=out)
    [archive] = (tmp_path / "backups").glob("openqi-backup-*.tar.gz")
    assert str(archive) in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        files = [member.name for member in tar.getmembers() if member.isfile()]
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    # (on the database this run uses, through that database's own path)
    assert manifest["database"] == connection.vendor in ("sqlite", "postgresql")
    assert backups.DATABASE_FILE[connection.vendor] in names
    # Every stored file (the demo's meeting papers, this attachment) and nothing else.
    stored = [name for name in files if name.startswith("media/")]
    assert manifest["media_files"] == len(stored) >= 2 and f"media/{attachment.file.name}" in stored
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the owner's eyes only

    # And then data is lost: the entry and its file, the project's audit trail, a measure's data, a title
    story.delete_entry(StoryEntry.objects.get(title="Forum presentation"), by=admin)
    AuditEvent.objects.filter(project_id=project.pk).delete()
    DataPoint.objects.filter(measure=link.measure).delete()
    Project.objects.filter(pk=project.pk).update(title="Renamed by mistake")
    assert not (media / attachment.file.name).exists() and not list((media / "story").rglob("*"))[1:]
    assert client.get(download).status_code == 404

    # Then restoring without --yes changes nothing
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Project.objects.get(pk=project.pk).title == "Renamed by mistake"

    # And restoring with --yes brings everything back
    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    caches["charts"].clear()
    client = signed_in(User.objects.get(email="qi.admin@northshire.nhs.uk"))
    project.refresh_from_db()
    assert "Low Intensity CBT" in project.title
    assert found_by_search(client, project)
    restored = client.get(download)
    assert restored.status_code == 200 and b"".join(restored.streaming_content) == PDF  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(project_id=project.pk).count() == audit_before
    assert (
        "Forum presentation"
        in client.get(reverse("projects:audit", kwargs={"pk": project.pk})).content.decode()
    )
    assert client.get(chart).content == chart_before
    png = client.get(reverse("measures:chart", kwargs={"pk": project.pk, "pm": link.pk, "fmt": "png"}))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def make_archive(path: Path, manifest: dict[str, object], extra: dict[str, bytes] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in {"manifest.json": json.dumps(manifest).encode(), **(extra or {})}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


def manifest(**changes: object) -> dict[str, object]:
    return {
        "format": backups.FORMAT,
        "created_at": "2026-12-01T10:00:00+00:00",
        "database": connection.vendor,
        "migrations": ["core.0001_initial"],
        "media_files": 0,
        "openqi_version": "0.1.0",
        **changes,
    }


def test_a_backup_of_the_other_kind_of_database_is_refused(tmp_path: Path) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = make_archive(tmp_path / "a.tar.gz", manifest(database=other))
    with pytest.raises(CommandError, match=f"backup of a {other} database"):
        call_command("restore", str(archive), yes=True)


def test_a_backup_from_a_newer_openqi_is_refused(tmp_path: Path) -> None:
    archive = make_archive(tmp_path / "a.tar.gz", manifest(migrations=["core.9999_from_the_future"]))
    with pytest.raises(CommandError, match="newer OpenQI"):
        call_command("restore", str(archive), yes=True)


@pytest.mark.django_db(transaction=True)
def test_an_archive_cannot_write_outside_its_folders(tmp_path: Path, media: Path) -> None:
    name = backups.DATABASE_FILE[connection.vendor]
    archive = make_archive(tmp_path / "a.tar.gz", manifest(), {name: b"", "../../escaped": b"x"})
    with pytest.raises(CommandError, match="outside"):
        call_command("restore", str(archive), yes=True)
    assert not (tmp_path / "escaped").exists() and not (tmp_path.parent / "escaped").exists()
