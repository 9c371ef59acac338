"""tools/neo4j/neo4j-local: a real local Neo4j 5.26 that the Python driver can use.

When NEO4J_URI is set (CI starts one server for the whole suite), that server is used and
never stopped here. Otherwise the launcher is started (or an already running one reused);
only a server started by this module is stopped by it. Without Java the Neo4j tests skip
loudly, unless GRAPHSVC_REQUIRE_NEO4J=1 turns the skip into a failure.

The tests of stale state (a dead or foreign pid in the pid file) need no Java: they use a
state folder of their own and never start a JVM.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.conftest import not_run

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "neo4j" / "neo4j-local"
STATE_DIR = ROOT / ".neo4j-local"
START_TIMEOUT = 900  # the first start builds the launcher (Maven downloads ~120 MB)


def _unavailable(reason: str) -> NoReturn:
    # The phrase "Neo4j tests NOT RUN" is what tests/conftest.py counts in its loud summary.
    not_run(f"Neo4j tests NOT RUN (launcher): {reason}", "GRAPHSVC_REQUIRE_NEO4J")


def _run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
        cwd=ROOT,
    )


def _uri_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stdout.splitlines()
    assert len(lines) == 1, f"stdout must be exactly one line, got {result.stdout!r}"
    assert lines[0].startswith("NEO4J_URI=bolt://127.0.0.1:"), lines[0]
    return lines[0].removeprefix("NEO4J_URI=")


@dataclass(frozen=True)
class Server:
    uri: str
    username: str
    password: str
    database: str
    launched_here: bool  # reached through the launcher (not an external NEO4J_URI)


def _read_env_file() -> dict[str, str]:
    env: dict[str, str] = {}
    path = STATE_DIR / "env"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                env[key] = value
    return env


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        # CI or a developer runs a server for the whole suite: use it, never stop it.
        status = _run("status")
        yield Server(
            uri=uri,
            username=os.environ.get("NEO4J_USERNAME", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
            launched_here=status.returncode == 0 and status.stdout.strip() == f"NEO4J_URI={uri}",
        )
        return

    if shutil.which("java") is None:
        _unavailable("Java is not installed (the local Neo4j needs Java 17+)")
    jar = ROOT / "tools" / "neo4j" / "target" / "neo4j-local.jar"
    if not jar.is_file() and shutil.which("mvn") is None:
        _unavailable("Maven is not installed and the launcher jar is not built")

    already = _run("status").returncode == 0
    started = _run("start", timeout=START_TIMEOUT)
    if started.returncode != 0:
        pytest.fail(f"neo4j-local start failed:\n{started.stderr}", pytrace=False)
    uri = _uri_line(started)
    env = _read_env_file()
    try:
        yield Server(
            uri=uri,
            username=env.get("NEO4J_USERNAME", "neo4j"),
            password=env.get("NEO4J_PASSWORD", ""),
            database=env.get("NEO4J_DATABASE", "neo4j"),
            launched_here=True,
        )
    finally:
        if not already:  # only stop what this module started
            _run("stop", timeout=120)


@pytest.fixture(scope="module")
def driver(server: Server) -> Iterator[Any]:
    try:
        import neo4j
    except ImportError as exc:
        _unavailable(f"the neo4j Python driver is not installed ({exc})")
    drv = neo4j.GraphDatabase.driver(server.uri, auth=(server.username, server.password))
    try:
        drv.verify_connectivity()
        yield drv
    finally:
        drv.close()


@pytest.mark.neo4j
def test_return_1(driver: Any, server: Server) -> None:
    records, _, _ = driver.execute_query("RETURN 1 AS x", database_=server.database)
    assert [r["x"] for r in records] == [1]


@pytest.mark.neo4j
def test_create_and_read_a_node_with_parameters(driver: Any, server: Server) -> None:
    token = f"launcher-test-{uuid.uuid4().hex}"
    hostile = '\'}) DETACH DELETE n // — ünïcødé ✓ "quotes" `ticks`'
    try:
        driver.execute_query(
            "CREATE (n:Neo4jLauncherTest {token: $token, name: $name})",
            token=token,
            name=hostile,
            database_=server.database,
        )
        records, _, _ = driver.execute_query(
            "MATCH (n:Neo4jLauncherTest {token: $token}) RETURN n.name AS name",
            token=token,
            database_=server.database,
        )
        assert [r["name"] for r in records] == [hostile]
    finally:
        driver.execute_query(
            "MATCH (n:Neo4jLauncherTest {token: $token}) DETACH DELETE n",
            token=token,
            database_=server.database,
        )


@pytest.mark.neo4j
def test_server_is_neo4j_526_community(driver: Any, server: Server) -> None:
    records, _, _ = driver.execute_query(
        "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS v, edition",
        database_=server.database,
    )
    if not server.launched_here:
        pytest.skip(f"NEO4J_URI={server.uri} is not the local launcher; version not checked")
    assert records[0]["v"].startswith("5.26."), records[0]["v"]
    assert records[0]["edition"] == "community"


@pytest.mark.neo4j
def test_status_and_uri_report_the_running_server(server: Server) -> None:
    if not server.launched_here:
        pytest.skip(f"NEO4J_URI={server.uri} is not served by tools/neo4j/neo4j-local")
    status = _run("status")
    assert status.returncode == 0, status.stderr
    assert _uri_line(status) == server.uri
    uri = _run("uri")
    assert uri.returncode == 0, uri.stderr
    assert uri.stdout.strip() == server.uri


@pytest.mark.neo4j
def test_start_again_is_idempotent(server: Server) -> None:
    if not server.launched_here:
        pytest.skip(f"NEO4J_URI={server.uri} is not served by tools/neo4j/neo4j-local")
    pid_before = (STATE_DIR / "neo4j.pid").read_text().strip()
    again = _run("start", timeout=START_TIMEOUT)
    assert again.returncode == 0, again.stderr
    assert _uri_line(again) == server.uri
    assert (STATE_DIR / "neo4j.pid").read_text().strip() == pid_before, "start must reuse it"


@pytest.mark.neo4j
def test_env_file_names_the_server(server: Server) -> None:
    if not server.launched_here:
        pytest.skip(f"NEO4J_URI={server.uri} is not served by tools/neo4j/neo4j-local")
    env = _read_env_file()
    assert env["NEO4J_URI"] == server.uri
    assert env["NEO4J_USERNAME"] == "neo4j"
    assert env["NEO4J_PASSWORD"]
    assert env["NEO4J_DATABASE"] == "neo4j"


@pytest.mark.neo4j
def test_an_explicit_port_in_use_is_refused(tmp_path: Path) -> None:
    """NEO4J_LOCAL_PORT taken by another process: a clear error, before any JVM starts."""
    if shutil.which("java") is None:
        _unavailable("Java is not installed (the local Neo4j needs Java 17+)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        env = {
            **os.environ,
            "NEO4J_LOCAL_DIR": str(tmp_path / "state"),
            "NEO4J_LOCAL_PORT": str(port),
        }
        result = _run("start", env=env, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"NEO4J_LOCAL_PORT={port} is already in use" in result.stderr


# ----------------------------------------------------- stale state (no JVM needed)


def _isolated_env(tmp_path: Path) -> dict[str, str]:
    state = tmp_path / "state"
    state.mkdir()
    return {**os.environ, "NEO4J_LOCAL_DIR": str(state)}


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", ""])
    proc.wait()
    return proc.pid


def test_stop_and_status_when_nothing_runs(tmp_path: Path) -> None:
    env = _isolated_env(tmp_path)
    assert _run("stop", env=env).returncode == 0
    assert _run("stop", env=env).returncode == 0  # idempotent
    status = _run("status", env=env)
    assert status.returncode == 1
    assert status.stdout == ""
    assert _run("uri", env=env).returncode == 1


def test_a_stale_pid_file_is_cleaned_up(tmp_path: Path) -> None:
    env = _isolated_env(tmp_path)
    state = Path(env["NEO4J_LOCAL_DIR"])
    (state / "neo4j.pid").write_text(f"{_dead_pid()}\n")
    (state / "port").write_text("7687\n")
    (state / "ready").write_text("7687\n")
    assert _run("status", env=env).returncode == 1
    stop = _run("stop", env=env)
    assert stop.returncode == 0, stop.stderr
    assert "stale" in stop.stderr
    assert not (state / "neo4j.pid").exists()
    assert not (state / "ready").exists()


def test_a_foreign_live_pid_is_never_signalled(tmp_path: Path) -> None:
    """A pid file naming a live process that is not the launcher (pid reuse): stop must not
    touch it. Here it names this very pytest process."""
    env = _isolated_env(tmp_path)
    state = Path(env["NEO4J_LOCAL_DIR"])
    (state / "neo4j.pid").write_text(f"{os.getpid()}\n")
    (state / "port").write_text("7687\n")
    assert _run("status", env=env).returncode == 1
    assert _run("stop", env=env).returncode == 0  # we are still alive to assert this
    assert not (state / "neo4j.pid").exists()


def test_usage_error() -> None:
    result = _run("frobnicate")
    assert result.returncode == 2
    assert "start" in result.stderr
