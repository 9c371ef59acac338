// One ring of a neighbourhood: every edge touching a node of $ids, and the nodes at their other
// ends that are not in $seen (the caller's nodes so far), each once; `nodes` and `edges` as
// neighborhood_near returns them, `ids` the ids of those nodes (the next ring's $ids). $gen is
// the generation the first statement of the same read transaction found, so every ring reads
// the same one.
UNWIND $ids AS id
MATCH (:GNode {mapId: $mapId, gen: $gen, id: id})-[r]-(m:GNode)
WITH collect(DISTINCT r) AS edges, collect(DISTINCT m) AS ends
WITH edges, [m IN ends WHERE NOT m.id IN $seen] AS fresh
RETURN [i IN range(0, size(fresh) - 1, 50) WHERE i < size(fresh) |
        reduce(s = fresh[i].data, m IN fresh[i + 1..i + 50] | s + $sep + m.data)] AS nodes,
       [i IN range(0, size(edges) - 1, 50) WHERE i < size(edges) |
        reduce(s = edges[i].data, r IN edges[i + 1..i + 50] | s + $sep + r.data)] AS edges,
       [m IN fresh | m.id] AS ids
