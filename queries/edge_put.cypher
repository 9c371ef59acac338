// Create one edge between existing nodes of the live generation, at $pos or else last.
// 0: an endpoint is missing.
MATCH (g:GMap {id: $mapId})
MATCH (a:GNode {mapId: $mapId, gen: $gen, id: $source})
MATCH (b:GNode {mapId: $mapId, gen: $gen, id: $target})
CREATE (a)-[r:<KIND> {
  mapId: $mapId, gen: $gen, id: $id, kind: $kind, data: $data,
  pos: coalesce($pos, g.nextEdgePos, 0)
}]->(b)
SET g.edgeCount = g.edgeCount + 1,
    g.nextEdgePos = CASE WHEN $pos IS NULL THEN coalesce(g.nextEdgePos, 0) + 1 ELSE g.nextEdgePos END
RETURN count(r) AS created
