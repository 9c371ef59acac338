"""The Neo4j store's API tokens: ``(:GToken {id, name, role, maps, digest, createdAt,
revokedAt})``, ``maps`` absent for a token of every map, ``digest`` the SHA-256 of the secret
(the secret itself is never stored)."""

from __future__ import annotations

from graphsvc.errors import NotFound
from graphsvc.store.base import TokenRecord
from graphsvc.store.cypher import Cypher
from graphsvc.store.neo4j.connection import Connection, Row, one, run
from graphsvc.store.neo4j.records import now


class Neo4jTokens:
    """TokenRegistry on GToken nodes."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, token: TokenRecord) -> None:
        params = {
            "id": token.id,
            "name": token.name,
            "role": token.role,
            "maps": None if token.maps is None else list(token.maps),
            "digest": token.digest,
            "createdAt": token.created_at,
            "revokedAt": token.revoked_at,
        }
        self.conn.write("adding a token", lambda tx: run(tx, Cypher.TOKEN_ADD, **params))

    def get(self, token_id: str) -> TokenRecord | None:
        row = self.conn.read("reading a token", lambda tx: one(tx, Cypher.TOKEN_GET, id=token_id))
        return None if row is None else _record(row["token"])

    def all(self) -> list[TokenRecord]:
        rows = self.conn.read("listing tokens", lambda tx: run(tx, Cypher.TOKEN_ALL))
        return [_record(row["token"]) for row in rows]

    def revoke(self, token_id: str) -> TokenRecord:
        row = self.conn.write(
            "revoking a token", lambda tx: one(tx, Cypher.TOKEN_REVOKE, id=token_id, now=now())
        )
        if row is None:
            raise NotFound(f"no token {token_id!r}")
        return _record(row["token"])

    def any_active(self) -> bool:
        row = self.conn.read("counting tokens", lambda tx: one(tx, Cypher.TOKEN_ANY_ACTIVE))
        return bool(row and row["active"])


def _record(t: Row) -> TokenRecord:
    maps = t.get("maps")
    return TokenRecord(
        id=t["id"],
        name=t.get("name"),
        role=t["role"],
        maps=None if maps is None else tuple(maps),
        digest=t["digest"],
        created_at=t["createdAt"],
        revoked_at=t.get("revokedAt"),
    )
