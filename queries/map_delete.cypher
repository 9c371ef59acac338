// Delete a map: drop its GMap node and retire its generation (collected in batches after).
// Writing the counter first takes the same lock every writer of the map takes.
MATCH (c:GMapCounter {id: $mapId})
SET c.deletedAt = timestamp()
WITH c
MATCH (g:GMap {id: $mapId})
WITH g, g.gen AS gen
DELETE g
CREATE (:GStage {gen: gen, mapId: $mapId, state: 'retired', touchedAt: timestamp()})
RETURN gen
