"""Store faults against the real thing: a private Neo4j from ``tools/neo4j/neo4j-local`` that
the tests stop and start, ``graphsvc serve`` and ``graphsvc import`` as subprocesses.

- Neo4j down at start-up: graphsvc starts anyway, ``/readyz`` is 503, requests fail fast with
  STORE_UNAVAILABLE, the process stays up and becomes ready once Neo4j is started.
- Neo4j stopped and restarted under load: requests fail fast with STORE_UNAVAILABLE (never
  another 5xx), then succeed again without restarting graphsvc; no acknowledged write is lost.
- ``graphsvc import`` killed with SIGKILL in the middle of a large import, on each store: the
  map is the old version or the new one, never a mix, and the next import succeeds.
"""

from __future__ import annotations

import gc
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphsvc.domain.mapfile import dump_map, load_map_file
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.store.open import open_store
from tests.api_support import small_map
from tests.conftest import ROOT
from tests.fault_support import (
    Load,
    PrivateNeo4j,
    missing_writes,
    private_neo4j,
    start_server,
    wait_until,
)

FAST = 1.0  # seconds: "fails fast"
CHECK_SECONDS = "0.5"


@pytest.fixture(scope="module")
def neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateNeo4j]:
    yield from private_neo4j(tmp_path_factory.mktemp("private-neo4j"))


def neo4j_env(neo4j: PrivateNeo4j) -> dict[str, str]:
    return {
        "GRAPHSVC_STORE": "neo4j",
        "NEO4J_URI": neo4j.uri,
        "NEO4J_USERNAME": "neo4j",
        "NEO4J_PASSWORD": "unused-auth-off",
        "GRAPHSVC_STORE_CHECK_SECONDS": CHECK_SECONDS,
        "GRAPHSVC_STORE_RETRY_SECONDS": "3",
    }


# --- Neo4j down at start-up ----------------------------------------------------------------------


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_down_at_start_up(neo4j: PrivateNeo4j, tmp_path: Path) -> None:
    neo4j.stop()
    server = start_server(neo4j_env(neo4j), tmp_path / "serve.log", wait_ready=False)
    try:
        ready = server.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["errors"][0]["extensions"]["code"] == "STORE_UNAVAILABLE"
        assert ready.headers["Retry-After"]
        for _ in range(5):
            began = time.monotonic()
            response = server.graphql("{ maps { id } }")
            assert time.monotonic() - began < FAST
            assert response.status_code == 503
            assert response.json()["errors"][0]["extensions"]["code"] == "STORE_UNAVAILABLE"
        time.sleep(3)
        assert server.alive() and server.get("/healthz").status_code == 200
        started = neo4j.start()
        became_ready = wait_until(
            lambda: server.get("/readyz").status_code == 200, 30, "ready after Neo4j started"
        )
        assert server.alive()
        m = small_map("after-start")
        # The first write to a fresh database applies the schema and waits for its indexes.
        server.data(
            "mutation($d: String!) { importMap(document: $d, replace: true) { id } }",
            {"d": dump_map(m, "json")},
            timeout=300,
        )
        assert "after-start" in {x["id"] for x in server.data("{ maps { id } }")["maps"]}
        log = server.log.read_text()
        assert "store unavailable" in log and "Traceback" not in log
        print(f"Neo4j started in {started:.0f} s; graphsvc ready {became_ready:.1f} s later")
    finally:
        server.stop()


# --- Neo4j stopped and restarted under load -----------------------------------------------------


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_restarted_under_load(neo4j: PrivateNeo4j, tmp_path: Path) -> None:
    neo4j.start()
    server = start_server(neo4j_env(neo4j), tmp_path / "serve.log", wait_ready=True)
    pid = server.process.pid
    maps = ["load-a", "load-b"]
    for map_id in maps:
        server.data(
            "mutation($d: String!) { importMap(document: $d, replace: true) { id } }",
            {"d": dump_map(small_map(map_id), "json")},
        )
    load = Load(server.url, maps, writers=3, readers=3)
    # The load's clients run in this process, which holds every earlier test's objects by
    # now: a full collection of that heap would pause the clients for seconds and count as
    # slow answers. Frozen objects are left out of collections.
    gc.freeze()
    load.start()
    try:
        time.sleep(4)
        neo4j.stop()
        wait_until(lambda: server.get("/readyz").status_code == 503, 20, "outage noticed")
        # Measured here, not from before the stop: a graceful stop of a loaded Neo4j takes
        # seconds, during which requests still reach the dying server.
        noticed_at = time.monotonic() - load.began
        time.sleep(3)  # requests during the outage
        restarted_at = time.monotonic() - load.began
        neo4j.start()
        recovered = wait_until(
            lambda: server.get("/readyz").status_code == 200, 60, "ready after restart"
        )
        recovered_at = time.monotonic() - load.began
        # Load after recovery, until reads and writes have both succeeded again (the first
        # requests to a cold, just-restarted Neo4j take seconds on a busy machine).
        wait_until(
            lambda: (
                {a.kind for a in list(load.answers) if a.at > recovered_at and a.code is None}
                == {"read", "write"}
            ),
            120,
            "reads and writes succeed after the restart",
        )
        time.sleep(2)
    finally:
        load.stop()
        gc.unfreeze()
    try:
        answers = load.answers
        assert server.alive() and server.process.pid == pid  # never restarted
        # Never a fault: only answers, or STORE_UNAVAILABLE (503 when it stopped the request
        # before GraphQL ran, 200 with the error inside it otherwise).
        # (CONFLICT: two writers met on one map; the load retries it, as a client would.)
        assert {a.code for a in answers} <= {None, "STORE_UNAVAILABLE", "CONFLICT"}, {
            a.code for a in answers
        }
        assert all(a.status in {200, 503} for a in answers)
        unavailable = [a for a in answers if a.code == "STORE_UNAVAILABLE"]
        assert unavailable, "the outage was not seen"
        # Requests sent once the outage was known failed fast.
        known = noticed_at + 1.0
        late = [a.seconds for a in unavailable if known <= a.at < restarted_at]
        slow = sorted(x for x in late if x >= FAST)
        assert late and statistics.median(late) < 0.2 and not slow, (len(late), slow)
        # And requests succeed again, without restarting graphsvc.
        after = [a for a in answers if a.at > recovered_at + 0.5]
        assert after and all(a.code in {None, "CONFLICT"} for a in after)
        assert {a.kind for a in after} == {"read", "write"}
        assert missing_writes(server.url, load) == []
        print(
            f"{len(answers)} requests, {len(load.acknowledged)} acknowledged writes, "
            f"{len(unavailable)} STORE_UNAVAILABLE (median {statistics.median(late) * 1000:.0f} ms "
            f"once known), ready {recovered:.1f} s after Neo4j was back, 0 lost"
        )
    finally:
        server.stop()


# --- SIGKILL in the middle of a large import -----------------------------------------------------

NODES = 5_000  # about 25,000 elements: several import transactions on Neo4j


def big_map_file(folder: Path, map_id: str) -> Path:
    path = folder / f"{map_id}.json"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from graphsvc.cli import main; main()",
            "generate",
            "--nodes",
            str(NODES),
            "--seed",
            "7",
            "--map-id",
            map_id,
            "--out",
            str(path),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return path


def start_import(env: dict[str, str], path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from graphsvc.cli import main; main()",
            "import",
            "--replace",
            str(path),
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def assert_old_or_new(store: GraphStore, map_id: str, old: set[str], new: set[str]) -> str:
    """The stored map is exactly the old or exactly the new one; which."""
    info = store.map_info(map_id)
    m = store.load_map(map_id)
    ids = {n.id for n in m.nodes}
    assert ids in (old, new), f"a mix: {len(ids & old)} old and {len(ids & new)} new node ids"
    assert info.node_count == len(m.nodes) and info.edge_count == len(m.edges)
    assert all(e.from_ in ids and e.to in ids for e in m.edges)
    return "old" if ids == old else "new"


def kill_when(process: subprocess.Popen[bytes], writing: Any, timeout: float = 120) -> bool:
    """SIGKILL the import once ``writing()`` says it is writing; whether it was caught so."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if writing():
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            return True
        time.sleep(0.005)
    process.kill()
    process.wait(timeout=30)
    return False


def check_kills(
    settings: Settings, env: dict[str, str], folder: Path, map_id: str, writing: Any
) -> list[str]:
    old_map = small_map(map_id)
    new_path = big_map_file(folder, map_id)
    store = open_store(settings)
    try:
        store.save_map(old_map, replace=True)
        old = {n.id for n in old_map.nodes}
        new = {n.id for n in load_map_file(new_path).nodes}
        outcomes = []
        # Killed while its rows are being written: the old map must remain, whole.
        process = start_import(env, new_path)
        assert kill_when(process, lambda: writing(store)), "never caught the import writing"
        assert assert_old_or_new(store, map_id, old, new) == "old"
        outcomes.append("old (killed while writing)")
        # Killed at moments spread over the whole import: old or new, never a mix.
        for delay in (1.0, 3.0, 6.0):
            store.save_map(old_map, replace=True)
            process = start_import(env, new_path)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            outcomes.append(
                assert_old_or_new(store, map_id, old, new) + f" (killed after {delay} s)"
            )
        # What a killed import left behind does not stop the next one.
        done = start_import(env, new_path)
        assert done.wait(timeout=600) == 0, done.stdout.read().decode() if done.stdout else ""
        assert assert_old_or_new(store, map_id, old, new) == "new"
        return outcomes
    finally:
        store.close()


def test_sigkill_mid_import_on_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "kill.sqlite"
    settings = Settings(store=f"sqlite:///{db}")
    wal = Path(f"{db}-wal")
    baseline = {"size": 0}

    def writing(store: GraphStore) -> bool:
        # The import's one transaction spills pages into the WAL as it inserts rows.
        size = wal.stat().st_size if wal.exists() else 0
        if not baseline["size"]:
            baseline["size"] = max(size, 1)
        return size > baseline["size"] + 512 * 1024

    outcomes = check_kills(
        settings, {"GRAPHSVC_STORE": settings.store}, tmp_path, "killed", writing
    )
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    print("sqlite:", "; ".join(outcomes))


@pytest.mark.neo4j
@pytest.mark.slow
def test_sigkill_mid_import_on_neo4j(neo4j: PrivateNeo4j, tmp_path: Path) -> None:
    neo4j.start()
    env = neo4j_env(neo4j)
    settings = Settings(store="neo4j", NEO4J_URI=neo4j.uri)  # type: ignore[call-arg]
    map_id = "killed"

    def writing(store: GraphStore) -> bool:
        # A staging generation of this map with rows in it: the import is past its first batch.
        rows = store.conn.read(  # type: ignore[attr-defined]
            "test probe",
            lambda tx: tx.run(
                "MATCH (s:GStage {mapId: $m}) WHERE s.state = 'staging' "
                "MATCH (n:GNode {mapId: $m, gen: s.gen}) RETURN count(n) AS n",
                m=map_id,
            ).single()["n"],
        )
        return bool(rows)

    outcomes = check_kills(settings, env, tmp_path, map_id, writing)
    print("neo4j:", "; ".join(outcomes))
