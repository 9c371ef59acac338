"""Helpers for fault tests: a private Neo4j from the real launcher, graphsvc in a subprocess,
and the bounded loopback load of ``bench/lossless.py`` that records every answer.

The private Neo4j (``tools/neo4j/neo4j-local`` with its own ``NEO4J_LOCAL_DIR`` and a free
``NEO4J_LOCAL_PORT``) can be stopped and started without disturbing the shared one the rest of
the suite uses. One instance serves a whole test module: a start takes 12–60 s here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import ROOT, _neo4j_unavailable

LAUNCHER = ROOT / "tools" / "neo4j" / "neo4j-local"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class PrivateNeo4j:
    """A Neo4j of one's own: start, stop, and its URI (the port stays across restarts)."""

    folder: Path
    port: int

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def _run(self, command: str, timeout: float) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "NEO4J_LOCAL_DIR": str(self.folder),
            "NEO4J_LOCAL_PORT": str(self.port),
            "NEO4J_LOCAL_HEAP": "512m",
            "NEO4J_LOCAL_PAGECACHE": "128m",
        }
        return subprocess.run(
            [str(LAUNCHER), command],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self) -> float:
        """Start (or find running); the seconds it took."""
        began = time.monotonic()
        done = self._run("start", timeout=400)
        if done.returncode != 0:
            raise RuntimeError(f"private Neo4j did not start:\n{done.stderr[-3000:]}")
        return time.monotonic() - began

    def stop(self) -> None:
        self._run("stop", timeout=120)

    def running(self) -> bool:
        return self._run("status", timeout=60).returncode == 0


def private_neo4j(folder: Path) -> Iterator[PrivateNeo4j]:
    """The fixture body: a private instance, stopped at the end."""
    if shutil.which("java") is None or not os.access(LAUNCHER, os.X_OK):
        _neo4j_unavailable("no Java or no tools/neo4j/neo4j-local for a private Neo4j")
    neo4j = PrivateNeo4j(folder, free_port())
    try:
        yield neo4j
    finally:
        neo4j.stop()


@dataclass
class Server:
    """``graphsvc serve`` in a subprocess on a free loopback port."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def get(self, path: str, timeout: float = 10) -> httpx.Response:
        return httpx.get(self.url + path, timeout=timeout)

    def graphql(
        self, query: str, variables: dict[str, Any] | None = None, timeout: float = 30
    ) -> httpx.Response:
        return httpx.post(
            self.url + "/graphql",
            json={"query": query, "variables": variables or {}},
            timeout=timeout,
        )

    def data(
        self, query: str, variables: dict[str, Any] | None = None, timeout: float = 300
    ) -> dict[str, Any]:
        body = self.graphql(query, variables, timeout=timeout).json()
        assert not body.get("errors"), body
        data: dict[str, Any] = body["data"]
        return data

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def start_server(env: dict[str, str], log: Path, *, wait_ready: bool) -> Server:
    port = free_port()
    handle = log.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from graphsvc.cli import main; main()",
            "serve",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 90
    path = "/readyz" if wait_ready else "/healthz"
    while True:
        try:
            if server.get(path, timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if not server.alive() or time.monotonic() > deadline:
            server.stop()
            raise AssertionError(f"graphsvc did not come up:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds until ``condition`` held; fails after ``timeout``."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.1)
    return time.monotonic() - began


# The bounded mixed load of bench/lossless.py (a script, so imported by path).
sys.path.insert(0, str(ROOT / "bench"))
from lossless import Answer, Load, missing_writes  # noqa: E402

__all__ = ["Answer", "Load", "PrivateNeo4j", "Server", "missing_writes", "private_neo4j"]
