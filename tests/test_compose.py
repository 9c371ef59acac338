"""docker-compose.yml: Neo4j 5.26 with a health check and a volume, graphsvc started only when
Neo4j is healthy, credentials from the environment and no default password.

The file is rendered by a real Compose implementation when one is installed (`docker compose`
v2, or `docker-compose`); `config` needs no Docker engine. Without one, the file is parsed as
YAML and the interpolation rules that matter here are checked on the raw text. The structural
checks always run on the raw file too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
PASSWORD = "compose-test-password-1"


def _compose_cli() -> list[str] | None:
    """A Compose command whose `config` works here (no engine needed), or None."""
    candidates: list[list[str]] = []
    if shutil.which("docker"):
        candidates.append(["docker", "compose"])
    if shutil.which("docker-compose"):
        candidates.append(["docker-compose"])
    for cmd in candidates:
        try:
            probe = subprocess.run(
                [*cmd, "version"], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return cmd
    return None


COMPOSE = _compose_cli()


def _render(password: str | None) -> subprocess.CompletedProcess[str]:
    assert COMPOSE is not None
    env = {k: v for k, v in os.environ.items() if k not in {"NEO4J_PASSWORD", "COMPOSE_FILE"}}
    if password is not None:
        env["NEO4J_PASSWORD"] = password
    return subprocess.run(
        [*COMPOSE, "-f", str(COMPOSE_FILE), "--project-directory", str(ROOT), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
        cwd=ROOT,
    )


def _raw() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # ["KEY=value", ...]
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def _healthcheck_test(service: dict[str, Any]) -> str:
    test = (service.get("healthcheck") or {}).get("test")
    assert test, "service has no healthcheck.test"
    if isinstance(test, list):
        assert test[0] in {"CMD", "CMD-SHELL"}, test
        return " ".join(str(t) for t in test[1:])
    return str(test)


# ---------------------------------------------------------------- structure (raw YAML)


def test_neo4j_service_uses_the_official_526_community_image() -> None:
    neo4j = _raw()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"


def test_neo4j_has_a_health_check_that_speaks_bolt() -> None:
    neo4j = _raw()["services"]["neo4j"]
    test = _healthcheck_test(neo4j)
    assert "cypher-shell" in test or "7474" in test, test
    hc = neo4j["healthcheck"]
    assert hc.get("interval") and hc.get("retries"), hc


def test_neo4j_data_lives_in_a_named_volume() -> None:
    data = _raw()
    volumes = data.get("volumes") or {}
    mounts = data["services"]["neo4j"].get("volumes") or []
    sources = {}
    for m in mounts:
        if isinstance(m, str):
            src, dst = m.split(":")[:2]
        else:
            src, dst = m["source"], m["target"]
        sources[dst] = src
    assert "/data" in sources, mounts
    assert sources["/data"] in volumes, (
        f"/data must be a named volume declared at top level: {mounts}"
    )


def test_graphsvc_starts_only_when_neo4j_is_healthy() -> None:
    svc = _raw()["services"]["graphsvc"]
    assert svc["depends_on"]["neo4j"]["condition"] == "service_healthy"
    build = svc["build"]
    context = build if isinstance(build, str) else build.get("context", ".")
    dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    assert (COMPOSE_FILE.parent / context / dockerfile).resolve() == DOCKERFILE.resolve()


def test_graphsvc_is_configured_for_neo4j_and_port_8000() -> None:
    svc = _raw()["services"]["graphsvc"]
    env = _env(svc)
    assert env["GRAPHSVC_STORE"] == "neo4j"
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["NEO4J_USERNAME"]
    assert "NEO4J_PASSWORD" in env
    assert any(str(p).split(":")[-1] == "8000" for p in svc["ports"]), svc["ports"]


def test_no_default_password_anywhere_in_the_file() -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    refs = re.findall(r"\$\{NEO4J_PASSWORD([^}]*)\}", text)
    assert refs, "NEO4J_PASSWORD must come from the environment"
    for modifier in refs:
        assert modifier.startswith(":?"), (
            f"${{NEO4J_PASSWORD{modifier}}}: every use must fail when unset (:?), never default"
        )
    assert re.search(r"\$NEO4J_PASSWORD\b", text) is None, "use ${NEO4J_PASSWORD:?...} only"
    env = _env(_raw()["services"]["neo4j"])
    assert env["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD:?"), env["NEO4J_AUTH"]
    assert "none" not in env["NEO4J_AUTH"].lower()


def test_dockerfile_runs_graphsvc_serve_as_a_non_root_user() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in {"root", "0"}, users
    assert 'CMD ["graphsvc", "serve", "--host", "0.0.0.0", "--port", "8000"]' in text
    assert re.search(r"pip install .*\.", text)


# ------------------------------------------------------- rendering with a Compose CLI


needs_compose = pytest.mark.skipif(
    COMPOSE is None,
    reason="no Compose CLI here (`docker compose` / `docker-compose`); checked as YAML instead",
)


@needs_compose
def test_compose_config_renders_with_a_password() -> None:
    result = _render(PASSWORD)
    assert result.returncode == 0, result.stderr
    rendered = yaml.safe_load(result.stdout)
    neo4j, svc = rendered["services"]["neo4j"], rendered["services"]["graphsvc"]
    assert _env(neo4j)["NEO4J_AUTH"] == f"neo4j/{PASSWORD}"
    assert _env(svc)["NEO4J_PASSWORD"] == PASSWORD
    assert svc["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert _healthcheck_test(neo4j)
    assert "neo4j-data" in rendered["volumes"]


@needs_compose
def test_compose_config_refuses_to_render_without_a_password() -> None:
    result = _render(None)
    assert result.returncode != 0, "rendering with NEO4J_PASSWORD unset must fail"
    assert "NEO4J_PASSWORD" in result.stderr + result.stdout


@pytest.mark.skipif(COMPOSE is not None, reason="a real Compose CLI renders the file instead")
def test_interpolation_without_compose_fails_when_the_password_is_unset() -> None:
    """A minimal model of Compose's ${VAR:?err} / ${VAR:-default} rules, for machines without
    a Compose CLI: with NEO4J_PASSWORD unset, rendering must fail; with it set, every
    reference becomes the password."""
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    pattern = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:\?|\?|:-|-)([^}]*))?\}")

    def render(env: dict[str, str]) -> str:
        def sub(m: re.Match[str]) -> str:
            name, op, arg = m.group(1), m.group(2), m.group(3) or ""
            value = env.get(name)
            if op in {":?", "?"} and not value:
                raise ValueError(f"{name}: {arg}")
            if op in {":-", "-"} and not value:
                return arg
            return value or ""

        escaped = "@@DOLLAR@@"  # `$$` is a literal `$`, never interpolated
        return pattern.sub(sub, text.replace("$$", escaped)).replace(escaped, "$")

    with pytest.raises(ValueError, match="NEO4J_PASSWORD"):
        render({})
    rendered = yaml.safe_load(render({"NEO4J_PASSWORD": PASSWORD}))
    assert _env(rendered["services"]["neo4j"])["NEO4J_AUTH"] == f"neo4j/{PASSWORD}"
    assert _env(rendered["services"]["graphsvc"])["NEO4J_PASSWORD"] == PASSWORD
