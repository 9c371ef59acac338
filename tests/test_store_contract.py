"""The GraphStore contract, written once and run against every backend (see ``store`` in conftest).

Map ids come from ``mid`` so that tests sharing one Neo4j database never see each other's maps.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from graphsvc.analysis.report import build_report
from graphsvc.domain.document import Document
from graphsvc.domain.mapfile import load_map_file, validate_document
from graphsvc.domain.model import (
    NODE_ADAPTER,
    AnyNode,
    Funds,
    MapMeta,
    Organization,
    StakeholderMap,
)
from graphsvc.domain.synthetic import generate_map_data
from graphsvc.errors import Conflict, NotFound
from graphsvc.store.base import EdgeQuery, GraphStore, NodeQuery
from tests.conftest import SEEDS
from tests.factories import build_map, edge, node

Mid = Callable[[str], str]
HOSTILE = [
    "'}) DETACH DELETE n //",
    '"}) MATCH (m) DETACH DELETE m RETURN 1 //',
    "`GNode`:$(x) {{mapId}} ${mapId} \\' \\\" \\u0000",
    "<script>alert('x')</script>",
    "Robert'); DROP TABLE nodes;--",
    "e\u0301 ñ 日本語 עברית 🤖 \u200b\u202e",
]


def small_map(map_id: str, *, title: str = "Small") -> StakeholderMap:
    """Every node kind, several edge kinds, sources, tags and kind-specific fields."""
    data: dict[str, Any] = {
        "map": {"id": map_id, "title": title, "description": "d", "tags": ["x", "y"]},
        "sources": [{"id": "src", "title": "A source", "url": "https://example.org/a"}],
        "nodes": [
            node("s1", stakes="HIGH", automationLevel="FULLY_AUTOMATED", errorRate=0.1),
            node("o1", sector="PRIVATE", tags=["deployer", "big"], sources=["src"]),
            node("o2", name="Second Org"),
            node("u1", size=40),
            node("c1", population=1000, vulnerability="HIGH", attributes={"k": 1.5}),
            node("b1", bodyType="REGULATOR"),
            node("m1", mechanismType="APPEAL", capacityPerMonth=10, accessibility=0.5),
            node("i1", polarity="AGAINST_SAFETY", strength=0.7),
        ],
        "edges": [
            edge("o1", "DEPLOYS", "s1"),
            edge("o2", "DEVELOPS", "s1"),
            edge("u1", "OPERATES", "s1", canOverride=True),
            edge("s1", "AFFECTS", "c1", severity="HIGH", volumePerMonth=500),
            edge("c1", "CAN_CONTEST_VIA", "m1"),
            edge("m1", "HANDLED_BY", "o1"),
            edge("b1", "OVERSEES", "o1", authority="BINDING"),
            edge("i1", "INCENTIVIZES", "u1"),
            {"id": "custom-edge", "from": "o1", "kind": "EMPLOYS", "to": "u1"},
        ],
    }
    return validate_document(Document(data, None, None))


def generated(n_nodes: int, seed: int, map_id: str) -> StakeholderMap:
    """A synthetic map of realistic shape (``graphsvc generate``), about four edges per node."""
    return validate_document(Document(generate_map_data(n_nodes, seed, map_id), None, None))


def dump(m: StakeholderMap) -> dict[str, Any]:
    """A map as plain data, elements in their stored order."""
    return m.model_dump(mode="json")


def ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


def org(node_id: str, name: str = "Org", **fields: Any) -> AnyNode:
    return NODE_ADAPTER.validate_python(
        {"id": node_id, "kind": "Organization", "name": name, **fields}
    )


class Poisoned(Organization):
    """A node that fails when the store serialises it: a failure in the middle of an import."""

    def model_dump_json(self, **kwargs: Any) -> str:
        raise RuntimeError("injected failure mid-import")


class PoisonedEdge(Funds):
    """An edge that fails when the store serialises it."""

    def model_dump_json(self, **kwargs: Any) -> str:
        raise RuntimeError("injected failure mid-import")


# --- maps --------------------------------------------------------------------------------


def test_a_saved_map_loads_back_equal(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    assert store.save_map(m) == 1
    loaded = store.load_map(m.id)
    assert dump(loaded) == dump(m)
    assert ids(loaded.nodes) == ids(m.nodes)  # document order, not id order
    assert ids(loaded.edges) == ids(m.edges)


def test_load_keeps_the_order_elements_were_first_stored(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    store.upsert_node(m.id, org("a0", "New, so last"))
    store.upsert_node(m.id, org("o1", "Updated, so in place"))
    store.delete_node(m.id, "o2")
    store.upsert_node(m.id, org("o2", "Deleted and back, so last"))
    replaced = {"id": "custom-edge", "from": "b1", "kind": "OVERSEES", "to": "s1"}
    store.upsert_edge(m.id, build_map([node("b1"), node("s1")], [replaced], map_id="x").edges[0])
    store.upsert_edge(
        m.id,
        build_map([node("o1"), node("b1")], [edge("o1", "ACCOUNTABLE_TO", "b1")], map_id="x").edges[
            0
        ],
    )
    loaded = store.load_map(m.id)
    assert ids(loaded.nodes) == ["s1", "o1", "u1", "c1", "b1", "m1", "i1", "a0", "o2"]
    edge_ids = [e.id for e in m.edges if e.id != "o2--DEVELOPS--s1"]
    assert ids(loaded.edges) == [*edge_ids, "o1--ACCOUNTABLE_TO--b1"]
    assert loaded.edges[edge_ids.index("custom-edge")].kind == "OVERSEES"


def test_an_empty_map(store: GraphStore, mid: Mid) -> None:
    m = build_map([], [], map_id=mid("empty"))
    assert store.save_map(m) == 1
    assert dump(store.load_map(m.id)) == dump(m)
    info = store.map_info(m.id)
    assert (info.node_count, info.edge_count) == (0, 0)
    assert store.find_nodes(m.id, NodeQuery()).total == 0
    assert store.upsert_node(m.id, org("o1")) == 2
    assert ids(store.load_map(m.id).nodes) == ["o1"]


def test_map_info_and_list_maps(store: GraphStore, mid: Mid) -> None:
    store.save_map(small_map(mid("b"), title="Bee"))
    store.save_map(build_map([node("s1")], [], map_id=mid("a")))
    info = store.map_info(mid("b"))
    assert (info.id, info.title, info.description, info.tags) == (mid("b"), "Bee", "d", ("x", "y"))
    assert (info.version, info.node_count, info.edge_count) == (1, 8, 9)
    assert datetime.fromisoformat(info.updated_at).tzinfo is not None
    listed = [i for i in store.list_maps() if i.id.startswith(mid(""))]
    assert [i.id for i in listed] == [mid("a"), mid("b")]
    assert listed[1] == info


def test_saving_an_existing_map_without_replace_conflicts(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    other = build_map([node("s9")], [], map_id=m.id)
    with pytest.raises(Conflict):
        store.save_map(other)
    assert dump(store.load_map(m.id)) == dump(m)
    assert store.map_info(m.id).version == 1


def test_replace_swaps_the_whole_map(store: GraphStore, mid: Mid) -> None:
    store.save_map(small_map(mid("a")))
    new = build_map([node("s9"), node("o9")], [edge("o9", "DEPLOYS", "s9")], map_id=mid("a"))
    assert store.save_map(new, replace=True) == 2
    assert dump(store.load_map(mid("a"))) == dump(new)
    info = store.map_info(mid("a"))
    assert (info.node_count, info.edge_count, info.title) == (2, 1, mid("a"))
    assert store.get_nodes(mid("a"), ["s1", "s9"]).keys() == {"s9"}


def test_delete_map(store: GraphStore, mid: Mid) -> None:
    store.save_map(small_map(mid("a")))
    store.save_map(small_map(mid("b")))
    store.delete_map(mid("a"))
    assert [i.id for i in store.list_maps() if i.id.startswith(mid(""))] == [mid("b")]
    with pytest.raises(NotFound):
        store.load_map(mid("a"))
    with pytest.raises(NotFound):
        store.delete_map(mid("a"))
    assert store.get_nodes(mid("a"), ["s1"]) == {}
    assert dump(store.load_map(mid("b"))) == dump(small_map(mid("b")))


@pytest.mark.parametrize(
    "operation",
    [
        "map_info",
        "load_map",
        "delete_map",
        "update_meta",
        "find_nodes",
        "find_edges",
        "upsert_node",
        "delete_node",
        "upsert_edge",
        "delete_edge",
    ],
)
def test_unknown_maps_are_not_found(store: GraphStore, mid: Mid, operation: str) -> None:
    missing = mid("missing")
    calls: dict[str, Callable[[], object]] = {
        "map_info": lambda: store.map_info(missing),
        "load_map": lambda: store.load_map(missing),
        "delete_map": lambda: store.delete_map(missing),
        "update_meta": lambda: store.update_meta(MapMeta(id=missing)),
        "find_nodes": lambda: store.find_nodes(missing, NodeQuery()),
        "find_edges": lambda: store.find_edges(missing, EdgeQuery()),
        "upsert_node": lambda: store.upsert_node(missing, org("o1")),
        "delete_node": lambda: store.delete_node(missing, "o1"),
        "upsert_edge": lambda: store.upsert_edge(missing, small_map("x").edges[0]),
        "delete_edge": lambda: store.delete_edge(missing, "e"),
    }
    with pytest.raises(NotFound):
        calls[operation]()
    assert not [i for i in store.list_maps() if i.id == missing]


def test_update_meta(store: GraphStore, mid: Mid) -> None:
    store.save_map(small_map(mid("a")))
    meta = MapMeta(id=mid("a"), title="New title", tags=["z"])
    assert store.update_meta(meta, expected_version=1) == 2
    info = store.map_info(mid("a"))
    assert (info.title, info.description, info.tags, info.version) == ("New title", None, ("z",), 2)
    assert store.load_map(mid("a")).meta == meta


# --- versions ----------------------------------------------------------------------------


def test_every_write_moves_the_version_on(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    versions = [
        store.save_map(m),
        store.upsert_node(m.id, org("o3")),
        store.upsert_edge(m.id, small_map(m.id).edges[0]),
        store.delete_edge(m.id, "custom-edge"),
        store.delete_node(m.id, "o3"),
        store.update_meta(MapMeta(id=m.id, title="t")),
        store.save_map(m, replace=True),
    ]
    assert versions == list(range(1, 8))
    assert store.map_info(m.id).version == 7


def test_versions_never_repeat_after_delete(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    store.upsert_node(m.id, org("o3"))
    store.delete_map(m.id)
    assert store.save_map(m) == 3
    store.delete_map(m.id)
    assert store.save_map(m, replace=True) == 4


def test_a_stale_expected_version_conflicts_and_changes_nothing(
    store: GraphStore, mid: Mid
) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    store.upsert_node(m.id, org("o3"), expected_version=1)
    stale: list[Callable[[], object]] = [
        lambda: store.upsert_node(m.id, org("o4"), expected_version=1),
        lambda: store.delete_node(m.id, "o1", expected_version=1),
        lambda: store.upsert_edge(m.id, m.edges[0], expected_version=1),
        lambda: store.delete_edge(m.id, "custom-edge", expected_version=1),
        lambda: store.update_meta(MapMeta(id=m.id, title="no"), expected_version=1),
    ]
    for write in stale:
        with pytest.raises(Conflict):
            write()
    info = store.map_info(m.id)
    assert (info.version, info.node_count, info.edge_count, info.title) == (2, 9, 9, "Small")
    assert store.get_nodes(m.id, ["o1", "o4"]).keys() == {"o1"}


def test_a_failed_write_leaves_the_version(store: GraphStore, mid: Mid) -> None:
    store.save_map(small_map(mid("a")))
    with pytest.raises(NotFound):
        store.delete_node(mid("a"), "nobody")
    with pytest.raises(NotFound):
        store.delete_edge(mid("a"), "no-edge")
    assert store.map_info(mid("a")).version == 1


def test_concurrent_writers_each_get_their_own_version(store: GraphStore, mid: Mid) -> None:
    store.save_map(small_map(mid("a")))
    versions: list[int] = []
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            for i in range(5):
                versions.append(store.upsert_node(mid("a"), org(f"w{w}-{i}")))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(versions) == list(range(2, 32))
    info = store.map_info(mid("a"))
    assert (info.version, info.node_count) == (31, 8 + 30)


def test_of_two_writers_expecting_one_version_only_one_wins(store: GraphStore, mid: Mid) -> None:
    store.save_map(small_map(mid("a")))
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def writer(w: int) -> None:
        barrier.wait()
        try:
            store.upsert_node(mid("a"), org(f"w{w}"), expected_version=1)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 3 + ["ok"]
    assert store.map_info(mid("a")).version == 2


# --- atomic imports ----------------------------------------------------------------------


def poisoned_import(map_id: str, where: str) -> StakeholderMap:
    """A map of 3000 nodes and 2999 edges whose import fails partway through nodes or edges."""
    base = build_map(
        [node(f"o{i}", name=f"Org {i}") for i in range(3000)],
        [edge(f"o{i}", "FUNDS", f"o{i + 1}") for i in range(2999)],
        map_id=map_id,
    )
    nodes, edges = list(base.nodes), list(base.edges)
    if where == "nodes":
        nodes[2500] = Poisoned(id="o2500", kind="Organization", name="poison")
    else:
        bad = edges[2500]
        edges[2500] = PoisonedEdge.model_validate(
            {"from": bad.from_, "to": bad.to, "kind": "FUNDS"}
        )
    return StakeholderMap.model_construct(meta=base.meta, sources=[], nodes=nodes, edges=edges)


@pytest.mark.parametrize("where", ["nodes", "edges"])
def test_a_failed_import_leaves_the_previous_version_intact(
    store: GraphStore, mid: Mid, where: str
) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    with pytest.raises(RuntimeError, match="injected failure"):
        store.save_map(poisoned_import(m.id, where), replace=True)
    assert dump(store.load_map(m.id)) == dump(m)
    info = store.map_info(m.id)
    assert (info.version, info.node_count, info.edge_count) == (1, 8, 9)
    assert store.find_nodes(m.id, NodeQuery(limit=1)).total == 8
    # and the store still takes writes: the next version is the next number
    assert store.upsert_node(m.id, org("o3")) == 2


def test_a_failed_first_import_leaves_no_map(store: GraphStore, mid: Mid) -> None:
    with pytest.raises(RuntimeError, match="injected failure"):
        store.save_map(poisoned_import(mid("a"), "edges"))
    with pytest.raises(NotFound):
        store.map_info(mid("a"))
    assert not [i for i in store.list_maps() if i.id.startswith(mid(""))]
    assert store.save_map(small_map(mid("a"))) == 1


# --- nodes and edges ---------------------------------------------------------------------


def test_get_nodes_and_edges(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    got = store.get_nodes(m.id, ["s1", "m1", "nobody", "s1"])
    assert sorted(got) == ["m1", "s1"]
    assert got["m1"] == m.node("m1")
    edges = store.get_edges(m.id, ["custom-edge", "o1--DEPLOYS--s1", "nope"])
    assert sorted(edges) == ["custom-edge", "o1--DEPLOYS--s1"]
    assert edges["custom-edge"].kind == "EMPLOYS"
    assert store.get_nodes(m.id, []) == {}
    assert store.get_edges(m.id, []) == {}


def test_upsert_node_creates_updates_and_changes_kind(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    store.upsert_node(m.id, org("o3", "Third"))
    store.upsert_node(m.id, org("o1", "Renamed", tags=["t"]))
    as_body = NODE_ADAPTER.validate_python(
        {"id": "o2", "kind": "OversightBody", "name": "Now a body", "bodyType": "COURT"}
    )
    store.upsert_node(m.id, as_body)
    nodes = store.get_nodes(m.id, ["o1", "o2", "o3"])
    assert nodes["o1"].name == "Renamed" and nodes["o1"].tags == ["t"]
    assert nodes["o2"] == as_body
    assert nodes["o3"].name == "Third"
    bodies = store.find_nodes(m.id, NodeQuery(kinds=["OversightBody"]))
    assert ids(bodies.items) == ["b1", "o2"]
    orgs = store.find_nodes(m.id, NodeQuery(kinds=["Organization"]))
    assert ids(orgs.items) == ["o1", "o3"]
    info = store.map_info(m.id)
    assert (info.node_count, info.edge_count) == (9, 9)
    # edges survive an upsert of their node
    assert "o2--DEVELOPS--s1" in ids(store.edges_touching(m.id, ["o2"]))


def test_upsert_edge_creates_and_replaces_by_id(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    new = build_map(
        [node("o1"), node("o2")], [edge("o1", "FUNDS", "o2", description="money")], map_id="x"
    ).edges[0]
    store.upsert_edge(m.id, new)
    assert store.get_edges(m.id, [new.id])[new.id] == new
    assert store.map_info(m.id).edge_count == 10
    # the same id with another kind and other ends replaces the edge
    moved = build_map(
        [node("b1"), node("s1")],
        [{"id": "custom-edge", "from": "b1", "kind": "OVERSEES", "to": "s1"}],
        map_id="x",
    ).edges[0]
    store.upsert_edge(m.id, moved)
    assert store.get_edges(m.id, ["custom-edge"])["custom-edge"] == moved
    assert "custom-edge" not in ids(store.edges_touching(m.id, ["u1"]))
    assert store.map_info(m.id).edge_count == 10
    assert store.find_edges(m.id, EdgeQuery(kinds=["EMPLOYS"])).total == 0


def test_delete_node_removes_its_edges(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    store.delete_node(m.id, "o1")
    assert store.get_nodes(m.id, ["o1"]) == {}
    assert store.edges_touching(m.id, ["o1"]) == []
    loaded = store.load_map(m.id)
    assert all("o1" not in (e.from_, e.to) for e in loaded.edges)
    info = store.map_info(m.id)
    assert (info.node_count, info.edge_count) == (7, 5)
    assert len(loaded.edges) == 5


def test_delete_edge(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    store.delete_edge(m.id, "custom-edge")
    assert store.get_edges(m.id, ["custom-edge"]) == {}
    assert store.map_info(m.id).edge_count == 8
    with pytest.raises(NotFound):
        store.delete_edge(m.id, "custom-edge")


def test_edges_touching(store: GraphStore, mid: Mid) -> None:
    m = small_map(mid("a"))
    store.save_map(m)
    touching = store.edges_touching(m.id, ["o1", "s1", "nobody", "o1"])
    expected = sorted(e.id for e in m.edges if {e.from_, e.to} & {"o1", "s1"})
    assert ids(touching) == expected  # in id order, each edge once
    assert store.edges_touching(m.id, []) == []
    assert store.edges_touching(mid("missing"), ["o1"]) == []


def test_maps_are_isolated(store: GraphStore, mid: Mid) -> None:
    a, b = small_map(mid("a")), small_map(mid("b"))
    store.save_map(a)
    store.save_map(b)
    store.upsert_node(a.id, org("o1", "Changed in a"))
    store.delete_node(a.id, "s1")
    store.delete_edge(a.id, "custom-edge")
    store.update_meta(MapMeta(id=a.id, title="A"))
    assert dump(store.load_map(b.id)) == dump(b)
    assert store.map_info(b.id).version == 1
    assert ids(store.edges_touching(b.id, ["s1"])) == sorted(
        e.id for e in b.edges if "s1" in (e.from_, e.to)
    )
    assert store.find_nodes(b.id, NodeQuery()).total == 8
    assert store.find_nodes(a.id, NodeQuery()).total == 7
    store.delete_map(a.id)
    assert dump(store.load_map(b.id)) == dump(b)


# --- paging and filters ------------------------------------------------------------------


def paged_map(map_id: str) -> StakeholderMap:
    nodes = [
        node(f"o{i:02d}", name=f"Org {i:02d}", tags=["even" if i % 2 == 0 else "odd"])
        for i in range(25)
    ] + [node(f"s{i}", name=f"System {i}") for i in range(5)]
    edges = [edge(f"o{i:02d}", "DEPLOYS", f"s{i % 5}") for i in range(25)]
    edges += [edge(f"o{i:02d}", "FUNDS", f"o{i + 1:02d}") for i in range(10)]
    return build_map(nodes, edges, map_id=map_id)


def test_nodes_page_by_cursor_with_totals(store: GraphStore, mid: Mid) -> None:
    m = paged_map(mid("a"))
    store.save_map(m)
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = store.find_nodes(m.id, NodeQuery(after=after, limit=7))
        assert page.total == 30
        seen += ids(page.items)
        pages += 1
        if not page.has_next:
            break
        assert len(page.items) == 7
        after = page.items[-1].id
    assert seen == sorted(ids(m.nodes))
    assert pages == 5
    last = store.find_nodes(m.id, NodeQuery(after=seen[-1], limit=7))
    assert (last.items, last.total, last.has_next) == ([], 30, False)
    exact = store.find_nodes(m.id, NodeQuery(limit=30))
    assert (len(exact.items), exact.has_next) == (30, False)


def test_node_filters(store: GraphStore, mid: Mid) -> None:
    m = paged_map(mid("a"))
    store.save_map(m)

    def found(**query: Any) -> tuple[list[str], int]:
        page = store.find_nodes(m.id, NodeQuery(**query))
        return ids(page.items), page.total

    assert found(kinds=["AISystem"]) == ([f"s{i}" for i in range(5)], 5)
    assert found(kinds=["AISystem", "Organization"])[1] == 30
    assert found(kinds=["Mechanism"]) == ([], 0)
    assert found(tag="even", limit=3) == (["o00", "o02", "o04"], 13)
    assert found(tag="even", after="o04", limit=2) == (["o06", "o08"], 13)
    assert found(search="SYSTEM 3") == (["s3"], 1)  # name, case-insensitive
    assert found(search="o1") == ([f"o1{i}" for i in range(10)], 10)  # id
    assert found(search="org 2", tag="odd") == (["o21", "o23"], 2)
    assert found(search="") == (sorted(ids(m.nodes)), 30)  # empty: no filter
    assert found(tag="missing") == ([], 0)


def test_edges_page_by_cursor_and_filter_by_kind(store: GraphStore, mid: Mid) -> None:
    m = paged_map(mid("a"))
    store.save_map(m)
    seen: list[str] = []
    after = None
    while True:
        page = store.find_edges(m.id, EdgeQuery(after=after, limit=10))
        assert page.total == 35
        seen += ids(page.items)
        if not page.has_next:
            break
        after = page.items[-1].id
    assert seen == sorted(ids(m.edges))
    funds = store.find_edges(m.id, EdgeQuery(kinds=["FUNDS"], limit=4))
    assert (funds.total, funds.has_next, len(funds.items)) == (10, True, 4)
    assert {e.kind for e in funds.items} == {"FUNDS"}
    both = store.find_edges(m.id, EdgeQuery(kinds=["FUNDS", "DEPLOYS"]))
    assert both.total == 35


# --- scale, hostile input, analysis ------------------------------------------------------


def test_a_large_map_round_trips(store: GraphStore, mid: Mid) -> None:
    m = generated(5_000, seed=3, map_id=mid("big"))
    assert len(m.nodes) + len(m.edges) > 20_000
    store.save_map(m)
    info = store.map_info(m.id)
    assert (info.node_count, info.edge_count) == (len(m.nodes), len(m.edges))
    assert dump(store.load_map(m.id)) == dump(m)
    page = store.find_edges(m.id, EdgeQuery(kinds=["AFFECTS"], limit=5_000))
    assert page.total == sum(1 for e in m.edges if e.kind == "AFFECTS")
    replaced = generated(4_000, seed=4, map_id=m.id)
    assert store.save_map(replaced, replace=True) == 2
    assert dump(store.load_map(m.id)) == dump(replaced)


def test_hostile_and_unicode_strings_are_stored_literally(store: GraphStore, mid: Mid) -> None:
    nodes = [
        node(f"o{i}", name=text, description=text, tags=[text, "plain"], attributes={text: text})
        for i, text in enumerate(HOSTILE)
    ]
    data = {
        "map": {"id": mid("a"), "title": HOSTILE[0], "description": HOSTILE[1], "tags": HOSTILE},
        "sources": [{"id": "s", "title": HOSTILE[0], "publisher": HOSTILE[3]}],
        "nodes": nodes,
        "edges": [edge("o0", "FUNDS", "o1", description=HOSTILE[0], attributes={"q": "'"})],
    }
    m = validate_document(Document(data, None, None))
    store.save_map(m)
    store.save_map(small_map(mid("b")))
    assert dump(store.load_map(m.id)) == dump(m)
    info = store.map_info(m.id)
    assert (info.title, info.tags) == (HOSTILE[0], tuple(HOSTILE))
    for i, text in enumerate(HOSTILE):
        assert f"o{i}" in ids(store.find_nodes(m.id, NodeQuery(search=text)).items)
        assert ids(store.find_nodes(m.id, NodeQuery(tag=text)).items) == [f"o{i}"]
    store.upsert_node(m.id, org("o9", HOSTILE[0], tags=[HOSTILE[1]]))
    assert store.get_nodes(m.id, ["o9"])["o9"].name == HOSTILE[0]
    # hostile map and node ids are simply unknown, and harm nothing
    for text in HOSTILE:
        with pytest.raises(NotFound):
            store.map_info(text)
        with pytest.raises(NotFound):
            store.delete_node(m.id, text)
        assert store.get_nodes(text, [text]) == {}
        assert store.edges_touching(m.id, [text]) == []
    assert dump(store.load_map(mid("b"))) == dump(small_map(mid("b")))
    assert store.find_nodes(m.id, NodeQuery()).total == len(HOSTILE) + 1


def test_analysing_a_stored_map_gives_the_report_of_the_original(
    store: GraphStore, mid: Mid
) -> None:
    m = generated(300, seed=7, map_id=mid("a"))
    version = store.save_map(m)
    loaded = store.load_map(m.id)
    assert json.dumps(build_report(loaded, version=version)) == json.dumps(
        build_report(m, version=version)
    )


@pytest.mark.parametrize("seed", sorted(p.stem for p in SEEDS.glob("*.yaml")))
def test_a_stored_seed_map_analyses_as_its_file(store: GraphStore, mid: Mid, seed: str) -> None:
    m = load_map_file(SEEDS / f"{seed}.yaml")
    m = m.model_copy(update={"meta": m.meta.model_copy(update={"id": mid(seed)})})
    version = store.save_map(m)
    loaded = store.load_map(m.id)
    assert dump(loaded) == dump(m)
    assert json.dumps(build_report(loaded, version=version)) == json.dumps(
        build_report(m, version=version)
    )


@pytest.mark.neo4j
def test_both_stores_give_identical_analysis_json(
    sqlite_store: GraphStore, neo4j_store: GraphStore, mid: Mid
) -> None:
    reports = []
    for store in (sqlite_store, neo4j_store):
        for seed, n in ((11, 400), (12, 60)):
            m = generated(n, seed=seed, map_id=mid(f"s{seed}"))
            version = store.save_map(m)
            reports.append(build_report(store.load_map(m.id), version=version))
    as_json = [json.dumps(r) for r in reports]
    assert as_json[:2] == as_json[2:]
    assert reports[0]["contestPairs"]  # the map is rich enough to say something
