// A neighbourhood's first statement: the map's live generation, the centre, and the first two
// rings when $depth asks for them: the edges touching the centre and the nodes at their other
// ends, then the edges touching those nodes and the nodes at their other ends. Further rings:
// neighborhood_ring. No row: no such map; a null centre: no such node.
MATCH (g:GMap {id: $mapId})
OPTIONAL MATCH (c:GNode {mapId: $mapId, gen: g.gen, id: $id})
CALL (c) {
  WITH c WHERE $depth >= 1
  MATCH (c)-[r]-(m:GNode)
  RETURN collect(DISTINCT r) AS near, collect(DISTINCT m) AS ring
}
CALL (ring) {
  WITH ring WHERE $depth >= 2
  UNWIND ring AS f
  MATCH (f)-[r]-(m:GNode)
  RETURN collect(DISTINCT r.data) AS far, collect(DISTINCT [m.id, m.data]) AS outer
}
RETURN g.gen AS gen, c.data AS center, [r IN near | r.data] + far AS edges,
       [m IN ring | [m.id, m.data]] AS ring, outer
