"""Story attachments in an S3-compatible bucket (OPENQI_S3_BUCKET), so that every web process, on any machine,
sees the same files: written to the bucket and never to the local folder, served only through the
access-checked download view, and removed from the bucket with their entry. (Which storage the environment
chooses: openqi/config/tests/test_upload_storage.py.)

moto stands in for S3 inside the test process (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from moto import mock_aws

from openqi.projects.models import StoryAttachment

pytestmark = pytest.mark.django_db

BUCKET = "openqi-attachments"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"


@pytest.fixture
def bucket(settings, tmp_path) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-2", aws_access_key_id="k", aws_secret_access_key="s")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "eu-west-2",
                    "access_key": "k",
                    "secret_key": "s",
                    "default_acl": None,
                    "max_memory_size": 1024 * 1024,
                },
            },
        }
        yield s3


def keys_in(s3: Any) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_an_attachment_lives_in_the_bucket_and_is_served_through_the_view(
    world, projects, bucket, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.lead)
    added = client.post(
        reverse("projects:story_add", kwargs={"pk": projects.shared.pk}),
        {
            "occurred_on": "17/3/2025",
            "category": "meeting",
            "title": "Huddle",
            "text": "Minutes attached.",
            "attachments": [SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert added.status_code == 302
    attachment = StoryAttachment.objects.get(entry__project=projects.shared)
    assert keys_in(bucket) == [attachment.file.name]
    assert attachment.file.name.startswith(f"story/{projects.shared.pk}/")
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))

    url = reverse(
        "projects:story_attachment", kwargs={"pk": projects.shared.pk, "attachment_pk": attachment.pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get(url).status_code == 404

    bucket.delete_object(Bucket=BUCKET, Key=attachment.file.name)
    assert client.get(url).status_code == 404  # gone from the bucket: a 404, not a server error


def test_deleting_the_entry_deletes_its_file_from_the_bucket(
    world, projects, bucket, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.lead)
    client.post(
        reverse("projects:story_add", kwargs={"pk": projects.shared.pk}),
        {
            "occurred_on": "17/3/2025",
            "category": "meeting",
            "title": "Huddle",
            "text": "Minutes attached.",
            "attachments": [SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")],
        },
    )
    entry = StoryAttachment.objects.get().entry
    assert keys_in(bucket)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:story_delete", kwargs={"pk": projects.shared.pk, "entry_pk": entry.pk}))
    assert keys_in(bucket) == []
