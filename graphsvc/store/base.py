"""The GraphStore protocol that every backend implements, and the records it returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar, runtime_checkable

from graphsvc.domain.model import AnyEdge, AnyNode, MapMeta, StakeholderMap


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
    backend raises ``StoreUnavailable``.
    """

    def close(self) -> None: ...

    def ping(self) -> None:
        """Raise StoreUnavailable unless the backend answers."""

    def list_maps(self) -> list[MapInfo]: ...

    def map_info(self, map_id: str) -> MapInfo: ...

    def load_map(self, map_id: str) -> StakeholderMap:
        """The whole map, elements in the order they were first stored."""

    def save_map(self, m: StakeholderMap, *, replace: bool = False) -> int:
        """Store a whole map atomically; Conflict if it exists and not ``replace``. New version."""

    def delete_map(self, map_id: str) -> None: ...

    def update_meta(self, meta: MapMeta, *, expected_version: int | None = None) -> int: ...

    def get_nodes(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyNode]:
        """The nodes among ``ids`` that exist (one round trip)."""

    def find_nodes(self, map_id: str, query: NodeQuery) -> Page[AnyNode]: ...

    def find_edges(self, map_id: str, query: EdgeQuery) -> Page[AnyEdge]: ...

    def get_edges(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyEdge]: ...

    def edges_touching(self, map_id: str, node_ids: Sequence[str]) -> list[AnyEdge]:
        """Every edge with an end among ``node_ids`` (one round trip), in id order."""

    def upsert_node(
        self, map_id: str, node: AnyNode, *, expected_version: int | None = None
    ) -> int: ...

    def delete_node(self, map_id: str, node_id: str, *, expected_version: int | None = None) -> int:
        """Delete a node and its edges; the new version."""

    def upsert_edge(
        self, map_id: str, edge: AnyEdge, *, expected_version: int | None = None
    ) -> int: ...

    def delete_edge(
        self, map_id: str, edge_id: str, *, expected_version: int | None = None
    ) -> int: ...
