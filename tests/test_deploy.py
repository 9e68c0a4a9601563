"""deploy/compose.yaml and `make scale-check` (deploy/scale_check.py) describe the same topology: the same
services, the same settings for every web process and worker, the same proxy configuration and commands, and
deploy/README.md explains each of them. Containers cannot run here, so this keeps the file nobody can run
from drifting away from the check that does run."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def load_scale_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scale_check", DEPLOY / "scale_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("scale_check", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scale_check() -> ModuleType:
    return load_scale_check()


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def test_the_scale_check_runs_every_service_of_compose(compose, scale_check) -> None:  # type: ignore[no-untyped-def]
    assert list(compose["services"]) == list(scale_check.SERVICES)


def test_web_processes_and_workers_get_the_same_settings_in_both(compose, scale_check) -> None:  # type: ignore[no-untyped-def]
    services = compose["services"]
    for name in ("web1", "web2", "worker1", "worker2", "migrate"):
        assert sorted(services[name]["environment"]) == sorted(scale_check.APP_SETTINGS), name
    topology = scale_check.Topology(scale_check.Ports(1, 2, 3, 4, 5, 6), "db")
    assert sorted(topology.app_settings()) == sorted(scale_check.APP_SETTINGS)
    assert (
        services["web1"]["environment"]["OPENQI_BEHIND_PROXY"]
        == topology.app_settings()["OPENQI_BEHIND_PROXY"]
    )


def test_every_setting_given_is_one_openqi_reads() -> None:
    settings_source = (ROOT / "openqi" / "config" / "settings.py").read_text()
    read = set(re.findall(r'"((?:OPENQI|DATABASE)_[A-Z0-9_]+)"', settings_source))
    assert not set(load_scale_check().APP_SETTINGS) - read


def test_the_proxy_has_the_same_configuration_in_both(compose, scale_check) -> None:  # type: ignore[no-untyped-def]
    proxy = compose["services"]["proxy"]
    assert sorted(proxy["environment"]) == sorted(scale_check.PROXY_SETTINGS)
    assert "PROXY_ALLOW_PIN" not in proxy["environment"]  # choosing a web process is for the check only
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in proxy["volumes"]
    assert scale_check.PROXY_CONFIG == DEPLOY / "haproxy.cfg"
    config = (DEPLOY / "haproxy.cfg").read_text()
    used = set(re.findall(r"\$\{([A-Z0-9_]+)\}", config)) | set(
        re.findall(r"defined\(([A-Z0-9_]+)\)", config)
    )
    assert used == {*scale_check.PROXY_SETTINGS, "PROXY_ALLOW_PIN"}


def test_web_processes_and_workers_run_the_same_commands(compose, scale_check) -> None:  # type: ignore[no-untyped-def]
    services = compose["services"]
    for web in ("web1", "web2"):
        command = services[web]["command"]
        assert (
            command[0] == "gunicorn"
            and tuple(command[1 : 1 + len(scale_check.WEB_ARGS)]) == scale_check.WEB_ARGS
        )
    for worker in ("worker1", "worker2"):
        assert services[worker]["command"] == ["python", *scale_check.WORKER_ARGS]
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    default_command = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert default_command and yaml.safe_load(default_command.group(1))[:4] == [
        "gunicorn",
        *scale_check.WEB_ARGS,
    ]


def test_the_deploy_readme_explains_every_service_and_setting(compose, scale_check) -> None:  # type: ignore[no-untyped-def]
    readme = (DEPLOY / "README.md").read_text()
    undocumented = [
        name
        for name in [*compose["services"], *scale_check.APP_SETTINGS, *scale_check.PROXY_SETTINGS]
        if f"`{name}`" not in readme
    ]
    assert not undocumented, f"deploy/README.md does not mention: {undocumented}"
