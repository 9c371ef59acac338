"""Reading around nodes of a stored map: neighbourhoods (without loading the map), impact paths."""

from __future__ import annotations

from dataclasses import dataclass

from graphsvc.analysis.graph import MapGraph
from graphsvc.analysis.impact import impact_paths
from graphsvc.domain.model import AnyEdge, AnyNode
from graphsvc.store.base import GraphStore, Neighborhood, read_neighborhood


def neighborhood(store: GraphStore, map_id: str, center_id: str, depth: int) -> Neighborhood:
    """The nodes within ``depth`` edges of ``center_id`` and the edges walked (see
    :func:`graphsvc.store.base.read_neighborhood`: one read transaction on Neo4j)."""
    return read_neighborhood(store, map_id, center_id, depth)


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
