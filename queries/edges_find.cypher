// One page of a map's edges: the filter's total, then up to $limit edges after $after by id.
// Without a kind filter the map's own count is the total.
MATCH (g:GMap {id: $mapId})
WITH g, CASE WHEN $kinds IS NULL THEN g.edgeCount ELSE COUNT {
  MATCH ()-[r:<EDGE_KINDS>]->()
  WHERE r.mapId = $mapId AND r.gen = g.gen AND r.id IS NOT NULL
    AND r.kind IN $kinds
} END AS total
OPTIONAL MATCH ()-[r:<EDGE_KINDS>]->()
WHERE r.mapId = $mapId AND r.gen = g.gen AND r.id > $after
  AND ($kinds IS NULL OR r.kind IN $kinds)
WITH total, r ORDER BY r.id LIMIT $limit
RETURN total, collect(r.data) AS items
