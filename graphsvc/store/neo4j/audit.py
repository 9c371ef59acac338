"""The Neo4j store's audit log: ``(:GChange {mapId, seq, version, at, actor, operation,
elementId, before, after})`` per entry, ``before``/``after`` as JSON. Entries are appended
inside the write transaction they describe. ``seq`` orders them per map without a lock of its
own: the write's version (unique per map) times 2^24 plus the entry's place in the write.
(Numbering them from a property of the map's counter made concurrent writers deadlock.)"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from graphsvc.store.base import Change, ChangeNote, Page
from graphsvc.store.cypher import Cypher
from graphsvc.store.neo4j.connection import Connection, Tx, one, run

#: Above every seq: the first page of a log.
NEWEST = 2**62


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def append_changes(
    tx: Tx,
    map_id: str,
    version: int | None,
    notes: Sequence[ChangeNote],
    *,
    seq_base: int | None = None,
) -> None:
    """Append ``notes`` for the write that produced ``version`` (``seq_base``: a version taken
    for the purpose, when the write leaves none, as a deleted map does)."""
    if not notes:
        return
    rows = [
        {
            "actor": n.actor,
            "operation": n.operation,
            "elementId": n.element_id,
            "before": _json(n.before),
            "after": _json(n.after),
        }
        for n in notes
    ]
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    base = version if seq_base is None else seq_base
    run(tx, Cypher.CHANGE_APPEND, mapId=map_id, version=version, seqBase=base, at=at, notes=rows)


def list_changes(conn: Connection, map_id: str, after: int | None, limit: int) -> Page[Change]:
    params = {"mapId": map_id, "after": NEWEST if after is None else after, "limit": limit + 1}
    row = conn.read("reading the audit log", lambda tx: one(tx, Cypher.CHANGE_LIST, **params))
    found = [] if row is None else list(row["items"])
    items = [
        Change(
            seq=int(x["seq"]),
            map_id=map_id,
            version=x.get("version"),
            at=x["at"],
            actor=x["actor"],
            operation=x["operation"],
            element_id=x.get("elementId"),
            before=None if x.get("before") is None else json.loads(x["before"]),
            after=None if x.get("after") is None else json.loads(x["after"]),
        )
        for x in found[:limit]
    ]
    return Page(items, 0 if row is None else int(row["total"]), len(found) > limit)
