// One batch of edges of one kind into a generation. The batch comes as columns, each one string
// of its values joined by $sep (a control character, which none of the values can hold: ids are
// slugs, data is JSON, a and b are element ids, pos is digits): one string packs in one step of
// the Python driver's packer, where rows of lists took one step per value, half of the client's
// time. a and b are the element ids the node batches of the same import returned, a direct seek
// (a unique-index seek in a write would also take locks); they are nodes of this staging
// generation, which the batch's stage touch guarantees is still being written.
WITH split($ids, $sep) AS ids, split($data, $sep) AS data, split($pos, $sep) AS pos,
     split($a, $sep) AS a, split($b, $sep) AS b
UNWIND range(0, size(ids) - 1) AS i
MATCH (x) WHERE elementId(x) = a[i]
MATCH (y) WHERE elementId(y) = b[i]
CREATE (x)-[r:<KIND> {mapId: $mapId, gen: $gen, id: ids[i], kind: $kind, data: data[i],
                      pos: toInteger(pos[i])}]->(y)
RETURN count(r) AS created
