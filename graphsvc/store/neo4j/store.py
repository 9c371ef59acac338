"""Neo4jStore: the GraphStore protocol on Neo4j (data model in the package docstring)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import TypeAdapter

from graphsvc.domain.kinds import EdgeKind, NodeKind
from graphsvc.domain.model import AnyEdge, AnyNode, MapMeta, StakeholderMap
from graphsvc.errors import Conflict, NotFound, StoreUnavailable
from graphsvc.settings import Settings
from graphsvc.store.base import (
    Change,
    ChangeNote,
    EdgeQuery,
    MapInfo,
    Neighborhood,
    NodeQuery,
    Page,
)
from graphsvc.store.cypher import Cypher
from graphsvc.store.neo4j.audit import append_changes, list_changes
from graphsvc.store.neo4j.connection import Connection, Row, Tx, count, items, one, run
from graphsvc.store.neo4j.generations import Generations
from graphsvc.store.neo4j.records import (
    EDGES,
    NODES,
    dump,
    edge_row,
    json_list,
    map_info,
    node_row,
    now,
    stakeholder_map,
)
from graphsvc.store.neo4j.tokens import Neo4jTokens

#: How often a whole-map read starts over when the map changes while it is read.
CONSISTENT_READ_ATTEMPTS = 5
#: What the neighbourhood statements join the JSON of elements with ($sep): the inside of an
#: array, which ``json_list`` completes.
JSON_COMMA = ","


class Neo4jStore:
    """GraphStore on Neo4j: reads in read transactions (routable), writes in write transactions.

    ``batch_size`` rows go into each import transaction; an import whose staging generation
    was untouched for ``stale_stage_seconds`` counts as abandoned and is collected.
    """

    def __init__(
        self,
        uri: str,
        *,
        auth: tuple[str, str] | None = None,
        database: str = "neo4j",
        batch_size: int = 5_000,
        stale_stage_seconds: float = 600.0,
        max_retry_seconds: float = 30.0,
    ) -> None:
        self.conn = Connection(
            uri, auth=auth, database=database, max_retry_seconds=max_retry_seconds
        )
        self.generations = Generations(
            self.conn, batch_size=batch_size, stale_stage_seconds=stale_stage_seconds
        )
        self.tokens = Neo4jTokens(self.conn)

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> Neo4jStore:
        """A store for NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE."""
        password = settings.neo4j_password
        auth = None if password is None else (settings.neo4j_username, password.get_secret_value())
        return cls(settings.neo4j_uri, auth=auth, database=settings.neo4j_database, **options)

    def close(self) -> None:
        self.conn.close()

    def ping(self) -> None:
        self.conn.ping()

    # --- maps ------------------------------------------------------------------------------

    def list_maps(self) -> list[MapInfo]:
        rows = self.conn.read("listing maps", lambda tx: run(tx, Cypher.LIST_MAPS))
        return [map_info(row) for row in rows]

    def map_info(self, map_id: str) -> MapInfo:
        row = self.conn.read("reading a map", lambda tx: one(tx, Cypher.MAP_INFO, mapId=map_id))
        if row is None:
            raise NotFound(f"no map {map_id!r}")
        return map_info(row)

    def load_map(self, map_id: str) -> StakeholderMap:
        def work(tx: Tx) -> tuple[Row, list[str], list[str]]:
            # Neo4j reads are read-committed: start over when a write lands mid-read, so that
            # what is returned is one version of the map.
            for _ in range(CONSISTENT_READ_ATTEMPTS):
                head = one(tx, Cypher.MAP_HEAD, mapId=map_id)
                if head is None:
                    raise NotFound(f"no map {map_id!r}")
                gen = head["gen"]
                nodes = items(one(tx, Cypher.NODES_ALL, mapId=map_id, gen=gen))
                edges = items(one(tx, Cypher.EDGES_ALL, mapId=map_id, gen=gen))
                again = one(tx, Cypher.MAP_HEAD, mapId=map_id)
                if again is not None and (again["gen"], again["version"]) == (gen, head["version"]):
                    return head, nodes, edges
            raise StoreUnavailable(f"map {map_id!r} kept changing while it was read; try again")

        return stakeholder_map(*self.conn.read("loading a map", work))

    def save_map(
        self,
        m: StakeholderMap,
        *,
        replace: bool = False,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        return self.generations.import_map(
            m, replace=replace, expected_version=expected_version, audit=audit
        )

    def delete_map(
        self,
        map_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> None:
        if not self.generations.delete_map(map_id, expected_version=expected_version, audit=audit):
            raise NotFound(f"no map {map_id!r}")

    def update_meta(
        self,
        meta: MapMeta,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        def work(tx: Tx, gen: str) -> None:
            params = {"title": meta.title, "description": meta.description, "tags": meta.tags}
            run(tx, Cypher.META_UPDATE, mapId=meta.id, meta=dump(meta), **params)

        return self._change("updating a map", meta.id, expected_version, work, audit)

    def list_changes(
        self, map_id: str, *, after: int | None = None, limit: int = 50
    ) -> Page[Change]:
        return list_changes(self.conn, map_id, after, limit)

    def _change(
        self,
        what: str,
        map_id: str,
        expected: int | None,
        work: Callable[[Tx, str], None],
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        """Run ``work`` on the live generation, in the transaction that takes the next version
        (and records ``audit`` in the map's log)."""

        def tx_work(tx: Tx) -> int:
            bump = one(tx, Cypher.MAP_BUMP, mapId=map_id, now=now())
            if bump is None:
                raise NotFound(f"no map {map_id!r}")
            if expected is not None and bump["previous"] != expected:
                raise Conflict(f"map {map_id!r} is at version {bump['previous']}, not {expected}")
            work(tx, bump["gen"])
            append_changes(tx, map_id, int(bump["version"]), audit)
            return int(bump["version"])

        return self.conn.write(what, tx_work)

    # --- nodes and edges -------------------------------------------------------------------

    def get_nodes(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyNode]:
        found = self._by_ids("reading nodes", Cypher.NODES_GET, map_id, ids)
        return {n.id: n for n in NODES.validate_json(json_list(found))}

    def get_edges(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyEdge]:
        found = self._by_ids("reading edges", Cypher.EDGES_GET, map_id, ids)
        return {e.id: e for e in EDGES.validate_json(json_list(found))}

    def edges_touching(self, map_id: str, node_ids: Sequence[str]) -> list[AnyEdge]:
        found = self._by_ids("reading edges", Cypher.EDGES_TOUCHING, map_id, node_ids)
        return EDGES.validate_json(json_list(found))

    def neighborhood(self, map_id: str, center_id: str, depth: int) -> Neighborhood:
        """:func:`graphsvc.store.base.read_neighborhood` in one read transaction: one statement
        for the centre and the first two rings, then one per further ring. The statements
        return the ``data`` of the nodes and edges joined by commas into a few texts."""

        def work(tx: Tx) -> tuple[list[str], list[str]]:
            params = {"mapId": map_id, "id": center_id, "depth": depth}
            head = one(tx, Cypher.NEIGHBORHOOD_NEAR, **params, sep=JSON_COMMA)
            if head is None:
                raise NotFound(f"no map {map_id!r}")
            if not head["found"]:
                raise NotFound(f"no node {center_id!r} in map {map_id!r}")
            nodes, edges = list(head["nodes"]), list(head["edges"])
            seen, frontier = list(head["seen"]), head["frontier"]
            for _ in range(depth - 2):
                if not frontier:
                    break
                params = {"mapId": map_id, "gen": head["gen"], "ids": frontier, "seen": seen}
                ring = one(tx, Cypher.NEIGHBORHOOD_RING, **params, sep=JSON_COMMA)
                if ring is None:  # pragma: no cover - an aggregation always returns its row
                    break
                nodes += ring["nodes"]
                edges += ring["edges"]
                frontier = ring["ids"]
                seen += frontier
            return nodes, edges

        nodes, edges = self.conn.read("reading a neighbourhood", work)
        found = sorted(NODES.validate_json(json_list(nodes)), key=_by_id)
        # Beyond depth 2, an edge at the outer ring of one statement is read again by the next.
        walked = {e.id: e for e in EDGES.validate_json(json_list(edges))}
        return Neighborhood(
            next(n for n in found if n.id == center_id),
            depth,
            found,
            [walked[e] for e in sorted(walked)],
        )

    def _by_ids(self, what: str, name: Cypher, map_id: str, ids: Sequence[str]) -> list[str]:
        if not ids:
            return []
        unique = list(dict.fromkeys(ids))
        return items(self.conn.read(what, lambda tx: one(tx, name, mapId=map_id, ids=unique)))

    def find_nodes(self, map_id: str, query: NodeQuery) -> Page[AnyNode]:
        filters = {
            "kinds": list(query.kinds) or None,
            "tag": query.tag,
            "search": query.search.lower() if query.search else None,
        }
        return self._page(Cypher.NODES_FIND, map_id, filters, query.after, query.limit, NODES)

    def find_edges(self, map_id: str, query: EdgeQuery) -> Page[AnyEdge]:
        filters = {"kinds": list(query.kinds) or None}
        return self._page(Cypher.EDGES_FIND, map_id, filters, query.after, query.limit, EDGES)

    def _page(
        self,
        name: Cypher,
        map_id: str,
        filters: dict[str, Any],
        after: str | None,
        limit: int,
        adapter: TypeAdapter[Any],
    ) -> Page[Any]:
        limit = max(limit, 0)
        params = {"mapId": map_id, "after": after or "", "limit": limit + 1, **filters}
        row = self.conn.read("finding elements", lambda tx: one(tx, name, **params))
        if row is None:
            raise NotFound(f"no map {map_id!r}")
        found = items(row)
        page = adapter.validate_json(json_list(found[:limit]))
        return Page(page, int(row["total"]), len(found) > limit)

    def upsert_node(
        self,
        map_id: str,
        node: AnyNode,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        def work(tx: Tx, gen: str) -> None:
            params = {"mapId": map_id, "gen": gen, **node_row(node, None)}
            run(tx, Cypher.NODE_UPSERT, NodeKind(node.kind), **params)

        return self._change("writing a node", map_id, expected_version, work, audit)

    def delete_node(
        self,
        map_id: str,
        node_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        def work(tx: Tx, gen: str) -> None:
            if one(tx, Cypher.NODE_DELETE, mapId=map_id, gen=gen, id=node_id) is None:
                raise NotFound(f"no node {node_id!r} in map {map_id!r}")

        return self._change("deleting a node", map_id, expected_version, work, audit)

    def upsert_edge(
        self,
        map_id: str,
        edge: AnyEdge,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        def work(tx: Tx, gen: str) -> None:
            # Relationships cannot change type or ends: replace, keeping the stored position.
            old = one(tx, Cypher.EDGE_DELETE, mapId=map_id, gen=gen, id=edge.id)
            pos = None if old is None else old["pos"]
            params = {"mapId": map_id, "gen": gen, **edge_row(edge, pos)}
            if not count(one(tx, Cypher.EDGE_PUT, EdgeKind(edge.kind), **params), "created"):
                raise NotFound(
                    f"edge {edge.id!r}: {edge.from_!r} or {edge.to!r} is not a node of map "
                    f"{map_id!r}"
                )

        return self._change("writing an edge", map_id, expected_version, work, audit)

    def delete_edge(
        self,
        map_id: str,
        edge_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        def work(tx: Tx, gen: str) -> None:
            if not count(one(tx, Cypher.EDGE_DELETE, mapId=map_id, gen=gen, id=edge_id), "deleted"):
                raise NotFound(f"no edge {edge_id!r} in map {map_id!r}")

        return self._change("deleting an edge", map_id, expected_version, work, audit)


def _by_id(element: AnyNode | AnyEdge) -> str:
    return element.id
