"""The Neo4j store: maps as property graphs on a Neo4j server, cluster or Aura.

Data model (constraints in ``schema/neo4j.cypher``, statements in ``queries/*.cypher``):

- ``(:GMap {id, gen, version, updatedAt, meta, sources, title, description, tags, nodeCount,
  edgeCount})`` per map; ``meta`` and ``sources`` are JSON.
- ``(:GNode:<Kind> {mapId, gen, id, kind, name, tags, data, pos})`` per node and
  ``[:<EDGE_KIND> {mapId, gen, id, kind, data, pos}]`` per edge. ``data`` is the element's JSON
  (it round-trips every field exactly); id, kind, name and tags are the columns queries filter
  on; ``pos`` keeps the order elements were first stored in (``load_map`` returns that order).
- ``(:GMapCounter {id, version})`` per map id, kept after the map is deleted, so versions never
  repeat. Every writer of a map increments it first; its write lock serialises them.
- ``gen`` names a generation of a map. ``save_map`` writes a new generation in batched
  transactions beside the live one, tracked by a ``(:GStage {gen, state})`` node, then swaps the
  GMap's ``gen`` in one small transaction. A failed or interrupted import never touches the live
  generation; retired and abandoned generations are deleted in batches afterwards.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import islice
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from pydantic import TypeAdapter

from graphsvc.domain.kinds import EdgeKind, NodeKind
from graphsvc.domain.model import AnyEdge, AnyNode, Edge, MapMeta, Node, Source, StakeholderMap
from graphsvc.errors import (
    Conflict,
    GraphsvcError,
    InvalidInput,
    NotFound,
    Problem,
    StoreUnavailable,
)
from graphsvc.settings import Settings
from graphsvc.store.base import EdgeQuery, MapInfo, NodeQuery, Page
from graphsvc.store.cypher import Cypher, schema_statements, statement

log = logging.getLogger(__name__)

_NODES: TypeAdapter[list[AnyNode]] = TypeAdapter(list[Node])
_EDGES: TypeAdapter[list[AnyEdge]] = TypeAdapter(list[Edge])
_SOURCES: TypeAdapter[list[Source]] = TypeAdapter(list[Source])

R = TypeVar("R")
Tx = neo4j.ManagedTransaction
Row = dict[str, Any]

#: How often a whole-map read starts over when the map changes while it is read.
CONSISTENT_READ_ATTEMPTS = 5


def _dump(model: AnyNode | AnyEdge | MapMeta) -> str:
    return model.model_dump_json(exclude_defaults=True, exclude_none=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _run(
    tx: Tx, name: Cypher, label: NodeKind | EdgeKind | None = None, /, **params: Any
) -> list[Row]:
    return [record.data() for record in tx.run(statement(name, label), params)]


def _one(
    tx: Tx, name: Cypher, label: NodeKind | EdgeKind | None = None, /, **params: Any
) -> Row | None:
    rows = _run(tx, name, label, **params)
    return rows[0] if rows else None


def _json_list(items: Iterable[str]) -> str:
    # One JSON array validated in one call is far faster than one call per element.
    return "[" + ",".join(items) + "]"


def _batches(rows: Iterable[R], size: int) -> Iterator[list[R]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


class Neo4jStore:
    """GraphStore on Neo4j: reads in read transactions (routable), writes in write transactions.

    ``batch_size`` rows go into each import transaction; a staging generation untouched for
    ``stale_stage_seconds`` counts as abandoned and is collected by the next import or delete.
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
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
        self.stale_stage_seconds = stale_stage_seconds
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                max_transaction_retry_time=max_retry_seconds,
                user_agent="graphsvc",
                # "unknown label or property" is expected of an empty database, not a problem.
                notifications_disabled_classifications=[
                    neo4j.NotificationDisabledClassification.UNRECOGNIZED
                ],
            )
        except (ConfigurationError, ValueError) as exc:
            problem = Problem(f"not a usable Neo4j URI: {exc}", path="NEO4J_URI", value=uri)
            raise InvalidInput([problem], "bad Neo4j settings") from None
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> Neo4jStore:
        """A store for NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE."""
        password = settings.neo4j_password
        auth = None if password is None else (settings.neo4j_username, password.get_secret_value())
        return cls(settings.neo4j_uri, auth=auth, database=settings.neo4j_database, **options)

    # --- sessions, transactions, the error boundary ----------------------------------------

    def close(self) -> None:
        self._driver.close()

    def ping(self) -> None:
        # An auto-commit read: no retries, so an unreachable server answers at once.
        with self._boundary("pinging the server"), self._session(read=True) as session:
            session.run(statement(Cypher.PING)).consume()

    def _session(self, *, read: bool = False) -> neo4j.Session:
        # The shared bookmark manager chains every session of this store causally, so a read
        # on a cluster follower sees the writes this store made before it.
        return self._driver.session(
            database=self.database,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
            default_access_mode=neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS,
        )

    def _read(self, what: str, work: Callable[[Tx], R]) -> R:
        with self._boundary(what):
            self._ensure_schema()
            with self._session(read=True) as session:
                return session.execute_read(work)

    def _write(self, what: str, work: Callable[[Tx], R]) -> R:
        with self._boundary(what):
            self._ensure_schema()
            with self._session() as session:
                return session.execute_write(work)

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            with self._session() as session:
                for text in schema_statements():
                    session.run(text).consume()
            self._schema_ready = True

    @contextmanager
    def _boundary(self, what: str) -> Iterator[None]:
        """Translate driver errors (after the driver's own retries) into graphsvc errors."""
        try:
            yield
        except GraphsvcError:
            raise
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(
                f"Neo4j at {self.uri} is unavailable while {what} ({type(exc).__name__})"
            ) from None
        except TransientError:
            raise StoreUnavailable(f"Neo4j is busy while {what}; try again") from None
        except ConstraintError:
            raise Conflict(f"{what} conflicts with data already stored") from None
        except AuthError:
            raise GraphsvcError(
                f"Neo4j at {self.uri} rejected the configured credentials (NEO4J_USERNAME, "
                "NEO4J_PASSWORD)"
            ) from None
        except (Neo4jError, DriverError) as exc:
            code = getattr(exc, "code", None) or type(exc).__name__
            if code == "Neo.ClientError.Database.DatabaseNotFound":
                raise GraphsvcError(
                    f"Neo4j at {self.uri} has no database {self.database!r} (NEO4J_DATABASE)"
                ) from None
            log.exception("Neo4j error while %s", what)
            raise GraphsvcError(f"Neo4j store error while {what} ({code})") from None

    # --- maps ------------------------------------------------------------------------------

    def list_maps(self) -> list[MapInfo]:
        rows = self._read("listing maps", lambda tx: _run(tx, Cypher.LIST_MAPS))
        return [_info(row) for row in rows]

    def map_info(self, map_id: str) -> MapInfo:
        row = self._read("reading a map", lambda tx: _one(tx, Cypher.MAP_INFO, mapId=map_id))
        if row is None:
            raise NotFound(f"no map {map_id!r}")
        return _info(row)

    def load_map(self, map_id: str) -> StakeholderMap:
        def work(tx: Tx) -> tuple[Row, list[str], list[str]]:
            # Neo4j reads are read-committed: start over if a write lands mid-read, so the
            # map returned is one version of it.
            for _ in range(CONSISTENT_READ_ATTEMPTS):
                head = _one(tx, Cypher.MAP_HEAD, mapId=map_id)
                if head is None:
                    raise NotFound(f"no map {map_id!r}")
                gen = head["gen"]
                nodes = _one(tx, Cypher.NODES_ALL, mapId=map_id, gen=gen)
                edges = _one(tx, Cypher.EDGES_ALL, mapId=map_id, gen=gen)
                again = _one(tx, Cypher.MAP_HEAD, mapId=map_id)
                if again is not None and (again["gen"], again["version"]) == (gen, head["version"]):
                    return head, _items(nodes), _items(edges)
            raise StoreUnavailable(f"map {map_id!r} kept changing while it was read; try again")

        head, nodes, edges = self._read("loading a map", work)
        return StakeholderMap.model_construct(
            meta=MapMeta.model_validate_json(head["meta"]),
            sources=_SOURCES.validate_json(head["sources"]),
            nodes=_NODES.validate_json(_json_list(nodes)),
            edges=_EDGES.validate_json(_json_list(edges)),
        )

    def save_map(self, m: StakeholderMap, *, replace: bool = False) -> int:
        self._collect_garbage()
        if not replace and self._exists(m.id):
            raise Conflict(f"map {m.id!r} already exists (use replace to overwrite it)")
        _check_endpoints(m)
        gen = uuid.uuid4().hex
        self._write(
            "starting an import", lambda tx: _run(tx, Cypher.STAGE_OPEN, mapId=m.id, gen=gen)
        )
        try:
            element_ids = self._stage_nodes(m.id, gen, m.nodes)
            edge_count = self._stage_edges(m.id, gen, m.edges, element_ids)
            version, old_gen = self._write(
                "saving a map", lambda tx: _swap(tx, m, gen, replace, edge_count)
            )
        except BaseException:
            self._abandon(m.id, gen)
            raise
        if old_gen is not None:
            self._delete_generation(m.id, old_gen)
        return version

    def _exists(self, map_id: str) -> bool:
        row = self._read("reading a map", lambda tx: _one(tx, Cypher.MAP_INFO, mapId=map_id))
        return row is not None

    def _stage_nodes(self, map_id: str, gen: str, nodes: Sequence[AnyNode]) -> dict[str, str]:
        """Write nodes into a staging generation, a batch per transaction; their element ids."""
        element_ids: dict[str, str] = {}
        for batch in _batches(enumerate(nodes), self.batch_size):
            rows = [_node_row(n, pos) for pos, n in batch]

            def work(tx: Tx, rows: list[Row] = rows) -> dict[str, str]:
                _keep_alive(tx, map_id, gen)
                created: dict[str, str] = {}
                for kind, kind_rows in _by_kind(rows).items():
                    params = {"mapId": map_id, "gen": gen, "rows": kind_rows}
                    row = _one(tx, Cypher.NODES_CREATE, NodeKind(kind), **params)
                    created.update(
                        (node_id, element) for node_id, element in _items(row, "created")
                    )
                _check_written(map_id, len(created), len(rows))
                return created

            element_ids.update(self._write("importing a map", work))
        return element_ids

    def _stage_edges(
        self, map_id: str, gen: str, edges: Sequence[AnyEdge], element_ids: dict[str, str]
    ) -> int:
        """Write edges into a staging generation, a batch per transaction; how many."""
        written = 0
        for batch in _batches(enumerate(edges), self.batch_size):
            rows = [
                {
                    "id": e.id,
                    "kind": e.kind,
                    "data": _dump(e),
                    "pos": pos,
                    "a": element_ids[e.from_],
                    "b": element_ids[e.to],
                }
                for pos, e in batch
            ]

            def work(tx: Tx, rows: list[Row] = rows) -> int:
                _keep_alive(tx, map_id, gen)
                created = sum(
                    _count(
                        _one(
                            tx,
                            Cypher.EDGES_CREATE,
                            EdgeKind(kind),
                            mapId=map_id,
                            gen=gen,
                            rows=kind_rows,
                        ),
                        "created",
                    )
                    for kind, kind_rows in _by_kind(rows).items()
                )
                _check_written(map_id, created, len(rows))
                return created

            written += self._write("importing a map", work)
        return written

    def _abandon(self, map_id: str, gen: str) -> None:
        """Delete a staging generation that did not go live (best effort; else collected later)."""
        try:
            row = self._write(
                "abandoning an import", lambda tx: _one(tx, Cypher.STAGE_ABANDON, gen=gen)
            )
        except GraphsvcError:
            log.warning("could not give up import %s of map %s; collected later", gen, map_id)
            return
        if row is not None:
            self._delete_generation(map_id, gen)

    def _collect_garbage(self) -> None:
        """Delete retired generations and abandoned imports; failures are left for next time."""
        stale_ms = int(self.stale_stage_seconds * 1000)
        try:
            rows = self._write(
                "collecting garbage",
                lambda tx: _run(tx, Cypher.STAGES_GARBAGE, staleMs=stale_ms),
            )
        except GraphsvcError:
            log.warning("could not look for retired generations", exc_info=True)
            return
        for row in rows:
            self._delete_generation(row["mapId"], row["gen"])

    def _delete_generation(self, map_id: str, gen: str) -> None:
        try:
            while self._write(
                "deleting a retired generation",
                lambda tx: _count(
                    _one(tx, Cypher.GENERATION_DELETE, mapId=map_id, gen=gen, limit=self.batch_size)
                ),
            ):
                pass
            self._write(
                "deleting a retired generation", lambda tx: _run(tx, Cypher.STAGE_DROP, gen=gen)
            )
        except GraphsvcError:
            log.warning("could not delete generation %s of map %s yet", gen, map_id, exc_info=True)

    def delete_map(self, map_id: str) -> None:
        row = self._write("deleting a map", lambda tx: _one(tx, Cypher.MAP_DELETE, mapId=map_id))
        if row is None:
            raise NotFound(f"no map {map_id!r}")
        self._delete_generation(map_id, row["gen"])

    def update_meta(self, meta: MapMeta, *, expected_version: int | None = None) -> int:
        def work(tx: Tx, gen: str) -> None:
            _run(
                tx,
                Cypher.META_UPDATE,
                mapId=meta.id,
                meta=_dump(meta),
                title=meta.title,
                description=meta.description,
                tags=list(meta.tags),
            )

        return self._change("updating a map", meta.id, expected_version, work)

    def _change(
        self, what: str, map_id: str, expected: int | None, work: Callable[[Tx, str], None]
    ) -> int:
        """Run one change to a map in a transaction that also moves it to its next version."""

        def tx_work(tx: Tx) -> int:
            bump = _one(tx, Cypher.MAP_BUMP, mapId=map_id, now=_now())
            if bump is None:
                raise NotFound(f"no map {map_id!r}")
            if expected is not None and bump["previous"] != expected:
                raise Conflict(f"map {map_id!r} is at version {bump['previous']}, not {expected}")
            work(tx, bump["gen"])
            return int(bump["version"])

        return self._write(what, tx_work)

    # --- nodes and edges -------------------------------------------------------------------

    def get_nodes(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyNode]:
        items = self._items("reading nodes", Cypher.NODES_GET, map_id, ids)
        return {n.id: n for n in _NODES.validate_json(_json_list(items))}

    def get_edges(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyEdge]:
        items = self._items("reading edges", Cypher.EDGES_GET, map_id, ids)
        return {e.id: e for e in _EDGES.validate_json(_json_list(items))}

    def edges_touching(self, map_id: str, node_ids: Sequence[str]) -> list[AnyEdge]:
        items = self._items("reading edges", Cypher.EDGES_TOUCHING, map_id, node_ids)
        return _EDGES.validate_json(_json_list(items))

    def _items(self, what: str, name: Cypher, map_id: str, ids: Sequence[str]) -> list[str]:
        if not ids:
            return []
        unique = list(dict.fromkeys(ids))
        row = self._read(what, lambda tx: _one(tx, name, mapId=map_id, ids=unique))
        return _items(row)

    def find_nodes(self, map_id: str, query: NodeQuery) -> Page[AnyNode]:
        params = {
            "kinds": list(query.kinds) or None,
            "tag": query.tag,
            "search": query.search.lower() if query.search else None,
        }
        return self._page(
            "finding nodes", Cypher.NODES_FIND, map_id, params, query.after, query.limit, _NODES
        )

    def find_edges(self, map_id: str, query: EdgeQuery) -> Page[AnyEdge]:
        params = {"kinds": list(query.kinds) or None}
        return self._page(
            "finding edges", Cypher.EDGES_FIND, map_id, params, query.after, query.limit, _EDGES
        )

    def _page(
        self,
        what: str,
        name: Cypher,
        map_id: str,
        params: dict[str, Any],
        after: str | None,
        limit: int,
        adapter: TypeAdapter[Any],
    ) -> Page[Any]:
        row = self._read(
            what,
            lambda tx: _one(
                tx, name, mapId=map_id, after=after or "", limit=max(limit, 0) + 1, **params
            ),
        )
        if row is None:
            raise NotFound(f"no map {map_id!r}")
        items: list[str] = row["items"]
        page = adapter.validate_json(_json_list(items[: max(limit, 0)]))
        return Page(page, int(row["total"]), len(items) > limit)

    def upsert_node(
        self, map_id: str, node: AnyNode, *, expected_version: int | None = None
    ) -> int:
        def work(tx: Tx, gen: str) -> None:
            row = _node_row(node, None)
            _run(tx, Cypher.NODE_UPSERT, NodeKind(node.kind), mapId=map_id, gen=gen, **row)

        return self._change("writing a node", map_id, expected_version, work)

    def delete_node(self, map_id: str, node_id: str, *, expected_version: int | None = None) -> int:
        def work(tx: Tx, gen: str) -> None:
            if _one(tx, Cypher.NODE_DELETE, mapId=map_id, gen=gen, id=node_id) is None:
                raise NotFound(f"no node {node_id!r} in map {map_id!r}")

        return self._change("deleting a node", map_id, expected_version, work)

    def upsert_edge(
        self, map_id: str, edge: AnyEdge, *, expected_version: int | None = None
    ) -> int:
        def work(tx: Tx, gen: str) -> None:
            old = _one(tx, Cypher.EDGE_DELETE, mapId=map_id, gen=gen, id=edge.id)
            row = _edge_row(edge, None if old is None else old["pos"])
            put = _one(tx, Cypher.EDGE_PUT, EdgeKind(edge.kind), mapId=map_id, gen=gen, **row)
            if not _count(put, "created"):
                raise NotFound(
                    f"edge {edge.id!r}: {edge.from_!r} or {edge.to!r} is not a node of map "
                    f"{map_id!r}"
                )

        return self._change("writing an edge", map_id, expected_version, work)

    def delete_edge(self, map_id: str, edge_id: str, *, expected_version: int | None = None) -> int:
        def work(tx: Tx, gen: str) -> None:
            if not _count(_one(tx, Cypher.EDGE_DELETE, mapId=map_id, gen=gen, id=edge_id)):
                raise NotFound(f"no edge {edge_id!r} in map {map_id!r}")

        return self._change("deleting an edge", map_id, expected_version, work)


def _items(row: Row | None, key: str = "items") -> list[Any]:
    return [] if row is None else list(row[key])


def _by_kind(rows: list[Row]) -> dict[str, list[Row]]:
    by_kind: dict[str, list[Row]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    return by_kind


def _keep_alive(tx: Tx, map_id: str, gen: str) -> None:
    """Mark a staging generation as still being written; fail if it was collected meanwhile."""
    if not _count(_one(tx, Cypher.STAGE_TOUCH, gen=gen), "alive"):
        raise StoreUnavailable(f"the import of map {map_id!r} stalled and was collected; try again")


def _check_written(map_id: str, written: int, expected: int) -> None:
    if written != expected:
        raise GraphsvcError(f"import of map {map_id!r} wrote {written} of {expected} elements")


def _swap(
    tx: Tx, m: StakeholderMap, gen: str, replace: bool, edge_count: int
) -> tuple[int, str | None]:
    """Make a staged generation the live one: the new version, and the generation it retired."""
    counter = _one(tx, Cypher.COUNTER_NEXT, mapId=m.id)
    if not replace and _one(tx, Cypher.MAP_INFO, mapId=m.id) is not None:
        raise Conflict(f"map {m.id!r} already exists (use replace to overwrite it)")
    if not _count(_one(tx, Cypher.STAGE_CLAIM, gen=gen), "claimed"):
        raise StoreUnavailable(f"the import of map {m.id!r} stalled and was collected; try again")
    old = _one(
        tx,
        Cypher.MAP_PUT,
        mapId=m.id,
        gen=gen,
        version=_count(counter, "version"),
        now=_now(),
        meta=_dump(m.meta),
        sources=_sources_json(m),
        title=m.meta.title,
        description=m.meta.description,
        tags=list(m.meta.tags),
        nodeCount=len(m.nodes),
        edgeCount=edge_count,
    )
    return _count(counter, "version"), None if old is None else old["oldGen"]


def _count(row: Row | None, key: str = "deleted") -> int:
    return 0 if row is None else int(row[key])


def _info(row: Row) -> MapInfo:
    meta = MapMeta.model_validate_json(row["meta"])
    return MapInfo(
        row["id"],
        meta.title,
        meta.description,
        tuple(meta.tags),
        int(row["version"]),
        int(row["nodeCount"]),
        int(row["edgeCount"]),
        row["updatedAt"],
    )


def _node_row(n: AnyNode, pos: int | None) -> Row:
    return {
        "id": n.id,
        "kind": n.kind,
        "name": n.name,
        "tags": list(n.tags),
        "data": _dump(n),
        "pos": pos,
    }


def _edge_row(e: AnyEdge, pos: int | None) -> Row:
    return {
        "id": e.id,
        "kind": e.kind,
        "source": e.from_,
        "target": e.to,
        "data": _dump(e),
        "pos": pos,
    }


def _sources_json(m: StakeholderMap) -> str:
    return _json_list(s.model_dump_json(exclude_none=True) for s in m.sources)


def _check_endpoints(m: StakeholderMap) -> None:
    """A relationship needs both its nodes: refuse edges that name a node the map lacks."""
    ids = {n.id for n in m.nodes}
    problems = [
        Problem(f"edge {e.id!r} names node {end!r}, which the map does not have", path="edges")
        for e in m.edges
        for end in (e.from_, e.to)
        if end not in ids
    ]
    if problems:
        raise InvalidInput(problems, f"map {m.id!r} has edges to missing nodes")
