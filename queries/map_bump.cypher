// Start a write to an existing map: lock its counter, take the next version, and report the
// version it had (for expected_version) and its live generation. No row: no such map.
MATCH (c:GMapCounter {id: $mapId})
SET c.version = c.version + 1
WITH c
MATCH (g:GMap {id: $mapId})
WITH c, g, g.version AS previous
SET g.version = c.version, g.updatedAt = $now
RETURN g.gen AS gen, previous, c.version AS version
