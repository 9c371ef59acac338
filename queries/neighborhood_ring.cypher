// One ring of a neighbourhood: every edge touching a node of $ids, and the nodes at their other
// ends that are not in $seen (the caller's nodes so far), each once. $gen is the generation the
// first statement of the same read transaction found, so every ring reads the same one.
UNWIND $ids AS id
MATCH (:GNode {mapId: $mapId, gen: $gen, id: id})-[r]-(m:GNode)
WITH collect(DISTINCT r.data) AS edges, collect(DISTINCT m) AS ends
RETURN edges, [m IN ends WHERE NOT m.id IN $seen | [m.id, m.data]] AS nodes
