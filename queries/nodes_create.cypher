// One batch of nodes of one kind into a generation; their element ids, for the edges to come.
// The batch comes as columns: ids, data and pos are each one string of the values joined by
// $sep (a control character none of them can hold; one string packs in one step of the Python
// driver's packer), names and tags are lists.
WITH split($ids, $sep) AS ids, split($data, $sep) AS data, split($pos, $sep) AS pos
UNWIND range(0, size(ids) - 1) AS i
CREATE (n:GNode:<KIND> {
  mapId: $mapId, gen: $gen, id: ids[i], kind: $kind, name: $names[i], tags: $tags[i],
  data: data[i], pos: toInteger(pos[i])
})
RETURN collect([n.id, elementId(n)]) AS created
