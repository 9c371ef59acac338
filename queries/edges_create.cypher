// One batch of edges of one kind into a generation. A row is [id, data, pos, a, b], where a and
// b are the element ids the node batches returned: a direct seek, where a unique-index seek in
// a write would also take locks. Both ends must belong to the same map and generation.
UNWIND $rows AS row
MATCH (a:GNode) WHERE elementId(a) = row[3]
MATCH (b:GNode) WHERE elementId(b) = row[4]
WITH row, a, b
WHERE a.mapId = $mapId AND a.gen = $gen AND b.mapId = $mapId AND b.gen = $gen
CREATE (a)-[r:<KIND> {mapId: $mapId, gen: $gen, id: row[0], kind: $kind, data: row[1], pos: row[2]}]->(b)
RETURN count(r) AS created
