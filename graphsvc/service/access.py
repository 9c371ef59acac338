"""Every store access of a request goes through a :class:`ScopedStore` made for its caller.

The rule that keeps maps apart: a map outside the caller's scope is answered exactly like a
map that does not exist (``NOT_FOUND``, "no map 'x'"), before the store is asked anything,
so neither the answer nor its timing tells whether such a map exists. Only a caller that
may see a map learns that its role does not allow an operation (``FORBIDDEN``). Creating a
map outside the scope is ``FORBIDDEN`` whether or not it exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

from graphsvc.domain.access import Action, Caller
from graphsvc.domain.model import AnyEdge, AnyNode, MapMeta, StakeholderMap
from graphsvc.errors import Forbidden, NotFound
from graphsvc.store.base import (
    Change,
    ChangeNote,
    EdgeQuery,
    GraphStore,
    MapInfo,
    Neighborhood,
    NodeQuery,
    Page,
    TokenRegistry,
    read_neighborhood,
)

DENIED = {
    Action.EDIT: "this token may only read",
    Action.AUDIT: "this token may not read the audit log",
    Action.DELETE_MAP: "only an admin token may delete a map",
}


class ScopedStore:
    """A GraphStore that lets one caller reach only the maps, and do only what, it may."""

    def __init__(self, inner: GraphStore, caller: Caller) -> None:
        self.inner = inner
        self.caller = caller

    # --- the checks ------------------------------------------------------------------------

    def _see(self, map_id: str) -> None:
        if not self.caller.sees(map_id):
            raise NotFound(f"no map {map_id!r}")

    def _do(self, map_id: str, action: Action) -> None:
        self._see(map_id)
        if not self.caller.may(action):
            raise Forbidden(DENIED[action])

    @property
    def tokens(self) -> TokenRegistry:
        _no_tokens()

    def close(self) -> None:
        """The store belongs to the app, not to one request."""

    def ping(self) -> None:
        self.inner.ping()

    # --- reads -----------------------------------------------------------------------------

    def list_maps(self) -> list[MapInfo]:
        return [i for i in self.inner.list_maps() if self.caller.sees(i.id)]

    def map_info(self, map_id: str) -> MapInfo:
        self._see(map_id)
        return self.inner.map_info(map_id)

    def load_map(self, map_id: str) -> StakeholderMap:
        self._see(map_id)
        return self.inner.load_map(map_id)

    def get_nodes(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyNode]:
        self._see(map_id)
        return self.inner.get_nodes(map_id, ids)

    def find_nodes(self, map_id: str, query: NodeQuery) -> Page[AnyNode]:
        self._see(map_id)
        return self.inner.find_nodes(map_id, query)

    def find_edges(self, map_id: str, query: EdgeQuery) -> Page[AnyEdge]:
        self._see(map_id)
        return self.inner.find_edges(map_id, query)

    def get_edges(self, map_id: str, ids: Sequence[str]) -> dict[str, AnyEdge]:
        self._see(map_id)
        return self.inner.get_edges(map_id, ids)

    def edges_touching(self, map_id: str, node_ids: Sequence[str]) -> list[AnyEdge]:
        self._see(map_id)
        return self.inner.edges_touching(map_id, node_ids)

    def neighborhood(self, map_id: str, center_id: str, depth: int) -> Neighborhood:
        self._see(map_id)
        return read_neighborhood(self.inner, map_id, center_id, depth)

    def list_changes(
        self, map_id: str, *, after: int | None = None, limit: int = 50
    ) -> Page[Change]:
        self._do(map_id, Action.AUDIT)
        return self.inner.list_changes(map_id, after=after, limit=limit)

    # --- writes ----------------------------------------------------------------------------

    def save_map(
        self,
        m: StakeholderMap,
        *,
        replace: bool = False,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        if not self.caller.sees(m.id):
            raise Forbidden(f"this token may not create or replace map {m.id!r}")
        self._do(m.id, Action.EDIT)
        return self.inner.save_map(
            m, replace=replace, expected_version=expected_version, audit=audit
        )

    def delete_map(
        self,
        map_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> None:
        self._do(map_id, Action.DELETE_MAP)
        self.inner.delete_map(map_id, expected_version=expected_version, audit=audit)

    def update_meta(
        self,
        meta: MapMeta,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        self._do(meta.id, Action.EDIT)
        return self.inner.update_meta(meta, expected_version=expected_version, audit=audit)

    def upsert_node(
        self,
        map_id: str,
        node: AnyNode,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        self._do(map_id, Action.EDIT)
        return self.inner.upsert_node(map_id, node, expected_version=expected_version, audit=audit)

    def delete_node(
        self,
        map_id: str,
        node_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        self._do(map_id, Action.EDIT)
        return self.inner.delete_node(
            map_id, node_id, expected_version=expected_version, audit=audit
        )

    def upsert_edge(
        self,
        map_id: str,
        edge: AnyEdge,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        self._do(map_id, Action.EDIT)
        return self.inner.upsert_edge(map_id, edge, expected_version=expected_version, audit=audit)

    def delete_edge(
        self,
        map_id: str,
        edge_id: str,
        *,
        expected_version: int | None = None,
        audit: Sequence[ChangeNote] = (),
    ) -> int:
        self._do(map_id, Action.EDIT)
        return self.inner.delete_edge(
            map_id, edge_id, expected_version=expected_version, audit=audit
        )


def _no_tokens() -> NoReturn:
    raise Forbidden("API tokens are managed with `graphsvc token`, not through the API")


def require(caller: Caller, action: Action, map_id: str) -> None:
    """The scope and role checks of ScopedStore, for work that does not touch the store
    first (an edit is checked before its map is loaded and validated)."""
    if not caller.sees(map_id):
        raise NotFound(f"no map {map_id!r}")
    if not caller.may(action):
        raise Forbidden(DENIED[action])
