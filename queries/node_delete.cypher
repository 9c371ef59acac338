// Delete one node and its edges. No row: no such node.
MATCH (g:GMap {id: $mapId})
MATCH (n:GNode {mapId: $mapId, gen: $gen, id: $id})
OPTIONAL MATCH (n)-[r]-()
WITH g, n, count(DISTINCT r) AS edges
DETACH DELETE n
SET g.nodeCount = g.nodeCount - 1, g.edgeCount = g.edgeCount - edges
RETURN edges
