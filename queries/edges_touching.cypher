// Every edge with an end among $ids, once each, in id order.
MATCH (g:GMap {id: $mapId})
UNWIND $ids AS id
MATCH (n:GNode {mapId: $mapId, gen: g.gen, id: id})-[r]-()
WITH DISTINCT r
ORDER BY r.id
RETURN collect(r.data) AS items
