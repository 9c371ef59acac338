"""The embedded store: SQLite in WAL mode, one file holding any number of maps."""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from graphsvc.domain.model import (
    AnyEdge,
    AnyNode,
    Edge,
    MapMeta,
    Node,
    Source,
    StakeholderMap,
)
from graphsvc.errors import Conflict, NotFound, StoreUnavailable
from graphsvc.store.base import Change, ChangeNote, EdgeQuery, MapInfo, NodeQuery, Page
from graphsvc.store.sqlite_access import SCHEMA as ACCESS_SCHEMA
from graphsvc.store.sqlite_access import SqliteTokens, append_changes, list_changes

_NODES: TypeAdapter[list[AnyNode]] = TypeAdapter(list[Node])
_EDGES: TypeAdapter[list[AnyEdge]] = TypeAdapter(list[Edge])
_SOURCES: TypeAdapter[list[Source]] = TypeAdapter(list[Source])

# node_count and edge_count are kept by every write in its own transaction, so a map's size
# costs one row to read, not a scan of its elements.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS maps (
    id TEXT PRIMARY KEY,
    meta TEXT NOT NULL,
    sources TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    node_count INTEGER NOT NULL DEFAULT 0,
    edge_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS map_versions (  -- survives deletion so versions never repeat
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS nodes (
    map_id TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    tags TEXT NOT NULL,
    data TEXT NOT NULL,
    pos INTEGER NOT NULL,  -- document order, kept so exports read like the file imported
    PRIMARY KEY (map_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS edges (
    map_id TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    data TEXT NOT NULL,
    pos INTEGER NOT NULL,
    PRIMARY KEY (map_id, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_by_src ON edges (map_id, src);
CREATE INDEX IF NOT EXISTS edges_by_dst ON edges (map_id, dst);
"""

# Files made before the maps row held its counts: add the columns and count once.
_COUNTS_MIGRATION = (
    "ALTER TABLE maps ADD COLUMN node_count INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE maps ADD COLUMN edge_count INTEGER NOT NULL DEFAULT 0",
    "UPDATE maps SET"
    " node_count = (SELECT count(*) FROM nodes WHERE nodes.map_id = maps.id),"
    " edge_count = (SELECT count(*) FROM edges WHERE edges.map_id = maps.id)",
)


def _dump(model: AnyNode | AnyEdge | MapMeta) -> str:
    return model.model_dump_json(exclude_defaults=True, exclude_none=True)


_OPENED = itertools.count()


class SqliteStore:
    """GraphStore on one SQLite file; a connection per thread, writes in IMMEDIATE transactions."""

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = 10_000) -> None:
        self.path = str(path)
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._watch: sqlite3.Connection | None = None  # asks only PRAGMA data_version
        self._commits = 0  # this object's own commits (all a ":memory:" file ever sees)
        self._serial = next(_OPENED)  # unlike id(self), never reused by a later store
        self.tokens = SqliteTokens(self)
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(
                    f"cannot create the folder of {self.path}: {exc.strerror}"
                ) from None
        try:
            # Idempotent; executescript manages its own commit.
            self._db().executescript(_SCHEMA + ACCESS_SCHEMA)
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot prepare SQLite store {self.path}: {exc}") from None

    def _migrate(self) -> None:
        def counted(db: sqlite3.Connection) -> bool:
            return any(row[1] == "node_count" for row in db.execute("PRAGMA table_info(maps)"))

        if counted(self._db()):  # the usual case: no write lock needed to open a file
            return
        with self._write() as db:  # checked again under the lock: one process migrates
            if not counted(db):
                for statement in _COUNTS_MIGRATION:
                    db.execute(statement)

    # --- connections and transactions ----------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
                db.execute("PRAGMA foreign_keys = ON")
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"cannot open SQLite store {self.path}: {exc}") from None
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"SQLite store is busy: {exc}") from None
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")
            with self._lock:
                self._commits += 1

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN")  # one snapshot for the whole read
        try:
            yield db
        finally:
            db.execute("COMMIT")

    def revision(self) -> tuple[int, int, int]:
        """RevisionReader: SQLite's ``data_version`` as seen by a connection that never
        writes, which changes whenever any other connection (of any process) commits, with
        this object's own commit count and its identity."""
        with self._lock:
            try:
                if self._watch is None:
                    self._watch = sqlite3.connect(
                        self.path, isolation_level=None, check_same_thread=False
                    )
                    self._connections.append(self._watch)
                (version,) = self._watch.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"SQLite store {self.path} does not answer: {exc}") from None
            return self._serial, int(version), self._commits

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
            self._watch = None
        self._local = threading.local()

    def ping(self) -> None:
        try:
            self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"SQLite store {self.path} does not answer: {exc}") from None

    # --- maps ------------------------------------------------------------------------------

    def list_maps(self) -> list[MapInfo]:
        with self._read() as db:
            rows = db.execute("SELECT id FROM maps ORDER BY id").fetchall()
            return [self._info(db, row[0]) for row in rows]

    def map_info(self, map_id: str) -> MapInfo:
        with self._read() as db:
            return self._info(db, map_id)

    def _info(self, db: sqlite3.Connection, map_id: str) -> MapInfo:
        row = db.execute(
            "SELECT meta, version, updated_at, node_count, edge_count FROM maps WHERE id = ?",
            (map_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no map {map_id!r}")
        meta = MapMeta.model_validate_json(row[0])
        return MapInfo(
            map_id, meta.title, meta.description, tuple(meta.tags), row[1], row[3], row[4], row[2]
        )

    def load_map(self, map_id: str) -> StakeholderMap:
        with self._read() as db:
            row = db.execute("SELECT meta, sources FROM maps WHERE id = ?", (map_id,)).fetchone()
            if row is None:
                raise NotFound(f"no map {map_id!r}")
            nodes = self._json_list(
                db, "SELECT data FROM nodes WHERE map_id = ? ORDER BY pos", map_id
            )
            edges = self._json_list(
                db, "SELECT data FROM edges WHERE map_id = ? ORDER BY pos", map_id
            )
        return StakeholderMap.model_construct(
            meta=MapMeta.model_validate_json(row[0]),
            sources=_SOURCES.validate_json(row[1]),
            nodes=_NODES.validate_json(nodes),
            edges=_EDGES.validate_json(edges),
        )

    @staticmethod
    def _json_list(db: sqlite3.Connection, sql: str, map_id: str) -> str:
        # One JSON array validated in one call is far faster than one call per element.
        return "[" + ",".join(row[0] for row in db.execute(sql, (map_id,))) + "]"

    def save_map(
        self,
        m: StakeholderMap,
        *,
        replace: bool = False,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        with self._write() as db:
            exists = db.execute("SELECT version FROM maps WHERE id = ?", (m.id,)).fetchone()
            if exists and not replace:
                raise Conflict(f"map {m.id!r} already exists (use replace to overwrite it)")
            _check_expected(m.id, None if exists is None else exists[0], expected_version)
            db.execute("DELETE FROM nodes WHERE map_id = ?", (m.id,))
            db.execute("DELETE FROM edges WHERE map_id = ?", (m.id,))
            db.executemany(
                "INSERT INTO nodes (map_id, id, kind, name, tags, data, pos)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (m.id, n.id, n.kind, n.name, json.dumps(n.tags), _dump(n), i)
                    for i, n in enumerate(m.nodes)
                ),
            )
            db.executemany(
                "INSERT INTO edges (map_id, id, kind, src, dst, data, pos)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((m.id, e.id, e.kind, e.from_, e.to, _dump(e), i) for i, e in enumerate(m.edges)),
            )
            sources = json.dumps([s.model_dump(mode="json", exclude_none=True) for s in m.sources])
            version = self._bump(db, m.id, meta=_dump(m.meta), sources=sources)
            db.execute(
                "UPDATE maps SET node_count = ?, edge_count = ? WHERE id = ?",
                (len(m.nodes), len(m.edges), m.id),
            )
            append_changes(db, m.id, version, audit)
        self._refresh_statistics()
        return version

    def _refresh_statistics(self) -> None:
        # Without statistics the planner scans a whole map's edges instead of using
        # edges_by_src/edges_by_dst; a sampled ANALYZE takes milliseconds.
        db = self._db()
        db.execute("PRAGMA analysis_limit = 400")
        db.execute("ANALYZE")

    def _bump(
        self,
        db: sqlite3.Connection,
        map_id: str,
        *,
        expected: int | None = None,
        meta: str | None = None,
        sources: str | None = None,
    ) -> int:
        row = db.execute("SELECT version FROM maps WHERE id = ?", (map_id,)).fetchone()
        if row is None and meta is None:
            raise NotFound(f"no map {map_id!r}")
        _check_expected(map_id, None if row is None else row[0], expected)
        (last,) = db.execute(
            "SELECT coalesce(max(version), 0) FROM map_versions WHERE id = ?", (map_id,)
        ).fetchone()
        version = int(last) + 1
        now = datetime.now(UTC).isoformat(timespec="seconds")
        if row is None:
            db.execute(
                "INSERT INTO maps (id, meta, sources, version, updated_at) VALUES (?, ?, ?, ?, ?)",
                (map_id, meta, sources or "[]", version, now),
            )
        else:
            db.execute(
                "UPDATE maps SET version = ?, updated_at = ?, meta = coalesce(?, meta),"
                " sources = coalesce(?, sources) WHERE id = ?",
                (version, now, meta, sources, map_id),
            )
        db.execute(
            "INSERT INTO map_versions (id, version) VALUES (?, ?)"
            " ON CONFLICT (id) DO UPDATE SET version = excluded.version",
            (map_id, version),
        )
        return version

    def delete_map(
        self,
        map_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> None:
        with self._write() as db:
            row = db.execute("SELECT version FROM maps WHERE id = ?", (map_id,)).fetchone()
            if row is None:
                raise NotFound(f"no map {map_id!r}")
            _check_expected(map_id, row[0], expected_version)
            db.execute("DELETE FROM maps WHERE id = ?", (map_id,))
            db.execute("DELETE FROM nodes WHERE map_id = ?", (map_id,))
            db.execute("DELETE FROM edges WHERE map_id = ?", (map_id,))
            append_changes(db, map_id, None, audit)

    def update_meta(
        self,
        meta: MapMeta,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        with self._write() as db:
            if db.execute("SELECT 1 FROM maps WHERE id = ?", (meta.id,)).fetchone() is None:
                raise NotFound(f"no map {meta.id!r}")
            version = self._bump(db, meta.id, expected=expected_version, meta=_dump(meta))
            append_changes(db, meta.id, version, audit)
            return version

    def list_changes(
        self, map_id: str, *, after: int | None = None, limit: int = 50
    ) -> Page[Change]:
        return list_changes(self, map_id, after, limit)

    # --- nodes and edges -------------------------------------------------------------------

    def get_nodes(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyNode]:
        with self._read() as db:
            rows = self._in_chunks(
                db, "SELECT data FROM nodes WHERE map_id = ? AND id IN", map_id, ids
            )
        return {n.id: n for n in _NODES.validate_json("[" + ",".join(rows) + "]")}

    def get_edges(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyEdge]:
        with self._read() as db:
            rows = self._in_chunks(
                db, "SELECT data FROM edges WHERE map_id = ? AND id IN", map_id, ids
            )
        return {e.id: e for e in _EDGES.validate_json("[" + ",".join(rows) + "]")}

    def edges_touching(self, map_id: str, node_ids: Sequence[str]) -> list[AnyEdge]:
        # INDEXED BY: sampled statistics can make the planner think a map holds a few hundred
        # edges and scan them all by primary key (35 ms for 100 ids at 10k nodes, not 1 ms).
        with self._read() as db:
            rows = self._in_chunks(
                db,
                "SELECT id, data FROM edges INDEXED BY edges_by_src WHERE map_id = ? AND src IN",
                map_id,
                node_ids,
                pairs=True,
            )
            rows += self._in_chunks(
                db,
                "SELECT id, data FROM edges INDEXED BY edges_by_dst WHERE map_id = ? AND dst IN",
                map_id,
                node_ids,
                pairs=True,
            )
        unique = dict(sorted(rows))
        return _EDGES.validate_json("[" + ",".join(unique.values()) + "]")

    @staticmethod
    def _in_chunks(
        db: sqlite3.Connection, sql: str, map_id: str, ids: Sequence[str], *, pairs: bool = False
    ) -> list[Any]:
        out: list[Any] = []
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in db.execute(f"{sql} ({marks})", (map_id, *chunk)):
                out.append(tuple(row) if pairs else row[0])
        return out

    def find_nodes(self, map_id: str, query: NodeQuery) -> Page[AnyNode]:
        where, params = ["map_id = ?"], [map_id]
        if query.kinds:
            where.append(f"kind IN ({','.join('?' * len(query.kinds))})")
            params.extend(query.kinds)
        if query.tag is not None:
            where.append("EXISTS (SELECT 1 FROM json_each(nodes.tags) WHERE value = ?)")
            params.append(query.tag)
        if query.search:
            where.append("(instr(lower(name), lower(?)) > 0 OR instr(id, lower(?)) > 0)")
            params.extend([query.search, query.search])
        return self._page(map_id, "nodes", where, params, query.after, query.limit, _NODES)

    def find_edges(self, map_id: str, query: EdgeQuery) -> Page[AnyEdge]:
        where, params = ["map_id = ?"], [map_id]
        if query.kinds:
            where.append(f"kind IN ({','.join('?' * len(query.kinds))})")
            params.extend(query.kinds)
        return self._page(map_id, "edges", where, params, query.after, query.limit, _EDGES)

    def _page(
        self,
        map_id: str,
        table: str,
        where: list[str],
        params: list[str],
        after: str | None,
        limit: int,
        adapter: TypeAdapter[Any],
    ) -> Page[Any]:
        condition = " AND ".join(where)
        with self._read() as db:
            counts = db.execute(
                "SELECT node_count, edge_count FROM maps WHERE id = ?", (map_id,)
            ).fetchone()
            if counts is None:
                raise NotFound(f"no map {map_id!r}")
            if len(where) == 1:  # unfiltered: the map's own count, not a scan of its rows
                total = counts[0] if table == "nodes" else counts[1]
            else:
                (total,) = db.execute(
                    f"SELECT count(*) FROM {table} WHERE {condition}", params
                ).fetchone()
            if after is not None:
                condition += " AND id > ?"
                params = [*params, after]
            rows = db.execute(
                f"SELECT data FROM {table} WHERE {condition} ORDER BY id LIMIT ?",
                (*params, limit + 1),
            ).fetchall()
        items = adapter.validate_json("[" + ",".join(r[0] for r in rows[:limit]) + "]")
        return Page(items, total, len(rows) > limit)

    def upsert_node(
        self,
        map_id: str,
        node: AnyNode,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        with self._write() as db:
            version = self._bump(db, map_id, expected=expected_version)
            append_changes(db, map_id, version, audit)
            if not _exists(db, "nodes", map_id, node.id):
                _count(db, map_id, nodes=1)
            db.execute(
                "INSERT INTO nodes (map_id, id, kind, name, tags, data, pos)"
                " VALUES (?, ?, ?, ?, ?, ?,"
                " (SELECT coalesce(max(pos), -1) + 1 FROM nodes WHERE map_id = ?))"
                " ON CONFLICT (map_id, id) DO UPDATE SET kind = excluded.kind,"
                " name = excluded.name, tags = excluded.tags, data = excluded.data",
                (map_id, node.id, node.kind, node.name, json.dumps(node.tags), _dump(node), map_id),
            )
            return version

    def delete_node(
        self,
        map_id: str,
        node_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        with self._write() as db:
            version = self._bump(db, map_id, expected=expected_version)
            append_changes(db, map_id, version, audit)
            if (
                db.execute(
                    "DELETE FROM nodes WHERE map_id = ? AND id = ?", (map_id, node_id)
                ).rowcount
                == 0
            ):
                raise NotFound(f"no node {node_id!r} in map {map_id!r}")
            removed = sum(
                db.execute(
                    f"DELETE FROM edges INDEXED BY edges_by_{end} WHERE map_id = ? AND {end} = ?",
                    (map_id, node_id),
                ).rowcount
                for end in ("src", "dst")
            )
            _count(db, map_id, nodes=-1, edges=-removed)
            return version

    def upsert_edge(
        self,
        map_id: str,
        edge: AnyEdge,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        with self._write() as db:
            version = self._bump(db, map_id, expected=expected_version)
            append_changes(db, map_id, version, audit)
            if not _exists(db, "edges", map_id, edge.id):
                _count(db, map_id, edges=1)
            db.execute(
                "INSERT INTO edges (map_id, id, kind, src, dst, data, pos)"
                " VALUES (?, ?, ?, ?, ?, ?,"
                " (SELECT coalesce(max(pos), -1) + 1 FROM edges WHERE map_id = ?))"
                " ON CONFLICT (map_id, id) DO UPDATE SET kind = excluded.kind,"
                " src = excluded.src, dst = excluded.dst, data = excluded.data",
                (map_id, edge.id, edge.kind, edge.from_, edge.to, _dump(edge), map_id),
            )
            return version

    def delete_edge(
        self,
        map_id: str,
        edge_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        with self._write() as db:
            version = self._bump(db, map_id, expected=expected_version)
            append_changes(db, map_id, version, audit)
            if (
                db.execute(
                    "DELETE FROM edges WHERE map_id = ? AND id = ?", (map_id, edge_id)
                ).rowcount
                == 0
            ):
                raise NotFound(f"no edge {edge_id!r} in map {map_id!r}")
            _count(db, map_id, edges=-1)
            return version


def _exists(db: sqlite3.Connection, table: str, map_id: str, element_id: str) -> bool:
    sql = f"SELECT 1 FROM {table} WHERE map_id = ? AND id = ?"
    return db.execute(sql, (map_id, element_id)).fetchone() is not None


def _count(db: sqlite3.Connection, map_id: str, *, nodes: int = 0, edges: int = 0) -> None:
    """Move the map's counts by what a write added or removed (in the write's transaction)."""
    db.execute(
        "UPDATE maps SET node_count = node_count + ?, edge_count = edge_count + ? WHERE id = ?",
        (nodes, edges, map_id),
    )


def _check_expected(map_id: str, current: int | None, expected: int | None) -> None:
    if expected is None or current == expected:
        return
    if current is None:
        raise Conflict(f"map {map_id!r} does not exist (expected version {expected})")
    raise Conflict(f"map {map_id!r} is at version {current}, not {expected}")
