// A page of a map's audit log, newest first: entries numbered below $after.
OPTIONAL MATCH (every:GChange {mapId: $mapId})
WITH count(every) AS total
OPTIONAL MATCH (x:GChange {mapId: $mapId})
WHERE x.seq < $after
WITH total, x
ORDER BY x.seq DESC
LIMIT $limit
RETURN total, collect(x {.seq, .version, .at, .actor, .operation, .elementId, .before, .after}) AS items
