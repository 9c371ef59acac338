// Create or replace one node; a changed kind swaps its kind label. A new node goes last.
MATCH (g:GMap {id: $mapId})
MERGE (n:GNode {mapId: $mapId, gen: $gen, id: $id})
  ON CREATE SET n.pos = coalesce(g.nextNodePos, 0), g.nextNodePos = coalesce(g.nextNodePos, 0) + 1,
                g.nodeCount = g.nodeCount + 1
REMOVE n:<NODE_KINDS>
SET n:<KIND>, n.kind = $kind, n.name = $name, n.tags = $tags, n.data = $data
