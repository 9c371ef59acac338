// The nodes among $ids that exist.
MATCH (g:GMap {id: $mapId})
UNWIND $ids AS id
MATCH (n:GNode {mapId: $mapId, gen: g.gen, id: id})
RETURN collect(n.data) AS items
