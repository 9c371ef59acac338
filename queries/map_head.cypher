// What a whole-map read needs first: metadata and the live generation.
MATCH (g:GMap {id: $mapId})
RETURN g.meta AS meta, g.sources AS sources, g.gen AS gen, g.version AS version
