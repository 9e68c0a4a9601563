"""Production settings: the deploy check is clean, and every setting is documented in the README."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENQI_")}
    env.update(
        {
            "OPENQI_SECRET_KEY": "x" * 64 + "production-like-secret-key-for-the-deploy-check",
            "OPENQI_ALLOWED_HOSTS": "qi.example.nhs.uk",
            "OPENQI_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
            "DJANGO_SETTINGS_MODULE": "openqi.config.settings",
        }
    )
    # The browser tests' conftest sets this for Playwright's event loop; production never has it.
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.modules.pop('pytest', None);"
            "from django.core.management import execute_from_command_line;"
            "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENQI_")}
    env["DJANGO_SETTINGS_MODULE"] = "openqi.config.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "OPENQI_SECRET_KEY must be set" in result.stderr


def test_single_sign_on_is_configured_only_by_environment(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.SSO_ENABLED, sorted(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENQI_")}
    base.update({"DJANGO_SETTINGS_MODULE": "openqi.config.settings", "OPENQI_DEBUG": "1"})
    off = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True)
    assert off.stdout.strip() == "False []", off.stderr
    sso = dict(
        base, OPENQI_ENTRA_TENANT_ID="tenant", OPENQI_ENTRA_CLIENT_ID="id", OPENQI_ENTRA_CLIENT_SECRET="s"
    )
    on = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=sso, capture_output=True, text=True)
    assert on.stdout.strip() == "True ['openid_connect']", on.stderr


def test_every_environment_variable_is_documented_in_the_readme() -> None:
    settings_source = (ROOT / "openqi" / "config" / "settings.py").read_text()
    used = set(re.findall(r'"((?:OPENQI|DATABASE)_[A-Z0-9_]+)"', settings_source))
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in used if f"`{name}`" not in readme)
    assert used and not missing, f"undocumented settings: {missing}"


def test_behind_the_proxy_sign_in_limits_count_the_client_not_the_proxy() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENQI_")}
    base.update({"DJANGO_SETTINGS_MODULE": "openqi.config.settings", "OPENQI_DEBUG": "1"})

    def read(**env: str) -> str:
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=dict(base, **env), capture_output=True, text=True
        )
        return run.stdout.strip() or run.stderr

    assert read() == "0 None"  # no proxy: X-Forwarded-For is anyone's to write
    assert read(OPENQI_BEHIND_PROXY="1") == "1 None"
    assert read(OPENQI_BEHIND_PROXY="1", OPENQI_TRUSTED_PROXY_COUNT="2") == "2 None"
    assert read(OPENQI_BEHIND_PROXY="1", OPENQI_CLIENT_IP_HEADER="X-Real-IP") == "1 X-Real-IP"
