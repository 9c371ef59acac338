// Append audit entries to a map's log, in the transaction of the write they describe. The
// writer already holds the map counter's lock, which also numbers the entries of the map.
MATCH (c:GMapCounter {id: $mapId})
SET c.changeSeq = coalesce(c.changeSeq, 0) + size($notes)
WITH c.changeSeq - size($notes) AS last
UNWIND range(0, size($notes) - 1) AS i
WITH last, i, $notes[i] AS n
CREATE (:GChange {mapId: $mapId, seq: last + i + 1, version: $version, at: $at,
                  actor: n.actor, operation: n.operation, elementId: n.elementId,
                  before: n.before, after: n.after})
