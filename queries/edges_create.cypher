// One batch of edges of one kind into a generation. Endpoints come by the element ids the node
// batches returned (a direct seek, where a unique-index seek in a write would also lock), and
// must belong to the same map and generation.
UNWIND $rows AS row
MATCH (a:GNode) WHERE elementId(a) = row.a
MATCH (b:GNode) WHERE elementId(b) = row.b
WITH row, a, b
WHERE a.mapId = $mapId AND a.gen = $gen AND b.mapId = $mapId AND b.gen = $gen
CREATE (a)-[r:<KIND> {
  mapId: $mapId, gen: $gen, id: row.id, kind: row.kind, data: row.data, pos: row.pos
}]->(b)
RETURN count(r) AS created
