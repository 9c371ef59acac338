"""Reading around nodes of a stored map: neighbourhoods (without loading the map), impact paths."""

from __future__ import annotations

from dataclasses import dataclass

from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.impact import impact_paths
from graphsvc.domain.model import AnyEdge, AnyNode
from graphsvc.errors import NotFound
from graphsvc.store.base import GraphStore


@dataclass(frozen=True)
class Neighborhood:
    """The nodes within ``depth`` edges of ``center`` (either direction) and the edges among
    them that were walked; nodes and edges in id order."""

    center: AnyNode
    depth: int
    nodes: list[AnyNode]
    edges: list[AnyEdge]


def neighborhood(store: GraphStore, map_id: str, center_id: str, depth: int) -> Neighborhood:
    """Breadth-first along edges in both directions: ``depth + 2`` store round trips.

    Every edge touching a node closer than ``depth`` is included, so the result shows how
    the outermost ring connects inward but not the ring's own onward edges.
    """
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


@dataclass(frozen=True)
class PathFound:
    """One impact path: its nodes and the edge taken at each step."""

    nodes: list[AnyNode]
    edges: list[AnyEdge]


def impact_paths_between(
    store: GraphStore, map_id: str, source: str, target: str, *, max_depth: int, limit: int
) -> list[PathFound]:
    """Impact paths (SPEC §3) from ``source`` to ``target`` in the stored map."""
    m = store.load_map(map_id)
    g = MapGraph.build(m)
    edges = {e.id: e for e in m.edges}
    return [
        PathFound([g.nodes[n] for n in p.nodes], [edges[e] for e in p.edges])
        for p in impact_paths(g, source, target, max_depth=max_depth, limit=limit)
    ]
