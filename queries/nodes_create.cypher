// One batch of nodes of one kind into a generation; their element ids, for the edges to come.
// A row is [id, name, tags, data, pos]: lists, because the driver packs them faster than maps.
UNWIND $rows AS row
CREATE (n:GNode:<KIND> {
  mapId: $mapId, gen: $gen, id: row[0], kind: $kind, name: row[1], tags: row[2], data: row[3],
  pos: row[4]
})
RETURN collect([n.id, elementId(n)]) AS created
