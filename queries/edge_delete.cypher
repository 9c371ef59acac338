// Delete the edge with this id, whatever its kind (a union of per-kind index seeks);
// its position, so that an edge replaced under the same id keeps its place.
MATCH (g:GMap {id: $mapId})
MATCH ()-[r:<EDGE_KINDS>]->()
WHERE r.mapId = $mapId AND r.gen = $gen AND r.id = $id
WITH g, r, r.pos AS pos
DELETE r
SET g.edgeCount = g.edgeCount - 1
RETURN count(*) AS deleted, min(pos) AS pos
