"""Impact paths: how power flows from one node to another (SPEC §3).

Simple directed paths along DEVELOPS, DEPLOYS, OPERATES, AFFECTS, EMPLOYS, FUNDS,
INCENTIVIZES and OVERSEES, ordered by length then by their sequence of node ids. Paths are
found by iterative deepening: a depth-first search per length, successors in id order (so
each length comes out already sorted), pruned by the breadth-first distance to the target.
The cost is O(L · (V + E)) for the first L-edge path in tame maps and exponential in the depth
in the worst case (the number of simple paths itself can be); ``max_depth`` and ``limit``
bound the work.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from graphsvc.analysis.graph import MapGraph
from graphsvc.domain.kinds import EdgeKind
from graphsvc.errors import InvalidInput, NotFound, Problem

IMPACT_KINDS = (
    EdgeKind.DEVELOPS,
    EdgeKind.DEPLOYS,
    EdgeKind.OPERATES,
    EdgeKind.AFFECTS,
    EdgeKind.EMPLOYS,
    EdgeKind.FUNDS,
    EdgeKind.INCENTIVIZES,
    EdgeKind.OVERSEES,
)
DEFAULT_MAX_DEPTH = 6
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class ImpactPath:
    """Node ids, and per step the id of the connecting edge (the first kind in IMPACT_KINDS)."""

    nodes: tuple[str, ...]
    edges: tuple[str, ...]


def impact_paths(
    g: MapGraph,
    source: str,
    target: str,
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
    limit: int = DEFAULT_LIMIT,
) -> list[ImpactPath]:
    """At most ``limit`` simple paths of at most ``max_depth`` edges, shortest first.

    Raises NotFound for an unknown node and InvalidInput for a depth or limit below 1.

    >>> from graphsvc.domain.mapfile import load_map_text
    >>> m = load_map_text('''
    ... map: {id: t}
    ... nodes:
    ...   - {id: f, kind: Organization, name: Funder}
    ...   - {id: o, kind: Organization, name: O}
    ...   - {id: s, kind: AISystem, name: S}
    ...   - {id: c, kind: AffectedCommunity, name: C}
    ... edges:
    ...   - {from: f, kind: FUNDS, to: o}
    ...   - {from: o, kind: DEPLOYS, to: s}
    ...   - {from: o, kind: DEVELOPS, to: s}
    ...   - {from: s, kind: AFFECTS, to: c}
    ... ''')
    >>> [p.nodes for p in impact_paths(MapGraph.build(m), "f", "c")]
    [('f', 'o', 's', 'c')]
    >>> impact_paths(MapGraph.build(m), "f", "c")[0].edges[1]
    'o--DEVELOPS--s'
    """
    for name, node in (("from", source), ("to", target)):
        if node not in g.nodes:
            raise NotFound(f"no node {node!r} in map {g.map_id!r} ({name})")
    problems = [
        Problem(f"{name} must be at least 1", name, value=value)
        for name, value in (("maxDepth", max_depth), ("limit", limit))
        if value < 1
    ]
    if problems:
        raise InvalidInput(problems)
    if source == target:
        return []
    walk = g.traversal(forward=IMPACT_KINDS)
    distance = _distances_to(walk.pred, target, max_depth)
    found: list[ImpactPath] = []
    if source not in distance:
        return found
    for length in range(distance[source], max_depth + 1):
        path = [source]
        on_path = {source}
        # Each stack frame: the successors still to try from the node at that depth.
        stack = [iter(walk.succ(source))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                on_path.discard(path.pop())
                continue
            left = length - len(path)  # edges still to take after stepping to nxt
            if nxt in on_path or distance.get(nxt, max_depth + 1) > left:
                continue
            if nxt == target:
                if left == 0:
                    found.append(_with_edges(g, (*path, nxt)))
                    if len(found) >= limit:
                        return found
                continue
            path.append(nxt)
            on_path.add(nxt)
            stack.append(iter(walk.succ(nxt)))
    return found


def _distances_to(
    pred: Callable[[str], Iterable[str]], target: str, max_depth: int
) -> dict[str, int]:
    distance = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        if distance[node] >= max_depth:
            continue
        for prev in pred(node):
            if prev not in distance:
                distance[prev] = distance[node] + 1
                queue.append(prev)
    return distance


def _with_edges(g: MapGraph, nodes: tuple[str, ...]) -> ImpactPath:
    edges = []
    for a, b in pairwise(nodes):
        edge = next(e for k in IMPACT_KINDS if (e := g.edge(k, a, b)) is not None)
        edges.append(edge.id)
    return ImpactPath(nodes, tuple(edges))
