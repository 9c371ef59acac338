// A neighbourhood's first statement: the map's live generation, whether the centre exists, and
// the centre with the first two rings when $depth asks for them: the edges touching the centre
// and the nodes at their other ends, then the edges touching those nodes and the nodes at
// their other ends. Further rings: neighborhood_ring. No row: no such map.
//
// Each node and edge once, its `data` in `nodes` / `edges` as texts of up to 50 of them joined
// by $sep (a comma: each text is the inside of a JSON array, and so is the caller's join of
// them): the driver decodes a string in one step but a list one value at a time, in pure
// Python, and a neighbourhood's hundreds of values were half of reading it. (Not one text:
// building it by `reduce` copies what is built so far at every step. `WHERE i < size(..)`:
// in Neo4j 5, range(0, -1, 50) is [0].) `seen` and `frontier` are the ids of its nodes and of
// its outer ring, for the statements of further rings: empty unless $depth > 2.
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
  RETURN collect(DISTINCT r) AS far, collect(DISTINCT m) AS outer
}
CALL (c, ring, outer) {
  UNWIND [c] + ring + outer AS n
  RETURN collect(DISTINCT n) AS nodes
}
// Every edge touching the centre touches a node of the first ring too: `far` holds `near`.
WITH g, c, ring, outer, nodes, CASE WHEN $depth >= 2 THEN far ELSE near END AS edges
RETURN g.gen AS gen, c IS NOT NULL AS found,
       [i IN range(0, size(nodes) - 1, 50) WHERE i < size(nodes) |
        reduce(s = nodes[i].data, n IN nodes[i + 1..i + 50] | s + $sep + n.data)] AS nodes,
       [i IN range(0, size(edges) - 1, 50) WHERE i < size(edges) |
        reduce(s = edges[i].data, r IN edges[i + 1..i + 50] | s + $sep + r.data)] AS edges,
       CASE WHEN $depth > 2 THEN [n IN nodes | n.id] ELSE [] END AS seen,
       CASE WHEN $depth > 2 THEN [m IN outer WHERE m <> c AND NOT m IN ring | m.id] ELSE [] END
         AS frontier
