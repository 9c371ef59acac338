"""The SQLite store's API tokens and audit log: two small tables beside the maps.

Audit entries are appended by the store's own write transactions (``append_changes``), so a
write and its entries commit together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

from graphsvc.errors import NotFound
from graphsvc.store.base import Change, ChangeNote, Page, TokenRecord

SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    name TEXT,
    role TEXT NOT NULL,
    maps TEXT,  -- JSON list of map ids; NULL: every map
    digest TEXT NOT NULL,  -- SHA-256 of the secret; the secret itself is never stored
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    map_id TEXT NOT NULL,
    version INTEGER,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    operation TEXT NOT NULL,
    element_id TEXT,
    before TEXT,
    after TEXT
);
CREATE INDEX IF NOT EXISTS changes_by_map ON changes (map_id, seq);
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Transactions(Protocol):
    """The two transaction kinds of the SQLite store."""

    def _read(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def append_changes(
    db: sqlite3.Connection, map_id: str, version: int | None, notes: Sequence[ChangeNote]
) -> None:
    """Append audit entries inside the caller's write transaction."""
    at = now()
    db.executemany(
        "INSERT INTO changes (map_id, version, at, actor, operation, element_id, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                map_id,
                version,
                at,
                n.actor,
                n.operation,
                n.element_id,
                _json(n.before),
                _json(n.after),
            )
            for n in notes
        ),
    )


def list_changes(store: Transactions, map_id: str, after: int | None, limit: int) -> Page[Change]:
    with store._read() as db:
        (total,) = db.execute("SELECT count(*) FROM changes WHERE map_id = ?", (map_id,)).fetchone()
        rows = db.execute(
            "SELECT seq, version, at, actor, operation, element_id, before, after FROM changes"
            " WHERE map_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
            (map_id, after if after is not None else 2**62, max(limit, 0) + 1),
        ).fetchall()
    items = [
        Change(
            seq=r[0],
            map_id=map_id,
            version=r[1],
            at=r[2],
            actor=r[3],
            operation=r[4],
            element_id=r[5],
            before=None if r[6] is None else json.loads(r[6]),
            after=None if r[7] is None else json.loads(r[7]),
        )
        for r in rows[:limit]
    ]
    return Page(items, total, len(rows) > limit)


class SqliteTokens:
    """TokenRegistry on the ``tokens`` table."""

    def __init__(self, store: Transactions) -> None:
        self._store = store

    def add(self, token: TokenRecord) -> None:
        with self._store._write() as db:
            db.execute(
                "INSERT INTO tokens (id, name, role, maps, digest, created_at, revoked_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    token.id,
                    token.name,
                    token.role,
                    None if token.maps is None else json.dumps(list(token.maps)),
                    token.digest,
                    token.created_at,
                    token.revoked_at,
                ),
            )

    def get(self, token_id: str) -> TokenRecord | None:
        with self._store._read() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM tokens WHERE id = ?", (token_id,)).fetchone()
        return None if row is None else _record(row)

    def all(self) -> list[TokenRecord]:
        with self._store._read() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM tokens ORDER BY created_at, id").fetchall()
        return [_record(r) for r in rows]

    def revoke(self, token_id: str) -> TokenRecord:
        with self._store._write() as db:
            db.execute(
                "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (now(), token_id),
            )
            row = db.execute(f"SELECT {_COLUMNS} FROM tokens WHERE id = ?", (token_id,)).fetchone()
        if row is None:
            raise NotFound(f"no token {token_id!r}")
        return _record(row)

    def any_active(self) -> bool:
        with self._store._read() as db:
            row = db.execute("SELECT 1 FROM tokens WHERE revoked_at IS NULL LIMIT 1").fetchone()
        return row is not None


_COLUMNS = "id, name, role, maps, digest, created_at, revoked_at"


def _record(row: Sequence[Any]) -> TokenRecord:
    maps = None if row[3] is None else tuple(json.loads(row[3]))
    return TokenRecord(row[0], row[1], row[2], maps, row[4], row[5], row[6])
