// The first statement of a neighbourhood read: the map's live generation and the centre's data.
// No row: no such map; a null centre: no such node.
MATCH (g:GMap {id: $mapId})
OPTIONAL MATCH (c:GNode {mapId: $mapId, gen: g.gen, id: $id})
RETURN g.gen AS gen, c.data AS center
