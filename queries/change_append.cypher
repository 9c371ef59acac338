// Append audit entries to a map's log, in the transaction of the write they describe. An
// entry's seq is the write's version (unique per map, from the counter whose lock the writer
// holds) times 2^24 plus its place in the write: ordered, unique, and no lock of its own.
UNWIND range(0, size($notes) - 1) AS i
WITH i, $notes[i] AS n
CREATE (:GChange {mapId: $mapId, seq: $seqBase * 16777216 + i, version: $version, at: $at,
                  actor: n.actor, operation: n.operation, elementId: n.elementId,
                  before: n.before, after: n.after})
