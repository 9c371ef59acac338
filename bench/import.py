"""Store import: a generated map into SQLite and into a real Neo4j, beside per-element baselines.

    python bench/import.py --nodes 100k [--stores sqlite,neo4j] [--baseline-nodes 2k]
                           [--warmup-nodes 20k] [--json bench/results/import.json]

graphsvc: ``store.save_map`` of the validated map (what ``graphsvc import`` does after
validation), timed alone; elements/s = (nodes + edges) / seconds.

Baselines, written here with the plain drivers, the same rows and the same schema:
one statement per element (one ``INSERT`` for SQLite, one ``CREATE`` with the neo4j driver;
an edge's ``CREATE`` finds its two nodes by the indexed id), in two flavours:
``autocommit`` — each statement its own transaction, as naive client code does; and
``one-tx`` — every statement inside one transaction. They run on a smaller generated map
(``--baseline-nodes``) and the 100k time is extrapolated from that rate (marked "est.").
Neo4j is NEO4J_URI when set, else a private tools/neo4j/neo4j-local server, warmed up before
anything is timed by importing and deleting a ``--warmup-nodes`` map (a fresh server's first
large import costs 2–2.6 times the server CPU of the next ones).
"""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (
    CACHE,
    load_map,
    map_file,
    parse_size,
    size_label,
    table,
    write_results,
)


def elements(m: Any) -> int:
    return len(m.nodes) + len(m.edges)


def _dump(model: Any) -> str:
    return model.model_dump_json(exclude_defaults=True, exclude_none=True)


# --- graphsvc ---------------------------------------------------------------------------------


def graphsvc_sqlite(m: Any, folder: Path) -> dict[str, Any]:
    from graphsvc.store.sqlite import SqliteStore

    store = SqliteStore(folder / "graphsvc.db")
    try:
        gc.collect()
        start = time.perf_counter()
        store.save_map(m, replace=True)
        seconds = time.perf_counter() - start
    finally:
        store.close()
    return {"seconds": seconds, "elements": elements(m), "per_s": elements(m) / seconds}


def graphsvc_neo4j(m: Any, uri: str) -> dict[str, Any]:
    """``save_map`` of ``m`` into Neo4j, timed, then the map deleted (untimed)."""
    from graphsvc.store.neo4j import Neo4jStore

    store = Neo4jStore(uri)
    try:
        store.ping()
        gc.collect()
        server = _server_cpu_seconds()
        start, client = time.perf_counter(), time.process_time()
        store.save_map(m, replace=True)
        seconds = time.perf_counter() - start
        client = time.process_time() - client
        server_after = _server_cpu_seconds()
        store.delete_map(m.id)
    finally:
        store.close()
    found = {"seconds": seconds, "elements": elements(m), "per_s": elements(m) / seconds}
    # Where the time goes: the client's CPU and, for the private server, the server's.
    found["client_cpu_s"] = client
    if server is not None and server_after is not None:
        found["server_cpu_s"] = server_after - server
    return found


def _server_cpu_seconds() -> float | None:
    """CPU seconds used so far by the private benchmark server (None for NEO4J_URI's)."""
    if os.environ.get("NEO4J_URI"):
        return None
    state = Path(os.environ.get("GRAPHSVC_BENCH_NEO4J_DIR", CACHE / "neo4j"))
    try:
        pid = int((state / "neo4j.pid").read_text().strip())
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def warm_up(uri: str, nodes: int) -> dict[str, Any]:
    """Import and delete a generated map, so that every timed writer meets a warm server.

    A freshly started server compiles its write path as it goes: its first large import
    costs 2–2.6 times the server CPU of the next ones (100k nodes: 72 s against 28–34 s on
    this machine). The first import is timed and reported, not counted against the targets.
    """
    from graphsvc.domain.document import Document
    from graphsvc.domain.mapfile import validate_document
    from graphsvc.domain.synthetic import generate_map_data

    m = validate_document(Document(generate_map_data(nodes, 1, map_id="bench-warmup"), None, None))
    return {"nodes": nodes, **graphsvc_neo4j(m, uri)}


# --- baselines --------------------------------------------------------------------------------


def baseline_sqlite(m: Any, folder: Path, autocommit: bool) -> dict[str, Any]:
    from graphsvc.store.sqlite import _SCHEMA

    path = folder / f"baseline-{'auto' if autocommit else 'tx'}.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.executescript(_SCHEMA)
    start = time.perf_counter()
    if not autocommit:
        db.execute("BEGIN")
    for pos, n in enumerate(m.nodes):
        db.execute(
            "INSERT INTO nodes (map_id, id, kind, name, tags, data, pos) VALUES (?,?,?,?,?,?,?)",
            (m.id, n.id, n.kind, n.name, "[]", _dump(n), pos),
        )
    for pos, e in enumerate(m.edges):
        db.execute(
            "INSERT INTO edges (map_id, id, kind, src, dst, data, pos) VALUES (?,?,?,?,?,?,?)",
            (m.id, e.id, e.kind, e.from_, e.to, _dump(e), pos),
        )
    if not autocommit:
        db.execute("COMMIT")
    seconds = time.perf_counter() - start
    db.close()
    return {"seconds": seconds, "elements": elements(m), "per_s": elements(m) / seconds}


def baseline_neo4j(m: Any, uri: str, autocommit: bool) -> dict[str, Any]:
    import neo4j

    from graphsvc.store.cypher import schema_statements

    map_id, gen = f"baseline-{'auto' if autocommit else 'tx'}", "g0"
    node_cypher = (
        "CREATE (n:GNode:`{kind}` {{mapId: $mapId, gen: $gen, id: $id, kind: $kind, "
        "name: $name, tags: $tags, data: $data, pos: $pos}})"
    )
    edge_cypher = (
        "MATCH (a:GNode {{mapId: $mapId, gen: $gen, id: $source}}) "
        "MATCH (b:GNode {{mapId: $mapId, gen: $gen, id: $target}}) "
        "CREATE (a)-[:`{kind}` {{mapId: $mapId, gen: $gen, id: $id, kind: $kind, data: $data, "
        "pos: $pos}}]->(b)"
    )
    driver = neo4j.GraphDatabase.driver(uri, auth=None)
    statements = [
        (
            node_cypher.format(kind=n.kind),
            {
                "mapId": map_id,
                "gen": gen,
                "id": n.id,
                "kind": n.kind,
                "name": n.name,
                "tags": list(n.tags),
                "data": _dump(n),
                "pos": pos,
            },
        )
        for pos, n in enumerate(m.nodes)
    ] + [
        (
            edge_cypher.format(kind=e.kind),
            {
                "mapId": map_id,
                "gen": gen,
                "id": e.id,
                "kind": e.kind,
                "source": e.from_,
                "target": e.to,
                "data": _dump(e),
                "pos": pos,
            },
        )
        for pos, e in enumerate(m.edges)
    ]
    try:
        with driver.session() as session:
            for text in schema_statements():  # the constraints and indexes graphsvc uses
                session.run(text).consume()
            start = time.perf_counter()
            if autocommit:
                for text, params in statements:
                    session.run(text, params).consume()
            else:
                with session.begin_transaction() as tx:
                    for text, params in statements:
                        tx.run(text, params).consume()
                    tx.commit()
            seconds = time.perf_counter() - start
            while True:  # clean up in batches
                left = session.run(
                    "MATCH (n:GNode {mapId: $mapId}) WITH n LIMIT 10000 DETACH DELETE n "
                    "RETURN count(*) AS c",
                    mapId=map_id,
                ).single()
                if not left or not left["c"]:
                    break
    finally:
        driver.close()
    return {"seconds": seconds, "elements": elements(m), "per_s": elements(m) / seconds}


# --- driver ---------------------------------------------------------------------------------


def _step(entry: dict[str, Any], name: str, run: Any) -> None:
    entry[name] = run()
    print(f"[import]   {name}: {entry[name]}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--nodes", default="100k")
    parser.add_argument("--baseline-nodes", default="2k", help="map size the baselines run on")
    parser.add_argument("--stores", default="sqlite,neo4j")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--warmup-nodes",
        default="20k",
        help="map imported and deleted on Neo4j before any timed writer (0: none)",
    )
    parser.add_argument("--json", default="")
    args = parser.parse_args(argv)
    nodes, sample = parse_size(args.nodes), parse_size(args.baseline_nodes)
    warmup = parse_size(args.warmup_nodes) if args.warmup_nodes not in ("", "0") else 0
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]

    print(f"[import] reading {size_label(nodes)} and {size_label(sample)} maps", file=sys.stderr)
    m = load_map(map_file(nodes, args.seed))
    small = load_map(map_file(sample, args.seed))
    total = elements(m)
    results: dict[str, Any] = {"nodes": len(m.nodes), "edges": len(m.edges), "stores": {}}
    with tempfile.TemporaryDirectory(prefix="graphsvc-bench-") as tmp:
        folder = Path(tmp)
        if "sqlite" in stores:
            print("[import] sqlite", file=sys.stderr, flush=True)
            entry = results["stores"]["sqlite"] = {}
            _step(entry, "autocommit", lambda: baseline_sqlite(small, folder, autocommit=True))
            _step(entry, "one-tx", lambda: baseline_sqlite(small, folder, autocommit=False))
            _step(entry, "graphsvc", lambda: graphsvc_sqlite(m, folder))
        if "neo4j" in stores:
            from neo4j_server import neo4j_uri

            with neo4j_uri() as uri:
                print(f"[import] neo4j at {uri}", file=sys.stderr, flush=True)
                entry = results["stores"]["neo4j"] = {}
                if warmup:
                    results["neo4j_warmup"] = warm_up(uri, warmup)
                    print(f"[import]   warm-up: {results['neo4j_warmup']}", file=sys.stderr)
                _step(entry, "autocommit", lambda: baseline_neo4j(small, uri, autocommit=True))
                _step(entry, "one-tx", lambda: baseline_neo4j(small, uri, autocommit=False))
                _step(entry, "graphsvc", lambda: graphsvc_neo4j(m, uri))
    for entry in results["stores"].values():
        for name in ("autocommit", "one-tx"):
            entry[name]["estimated_full_seconds"] = total / entry[name]["per_s"]
            entry[name]["sample_nodes"] = len(small.nodes)
        ours = entry["graphsvc"]["per_s"]
        entry["ratio_vs_autocommit"] = ours / entry["autocommit"]["per_s"]
        entry["ratio_vs_one_tx"] = ours / entry["one-tx"]["per_s"]
    print(render(results))
    write_results(args.json, "import", results)
    return 0


def render(results: dict[str, Any]) -> str:
    rows = []
    for store, entry in results["stores"].items():
        g = entry["graphsvc"]
        cpu = f"client {g['client_cpu_s']:.3g} s CPU" if "client_cpu_s" in g else ""
        if "server_cpu_s" in g:
            cpu += f", server {g['server_cpu_s']:.3g} s CPU"
        seconds = f"{g['seconds']:.3g}" + (f" ({cpu})" if cpu else "")
        rows.append([store, "graphsvc save_map", g["elements"], seconds, g["per_s"], "–"])
        for name in ("autocommit", "one-tx"):
            b = entry[name]
            ratio = entry["ratio_vs_autocommit" if name == "autocommit" else "ratio_vs_one_tx"]
            rows.append(
                [
                    store,
                    f"baseline {name} (sample {b['sample_nodes']} nodes)",
                    b["elements"],
                    f"{b['seconds']:.3g} ({b['estimated_full_seconds']:.3g} est. for the full map)",
                    b["per_s"],
                    f"{ratio:.1f}×",
                ]
            )
    head = f"{results['nodes']} nodes + {results['edges']} edges"
    warm = results.get("neo4j_warmup")
    if warm:
        server = f", server {warm['server_cpu_s']:.3g} s CPU" if "server_cpu_s" in warm else ""
        head += (
            f"; Neo4j warmed up first by importing {warm['elements']} elements "
            f"({warm['per_s']:.0f}/s{server}), then deleting them"
        )
    return (
        head
        + "\n\n"
        + table(
            ["store", "writer", "elements", "seconds", "elements/s", "graphsvc / baseline"], rows
        )
    )


if __name__ == "__main__":
    sys.exit(main())
