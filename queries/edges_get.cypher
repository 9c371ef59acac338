// The edges among $ids that exist.
MATCH (g:GMap {id: $mapId})
UNWIND $ids AS id
MATCH ()-[r:<EDGE_KINDS>]->()
WHERE r.mapId = $mapId AND r.gen = g.gen AND r.id = id
RETURN collect(r.data) AS items
