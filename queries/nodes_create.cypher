// One batch of nodes of one kind into a generation; their element ids, for the edges to come.
UNWIND $rows AS row
CREATE (n:GNode:<KIND> {
  mapId: $mapId, gen: $gen, id: row.id, kind: row.kind, name: row.name, tags: row.tags,
  data: row.data, pos: row.pos
})
RETURN collect([n.id, elementId(n)]) AS created
