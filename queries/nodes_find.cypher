// One page of a map's nodes: the filter's total, then up to $limit nodes after $after by id.
// Null parameters switch a filter off; with none on, the map's own count is the total.
MATCH (g:GMap {id: $mapId})
WITH g, CASE WHEN $kinds IS NULL AND $tag IS NULL AND $search IS NULL THEN g.nodeCount ELSE COUNT {
  MATCH (n:GNode {mapId: $mapId, gen: g.gen})
  WHERE n.id IS NOT NULL
    AND ($kinds IS NULL OR n.kind IN $kinds)
    AND ($tag IS NULL OR $tag IN n.tags)
    AND ($search IS NULL OR toLower(n.name) CONTAINS $search OR n.id CONTAINS $search)
} END AS total
OPTIONAL MATCH (n:GNode {mapId: $mapId, gen: g.gen})
WHERE n.id > $after
  AND ($kinds IS NULL OR n.kind IN $kinds)
  AND ($tag IS NULL OR $tag IN n.tags)
  AND ($search IS NULL OR toLower(n.name) CONTAINS $search OR n.id CONTAINS $search)
WITH total, n ORDER BY n.id LIMIT $limit
RETURN total, collect(n.data) AS items
