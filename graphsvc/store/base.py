"""The GraphStore protocol that every backend implements, and the records it returns."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from graphsvc.domain.model import AnyEdge, AnyNode, MapMeta, StakeholderMap
from graphsvc.errors import NotFound


@dataclass(frozen=True)
class MapInfo:
    """What a store knows about one map without loading it."""

    id: str
    title: str | None
    description: str | None
    tags: tuple[str, ...]
    version: int
    node_count: int
    edge_count: int
    updated_at: str


@dataclass(frozen=True)
class NodeQuery:
    """A filter over the nodes of one map, paged by id (keyset paging: after = last id seen)."""

    kinds: Sequence[str] = ()
    tag: str | None = None
    search: str | None = None  # case-insensitive substring of name or id
    after: str | None = None
    limit: int = 100


@dataclass(frozen=True)
class EdgeQuery:
    """A filter over the edges of one map, paged by id."""

    kinds: Sequence[str] = ()
    after: str | None = None
    limit: int = 100


@dataclass(frozen=True)
class ChangeNote:
    """What a write records in the audit log, in the write's own transaction: who, which
    operation, on which element, and the element's JSON before and after (None: absent)."""

    actor: str
    operation: str
    element_id: str | None = None
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class Change:
    """One entry of a map's audit log. ``seq`` orders the entries of a map (newest highest);
    ``version`` is the map version the write produced (None for a deleted map)."""

    seq: int
    map_id: str
    version: int | None
    at: str
    actor: str
    operation: str
    element_id: str | None
    before: Any
    after: Any


@dataclass(frozen=True)
class TokenRecord:
    """What a store keeps of an API token: never the secret, only its SHA-256 digest."""

    id: str
    name: str | None
    role: str
    maps: tuple[str, ...] | None  # None: every map
    digest: str
    created_at: str
    revoked_at: str | None = None


@runtime_checkable
class TokenRegistry(Protocol):
    """The API tokens of a store (a small part of each backend, beside its maps)."""

    def add(self, token: TokenRecord) -> None: ...

    def get(self, token_id: str) -> TokenRecord | None: ...

    def all(self) -> list[TokenRecord]:
        """Every token, revoked ones included, oldest first."""

    def revoke(self, token_id: str) -> TokenRecord:
        """Mark a token revoked (once; later calls change nothing); NotFound when unknown."""

    def any_active(self) -> bool: ...


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a filtered list: its items, the size of the whole list, and if more follow."""

    items: list[T]
    total: int
    has_next: bool


@runtime_checkable
class GraphStore(Protocol):
    """Maps stored durably, each isolated, each write bumping the map's version.

    Every write is atomic. Writes that take ``expected_version`` raise ``Conflict`` when the
    map has moved on. Unknown maps, nodes and edges raise ``NotFound``; an unreachable
    backend raises ``StoreUnavailable``. The ``audit`` notes of a write are appended to the
    map's audit log in the write's own transaction: both happen, or neither.
    """

    @property
    def tokens(self) -> TokenRegistry: ...

    def close(self) -> None: ...

    def ping(self) -> None:
        """Raise StoreUnavailable unless the backend answers."""

    def list_maps(self) -> list[MapInfo]: ...

    def map_info(self, map_id: str) -> MapInfo: ...

    def load_map(self, map_id: str) -> StakeholderMap:
        """The whole map, elements in the order they were first stored."""

    def save_map(
        self,
        m: StakeholderMap,
        *,
        replace: bool = False,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        """Store a whole map atomically; Conflict if it exists and not ``replace``. New version."""

    def delete_map(
        self,
        map_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> None: ...

    def update_meta(
        self,
        meta: MapMeta,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int: ...

    def get_nodes(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyNode]:
        """The nodes among ``ids`` that exist (one round trip)."""

    def find_nodes(self, map_id: str, query: NodeQuery) -> Page[AnyNode]: ...

    def find_edges(self, map_id: str, query: EdgeQuery) -> Page[AnyEdge]: ...

    def get_edges(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyEdge]: ...

    def edges_touching(self, map_id: str, node_ids: Sequence[str]) -> list[AnyEdge]:
        """Every edge with an end among ``node_ids`` (one round trip), in id order."""

    def upsert_node(
        self,
        map_id: str,
        node: AnyNode,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int: ...

    def delete_node(
        self,
        map_id: str,
        node_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        """Delete a node and its edges; the new version."""

    def upsert_edge(
        self,
        map_id: str,
        edge: AnyEdge,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int: ...

    def delete_edge(
        self,
        map_id: str,
        edge_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int: ...

    def list_changes(
        self, map_id: str, *, after: int | None = None, limit: int = 50
    ) -> Page[Change]:
        """The map's audit log, newest first: entries with ``seq`` below ``after``. An empty
        page for a map without entries (the caller decides whether that is NOT_FOUND)."""


@dataclass(frozen=True)
class Neighborhood:
    """The nodes within ``depth`` edges of ``center`` (either direction) and the edges among
    them that were walked; nodes and edges in id order."""

    center: AnyNode
    depth: int
    nodes: list[AnyNode]
    edges: list[AnyEdge]


@runtime_checkable
class NeighborhoodReader(Protocol):
    """A store (or a wrapper of one) that reads a neighbourhood its own, faster way: an
    optional part of a backend, beside :class:`GraphStore`, with the meaning of
    :func:`read_neighborhood`."""

    def neighborhood(self, map_id: str, center_id: str, depth: int) -> Neighborhood: ...


@runtime_checkable
class RevisionReader(Protocol):
    """A store that can tell, cheaply and without a round trip, whether anything was committed
    to it since it last answered: an optional part of a backend. ``revision()`` returns a value
    that differs after every commit, by this process or any other, and never repeats for the
    same open store (the API's response cache is keyed on it, ``graphsvc.api.responses``).
    StoreUnavailable when it cannot tell."""

    def revision(self) -> Hashable: ...


def read_neighborhood(store: GraphStore, map_id: str, center_id: str, depth: int) -> Neighborhood:
    """Breadth-first from ``center_id`` along edges in both directions, ``depth`` rings.

    Every edge touching a node closer than ``depth`` is included, so the result shows how the
    outermost ring connects inward but not the ring's own onward edges. NotFound for an
    unknown map, then for an unknown centre. A :class:`NeighborhoodReader` answers itself
    (the Neo4j store: one read transaction); otherwise this is the default over the
    GraphStore methods: ``depth + 2`` round trips.
    """
    if isinstance(store, NeighborhoodReader):
        return store.neighborhood(map_id, center_id, depth)
    store.map_info(map_id)  # NotFound for an unknown map rather than for its node
    found = store.get_nodes(map_id, [center_id])
    if center_id not in found:
        raise NotFound(f"no node {center_id!r} in map {map_id!r}")
    seen = {center_id}
    frontier = [center_id]
    edges: dict[str, AnyEdge] = {}
    for _ in range(depth):
        if not frontier:
            break
        ring: set[str] = set()
        for edge in store.edges_touching(map_id, frontier):
            edges[edge.id] = edge
            ring.update(end for end in (edge.from_, edge.to) if end not in seen)
        seen |= ring
        frontier = sorted(ring)
    nodes = store.get_nodes(map_id, sorted(seen))
    return Neighborhood(
        found[center_id],
        depth,
        [nodes[n] for n in sorted(nodes)],
        [edges[e] for e in sorted(edges)],
    )
