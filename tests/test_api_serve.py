"""``graphsvc serve``: the demo loader, and a real server on loopback answering GraphQL."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphsvc.cli import app
from graphsvc.cli.serve import SERVING_GC_THRESHOLDS, load_demo
from graphsvc.service.maps import MapService
from graphsvc.settings import Settings
from graphsvc.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parent.parent


def test_demo_loads_missing_seed_maps_once(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "demo.sqlite")
    service = MapService(store, Settings(store=f"sqlite:///{tmp_path / 'demo.sqlite'}"))
    seeds = sorted((ROOT / "seeds").glob("*.yaml"))
    first = load_demo(service, ROOT / "seeds")
    assert len(first) == len(seeds) >= 2
    assert "content-moderation" in first
    versions = {m.id: m.version for m in service.list_maps()}
    assert load_demo(service, ROOT / "seeds") == []
    assert {m.id: m.version for m in service.list_maps()} == versions
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_demo_answers_graphql_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "GRAPHSVC_STORE": f"sqlite:///{tmp_path / 'serve.sqlite'}"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from graphsvc.cli import main; main()",
            "serve",
            "--demo",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "server did not become ready"
                time.sleep(0.2)
        request = urllib.request.Request(
            f"{base}/graphql",
            data=json.dumps({"query": "{ maps { id } }"}).encode(),
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            ids = [m["id"] for m in json.load(response)["data"]["maps"]]
        assert "content-moderation" in ids
    finally:
        process.terminate()
        process.wait(timeout=10)
    output = process.stdout.read().decode()  # type: ignore[union-attr]
    # One access log line per request, in uvicorn's style (its own access log is off).
    access = [line for line in output.splitlines() if '"POST /graphql HTTP/1.1" 200' in line]
    assert len(access) == 1, output
    assert access[0].startswith("INFO:     127.0.0.1:") and access[0].endswith("ms"), access
    assert sum('"GET /readyz HTTP/1.1"' in line for line in output.splitlines()) >= 1, output


def test_serve_runs_with_the_collector_tuned_for_serving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import uvicorn

    seen: list[tuple[int, int, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.append(gc.get_threshold()))
    monkeypatch.setenv("GRAPHSVC_STORE", f"sqlite:///{tmp_path / 'serve.sqlite'}")
    before = gc.get_threshold()
    try:
        result = CliRunner().invoke(app, ["serve", "--port", str(_free_port())])
    finally:
        gc.set_threshold(*before)
    assert result.exit_code == 0, result.output
    assert seen == [SERVING_GC_THRESHOLDS]
    assert SERVING_GC_THRESHOLDS[0] > 700  # young collections far rarer than CPython's default
