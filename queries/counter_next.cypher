// The next version of a map. The counter outlives the map, so versions never repeat, and its
// write lock serialises every writer of the map (SET n.p = n.p + 1 locks before it reads).
MERGE (c:GMapCounter {id: $mapId})
  ON CREATE SET c.version = 0
SET c.version = c.version + 1
RETURN c.version AS version
