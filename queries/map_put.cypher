// Point a map at its new generation (the swap); the previous generation, if any, is retired.
MERGE (g:GMap {id: $mapId})
WITH g, g.gen AS oldGen
SET g.gen = $gen, g.version = $version, g.updatedAt = $now, g.meta = $meta,
    g.sources = $sources, g.title = $title, g.description = $description, g.tags = $tags,
    g.nodeCount = $nodeCount, g.edgeCount = $edgeCount,
    g.nextNodePos = $nodeCount, g.nextEdgePos = $edgeCount
WITH oldGen
WHERE oldGen IS NOT NULL
CREATE (:GStage {gen: oldGen, mapId: $mapId, state: 'retired', touchedAt: timestamp()})
RETURN oldGen
