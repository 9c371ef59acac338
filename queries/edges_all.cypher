// Every edge of one generation, in the order they were first stored.
MATCH ()-[r:<EDGE_KINDS>]->()
WHERE r.mapId = $mapId AND r.gen = $gen AND r.id IS NOT NULL
WITH r ORDER BY r.pos, r.id
RETURN collect(r.data) AS items
