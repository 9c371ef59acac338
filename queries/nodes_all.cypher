// Every node of one generation, in the order they were first stored.
MATCH (n:GNode {mapId: $mapId, gen: $gen})
WHERE n.id IS NOT NULL
WITH n ORDER BY n.pos, n.id
RETURN collect(n.data) AS items
