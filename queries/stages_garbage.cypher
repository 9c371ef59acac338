// Generations to collect: retired ones, and staging ones untouched for too long (abandoned).
MATCH (s:GStage)
WHERE s.state = 'retired' OR s.touchedAt < timestamp() - $staleMs
SET s.state = 'retired'
RETURN s.gen AS gen, s.mapId AS mapId
ORDER BY s.touchedAt
