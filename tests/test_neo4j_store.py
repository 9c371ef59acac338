"""What only the Neo4j store has: its graph data model, generations, routing and error boundary.

The behaviour every store shares is in tests/test_store_contract.py; these tests look inside
the database with the driver, to check what the contract cannot see.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import neo4j
import pytest

from graphsvc.domain.kinds import EdgeKind
from graphsvc.domain.model import StakeholderMap
from graphsvc.errors import Conflict, GraphsvcError, InvalidInput, NotFound, StoreUnavailable
from graphsvc.settings import Settings
from graphsvc.store.base import EdgeQuery, NeighborhoodReader, NodeQuery, read_neighborhood
from graphsvc.store.neo4j import Neo4jStore
from graphsvc.store.neo4j.generations import Generations
from graphsvc.store.open import open_store
from tests.factories import build_map, edge, node
from tests.test_store_contract import HOSTILE, dump, generated, poisoned_import, small_map

pytestmark = pytest.mark.neo4j
Mid = Callable[[str], str]


@pytest.fixture
def db(neo4j_settings: Settings) -> Iterator[Callable[..., list[dict[str, Any]]]]:
    """Run Cypher straight against the test database: rows as dicts."""
    password = neo4j_settings.neo4j_password
    auth = (
        None if password is None else (neo4j_settings.neo4j_username, password.get_secret_value())
    )
    driver = neo4j.GraphDatabase.driver(neo4j_settings.neo4j_uri, auth=auth)

    def run(query: str, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = driver.execute_query(
            query,  # type: ignore[arg-type]
            params,
            database_=neo4j_settings.neo4j_database,
        )
        return [r.data() for r in records]

    yield run
    driver.close()


def elements_of(db: Callable[..., list[dict[str, Any]]], map_id: str) -> dict[str, int]:
    """Everything stored under a map id, across generations."""
    row = db(
        "OPTIONAL MATCH (n:GNode {mapId: $m}) WITH count(n) AS nodes "
        "OPTIONAL MATCH ()-[r {mapId: $m}]->() WITH nodes, count(r) AS edges "
        "OPTIONAL MATCH (s:GStage {mapId: $m}) RETURN nodes, edges, count(s) AS stages",
        m=map_id,
    )[0]
    return {"nodes": row["nodes"], "edges": row["edges"], "stages": row["stages"]}


def test_the_graph_has_a_label_per_kind_and_a_type_per_edge_kind(
    neo4j_store: Neo4jStore, db: Any, mid: Mid
) -> None:
    m = small_map(mid("a"))
    neo4j_store.save_map(m)
    (head,) = db("MATCH (g:GMap {id: $m}) RETURN g.gen AS gen, g.version AS version", m=m.id)
    nodes = db(
        "MATCH (n:GNode {mapId: $m}) RETURN n.id AS id, labels(n) AS labels, n.gen AS gen",
        m=m.id,
    )
    assert {r["id"]: sorted(r["labels"]) for r in nodes} == {
        n.id: sorted(["GNode", n.kind]) for n in m.nodes
    }
    assert {r["gen"] for r in nodes} == {head["gen"]}
    rels = db(
        "MATCH (a:GNode {mapId: $m})-[r]->(b) "
        "RETURN r.id AS id, type(r) AS type, r.mapId AS mapId, a.id AS a, b.id AS b",
        m=m.id,
    )
    assert {r["id"]: (r["type"], r["a"], r["b"]) for r in rels} == {
        e.id: (e.kind, e.from_, e.to) for e in m.edges
    }
    assert {r["mapId"] for r in rels} == {m.id}
    (counter,) = db("MATCH (c:GMapCounter {id: $m}) RETURN c.version AS version", m=m.id)
    assert counter["version"] == head["version"] == 1


def test_hostile_strings_are_stored_as_values(neo4j_store: Neo4jStore, db: Any, mid: Mid) -> None:
    m = build_map([node(f"o{i}", name=t) for i, t in enumerate(HOSTILE)], [], map_id=mid("a"))
    neo4j_store.save_map(m)
    rows = db("MATCH (n:GNode {mapId: $m}) RETURN n.id AS id, n.name AS name", m=m.id)
    assert {r["id"]: r["name"] for r in rows} == {n.id: n.name for n in m.nodes}
    assert db("MATCH (n) RETURN count(n) > 0 AS alive")[0]["alive"]


def test_a_replaced_generation_is_deleted(neo4j_store: Neo4jStore, db: Any, mid: Mid) -> None:
    m = small_map(mid("a"))
    neo4j_store.save_map(m)
    neo4j_store.save_map(build_map([node("s9")], [], map_id=m.id), replace=True)
    assert elements_of(db, m.id) == {"nodes": 1, "edges": 0, "stages": 0}
    neo4j_store.delete_map(m.id)
    assert elements_of(db, m.id) == {"nodes": 0, "edges": 0, "stages": 0}
    assert db("MATCH (c:GMapCounter {id: $m}) RETURN c.version AS v", m=m.id) == [{"v": 2}]


def test_a_failed_import_leaves_nothing_behind(neo4j_store: Neo4jStore, db: Any, mid: Mid) -> None:
    m = small_map(mid("a"))
    neo4j_store.save_map(m)
    before = elements_of(db, m.id)
    with pytest.raises(RuntimeError, match="injected failure"):
        neo4j_store.save_map(poisoned_import(m.id, "edges"), replace=True)
    assert elements_of(db, m.id) == before == {"nodes": 8, "edges": 9, "stages": 0}


def test_a_duplicate_node_is_a_conflict_and_leaves_the_map(
    neo4j_store: Neo4jStore, db: Any, mid: Mid
) -> None:
    m = small_map(mid("a"))
    neo4j_store.save_map(m)
    twice = StakeholderMap.model_construct(
        meta=m.meta, sources=[], nodes=[*m.nodes, m.nodes[0]], edges=[]
    )
    with pytest.raises(Conflict):  # the database's uniqueness constraint, translated
        neo4j_store.save_map(twice, replace=True)
    assert dump(neo4j_store.load_map(m.id)) == dump(m)
    assert elements_of(db, m.id)["stages"] == 0


def test_an_import_interrupted_by_a_crash_is_collected_later(
    neo4j_settings: Settings, db: Any, mid: Mid, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Neo4jStore.from_settings(neo4j_settings, batch_size=500)
    try:
        m = small_map(mid("a"))
        store.save_map(m)
        # A process that dies mid-import cleans nothing up.
        with monkeypatch.context() as patch:
            patch.setattr(Generations, "_abandon", lambda self, map_id, gen: None)
            with pytest.raises(RuntimeError, match="injected failure"):
                store.save_map(poisoned_import(m.id, "edges"), replace=True)
        leftover = elements_of(db, m.id)
        assert leftover["stages"] == 1 and leftover["nodes"] == 8 + 3000
        assert dump(store.load_map(m.id)) == dump(m)  # the live map never saw it
        # A recent stage may be an import still running elsewhere: it is left alone ...
        store.save_map(small_map(mid("b")))
        assert elements_of(db, m.id) == leftover
        # ... until it has been untouched for stale_stage_seconds.
        db("MATCH (s:GStage {mapId: $m}) SET s.touchedAt = 0", m=m.id)
        store.save_map(small_map(mid("c")))
        assert elements_of(db, m.id) == {"nodes": 8, "edges": 9, "stages": 0}
        assert dump(store.load_map(m.id)) == dump(m)
    finally:
        store.close()


def test_an_import_collected_as_stalled_fails_and_leaves_the_map(
    neo4j_store: Neo4jStore, db: Any, mid: Mid, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = small_map(mid("a"))
    neo4j_store.save_map(m)
    stage_edges = Generations._stage_edges

    def stall(self: Generations, map_id: str, gen: str, *args: Any) -> int:
        written = stage_edges(self, map_id, gen, *args)
        db("MATCH (s:GStage {gen: $gen}) SET s.state = 'retired'", gen=gen)  # collected
        return written

    with monkeypatch.context() as patch:
        patch.setattr(Generations, "_stage_edges", stall)
        with pytest.raises(StoreUnavailable, match="stalled"):
            neo4j_store.save_map(small_map(m.id, title="Never"), replace=True)
    assert neo4j_store.map_info(m.id).title == "Small"
    neo4j_store.save_map(small_map(mid("b")))  # collects the retired stage
    assert elements_of(db, m.id) == {"nodes": 8, "edges": 9, "stages": 0}


def test_reads_run_in_read_transactions(
    neo4j_store: Neo4jStore, mid: Mid, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = small_map(mid("a"))
    neo4j_store.save_map(m)
    calls: list[str] = []
    for mode in ("execute_read", "execute_write"):
        original = getattr(neo4j.Session, mode)

        def spy(self: Any, work: Any, *a: Any, _o: Any = original, _m: str = mode) -> Any:
            calls.append(_m)
            return _o(self, work, *a)

        monkeypatch.setattr(neo4j.Session, mode, spy)
    neo4j_store.list_maps()
    neo4j_store.map_info(m.id)
    neo4j_store.load_map(m.id)
    neo4j_store.get_nodes(m.id, ["s1"])
    neo4j_store.get_edges(m.id, ["custom-edge"])
    neo4j_store.edges_touching(m.id, ["s1"])
    neo4j_store.find_nodes(m.id, NodeQuery(search="o"))
    neo4j_store.find_edges(m.id, EdgeQuery())
    neo4j_store.neighborhood(m.id, "s1", 2)
    assert calls == ["execute_read"] * 9
    neo4j_store.delete_edge(m.id, "custom-edge")
    assert calls[-1] == "execute_write"


def test_a_routing_uri_works_against_a_single_server(neo4j_settings: Settings, mid: Mid) -> None:
    # neo4j:// is what a cluster or Aura needs; a single server answers routing requests too.
    uri = neo4j_settings.neo4j_uri.replace("bolt://", "neo4j://", 1)
    if not uri.startswith("neo4j://"):
        pytest.skip(f"NEO4J_URI {neo4j_settings.neo4j_uri} is not a bolt:// URI")
    store = Neo4jStore.from_settings(neo4j_settings.model_copy(update={"neo4j_uri": uri}))
    try:
        m = small_map(mid("a"))
        assert store.save_map(m) == 1
        assert dump(store.load_map(m.id)) == dump(m)
        store.delete_map(m.id)
    finally:
        store.close()


def test_open_store_opens_neo4j(neo4j_settings: Settings, mid: Mid) -> None:
    store = open_store(neo4j_settings)
    try:
        assert isinstance(store, Neo4jStore)
        store.ping()
        store.save_map(small_map(mid("a")))
        assert store.map_info(mid("a")).node_count == 8
        store.delete_map(mid("a"))
    finally:
        store.close()


def test_the_schema_is_applied_idempotently(neo4j_settings: Settings, db: Any) -> None:
    for _ in range(2):
        store = Neo4jStore.from_settings(neo4j_settings)
        store.list_maps()
        store.close()
    constraints = {r["name"] for r in db("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"gmap_id", "gmap_counter_id", "gstage_gen", "gnode_id"} <= constraints
    indexes = {r["name"] for r in db("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE'")}
    assert {f"{kind.lower()}_id" for kind in EdgeKind} <= indexes


def test_edge_constraints_of_an_older_database_become_indexes_on_first_use(
    neo4j_settings: Settings, db: Any, mid: Mid
) -> None:
    """Databases written before edges had plain indexes hold a uniqueness constraint of the
    same name per edge kind; a store replaces it with the index, which serves the edges stored
    before."""
    db("DROP INDEX funds_id IF EXISTS")
    db("CREATE CONSTRAINT funds_id FOR ()-[r:FUNDS]-() REQUIRE (r.mapId, r.gen, r.id) IS UNIQUE")
    try:
        older = Neo4jStore.from_settings(neo4j_settings)
        older.conn._schema_ready = True  # an older store: its schema is what the database holds
        m = build_map([node("o1"), node("o2")], [edge("o1", "FUNDS", "o2")], mid("a"))
        older.save_map(m)
        older.close()
        store = Neo4jStore.from_settings(neo4j_settings)
        assert set(store.get_edges(m.id, [m.edges[0].id])) == {m.edges[0].id}
        store.delete_edge(m.id, m.edges[0].id)
        store.delete_map(m.id)
        store.close()
        rows = db("SHOW INDEXES YIELD name, state, owningConstraint WHERE name = 'funds_id'")
        assert rows == [{"name": "funds_id", "state": "ONLINE", "owningConstraint": None}]
        assert not db("SHOW CONSTRAINTS YIELD name WHERE name = 'funds_id' RETURN name")
    finally:  # never leave the constraint to the tests that come after
        db("DROP CONSTRAINT funds_id IF EXISTS")
        db("CREATE INDEX funds_id IF NOT EXISTS FOR ()-[r:FUNDS]-() ON (r.mapId, r.gen, r.id)")
        db("CALL db.awaitIndexes(300)")


def test_an_unreachable_server_is_store_unavailable_at_once() -> None:
    store = Neo4jStore("bolt://127.0.0.1:9", max_retry_seconds=1)
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.ping()
        with pytest.raises(StoreUnavailable) as caught:
            store.list_maps()
        assert caught.value.retryable
        assert time.monotonic() - started < 15
    finally:
        store.close()


def test_bad_settings_are_reported_clearly(neo4j_settings: Settings) -> None:
    with pytest.raises(InvalidInput) as caught:
        Neo4jStore("http://127.0.0.1:7474")  # the driver's HTTP preview is not supported
    assert caught.value.problems[0].path == "NEO4J_URI"
    store = Neo4jStore.from_settings(
        neo4j_settings.model_copy(update={"neo4j_database": "nosuchdb"}), max_retry_seconds=1
    )
    try:
        with pytest.raises(GraphsvcError, match="NEO4J_DATABASE"):
            store.list_maps()
    finally:
        store.close()


def test_edges_to_missing_nodes_are_refused(neo4j_store: Neo4jStore, mid: Mid) -> None:
    # SQLite would keep such an edge; a relationship cannot exist without both its nodes.
    m = build_map([node("o1"), node("o2")], [edge("o1", "FUNDS", "o2")], map_id=mid("a"))
    dangling = StakeholderMap.model_construct(
        meta=m.meta, sources=[], nodes=m.nodes[:1], edges=m.edges
    )
    with pytest.raises(InvalidInput, match="missing nodes"):
        neo4j_store.save_map(dangling)


class GraphStoreOnly:
    """The Neo4j store seen through the GraphStore methods alone (not a NeighborhoodReader),
    so read_neighborhood takes its breadth-first default."""

    def __init__(self, inner: Neo4jStore) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        if name == "neighborhood":
            raise AttributeError(name)
        return getattr(self.inner, name)


def _wide_map(map_id: str) -> StakeholderMap:
    """Shapes the generated maps lack: o0 funds itself and o1..o50 (a ring of 50, the most
    elements a statement joins into one text, and 51 nodes with o0), o1 funds o0 back (two
    edges between the same nodes), o1..o50 fund o51..o100 and o1 funds o51..o100 too (a second
    ring of 51 nodes and 101 edges), and o100..o119 a chain (rings beyond the third)."""
    orgs = [node(f"o{i}") for i in range(120)]
    edges = [edge("o0", "FUNDS", "o0"), edge("o1", "FUNDS", "o0")]
    edges += [edge("o0", "FUNDS", f"o{i}") for i in range(1, 51)]
    edges += [edge(f"o{i}", "FUNDS", f"o{i + 50}") for i in range(1, 51)]
    edges += [edge("o1", "FUNDS", f"o{i}") for i in range(52, 101)]
    edges += [edge(f"o{i}", "FUNDS", f"o{i + 1}") for i in range(100, 119)]
    return build_map(orgs, edges, map_id=map_id)


@pytest.mark.parametrize("shape", ["small", "generated", "wide"])
def test_the_one_transaction_neighborhood_equals_the_breadth_first_default(
    neo4j_store: Neo4jStore, mid: Mid, shape: str
) -> None:
    if shape == "wide":
        m = _wide_map(mid("a"))
        centres, depths = ["o0", "o1", "o51", "o101", "o119"], range(7)
    else:
        m = small_map(mid("a")) if shape == "small" else generated(120, 3, mid("a"))
        centres, depths = [n.id for n in m.nodes][:: max(1, len(m.nodes) // 12)], range(4)
    neo4j_store.save_map(m)
    plain = GraphStoreOnly(neo4j_store)
    assert isinstance(neo4j_store, NeighborhoodReader)
    assert not isinstance(plain, NeighborhoodReader)
    for centre in centres:
        for depth in depths:
            fast = neo4j_store.neighborhood(m.id, centre, depth)
            default = read_neighborhood(plain, m.id, centre, depth)  # type: ignore[arg-type]
            assert fast.center.model_dump() == default.center.model_dump()
            assert [n.model_dump() for n in fast.nodes] == [n.model_dump() for n in default.nodes]
            assert [e.model_dump() for e in fast.edges] == [e.model_dump() for e in default.edges]
            assert fast.depth == depth
    wide = neo4j_store.neighborhood(m.id, centres[0], 3)
    assert len(wide.nodes) > 1 and wide.edges  # the comparison above was not of empty results


def test_a_wide_neighbourhood_holds_each_node_and_edge_once(
    neo4j_store: Neo4jStore, mid: Mid
) -> None:
    """Counted by hand from :func:`_wide_map`."""
    m = _wide_map(mid("a"))
    neo4j_store.save_map(m)
    sizes = {}
    for depth in range(5):
        found = neo4j_store.neighborhood(m.id, "o0", depth)
        ids = [n.id for n in found.nodes]
        assert ids == sorted(set(ids)) and len({e.id for e in found.edges}) == len(found.edges)
        sizes[depth] = (len(found.nodes), len(found.edges))
    # depth 1: o0..o50 and the 52 edges at o0; depth 2: o51..o100 too, and every edge at o1..o50
    # (50 onward, 49 more of o1's); then the chain, one node and one edge a ring.
    assert sizes == {0: (1, 0), 1: (51, 52), 2: (101, 151), 3: (102, 152), 4: (103, 153)}


def test_a_neighborhood_of_an_unknown_map_or_node_is_not_found(
    neo4j_store: Neo4jStore, mid: Mid
) -> None:
    m = small_map(mid("a"))
    neo4j_store.save_map(m)
    with pytest.raises(NotFound, match="no map"):
        neo4j_store.neighborhood(mid("ghost"), "s1", 1)
    with pytest.raises(NotFound, match="no node 'ghost'"):
        neo4j_store.neighborhood(m.id, "ghost", 1)
