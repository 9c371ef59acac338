// One page of a map's edges: the filter's total, then up to $limit edges after $after by id.
MATCH (g:GMap {id: $mapId})
WITH g, COUNT {
  MATCH ()-[r:<EDGE_KINDS>]->()
  WHERE r.mapId = $mapId AND r.gen = g.gen AND r.id IS NOT NULL
    AND ($kinds IS NULL OR r.kind IN $kinds)
} AS total
OPTIONAL MATCH ()-[r:<EDGE_KINDS>]->()
WHERE r.mapId = $mapId AND r.gen = g.gen AND r.id > $after
  AND ($kinds IS NULL OR r.kind IN $kinds)
WITH total, r ORDER BY r.id LIMIT $limit
RETURN total, collect(r.data) AS items
