"""The in-memory graph of one map, indexed once per map version for every analysis."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from graphsvc.domain.kinds import EdgeKind, NodeKind
from graphsvc.domain.model import AnyEdge, AnyNode, StakeholderMap

E = TypeVar("E", bound=AnyEdge)
_EMPTY: tuple[str, ...] = ()


@dataclass
class MapGraph:
    """Nodes by id, and sorted successor and predecessor lists per edge kind."""

    map_id: str
    nodes: dict[str, AnyNode]
    edges: list[AnyEdge]
    _out: dict[EdgeKind, dict[str, list[str]]] = field(default_factory=dict)
    _in: dict[EdgeKind, dict[str, list[str]]] = field(default_factory=dict)
    _edge: dict[tuple[EdgeKind, str, str], AnyEdge] = field(default_factory=dict)

    @classmethod
    def build(cls, m: StakeholderMap) -> MapGraph:
        g = cls(m.id, {n.id: n for n in m.nodes}, list(m.edges))
        out: dict[EdgeKind, defaultdict[str, list[str]]] = {k: defaultdict(list) for k in EdgeKind}
        inc: dict[EdgeKind, defaultdict[str, list[str]]] = {k: defaultdict(list) for k in EdgeKind}
        for edge in m.edges:
            kind = EdgeKind(edge.kind)
            out[kind][edge.from_].append(edge.to)
            inc[kind][edge.to].append(edge.from_)
            g._edge[(kind, edge.from_, edge.to)] = edge
        for table in (out, inc):
            for adjacency in table.values():
                for neighbours in adjacency.values():
                    neighbours.sort()
        g._out = {k: dict(v) for k, v in out.items()}
        g._in = {k: dict(v) for k, v in inc.items()}
        return g

    def kind(self, node_id: str) -> NodeKind:
        return NodeKind(self.nodes[node_id].kind)

    def of_kind(self, kind: NodeKind) -> list[str]:
        """Ids of the nodes of one kind, sorted."""
        return sorted(n.id for n in self.nodes.values() if n.kind == kind)

    def succ(self, kind: EdgeKind, node_id: str) -> list[str] | tuple[str, ...]:
        return self._out[kind].get(node_id, _EMPTY)

    def pred(self, kind: EdgeKind, node_id: str) -> list[str] | tuple[str, ...]:
        return self._in[kind].get(node_id, _EMPTY)

    def sources_of(self, kind: EdgeKind) -> Iterable[str]:
        """Nodes with at least one outgoing edge of this kind."""
        return self._out[kind].keys()

    def edge(self, kind: EdgeKind, source: str, target: str) -> AnyEdge | None:
        return self._edge.get((kind, source, target))

    def edges_of(self, kind: EdgeKind, model: type[E]) -> list[E]:
        """Every edge of one kind, typed as its model."""
        return [e for e in self.edges if isinstance(e, model) and e.kind == kind]

    def traversal(
        self, forward: Iterable[EdgeKind], backward: Iterable[EdgeKind] = ()
    ) -> Traversal:
        """A walk along ``forward`` edge kinds and against ``backward`` ones."""
        succ: defaultdict[str, set[str]] = defaultdict(set)
        pred: defaultdict[str, set[str]] = defaultdict(set)
        for kind in forward:
            for source, targets in self._out[kind].items():
                succ[source].update(targets)
                for target in targets:
                    pred[target].add(source)
        for kind in backward:
            for target, sources in self._in[kind].items():
                succ[target].update(sources)
                for source in sources:
                    pred[source].add(target)
        return Traversal(
            {k: sorted(v) for k, v in succ.items()}, {k: sorted(v) for k, v in pred.items()}
        )


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
        while stack:
            for prev in self.pred(stack.pop()):
                if prev not in found:
                    found.add(prev)
                    stack.append(prev)
        return found
