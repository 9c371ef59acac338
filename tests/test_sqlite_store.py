"""What only the embedded store must show: atomic imports, durability, readers during writes."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from graphsvc.errors import Conflict, NotFound
from graphsvc.store import sqlite as sqlite_module
from graphsvc.store.base import EdgeQuery, NodeQuery
from graphsvc.store.sqlite import SqliteStore
from tests.factories import build_map, edge, node


def sample(map_id: str = "m", extra: int = 0) -> object:
    nodes = [node("s1"), node("o1"), node("c1")] + [node(f"c{i + 2}") for i in range(extra)]
    edges = [edge("o1", "DEPLOYS", "s1"), edge("s1", "AFFECTS", "c1")]
    return build_map(nodes, edges, map_id)


def test_a_failed_import_leaves_the_previous_version_untouched(
    sqlite_store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sample()
    version = sqlite_store.save_map(first)  # type: ignore[arg-type]
    calls = {"n": 0}
    real_dump = sqlite_module._dump

    def failing_dump(model: object) -> str:
        calls["n"] += 1
        if calls["n"] == 20:
            raise RuntimeError("disk on fire")
        return real_dump(model)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite_module, "_dump", failing_dump)
    with pytest.raises(RuntimeError):
        sqlite_store.save_map(sample(extra=50), replace=True)  # type: ignore[arg-type]
    assert sqlite_store.load_map("m") == first
    assert sqlite_store.map_info("m").version == version


def test_durable_across_reopening_and_versions_never_repeat(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    store = SqliteStore(path)
    assert store.save_map(sample()) == 1  # type: ignore[arg-type]
    assert store.save_map(sample(), replace=True) == 2  # type: ignore[arg-type]
    store.delete_map("m")
    store.close()
    reopened = SqliteStore(path)
    assert reopened.list_maps() == []
    assert reopened.save_map(sample()) == 3  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        reopened.save_map(sample())  # type: ignore[arg-type]
    reopened.close()


def test_readers_see_the_last_committed_version_while_a_write_is_open(
    sqlite_store: SqliteStore,
) -> None:
    sqlite_store.save_map(sample(extra=3))  # type: ignore[arg-type]
    writing, release = threading.Event(), threading.Event()
    seen: list[int] = []

    def slow_writer() -> None:
        with sqlite_store._write() as db:
            db.execute("DELETE FROM nodes WHERE map_id = 'm'")
            db.execute("UPDATE maps SET node_count = 0 WHERE id = 'm'")
            writing.set()
            release.wait(5)

    def reader() -> None:
        writing.wait(5)
        seen.append(sqlite_store.find_nodes("m", NodeQuery()).total)
        release.set()

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [6]  # the reader was not blocked and saw no half-written state
    assert sqlite_store.find_nodes("m", NodeQuery()).total == 0


def test_edge_lookups_use_the_endpoint_indexes_after_an_import(sqlite_store: SqliteStore) -> None:
    sqlite_store.save_map(sample(extra=30))  # type: ignore[arg-type]
    plan = (
        sqlite_store._db()
        .execute(
            "EXPLAIN QUERY PLAN SELECT id FROM edges WHERE map_id = ? AND src IN (?, ?)",
            ("m", "a", "b"),
        )
        .fetchall()
    )
    assert "edges_by_src" in str(plan)


def counted(store: SqliteStore, map_id: str) -> tuple[int, int]:
    """The map's nodes and edges as counted row by row (what the maps row must agree with)."""
    db = store._db()
    (nodes,) = db.execute("SELECT count(*) FROM nodes WHERE map_id = ?", (map_id,)).fetchone()
    (edges,) = db.execute("SELECT count(*) FROM edges WHERE map_id = ?", (map_id,)).fetchone()
    return nodes, edges


def test_the_maps_row_counts_agree_with_the_rows_after_every_kind_of_write(
    sqlite_store: SqliteStore,
) -> None:
    base = sample(extra=2)  # s1, o1, c1, c2, c3; o1→s1, s1→c1
    sqlite_store.save_map(base)  # type: ignore[arg-type]
    more = build_map(
        [node("s1"), node("o1"), node("c1"), node("c9")],
        [edge("s1", "AFFECTS", "c9"), edge("o1", "DEPLOYS", "s1")],
        "m",
    )
    new_node, new_edge = more.nodes[3], more.edges[0]
    existing_node, existing_edge = more.nodes[0], more.edges[1]

    def check(expected: tuple[int, int]) -> None:
        info = sqlite_store.map_info("m")
        assert (info.node_count, info.edge_count) == counted(sqlite_store, "m") == expected
        assert sqlite_store.find_nodes("m", NodeQuery(limit=1)).total == expected[0]
        assert sqlite_store.find_edges("m", EdgeQuery(limit=1)).total == expected[1]

    check((5, 2))
    sqlite_store.upsert_node("m", new_node)
    check((6, 2))
    sqlite_store.upsert_node("m", existing_node)  # an update adds nothing
    check((6, 2))
    sqlite_store.upsert_edge("m", new_edge)
    check((6, 3))
    sqlite_store.upsert_edge("m", existing_edge)
    check((6, 3))
    sqlite_store.delete_node("m", "s1")  # and the three edges that touch it
    check((5, 0))
    with pytest.raises(NotFound):
        sqlite_store.delete_node("m", "s1")  # a failed write changes no count
    check((5, 0))
    sqlite_store.upsert_edge("m", more.edges[1].model_copy(update={"to": "c9"}))
    check((5, 1))
    sqlite_store.delete_edge("m", sqlite_store.find_edges("m", EdgeQuery()).items[0].id)
    check((5, 0))
    sqlite_store.save_map(sample(extra=10), replace=True)  # type: ignore[arg-type]
    check((13, 2))


def test_a_file_from_before_the_stored_counts_is_migrated_on_opening(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    store = SqliteStore(path)
    store.save_map(sample("a", extra=4))  # type: ignore[arg-type]
    store.save_map(sample("b"))  # type: ignore[arg-type]
    store.close()
    with sqlite3.connect(path) as db:  # what an older graphsvc left behind
        db.execute("ALTER TABLE maps DROP COLUMN node_count")
        db.execute("ALTER TABLE maps DROP COLUMN edge_count")
    db.close()

    reopened = SqliteStore(path)
    try:
        assert [(i.id, i.node_count, i.edge_count) for i in reopened.list_maps()] == [
            ("a", 7, 2),
            ("b", 3, 2),
        ]
        reopened.upsert_node("b", build_map([node("c7")], [], "b").nodes[0])
        assert reopened.map_info("b").node_count == 4
    finally:
        reopened.close()
    again = SqliteStore(path)  # opening a migrated file changes nothing
    assert again.map_info("a").node_count == 7
    again.close()
