"""The in-memory graph of one map, indexed once per map version for every analysis."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TypeVar

from graphsvc.analysis.paths import NearestTarget
from graphsvc.domain.kinds import EdgeKind, NodeKind
from graphsvc.domain.model import Affects, AnyEdge, AnyNode, Mechanism, StakeholderMap

E = TypeVar("E", bound=AnyEdge)
_EMPTY: tuple[str, ...] = ()
_NODE_KINDS = {kind.value: kind for kind in NodeKind}

#: The walks of SPEC §3: forward edge kinds, backward edge kinds.
CONTEST_WALK = ((EdgeKind.CAN_CONTEST_VIA, EdgeKind.HANDLED_BY), (EdgeKind.REPRESENTS,))
FEEDBACK_WALK = (
    (EdgeKind.CAN_CONTEST_VIA, EdgeKind.HANDLED_BY, EdgeKind.FEEDS_BACK_TO),
    (EdgeKind.REPRESENTS,),
)


@dataclass
class MapGraph:
    """Nodes by id, and sorted successor and predecessor lists per edge kind.

    Edge kinds are looked up by their string values (``EdgeKind`` is a ``StrEnum``, so a
    member and its value are the same key): no enum is built per edge or per visit.
    """

    map_id: str
    nodes: dict[str, AnyNode]
    edges: list[AnyEdge]
    _out: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    _in: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    _edge: dict[tuple[str, str, str], AnyEdge] = field(default_factory=dict)
    _walks: dict[tuple[tuple[str, ...], tuple[str, ...]], Traversal] = field(default_factory=dict)
    _by_kind: dict[str, list[str]] = field(default_factory=dict)
    _contest_paths: NearestTarget | None = None
    _pairs: list[Affects] | None = None

    @classmethod
    def build(cls, m: StakeholderMap) -> MapGraph:
        g = cls(m.id, {n.id: n for n in m.nodes}, list(m.edges))
        out: dict[str, dict[str, list[str]]] = {k.value: {} for k in EdgeKind}
        inc: dict[str, dict[str, list[str]]] = {k.value: {} for k in EdgeKind}
        index = g._edge
        for edge in m.edges:
            kind, source, target = edge.kind, edge.from_, edge.to
            table = out[kind]
            if source in table:
                table[source].append(target)
            else:
                table[source] = [target]
            table = inc[kind]
            if target in table:
                table[target].append(source)
            else:
                table[target] = [source]
            index[(kind, source, target)] = edge
        for tables in (out, inc):
            for adjacency in tables.values():
                for neighbours in adjacency.values():
                    if len(neighbours) > 1:
                        neighbours.sort()
        g._out, g._in = out, inc
        by_kind: dict[str, list[str]] = {k.value: [] for k in NodeKind}
        for node_id in sorted(g.nodes):
            by_kind[g.nodes[node_id].kind].append(node_id)
        g._by_kind = by_kind
        return g

    def kind(self, node_id: str) -> NodeKind:
        return _NODE_KINDS[self.nodes[node_id].kind]

    def is_kind(self, node_id: str, kind: NodeKind) -> bool:
        """Whether a node is of ``kind`` (a string comparison, no enum built)."""
        return self.nodes[node_id].kind == kind

    def of_kind(self, kind: NodeKind) -> list[str]:
        """Ids of the nodes of one kind, sorted (do not modify: shared)."""
        return self._by_kind[kind]

    def succ(self, kind: EdgeKind, node_id: str) -> list[str] | tuple[str, ...]:
        return self._out[kind].get(node_id, _EMPTY)

    def pred(self, kind: EdgeKind, node_id: str) -> list[str] | tuple[str, ...]:
        return self._in[kind].get(node_id, _EMPTY)

    def predecessors(self, kind: EdgeKind) -> Mapping[str, list[str]]:
        """``pred`` of one edge kind as a mapping, for loops that look up many nodes (shared:
        do not modify)."""
        return self._in[kind]

    def sources_of(self, kind: EdgeKind) -> Iterable[str]:
        """Nodes with at least one outgoing edge of this kind."""
        return self._out[kind].keys()

    def edge(self, kind: EdgeKind, source: str, target: str) -> AnyEdge | None:
        return self._edge.get((kind, source, target))

    def edges_of(self, kind: EdgeKind, model: type[E]) -> list[E]:
        """Every edge of one kind, typed as its model."""
        return [e for e in self.edges if e.kind == kind and isinstance(e, model)]

    def pairs(self) -> list[Affects]:
        """The AFFECTS edges (one per pair of SPEC §3), sorted by (system, stakeholder)."""
        if self._pairs is None:
            edges = [e for e in self.edges if isinstance(e, Affects)]
            self._pairs = sorted(edges, key=attrgetter("from_", "to"))
        return self._pairs

    def traversal(
        self, forward: Iterable[EdgeKind], backward: Iterable[EdgeKind] = ()
    ) -> Traversal:
        """A walk along ``forward`` edge kinds and against ``backward`` ones (built once per
        combination and shared: the graph of a map version never changes)."""
        key = (tuple(sorted(forward)), tuple(sorted(backward)))
        found = self._walks.get(key)
        if found is None:
            tables = [self._out[k] for k in key[0]] + [self._in[k] for k in key[1]]
            reverse = [self._in[k] for k in key[0]] + [self._out[k] for k in key[1]]
            found = self._walks[key] = Traversal(_union(tables), _union(reverse))
        return found

    def contest_walk(self) -> Traversal:
        """The contest traversal of SPEC §3."""
        return self.traversal(*CONTEST_WALK)

    def contest_paths(self) -> NearestTarget:
        """Best contest paths (highest accessibility, then fewest edges) to authorities; the
        per-authority searches are shared by the contest analysis and the recommender."""
        if self._contest_paths is None:
            walk = self.contest_walk()
            access = {
                node.id: node.accessibility
                for node in self.nodes.values()
                if isinstance(node, Mechanism) and node.accessibility is not None
            }
            self._contest_paths = NearestTarget(
                walk.succ, walk.pred, lambda node_id: access.get(node_id, 1.0)
            )
        return self._contest_paths

    def drop_searches(self) -> None:
        """Let go of the contest path searches (memory) once nothing will ask for a path."""
        self._contest_paths = None

    def feedback_walk(self) -> Traversal:
        """The feedback traversal of SPEC §3."""
        return self.traversal(*FEEDBACK_WALK)


def _union(tables: list[dict[str, list[str]]]) -> dict[str, list[str]]:
    """Sorted, duplicate-free union of several adjacency tables (lists shared when alone)."""
    merged: dict[str, list[str]] = {}
    for table in tables:
        for node, neighbours in table.items():
            old = merged.get(node)
            merged[node] = neighbours if old is None else sorted(set(old).union(neighbours))
    return merged


@dataclass(frozen=True)
class Traversal:
    """Sorted successor and predecessor lists of one kind of walk through the map."""

    _succ: dict[str, list[str]]
    _pred: dict[str, list[str]]

    def succ(self, node_id: str) -> list[str] | tuple[str, ...]:
        return self._succ.get(node_id, _EMPTY)

    def pred(self, node_id: str) -> list[str] | tuple[str, ...]:
        return self._pred.get(node_id, _EMPTY)

    def reaching(self, targets: Iterable[str]) -> set[str]:
        """Nodes with a walk of at least one edge into any of ``targets``."""
        found: set[str] = set()
        stack = list(targets)
        pred = self._pred
        while stack:
            for prev in pred.get(stack.pop(), _EMPTY):
                if prev not in found:
                    found.add(prev)
                    stack.append(prev)
        return found
