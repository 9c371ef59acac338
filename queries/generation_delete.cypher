// Delete one batch of a retired generation's nodes (and so their edges).
MATCH (n:GNode {mapId: $mapId, gen: $gen})
WHERE n.id IS NOT NULL
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
