// Replace a map's metadata.
MATCH (g:GMap {id: $mapId})
SET g.meta = $meta, g.title = $title, g.description = $description, g.tags = $tags
