// Lock a map for a write that must check its version first (the lock every writer takes);
// the version. No row: no such map.
MATCH (c:GMapCounter {id: $mapId})
SET c.lockedAt = timestamp()
WITH c
MATCH (g:GMap {id: $mapId})
RETURN g.version AS version
