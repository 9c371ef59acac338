// Every map, without loading it.
MATCH (g:GMap)
RETURN g.id AS id, g.meta AS meta, g.version AS version, g.updatedAt AS updatedAt,
       g.nodeCount AS nodeCount, g.edgeCount AS edgeCount
ORDER BY g.id
