"""Load without loss: a bounded mixed load on loopback, then a check that no acknowledged write
is missing and no answer was a 5xx.

    python bench/lossless.py --store sqlite --clients 50 --duration 60 [--maps 5]
                             [--max-requests 500000] [--json bench/results/lossless.json]
    NEO4J_URI=bolt://... python bench/lossless.py --store neo4j ...

``graphsvc serve`` runs in a subprocess on 127.0.0.1 over a fresh SQLite file, or over the
Neo4j that ``NEO4J_URI`` names (maps ``lossless-*`` there are replaced), with an API token
required (an admin token created first, as in production). ``--clients`` threads send requests
back to back for ``--duration`` seconds or until ``--max-requests``, whichever comes first: 40%
writers (each ``upsertNode`` adds a node of its own to one of ``--maps`` maps; a CONFLICT,
which a concurrent write to the same map causes, is retried as a client would) and 60% readers
(maps, a page of nodes, a map's version, its analysis). Then every node a write was
acknowledged for is read back. Exit status 1 when a 5xx came back or a write was lost.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # never anything but loopback

UPSERT = """
mutation($m: ID!, $id: ID!, $name: String!) {
  upsertNode(mapId: $m, input: {id: $id, kind: Organization, name: $name}) { version }
}
"""
READS = [
    "{ maps { id version nodeCount } }",
    "query($m: ID!) { nodes(mapId: $m, first: 20, kind: [Organization])"
    " { totalCount nodes { id name } } }",
    "query($m: ID!) { map(id: $m) { version } }",
    "query($m: ID!) { analysis(mapId: $m) { mechanisms { id coverage } } }",
]


@dataclass
class Answer:
    at: float  # seconds since the load began, when the request was sent
    seconds: float
    status: int  # HTTP status; 0 when no answer came
    code: str | None  # the first error's code, if any
    kind: str  # "read" or "write"


@dataclass
class Load:
    """Readers and writers on several maps until ``stop`` (or ``max_requests``); every answer
    recorded, every acknowledged write remembered as (map id, node id, name)."""

    url: str
    maps: list[str]
    writers: int
    readers: int
    headers: dict[str, str] = field(default_factory=dict)
    max_requests: int = 10**9
    retry_conflicts: bool = True
    answers: list[Answer] = field(default_factory=list)
    acknowledged: list[tuple[str, str, str]] = field(default_factory=list)
    began: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        self.began = time.monotonic()
        for i in range(self.writers):
            self._threads.append(threading.Thread(target=self._writer, args=(i,), daemon=True))
        for i in range(self.readers):
            self._threads.append(threading.Thread(target=self._reader, args=(i,), daemon=True))
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=120)

    def _post(
        self, client: httpx.Client, query: str, variables: dict[str, Any], kind: str
    ) -> str | None:
        """Send one operation; the first error code ("" for success)."""
        sent = time.monotonic()
        status, code = 0, None
        try:
            response = client.post("/graphql", json={"query": query, "variables": variables})
            status = response.status_code
            errors = response.json().get("errors") or []
            code = errors[0]["extensions"]["code"] if errors else None
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            code = f"client:{type(exc).__name__}"
        with self._lock:
            self.answers.append(
                Answer(sent - self.began, time.monotonic() - sent, status, code, kind)
            )
            if len(self.answers) >= self.max_requests:
                self._stop.set()
        return "" if code is None and status == 200 else code or f"http:{status}"

    def _writer(self, index: int) -> None:
        with httpx.Client(base_url=self.url, timeout=120, headers=self.headers) as client:
            n = 0
            while not self._stop.is_set():
                map_id = self.maps[(index + n) % len(self.maps)]
                node_id, name = f"w{index}-{n}", f"writer {index} write {n}"
                n += 1
                while not self._stop.is_set():
                    outcome = self._post(
                        client, UPSERT, {"m": map_id, "id": node_id, "name": name}, "write"
                    )
                    if outcome == "":
                        with self._lock:
                            self.acknowledged.append((map_id, node_id, name))
                    if outcome != "CONFLICT" or not self.retry_conflicts:
                        break

    def _reader(self, index: int) -> None:
        with httpx.Client(base_url=self.url, timeout=120, headers=self.headers) as client:
            n = 0
            while not self._stop.is_set():
                query = READS[(index + n) % len(READS)]
                map_id = self.maps[n % len(self.maps)]
                n += 1
                self._post(client, query, {"m": map_id} if "$m" in query else {}, "read")


def missing_writes(url: str, load: Load) -> list[tuple[str, str, str]]:
    """Acknowledged writes that the server does not return now (each write made its own node)."""
    found: dict[str, dict[str, str]] = {}
    query = (
        "query($m: ID!, $after: String) { nodes(mapId: $m, first: 1000, after: $after)"
        " { pageInfo { hasNextPage endCursor } nodes { id name } } }"
    )
    with httpx.Client(base_url=url, timeout=120, headers=load.headers) as client:
        for map_id in load.maps:
            names: dict[str, str] = {}
            after = None
            while True:
                body = client.post(
                    "/graphql", json={"query": query, "variables": {"m": map_id, "after": after}}
                ).json()
                page = body["data"]["nodes"]
                names.update({n["id"]: n["name"] for n in page["nodes"]})
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            found[map_id] = names
    return [(m, n, name) for m, n, name in load.acknowledged if found[m].get(n) != name]


def summary(load: Load, lost: list[tuple[str, str, str]], seconds: float) -> dict[str, Any]:
    answers = load.answers
    latencies = sorted(a.seconds for a in answers) or [0.0]

    def pct(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1)

    return {
        "requests": len(answers),
        "seconds": round(seconds, 1),
        "perSecond": round(len(answers) / seconds, 1) if seconds else 0,
        "reads": sum(a.kind == "read" for a in answers),
        "writes": sum(a.kind == "write" for a in answers),
        "acknowledgedWrites": len(load.acknowledged),
        "lostWrites": len(lost),
        "http5xx": sum(a.status >= 500 for a in answers),
        "noAnswer": sum(a.status == 0 for a in answers),
        "errors": dict(Counter(a.code for a in answers if a.code)),
        "latencyMs": {"p50": pct(0.5), "p95": pct(0.95), "p99": pct(0.99), "max": pct(1.0)},
        "medianMs": round(statistics.median(latencies) * 1000, 1),
    }


# --- the server ---------------------------------------------------------------------------------


def graphsvc(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "from graphsvc.cli import main; main()", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return done.stdout


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def run(
    store: str, clients: int, duration: float, maps: int, max_requests: int, folder: Path
) -> dict[str, Any]:
    env = {**os.environ, "GRAPHSVC_STORE": f"sqlite:///{folder / 'lossless.sqlite'}"}
    if store == "neo4j":
        if not os.environ.get("NEO4J_URI"):
            raise SystemExit("--store neo4j needs NEO4J_URI")
        env["GRAPHSVC_STORE"] = "neo4j"
    map_ids = [f"lossless-{i}" for i in range(maps)]
    for map_id in map_ids:
        path = folder / f"{map_id}.json"
        graphsvc(
            "generate",
            "--nodes",
            "40",
            "--seed",
            "3",
            "--map-id",
            map_id,
            "--out",
            str(path),
            env=env,
        )
        graphsvc("import", "--replace", str(path), env=env)
    token = graphsvc(
        "token",
        "create",
        "--role",
        "editor",
        "--name",
        "lossless",
        *[a for m in map_ids for a in ("--map", m)],
        env=env,
    ).strip()
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    log = (folder / "serve.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from graphsvc.cli import main; main()",
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(
                    f"graphsvc did not start:\n{(folder / 'serve.log').read_text()[-3000:]}"
                )
            time.sleep(0.2)
        writers = max(1, round(clients * 0.4))
        load = Load(url, map_ids, writers, max(1, clients - writers), headers, max_requests)
        load.start()
        stop_at = time.monotonic() + duration
        while time.monotonic() < stop_at and not load._stop.is_set():
            time.sleep(0.2)
        load.stop()
        seconds = time.monotonic() - load.began
        lost = missing_writes(url, load)
        result = summary(load, lost, seconds)
        result.update(store=store, clients=clients, maps=maps, serverAlive=server.poll() is None)
        log_text = (folder / "serve.log").read_text(errors="replace")
        result["serverLogTracebacks"] = log_text.count("Traceback")
        if result["serverLogTracebacks"] or result["http5xx"] or "INTERNAL" in result["errors"]:
            kept = Path(tempfile.gettempdir()) / f"lossless-{store}-serve.log"
            kept.write_text(log_text, encoding="utf-8")  # what went wrong, for whoever reads
            sys.stderr.write(f"server log kept in {kept}\n")
        return result
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        # A shared Neo4j must not stay closed by this run's token.
        graphsvc("token", "revoke", token.split("_")[1], env=env)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=["sqlite", "neo4j"], default="sqlite")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--maps", type=int, default=5)
    parser.add_argument("--max-requests", type=int, default=500_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gs-lossless-") as tmp:
        result = run(
            args.store, args.clients, args.duration, args.maps, args.max_requests, Path(tmp)
        )
    columns = [
        "store",
        "clients",
        "requests",
        "req/s",
        "acked-writes",
        "lost",
        "5xx",
        "p50-ms",
        "p99-ms",
        "errors",
    ]
    print("| " + " | ".join(columns) + " |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {result['store']} | {result['clients']} | {result['requests']} | "
        f"{result['perSecond']} | "
        f"{result['acknowledgedWrites']} | {result['lostWrites']} | {result['http5xx']} | "
        f"{result['latencyMs']['p50']} | {result['latencyMs']['p99']} | {result['errors']} |"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"results": [result]}, indent=2) + "\n", encoding="utf-8")
    ok = (
        result["lostWrites"] == 0
        and result["http5xx"] == 0
        and "INTERNAL" not in result["errors"]
        and result["serverAlive"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
