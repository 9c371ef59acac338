"""Generations of a map: how a whole map is imported atomically, in batched transactions.

An import writes every node and edge under a fresh ``gen``, ``batch_size`` rows per
transaction, announced by a ``(:GStage {gen, state: 'staging'})`` node that every batch
touches. One small transaction then points the GMap at the new generation and retires the old
one. Readers only ever read the generation the GMap names, so they never see half an import.
A failure before the swap leaves the live generation as it was: the staged rows are deleted
at once or, when the process died, by a later import once the stage has been untouched for
``stale_stage_seconds``. Retired generations are deleted in batches after the swap.

Why not one transaction for the whole map: its memory grows with the map, so the server's
transaction memory would cap the size of a map. Why not rename staged rows to the live map id:
that swap would rewrite every element in one transaction again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Any, TypeVar

from graphsvc.domain.kinds import EdgeKind, NodeKind
from graphsvc.domain.model import AnyEdge, AnyNode, StakeholderMap
from graphsvc.errors import Conflict, GraphsvcError, InvalidInput, Problem, StoreUnavailable
from graphsvc.store.base import ChangeNote
from graphsvc.store.cypher import Cypher
from graphsvc.store.neo4j.audit import append_changes
from graphsvc.store.neo4j.connection import Connection, Row, Tx, count, items, one, run
from graphsvc.store.neo4j.records import dump, map_row, now

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class Generations:
    """Imports, retires and collects generations of maps through one connection."""

    def __init__(
        self, conn: Connection, *, batch_size: int = 5_000, stale_stage_seconds: float = 600.0
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.conn = conn
        self.batch_size = batch_size
        self.stale_stage_seconds = stale_stage_seconds

    def import_map(
        self,
        m: StakeholderMap,
        *,
        replace: bool,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        """Store ``m`` as a new generation and swap it in; the map's new version."""
        self.collect_garbage()
        current = self._head(m.id)
        if not replace and current is not None:
            raise Conflict(f"map {m.id!r} already exists (use replace to overwrite it)")
        _check_expected(m.id, current, expected_version)  # early: before staging anything
        _check_endpoints(m)
        gen = uuid.uuid4().hex[:16]  # 64 random bits; short, because every index key holds it
        self.conn.write(
            "starting an import", lambda tx: run(tx, Cypher.STAGE_OPEN, mapId=m.id, gen=gen)
        )
        try:
            element_ids = self._stage_nodes(m.id, gen, m.nodes)
            edges = self._stage_edges(m.id, gen, m.edges, element_ids)
            version, old_gen = self.conn.write(
                "saving a map",
                lambda tx: _swap(
                    tx, m, gen, replace=replace, edges=edges, expected=expected_version, audit=audit
                ),
            )
        except BaseException:
            self._abandon(m.id, gen)
            raise
        if old_gen is not None:
            self._delete_generation(m.id, old_gen)
        return version

    def delete_map(
        self,
        map_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> bool:
        """Drop a map and delete its generation; False when there is no such map."""

        def work(tx: Tx) -> Row | None:
            if expected_version is not None:
                head = one(tx, Cypher.MAP_LOCK, mapId=map_id)
                if head is None:
                    return None
                _check_expected(map_id, head, expected_version)
            row = one(tx, Cypher.MAP_DELETE, mapId=map_id)
            if row is not None and audit:
                # A deleted map has no version; its entries take the next number of the counter
                # (so they sort after every earlier write, and versions still never repeat).
                taken = count(one(tx, Cypher.COUNTER_NEXT, mapId=map_id), "version")
                append_changes(tx, map_id, None, audit, seq_base=taken)
            return row

        row = self.conn.write("deleting a map", work)
        if row is None:
            return False
        self._delete_generation(map_id, row["gen"])
        return True

    def collect_garbage(self) -> None:
        """Delete retired generations and abandoned imports; what fails is left for next time."""
        stale_ms = int(self.stale_stage_seconds * 1000)
        try:
            rows = self.conn.write(
                "collecting garbage", lambda tx: run(tx, Cypher.STAGES_GARBAGE, staleMs=stale_ms)
            )
        except GraphsvcError:
            log.warning("could not look for retired generations", exc_info=True)
            return
        for row in rows:
            self._delete_generation(row["mapId"], row["gen"])

    def _head(self, map_id: str) -> Row | None:
        return self.conn.read("reading a map", lambda tx: one(tx, Cypher.MAP_INFO, mapId=map_id))

    def _stage_nodes(self, map_id: str, gen: str, nodes: Sequence[AnyNode]) -> dict[str, str]:
        """Write nodes into a staging generation; their element ids, for the edges."""
        element_ids: dict[str, str] = {}
        for size, by_kind in _ahead(_node_batches(nodes, self.batch_size)):

            def work(tx: Tx, by_kind: Columns = by_kind, size: int = size) -> dict[str, str]:
                _keep_alive(tx, map_id, gen)
                created: dict[str, str] = {}
                for kind, columns in by_kind.items():
                    params = {"mapId": map_id, "gen": gen, "kind": kind, "sep": SEP, **columns}
                    row = one(tx, Cypher.NODES_CREATE, NodeKind(kind), **params)
                    created.update((node_id, element) for node_id, element in items(row, "created"))
                _check_written(map_id, len(created), size)
                return created

            element_ids.update(self.conn.write("importing a map", work))
        return element_ids

    def _stage_edges(
        self, map_id: str, gen: str, edges: Sequence[AnyEdge], element_ids: dict[str, str]
    ) -> int:
        """Write edges into a staging generation; how many."""
        written = 0
        for size, by_kind in _ahead(_edge_batches(edges, element_ids, self.batch_size)):

            def work(tx: Tx, by_kind: Columns = by_kind, size: int = size) -> int:
                _keep_alive(tx, map_id, gen)
                created = 0
                for kind, columns in by_kind.items():
                    params = {"mapId": map_id, "gen": gen, "kind": kind, "sep": SEP, **columns}
                    created += count(
                        one(tx, Cypher.EDGES_CREATE, EdgeKind(kind), **params), "created"
                    )
                _check_written(map_id, created, size)
                return created

            written += self.conn.write("importing a map", work)
        return written

    def _abandon(self, map_id: str, gen: str) -> None:
        """Give up a staging generation that did not go live (or leave it to be collected)."""
        try:
            row = self.conn.write(
                "abandoning an import", lambda tx: one(tx, Cypher.STAGE_ABANDON, gen=gen)
            )
        except GraphsvcError:
            log.warning("could not give up import %s of map %s; collected later", gen, map_id)
            return
        if row is not None:  # None: the swap committed after all, or it is gone already
            self._delete_generation(map_id, gen)

    def _delete_generation(self, map_id: str, gen: str) -> None:
        def delete_batch(tx: Tx) -> int:
            params = {"mapId": map_id, "gen": gen, "limit": self.batch_size}
            return count(one(tx, Cypher.GENERATION_DELETE, **params), "deleted")

        try:
            while self.conn.write("deleting a retired generation", delete_batch):
                pass
            self.conn.write(
                "deleting a retired generation", lambda tx: run(tx, Cypher.STAGE_DROP, gen=gen)
            )
        except GraphsvcError:
            log.warning("could not delete generation %s of map %s yet", gen, map_id, exc_info=True)


def _swap(
    tx: Tx,
    m: StakeholderMap,
    gen: str,
    *,
    replace: bool,
    edges: int,
    expected: int | None = None,
    audit: Sequence[ChangeNote] = (),
) -> tuple[int, str | None]:
    """Make a staged generation the live one: the new version, and the generation it retired."""
    version = count(one(tx, Cypher.COUNTER_NEXT, mapId=m.id), "version")  # locks the map
    current = one(tx, Cypher.MAP_INFO, mapId=m.id)
    if not replace and current is not None:
        raise Conflict(f"map {m.id!r} already exists (use replace to overwrite it)")
    _check_expected(m.id, current, expected)
    if not count(one(tx, Cypher.STAGE_CLAIM, gen=gen), "claimed"):
        raise StoreUnavailable(f"the import of map {m.id!r} stalled and was collected; try again")
    params = {"mapId": m.id, "gen": gen, "version": version, "now": now(), **map_row(m)}
    old = one(tx, Cypher.MAP_PUT, nodeCount=len(m.nodes), edgeCount=edges, **params)
    append_changes(tx, m.id, version, audit)
    return version, None if old is None else old["oldGen"]


def _check_expected(map_id: str, current: Row | None, expected: int | None) -> None:
    """CONFLICT unless the map is at the expected version (when one is expected)."""
    if expected is None:
        return
    if current is None:
        raise Conflict(f"map {map_id!r} does not exist (expected version {expected})")
    if current["version"] != expected:
        raise Conflict(f"map {map_id!r} is at version {current['version']}, not {expected}")


def _keep_alive(tx: Tx, map_id: str, gen: str) -> None:
    """Mark a staging generation as still being written; fail if it was collected meanwhile."""
    if not count(one(tx, Cypher.STAGE_TOUCH, gen=gen), "alive"):
        raise StoreUnavailable(f"the import of map {map_id!r} stalled and was collected; try again")


def _check_written(map_id: str, written: int, expected: int) -> None:
    if written != expected:
        raise GraphsvcError(f"import of map {map_id!r} wrote {written} of {expected} elements")


def _by_kind(rows: Iterable[tuple[str, R]]) -> dict[str, list[R]]:
    by_kind: dict[str, list[R]] = {}
    for kind, row in rows:
        by_kind.setdefault(kind, []).append(row)
    return by_kind


#: Joins the values of a batch's column into one string, which the statement splits: one string
#: packs in one step of the Python driver's packer, where a list takes one step per value (that
#: was half of the client's time in an import). A control character: JSON escapes it, and ids
#: (slugs), element ids and decimal digits never hold it. Names and tags can, so they go as lists.
SEP = "\x1f"

#: One batch ready to send: its size, and per kind the statement's column parameters.
Columns = dict[str, dict[str, Any]]


def _node_batches(nodes: Sequence[AnyNode], size: int) -> Iterator[tuple[int, Columns]]:
    for batch in _batches(enumerate(nodes), size):
        rows = _by_kind((n.kind, (n.id, dump(n), str(pos), n.name, n.tags)) for pos, n in batch)
        yield (
            len(batch),
            {k: _columns(r, ("ids", "data", "pos"), ("names", "tags")) for k, r in rows.items()},
        )


def _edge_batches(
    edges: Sequence[AnyEdge], element_ids: dict[str, str], size: int
) -> Iterator[tuple[int, Columns]]:
    for batch in _batches(enumerate(edges), size):
        rows = _by_kind(
            (e.kind, (e.id, dump(e), str(pos), element_ids[e.from_], element_ids[e.to]))
            for pos, e in batch
        )
        yield (
            len(batch),
            {k: _columns(r, ("ids", "data", "pos", "a", "b")) for k, r in rows.items()},
        )


def _columns(
    rows: list[tuple[Any, ...]], joined: Sequence[str], listed: Sequence[str] = ()
) -> dict[str, Any]:
    """Rows as columns: the first ones joined by SEP, the rest as lists."""
    columns = list(zip(*rows, strict=True))
    found: dict[str, Any] = dict(zip(joined, map(SEP.join, columns[: len(joined)]), strict=True))
    found.update(zip(listed, map(list, columns[len(joined) :]), strict=True))
    return found


def _ahead(batches: Iterator[T]) -> Iterator[T]:
    """``batches``, each made in a thread while the caller sends the one before: the client
    builds batch k+1 while the server writes batch k (the main thread waits on the socket,
    which lets the other thread run)."""
    with ThreadPoolExecutor(1, thread_name_prefix="graphsvc-import") as pool:
        ahead = pool.submit(next, batches, None)
        while (batch := ahead.result()) is not None:
            ahead = pool.submit(next, batches, None)
            yield batch


def _batches(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


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
