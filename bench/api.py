"""API latency under load: graphsvc on each store, and the Neo4j GraphQL Library peer.

    python bench/api.py --nodes 10k --targets sqlite,neo4j,peer --clients 32 --duration 30
                        [--max-requests 200000] [--json bench/results/api.json]

Each target is a server in a subprocess on 127.0.0.1 (graphsvc: ``graphsvc serve``, uvicorn,
one worker; the peer: ``node bench/peer/server.js``), over the same generated map. For each
operation in turn, ``--clients`` concurrent clients (a lean asyncio HTTP/1.1 keep-alive
client, one connection each, on uvloop when installed) send requests back to back for
``--duration`` seconds or until ``--max-requests``, whichever comes first; then the next
operation. Closed loop without think time: latency is about clients / throughput, so the
load generator must be cheap (httpx cost ~1 ms of CPU per request, starving the server on a
2-core machine). Reported per operation: requests/s, p50/p95/p99 latency, errors (a non-200
status, a GraphQL ``errors`` entry or an empty answer). Traffic goes to loopback only.

Operations (the same on every target; the peer's text says the same in its schema):
``node``      one node by id (id, kind, name), ids drawn at random;
``page``      100 nodes after a random id, each with its edges (id, kind, from, to);
``neighborhood``  depth 2 around a random AffectedCommunity: nodes and edges;
``analysis``  the cached report (graphsvc only; the peer has no analyses): map version, the
              first 20 stakeholders without a contest path, overloaded mechanisms and
              NONE / NO_AUTHORITY pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (
    ROOT,
    load_map,
    map_file,
    parse_size,
    percentile,
    process_cpu_seconds,
    table,
    write_results,
)

HOST = "127.0.0.1"  # never anything but loopback
OPERATIONS = ("node", "page", "neighborhood", "analysis")
PEER = ROOT / "bench" / "peer"

# --- the queries ------------------------------------------------------------------------------

GRAPHSVC_NODE = "query($m: ID!, $id: ID!) { node(mapId: $m, id: $id) { id kind name } }"
GRAPHSVC_PAGE = """query($m: ID!, $after: String) {
  nodes(mapId: $m, first: 100, after: $after) {
    edges { node { id kind name edges { id kind fromId toId } } }
  }
}"""
GRAPHSVC_NEIGHBORHOOD = """query($m: ID!, $id: ID!) {
  neighborhood(mapId: $m, id: $id, depth: 2) {
    nodes { id kind name }
    edges { id kind fromId toId }
  }
}"""
GRAPHSVC_ANALYSIS = """query($m: ID!) {
  analysis(mapId: $m) {
    map { id version }
    withoutContestPath(limit: 20) { id name }
    mechanisms(overloaded: true, limit: 20) { id capacityPerMonth loadPerMonth utilization }
    contestPairs(status: [NONE, NO_AUTHORITY], limit: 20) { system stakeholder status }
  }
}"""

EDGE_KINDS = [
    "DEVELOPS",
    "DEPLOYS",
    "OPERATES",
    "EMPLOYS",
    "AFFECTS",
    "CAN_CONTEST_VIA",
    "HANDLED_BY",
    "OVERSEES",
    "ACCOUNTABLE_TO",
    "FUNDS",
    "INCENTIVIZES",
    "FEEDS_BACK_TO",
    "REPRESENTS",
    "PARTICIPATES_IN",
]


def _field(kind: str) -> str:
    head, *rest = kind.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


_PEER_EDGES = "\n".join(
    f"      {_field(k)}{d}Connection {{ edges {{ properties {{ id kind }} node {{ id }} }} }}"
    for k in EDGE_KINDS
    for d in ("Out", "In")
)
PEER_NODE = """query($m: String!, $id: String!) {
  gNodes(where: {mapId: {eq: $m}, id: {eq: $id}}) { id kind name }
}"""
PEER_PAGE = f"""query($m: String!, $after: String!) {{
  gNodes(where: {{mapId: {{eq: $m}}, id: {{gt: $after}}}}, sort: [{{id: ASC}}], limit: 100) {{
    id kind name
{_PEER_EDGES}
  }}
}}"""
PEER_NEIGHBORHOOD = """query($m: String!, $id: String!) {
  neighborhoodNodes(mapId: $m, id: $id) { id kind name }
  neighborhoodEdges(mapId: $m, id: $id) { id kind fromId toId }
}"""


class Requests:
    """Draws the body of the next request of an operation (random ids, same seed everywhere)."""

    def __init__(self, m: Any, seed: int) -> None:
        self.map_id = m.id
        self.ids = sorted(n.id for n in m.nodes)
        self.communities = sorted(n.id for n in m.nodes if n.kind == "AffectedCommunity")
        self.rng = random.Random(seed)

    def graphsvc(self, op: str) -> dict[str, Any]:
        from graphsvc.api.graphql.connections import encode_cursor

        if op == "node":
            return {"query": GRAPHSVC_NODE, "variables": {"m": self.map_id, "id": self._id()}}
        if op == "page":
            after = encode_cursor("node", self._page_start())
            return {"query": GRAPHSVC_PAGE, "variables": {"m": self.map_id, "after": after}}
        if op == "neighborhood":
            centre = self.rng.choice(self.communities)
            return {"query": GRAPHSVC_NEIGHBORHOOD, "variables": {"m": self.map_id, "id": centre}}
        return {"query": GRAPHSVC_ANALYSIS, "variables": {"m": self.map_id}}

    def peer(self, op: str) -> dict[str, Any] | None:
        if op == "node":
            return {"query": PEER_NODE, "variables": {"m": self.map_id, "id": self._id()}}
        if op == "page":
            return {
                "query": PEER_PAGE,
                "variables": {"m": self.map_id, "after": self._page_start()},
            }
        if op == "neighborhood":
            centre = self.rng.choice(self.communities)
            return {"query": PEER_NEIGHBORHOOD, "variables": {"m": self.map_id, "id": centre}}
        return None  # the peer has no analyses

    def _id(self) -> str:
        return self.rng.choice(self.ids)

    def _page_start(self) -> str:
        return self.ids[self.rng.randrange(max(1, len(self.ids) - 100))]


def _ok(payload: Any) -> bool:
    """A 200 answer with data, no GraphQL errors, no null field, and not empty altogether
    (an isolated community's neighbourhood has no edges: an empty list beside its node is fine)."""
    if not isinstance(payload, dict) or payload.get("errors") or not payload.get("data"):
        return False
    values = list(payload["data"].values())
    return None not in values and any(value != [] for value in values)


# --- the load generator -----------------------------------------------------------------------
# A lean HTTP/1.1 keep-alive client on asyncio streams: each client holds one connection and
# sends requests back to back. httpx costs about 1 ms of CPU per request, which on a 2-core
# machine starves the server it measures; this costs a small fraction of that.


class HttpError(Exception):
    """The connection broke or the answer was not HTTP/1.1 as expected."""


class Connection:
    """One keep-alive HTTP/1.1 connection to ``url`` (loopback only), reopened after errors."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname != HOST:
            raise ValueError(f"only http://{HOST} is measured, not {url}")
        self.port = parts.port or 80
        self.head = (
            f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
            "Content-Length: "
        ).encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> tuple[int, bytes]:
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
            assert self.reader is not None
            self.writer.write(self.head + str(len(body)).encode() + b"\r\n\r\n" + body)
            head = await self.reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            status = int(lines[0].split(b" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            if b"content-length" in headers:
                payload = await self.reader.readexactly(int(headers[b"content-length"]))
            elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
                payload = await self._chunks()
            else:
                raise HttpError("answer without a length")
            if headers.get(b"connection", b"").lower() == b"close":
                self.close()
            return status, payload
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            self.close()
            raise HttpError(f"{type(exc).__name__}: {exc}") from None

    async def _chunks(self) -> bytes:
        assert self.reader is not None
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")  # no trailers are sent
                return b"".join(parts)
            parts.append((await self.reader.readexactly(size + 2))[:-2])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def drive(
    url: str,
    make_body: Callable[[], dict[str, Any]],
    clients: int,
    duration: float,
    max_requests: int,
) -> dict[str, Any]:
    """``clients`` loops sending requests back to back; bounded by time and by count. Every
    answer is parsed and checked (``_ok``); a failed request counts as an error, never as a
    latency."""
    latencies: list[float] = []
    errors: list[str] = []
    sent = 0
    deadline = time.perf_counter() + duration

    async def client() -> None:
        nonlocal sent
        connection = Connection(url)
        try:
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                body = json.dumps(make_body()).encode()
                start = time.perf_counter()
                try:
                    async with asyncio.timeout(60.0):
                        status, payload = await connection.post(body)
                    elapsed = time.perf_counter() - start
                    if status != 200 or not _ok(json.loads(payload)):
                        errors.append(f"{status}: {payload[:200].decode(errors='replace')}")
                        continue
                except (HttpError, TimeoutError, ValueError) as exc:
                    connection.close()
                    errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                latencies.append(elapsed)
        finally:
            connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies) + len(errors),
        "ok": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:3],
        "seconds": wall,
        "per_s": len(latencies) / wall if wall else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "mean_ms": (sum(latencies) / len(latencies) * 1000) if latencies else None,
    }


def run(coroutine: Any) -> Any:
    """Run the load on uvloop when installed (a cheaper event loop: more CPU for the server)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


# --- the servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    import httpx

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not come up in {timeout:g}s")


@contextmanager
def server(
    cmd: list[str], env: dict[str, str], probe: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            cmd,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            wait_until_up(probe, process)
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def graphsvc_server(store_env: dict[str, str], log: Path) -> tuple[Any, str]:
    port = free_port()
    cmd = [
        str(Path(sys.executable).parent / "graphsvc"),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
    ]
    base = f"http://{HOST}:{port}"
    return server(cmd, store_env, f"{base}/healthz", log), f"{base}/graphql"


def peer_server(uri: str, log: Path) -> tuple[Any, str]:
    if not (PEER / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER, check=True)
    port = free_port()
    base = f"http://{HOST}:{port}"
    cmd = ["node", str(PEER / "server.js")]
    probe = f"{base}/?query=%7B__typename%7D"
    return server(cmd, {"NEO4J_URI": uri, "PORT": str(port)}, probe, log), base + "/"


# --- server profiles (py-spy, sampling the server process while it is under load) ------------

PROFILES = ROOT / "bench" / "results" / "profiles"


def _py_spy(pid: int, name: str, op: str, duration: float) -> subprocess.Popen[bytes] | None:
    spy = Path(sys.executable).parent / "py-spy"
    if not spy.exists():
        print("[api] py-spy not installed; no server profile", file=sys.stderr)
        return None
    PROFILES.mkdir(parents=True, exist_ok=True)
    out = PROFILES / f"api-{name}-{op}.raw"
    return subprocess.Popen(
        [
            str(spy),
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(int(duration)),
            "--rate",
            "100",
            "--gil",  # only the thread holding the GIL: where the one worker's CPU goes
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


PLUMBING = (
    "asyncio/",
    "typer/",
    "click/",
    "uvicorn/main.py",
    "uvicorn/server.py",
    "uvicorn/_compat.py",
    "graphsvc/cli/",
    "<module>",
    "threading.py",
    "concurrent/",
)


def summarise_profile(path: Path, top: int = 15) -> dict[str, list[tuple[str, float]]]:
    """Shares of samples: graphsvc's functions on the stack (inclusive, start-up plumbing left
    out) and any function at the top of the stack (self time), highest first; also as .txt."""
    if not path.exists():
        return {}
    inclusive: dict[str, int] = {}
    leaf: dict[str, int] = {}
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = stack.split(";")
        leaf[frames[-1]] = leaf.get(frames[-1], 0) + count
        for frame in set(frames):
            if "graphsvc/" in frame and not any(p in frame for p in PLUMBING):
                inclusive[frame] = inclusive.get(frame, 0) + count

    def ranked(table: dict[str, int]) -> list[tuple[str, float]]:
        return [(f, c / total) for f, c in sorted(table.items(), key=lambda kv: -kv[1])][:top]

    summary = {"inclusive": ranked(inclusive), "self": ranked(leaf)}
    lines = [f"{total} samples", "", "graphsvc functions on the stack (inclusive):"]
    lines += [f"{share:6.1%}  {frame}" for frame, share in summary["inclusive"]]
    lines += ["", "at the top of the stack (self):"]
    lines += [f"{share:6.1%}  {frame}" for frame, share in summary["self"]]
    path.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return summary


# --- driver -----------------------------------------------------------------------------------


def cache_counts(graphql_url: str) -> tuple[float, float]:
    """The server's response cache hits and misses so far (from its /metrics)."""
    import httpx

    text = httpx.get(graphql_url.removesuffix("/graphql") + "/metrics", timeout=10.0).text
    counts = {"hit": 0.0, "miss": 0.0}
    for line in text.splitlines():
        if line.startswith("graphsvc_graphql_response_cache_total{"):
            labels, _, value = line.rpartition(" ")
            for outcome in counts:
                if f'outcome="{outcome}"' in labels:
                    counts[outcome] = float(value)
    return counts["hit"], counts["miss"]


def measure_target(
    name: str,
    url: str,
    requests: Requests,
    kind: str,
    args: argparse.Namespace,
    pid: int | None = None,
) -> dict[str, Any]:
    import httpx

    ops = [op for op in args.operations.split(",") if op]
    out: dict[str, Any] = {}
    for op in ops:
        body = getattr(requests, kind)
        if body(op) is None:
            continue
        if op == "analysis":  # the first request computes the report; time it apart
            start = time.perf_counter()
            response = httpx.post(url, json=body(op), timeout=3600.0)
            out["analysis_first_request_s"] = time.perf_counter() - start
            if response.status_code != 200 or not _ok(response.json()):
                out["analysis_first_request_error"] = response.text[:300]
        # Warm up (connections, caches, JIT on the peer) before the timed run.
        run(
            drive(
                url, lambda op=op, body=body: body(op), args.clients, min(3.0, args.duration), 10**9
            )
        )
        print(
            f"[api] {name} {op}: {args.clients} clients x {args.duration:g}s",
            file=sys.stderr,
            flush=True,
        )
        profiled = args.profile_server and pid and kind == "graphsvc"
        spy = _py_spy(pid, name, op, args.duration) if profiled else None
        before = cache_counts(url) if kind == "graphsvc" else None
        cpu_before = process_cpu_seconds(pid) if pid else None
        client_before = time.process_time()
        out[op] = run(
            drive(
                url,
                lambda op=op, body=body: body(op),
                args.clients,
                args.duration,
                args.max_requests,
            )
        )
        cpu_after = process_cpu_seconds(pid) if pid else None
        if out[op]["requests"]:  # the load generator's own CPU: is it a bottleneck too?
            client = time.process_time() - client_before
            out[op]["client_cpu_ms"] = client * 1000 / out[op]["requests"]
        if cpu_before is not None and cpu_after is not None and out[op]["requests"]:
            out[op]["server_cpu_ms"] = (cpu_after - cpu_before) * 1000 / out[op]["requests"]
        if before is not None:
            hits, misses = (a - b for a, b in zip(cache_counts(url), before, strict=True))
            out[op]["reused"] = hits / (hits + misses) if hits + misses else 0.0
        if spy is not None:
            spy.wait(timeout=args.duration + 60)
            out[op]["profile"] = summarise_profile(PROFILES / f"api-{name}-{op}.raw")
        r = out[op]
        print(
            f"[api] {name} {op}: {r['per_s']:.0f}/s p50 {r['p50_ms']:.1f} ms p99 "
            f"{r['p99_ms']:.1f} ms errors {r['errors']}",
            file=sys.stderr,
            flush=True,
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--nodes", default="10k")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--targets",
        default="sqlite,sqlite-nocache,neo4j,peer",
        help="sqlite-nocache: the embedded store with the response cache off",
    )
    parser.add_argument("--operations", default=",".join(OPERATIONS))
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per operation")
    parser.add_argument("--max-requests", type=int, default=200_000, help="per operation")
    parser.add_argument("--json", default="")
    parser.add_argument(
        "--profile-server",
        action="store_true",
        help="sample the graphsvc server with py-spy during each timed run",
    )
    args = parser.parse_args(argv)
    if args.clients < 1 or args.duration <= 0 or args.max_requests < 1:
        parser.error("--clients, --duration and --max-requests must be positive")
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]

    m = load_map(map_file(parse_size(args.nodes), args.seed))
    results: dict[str, Any] = {
        "nodes": len(m.nodes),
        "edges": len(m.edges),
        "clients": args.clients,
        "duration_s": args.duration,
        "targets": {},
    }
    with tempfile.TemporaryDirectory(prefix="graphsvc-bench-api-") as tmp:
        folder = Path(tmp)
        sqlite_targets = [t for t in ("sqlite", "sqlite-nocache") if t in targets]
        if sqlite_targets:
            from graphsvc.store.sqlite import SqliteStore

            db = folder / "graphsvc.db"
            store = SqliteStore(db)
            store.save_map(m, replace=True)
            store.close()
        for target in sqlite_targets:
            env = {"GRAPHSVC_STORE": f"sqlite:///{db}"}
            if target == "sqlite-nocache":  # every answer computed: what a miss costs
                env["GRAPHSVC_RESPONSE_CACHE_BYTES"] = "0"
            running, url = graphsvc_server(env, folder / f"{target}.log")
            with running as process:
                results["targets"][f"graphsvc-{target}"] = measure_target(
                    f"graphsvc-{target}", url, Requests(m, args.seed), "graphsvc", args, process.pid
                )
        if "neo4j" in targets or "peer" in targets:
            from neo4j_server import neo4j_uri

            from graphsvc.store.neo4j import Neo4jStore

            with neo4j_uri() as uri:
                store = Neo4jStore(uri)
                store.save_map(m, replace=True)
                if "neo4j" in targets:
                    env = {"GRAPHSVC_STORE": "neo4j", "NEO4J_URI": uri}
                    running, url = graphsvc_server(env, folder / "neo4j.log")
                    with running as process:
                        results["targets"]["graphsvc-neo4j"] = measure_target(
                            "graphsvc-neo4j",
                            url,
                            Requests(m, args.seed),
                            "graphsvc",
                            args,
                            process.pid,
                        )
                if "peer" in targets:
                    running, url = peer_server(uri, folder / "peer.log")
                    with running as process:
                        results["targets"]["peer-neo4j-graphql"] = measure_target(
                            "peer", url, Requests(m, args.seed), "peer", args, process.pid
                        )
                store.delete_map(m.id)
                store.close()
    print(render(results))
    write_results(args.json, "api", results)
    return 0


def render(results: dict[str, Any]) -> str:
    rows = []
    for target, ops in results["targets"].items():
        for op in OPERATIONS:
            r = ops.get(op)
            if r:
                rows.append(
                    [
                        target,
                        op,
                        r["requests"],
                        r["per_s"],
                        r["p50_ms"],
                        r["p95_ms"],
                        r["p99_ms"],
                        r["errors"],
                        r.get("server_cpu_ms", "–"),
                        r.get("client_cpu_ms", "–"),
                        f"{r['reused']:.0%}" if "reused" in r else "–",
                    ]
                )
    out = [
        f"{results['nodes']} nodes, {results['edges']} edges; {results['clients']} clients, "
        f"{results['duration_s']:g} s per operation",
        "",
        table(
            [
                "target",
                "operation",
                "requests",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "errors",
                "server CPU ms / request",
                "client CPU ms / request",
                "answers reused",
            ],
            rows,
        ),
    ]
    ours = results["targets"].get("graphsvc-neo4j")
    peer = results["targets"].get("peer-neo4j-graphql")
    if ours and peer:
        ratio_rows = []
        for op in OPERATIONS:
            if op in ours and op in peer and ours[op]["ok"] and peer[op]["ok"]:
                ratio_rows.append(
                    [
                        op,
                        ours[op]["per_s"] / peer[op]["per_s"],
                        peer[op]["p50_ms"] / ours[op]["p50_ms"],
                        peer[op]["p99_ms"] / ours[op]["p99_ms"],
                    ]
                )
        out += [
            "",
            "graphsvc (Neo4j store) against the peer, same Neo4j, same load"
            " (> 1: graphsvc better):",
            "",
            table(
                ["operation", "throughput ratio", "p50 ratio (peer/ours)", "p99 ratio (peer/ours)"],
                ratio_rows,
            ),
        ]
    for target, ops in results["targets"].items():
        if "analysis_first_request_s" in ops:
            first = ops["analysis_first_request_s"]
            out.append(f"{target}: first (uncached) analysis request {first:.1f} s")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
