"""Editing one element of a stored map, checked against the whole map like a map file.

Every edit loads the map, applies the change with :func:`graphsvc.domain.changes.apply_changes`
(the rules of map files: field types and ranges, allowed endpoints, references that resolve,
one edge of a kind between two nodes), and only then writes the one element through the
store with the version it validated against, so a concurrent writer makes the edit fail with
``Conflict`` instead of slipping an unchecked state in between. An invalid edit writes nothing
and lists every problem; paths start at ``input`` (the element sent) or name the other
element the edit breaks (``edges[a--DEPLOYS--s].from``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphsvc.domain.access import CLI
from graphsvc.domain.changes import apply_changes
from graphsvc.domain.model import (
    EDGE_ADAPTER,
    AnyEdge,
    AnyNode,
    StakeholderMap,
    derived_edge_id,
)
from graphsvc.errors import Conflict, InvalidInput, LimitExceeded, NotFound, Problem
from graphsvc.service.audit import element_note
from graphsvc.store.base import GraphStore

_CHANGE_PATH = re.compile(r"^changes\[0\](?:\.(?:node|edge))?")
_ELEMENT_PATH = re.compile(r"(nodes|edges)\[(\d+)\]")


@dataclass(frozen=True)
class Edit:
    """What one edit did: the map's new version and the element before and after it."""

    map_id: str
    version: int
    op: str
    element_id: str
    before: AnyNode | AnyEdge | None
    after: AnyNode | AnyEdge | None
    removed_edges: tuple[str, ...] = ()


class MapEditor:
    """Validated single-element writes (the use case behind the API's mutations), each
    recorded in the map's audit log as done by ``actor``."""

    def __init__(
        self, store: GraphStore, *, actor: str = CLI.actor, max_elements: int | None = None
    ) -> None:
        self.store = store
        self.actor = actor
        self.max_elements = max_elements

    def upsert_node(
        self, map_id: str, data: Mapping[str, Any], *, expected_version: int | None = None
    ) -> Edit:
        """Add a node or replace the node with the same id (every field is replaced)."""
        m, version = self._load(map_id, expected_version)
        new = self._apply(m, {"op": "upsertNode", "node": dict(data)})
        node_id = str(data["id"])
        after = new.node(node_id)
        assert after is not None
        before = m.node(node_id)
        self._check_growth(m, before is None)
        note = element_note(self.actor, "upsertNode", before, after)
        written = self.store.upsert_node(map_id, after, expected_version=version, audit=[note])
        return Edit(map_id, written, "upsertNode", node_id, before, after)

    def delete_node(
        self, map_id: str, node_id: str, *, expected_version: int | None = None
    ) -> Edit:
        """Remove a node and every edge touching it."""
        m, version = self._load(map_id, expected_version)
        before = m.node(node_id)
        if before is None:
            raise NotFound(f"no node {node_id!r} in map {map_id!r}")
        removed = [e for e in m.edges if node_id in (e.from_, e.to)]
        # One entry per element removed: the edges that go with the node, then the node.
        notes = [element_note(self.actor, "deleteEdge", e, None) for e in removed]
        notes.append(element_note(self.actor, "deleteNode", before, None))
        written = self.store.delete_node(map_id, node_id, expected_version=version, audit=notes)
        return Edit(
            map_id, written, "deleteNode", node_id, before, None, tuple(e.id for e in removed)
        )

    def upsert_edge(
        self, map_id: str, data: Mapping[str, Any], *, expected_version: int | None = None
    ) -> Edit:
        """Add an edge or replace the edge with the same id.

        An edge sent without an id that matches an existing edge of the same kind between the
        same nodes updates that edge (keeping its id); one sent with a different explicit id
        is rejected, since two edges of a kind between two nodes are not allowed.
        """
        m, version = self._load(map_id, expected_version)
        data = dict(data)
        twin = self._twin(m, data)
        if twin is not None:
            if data.get("id") and data["id"] != twin.id:
                raise InvalidInput(
                    [
                        Problem(
                            f"edge {twin.id!r} already is the {twin.kind} edge from "
                            f"{twin.from_!r} to {twin.to!r}; update that id or delete it first",
                            "input.id",
                            value=data["id"],
                        )
                    ]
                )
            data["id"] = twin.id
        new = self._apply(m, {"op": "upsertEdge", "edge": data})
        edge_id = data.get("id") or derived_edge_id(
            str(data.get("from")), str(data.get("kind")), str(data.get("to"))
        )
        after = next(e for e in new.edges if e.id == edge_id)
        before = next((e for e in m.edges if e.id == edge_id), None)
        self._check_growth(m, before is None)
        note = element_note(self.actor, "upsertEdge", before, after)
        written = self.store.upsert_edge(map_id, after, expected_version=version, audit=[note])
        return Edit(map_id, written, "upsertEdge", edge_id, before, after)

    def delete_edge(
        self, map_id: str, edge_id: str, *, expected_version: int | None = None
    ) -> Edit:
        """Remove one edge."""
        m, version = self._load(map_id, expected_version)
        before = next((e for e in m.edges if e.id == edge_id), None)
        if before is None:
            raise NotFound(f"no edge {edge_id!r} in map {map_id!r}")
        note = element_note(self.actor, "deleteEdge", before, None)
        written = self.store.delete_edge(map_id, edge_id, expected_version=version, audit=[note])
        return Edit(map_id, written, "deleteEdge", edge_id, before, None)

    # --- steps -----------------------------------------------------------------------------

    def _load(self, map_id: str, expected_version: int | None) -> tuple[StakeholderMap, int]:
        version = self.store.map_info(map_id).version
        if expected_version is not None and expected_version != version:
            raise Conflict(f"map {map_id!r} is at version {version}, not {expected_version}")
        return self.store.load_map(map_id), version

    def _check_growth(self, m: StakeholderMap, adds: bool) -> None:
        limit = self.max_elements
        if adds and limit is not None and len(m.nodes) + len(m.edges) >= limit:
            raise LimitExceeded(
                f"map {m.id!r} already has {limit} nodes and edges, the most allowed"
            )

    @staticmethod
    def _twin(m: StakeholderMap, data: Mapping[str, Any]) -> AnyEdge | None:
        try:
            edge = EDGE_ADAPTER.validate_python(data)
        except ValueError:
            return None  # reported with its paths by apply_changes
        key = (edge.kind, edge.from_, edge.to)
        return next((e for e in m.edges if (e.kind, e.from_, e.to) == key), None)

    @staticmethod
    def _apply(m: StakeholderMap, change: dict[str, Any]) -> StakeholderMap:
        try:
            return apply_changes(m, [change])
        except InvalidInput as exc:
            raise InvalidInput(
                [_relocate(p, m) for p in exc.problems], "the edit breaks the map"
            ) from None


def _relocate(problem: Problem, m: StakeholderMap) -> Problem:
    """Paths relative to the edit: ``input.*`` for the element sent, ids for the others."""
    named = name_elements(problem, m)
    return Problem(
        named.message, _CHANGE_PATH.sub("input", named.path), named.file, named.line, named.value
    )


def name_elements(problem: Problem, m: StakeholderMap) -> Problem:
    """``edges[3].from`` → ``edges[a--DEPLOYS--s].from``: positions in ``m`` mean nothing to a
    client of the API, ids do."""

    def by_id(match: re.Match[str]) -> str:
        section, index = match.group(1), int(match.group(2))
        items: list[Any] = m.nodes if section == "nodes" else m.edges
        return f"{section}[{items[index].id}]" if index < len(items) else match.group(0)

    return Problem(
        _ELEMENT_PATH.sub(by_id, problem.message),
        _ELEMENT_PATH.sub(by_id, problem.path),
        problem.file,
        problem.line,
        problem.value,
    )
