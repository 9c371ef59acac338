// Keep a staging generation alive; 0 when it was collected as abandoned meanwhile.
OPTIONAL MATCH (s:GStage {gen: $gen})
WHERE s.state = 'staging'
SET s.touchedAt = timestamp()
RETURN count(s) AS alive
