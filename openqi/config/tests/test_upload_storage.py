"""Uploaded files go to an S3-compatible bucket exactly when OPENQI_S3_BUCKET is set (README, Scaling out)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BUCKET = "openqi-attachments"


def storage_from_environment(**env: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['default'])"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENQI_")}
    base.update({"DJANGO_SETTINGS_MODULE": "openqi.config.settings", "OPENQI_DEBUG": "1", **env})
    run = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, check=False
    )
    return run.stdout.strip() or run.stderr


def test_uploads_go_to_the_bucket_only_when_one_is_configured() -> None:
    assert "FileSystemStorage" in storage_from_environment()
    on_s3 = storage_from_environment(
        OPENQI_S3_BUCKET=BUCKET,
        OPENQI_S3_ENDPOINT_URL="http://s3.internal:8333",
        OPENQI_S3_ACCESS_KEY_ID="key-id",
        OPENQI_S3_SECRET_ACCESS_KEY="secret",
        OPENQI_S3_REGION="eu-west-2",
    )
    assert "storages.backends.s3.S3Storage" in on_s3
    for expected in (BUCKET, "http://s3.internal:8333", "key-id", "eu-west-2", "'addressing_style': 'path'"):
        assert expected in on_s3
