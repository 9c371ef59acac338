// Announce a generation being written, so an abandoned one can be found and collected.
CREATE (:GStage {gen: $gen, mapId: $mapId, state: 'staging', touchedAt: timestamp()})
