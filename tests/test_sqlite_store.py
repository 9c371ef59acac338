"""What only the embedded store must show: atomic imports, durability, readers during writes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from graphsvc.errors import Conflict
from graphsvc.store import sqlite as sqlite_module
from graphsvc.store.base import NodeQuery
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
