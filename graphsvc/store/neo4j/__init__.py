"""The Neo4j store: maps as property graphs on a Neo4j server, a cluster or Aura.

Data model (constraints in ``schema/neo4j.cypher``, statements in ``queries/*.cypher``):

- ``(:GMap {id, gen, version, updatedAt, meta, sources, title, description, tags, nodeCount,
  edgeCount, nextNodePos, nextEdgePos})`` per map; ``meta`` and ``sources`` are JSON.
- ``(:GNode:<Kind> {mapId, gen, id, kind, name, tags, data, pos})`` per node and
  ``[:<EDGE_KIND> {mapId, gen, id, kind, data, pos}]`` per edge. ``data`` is the element's JSON
  (it round-trips every field exactly); id, kind, name and tags are the columns queries filter
  on; ``pos`` keeps the order elements were first stored in (``load_map`` returns that order).
- ``(:GMapCounter {id, version})`` per map id, kept after the map is deleted, so versions never
  repeat. Every writer of a map increments it first; its write lock serialises them.
- ``gen`` names a generation of a map's elements. An import writes a new generation beside the
  live one, in batched transactions, then swaps the GMap's ``gen`` in one small transaction
  (see :mod:`graphsvc.store.neo4j.generations`).
"""

from graphsvc.store.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
